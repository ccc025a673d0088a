"""Guardians saving payment methods at once: never more than the limit (SQLite and
PostgreSQL, threads)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from portal_tui.server.services import payment_methods as methods_service
from portal_tui.wire.payment_methods import NewPaymentMethod
from tests.server.test_makeups import family_access
from tests.server.test_payment_methods import CARD, bearer, methods
from tests.server.test_payment_races import _in_threads
from tests.servers import set_settings


def _adding(db: Session) -> object:
    body = NewPaymentMethod.model_validate({"card": CARD})
    return methods_service.add_method(family_access(db), body)


def test_eight_concurrent_adds_with_room_for_two_save_two(api: TestClient, db_url: str) -> None:
    auth = bearer(api)
    assert len(methods(api, auth)) == 2
    set_settings(db_url, max_payment_methods="4")

    statuses = _in_threads(db_url, [_adding] * 8)

    assert sorted(statuses) == [200] * 2 + [409] * 6
    saved = methods(api, auth)
    assert len(saved) == 4
    assert sum(m.is_default for m in saved) == 1
