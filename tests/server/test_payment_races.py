"""Payments racing for one balance: never more than is owed, no entry lost, and one charge
per Idempotency-Key however many retries race (SQLite and PostgreSQL, threads)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.errors import ApiError
from portal_tui.server.services import credit as credit_service
from portal_tui.server.services import payments as payments_service
from portal_tui.wire.payments import ApplyCredit, PaymentRequest
from tests.server.test_makeups import family_access
from tests.server.test_passes import change
from tests.server.test_payments import account, payments, visa_id
from tests.server.threads import race


def _in_threads(db_url: str, writes: list[Callable[[Session], object]]) -> list[int]:
    """Each write on its own thread and session, all released at once; their statuses."""
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)

    def status(write: Callable[[Session], object]) -> int:
        try:
            with sessions() as db, db.begin():
                write(db)
        except ApiError as error:
            return error.status
        return 200

    statuses = race([partial(status, write) for write in writes])
    engine.dispose()
    return statuses


def _paying(key: str, body: PaymentRequest) -> Callable[[Session], object]:
    return lambda db: payments_service.make_payment(family_access(db), key, body)


def _pay_in_threads(db_url: str, bodies: list[tuple[str, PaymentRequest]]) -> list[int]:
    return _in_threads(db_url, [_paying(key, body) for key, body in bodies])


def test_fifty_concurrent_payments_never_overpay_and_never_lose_an_entry(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    visa = visa_id(api, auth)
    body = PaymentRequest(amount_cents=1500, method_id=visa)
    statuses = _pay_in_threads(db_url, [(uuid.uuid4().hex, body) for _ in range(50)])
    assert sorted(set(statuses)) == [200, 422]
    paid = statuses.count(200)
    assert paid == 45500 // 1500  # the balance: outstanding less credit
    made = [p for p in payments(db_url) if p.idempotency_key]
    assert len({p.idempotency_key for p in made}) == paid  # a payment may be one entry a location
    assert account(api, auth).outstanding_cents == 49000 - paid * 1500

    def allocated(db: Any) -> int:
        ids = [p.id for p in made]
        return int(
            db.scalar(
                select(func.sum(tables.PaymentAllocation.amount_cents)).where(
                    tables.PaymentAllocation.source_entry_id.in_(ids)
                )
            )
        )

    assert change(db_url, allocated) == paid * 1500


def test_fifty_concurrent_retries_of_one_attempt_charge_once(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    key = uuid.uuid4().hex
    body = PaymentRequest(amount_cents=1500, method_id=visa_id(api, auth))
    assert _pay_in_threads(db_url, [(key, body)] * 50) == [200] * 50
    assert [p.idempotency_key for p in payments(db_url)].count(key) == 1
    assert account(api, auth).outstanding_cents == 49000 - 1500


def test_ten_concurrent_apply_credits_apply_it_once(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    body = ApplyCredit(total_cents=3500)
    statuses = _in_threads(db_url, [lambda db: credit_service.apply(family_access(db), body)] * 10)
    assert sorted(statuses) == [200] + [422] * 9
    after = account(api, auth)
    assert (after.outstanding_cents, after.credit_cents) == (49000 - 3500, 0)
