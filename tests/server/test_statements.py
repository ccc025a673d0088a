"""Transaction History's reports: the statement of a location's open charges, the ledger of a
period (the last 30 days unless full history is on), and the payment statement of a period."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal_tui.server import clock, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.services import allocation
from portal_tui.server.services import statements as statements_service
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL
from portal_tui.wire.family import FamilyOut
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.statements import LedgerReport, PaymentStatement, Statement
from tests.server import random_writes
from tests.server.conftest import family_path, login
from tests.server.random_writes import write
from tests.server.test_makeups import family_access
from tests.server.test_payments import location_ids
from tests.servers import set_settings

TODAY = date(2026, 3, 2)
"""PORTAL_TODAY in tests."""


def get(api: TestClient, auth: dict[str, str], path: str, **params: Any) -> Any:
    return api.get(f"/api/v1{family_path(api, auth)}{path}", headers=auth, params=params)


def statement(api: TestClient, auth: dict[str, str], location_id: int) -> Statement:
    response = get(api, auth, "/statement", location_id=location_id)
    assert response.status_code == 200, response.text
    return Statement.model_validate(response.json())


def ledger(api: TestClient, auth: dict[str, str], **params: Any) -> LedgerReport:
    response = get(api, auth, "/ledger-report", **params)
    assert response.status_code == 200, response.text
    return LedgerReport.model_validate(response.json())


def capabilities(api: TestClient, auth: dict[str, str]) -> Any:
    return FamilyOut.model_validate(get(api, auth, "").json()).capabilities


# Generate Statement for This Location


def test_the_statement_lists_the_locations_open_charges_as_of_today(
    api: TestClient, auth: dict[str, str]
) -> None:
    places = location_ids(api, auth)
    report = statement(api, auth, places["Northside"])
    assert report.heading.location_name == "Northside"
    assert report.heading.family_name == "Rivera Family"
    assert report.heading.business_name
    assert report.heading.as_of == TODAY
    assert report.lines, "the demo owes something at Northside"
    assert {line.location_name for line in report.lines} == {"Northside"}
    assert all(line.entry_date <= TODAY and line.owed_cents > 0 for line in report.lines)
    assert [line.entry_date for line in report.lines] == sorted(
        line.entry_date for line in report.lines
    )
    assert report.total_owed_cents == sum(line.owed_cents for line in report.lines)
    assert report.total_amount_cents == sum(line.amount_cents for line in report.lines)
    assert statement(api, auth, places["Lakeview"]).lines == []


def test_a_charge_dated_after_today_is_not_on_todays_statement(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    place = location_ids(api, auth)["Lakeview"]
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        family = family_access(db)
        write(db, family.id, EntryKind.CHARGE, TODAY, place, 700)
        write(db, family.id, EntryKind.CHARGE, TODAY + timedelta(days=1), place, 900)
    engine.dispose()
    report = statement(api, auth, place)
    assert [(line.amount_cents, line.owed_cents) for line in report.lines] == [(700, 700)]


def test_a_partly_paid_charge_shows_what_it_still_owes(
    api: TestClient, auth: dict[str, str]
) -> None:
    place = location_ids(api, auth)["Northside"]
    before = statement(api, auth, place)
    oldest = before.lines[0]
    method = get(api, auth, "/payments/options").json()["methods"][0]["id"]
    headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    paid = api.post(
        f"/api/v1{family_path(api, auth)}/payments",
        headers=headers,
        params={"location_id": place},
        json={"amount_cents": 1000, "method_id": method},
    )
    assert paid.status_code == 200, paid.text
    after = statement(api, auth, place)
    assert after.lines[0].entry_id == oldest.entry_id
    assert after.lines[0].owed_cents == oldest.owed_cents - 1000
    assert after.lines[0].amount_cents == oldest.amount_cents
    assert after.total_owed_cents == before.total_owed_cents - 1000


def test_statements_off_are_refused_and_not_offered(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    assert capabilities(api, auth).statements
    set_settings(db_url, statements="false")
    assert not capabilities(api, auth).statements
    response = get(api, auth, "/statement", location_id=location_ids(api, auth)["Northside"])
    assert response.status_code == 403
    assert "Statements" in response.json()["error"]["message"]


def test_the_secondary_guardian_reads_the_reports_too(api: TestClient) -> None:
    auth = {"Authorization": f"Bearer {login(api, DEMO_SECONDARY_EMAIL)}"}
    place = location_ids(api, auth)["Northside"]
    assert statement(api, auth, place).lines
    assert ledger(api, auth, location_id=place).lines


# Generate Ledger for This Location


def test_without_full_history_the_ledger_is_exactly_the_last_30_days(
    api: TestClient, auth: dict[str, str]
) -> None:
    place = location_ids(api, auth)["Northside"]
    caps = capabilities(api, auth)
    assert caps.ledgers and not caps.full_ledger_history
    report = ledger(api, auth, location_id=place)
    assert (report.start, report.end) == (TODAY - timedelta(days=29), TODAY)
    assert not report.full_history
    assert report.lines
    assert all(report.start <= line.entry_date <= report.end for line in report.lines)
    assert {line.location_name for line in report.lines} == {"Northside"}


@pytest.mark.parametrize(
    "params",
    [{"start": "2025-01-01"}, {"end": "2026-03-02"}, {"start": "2026-02-01", "end": "2026-03-02"}],
)
def test_without_full_history_a_request_naming_dates_is_refused(
    api: TestClient, auth: dict[str, str], params: dict[str, str]
) -> None:
    response = get(api, auth, "/ledger-report", **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert "last 30 days" in error["message"]
    assert set(error["fields"]) == set(params)


def test_with_full_history_the_ledger_covers_the_dates_asked(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, full_ledger_history="true")
    assert capabilities(api, auth).full_ledger_history
    place = location_ids(api, auth)["Northside"]
    report = ledger(api, auth, location_id=place, start="2025-06-01", end="2025-12-31")
    assert (report.start, report.end, report.full_history) == (
        date(2025, 6, 1),
        date(2025, 12, 31),
        True,
    )
    assert report.lines
    assert all(report.start <= line.entry_date <= report.end for line in report.lines)
    running = report.opening_balance_cents
    for line in report.lines:
        running += line.kind.sign * line.amount_cents
        assert line.balance_cents == running
    assert report.closing_balance_cents == running
    # the opening balance is the one at the end of the day before
    before = ledger(api, auth, location_id=place, start="2020-01-01", end="2025-05-31")
    assert report.opening_balance_cents == before.closing_balance_cents
    # no dates: the last 30 days
    default = ledger(api, auth, location_id=place)
    assert (default.start, default.end) == (TODAY - timedelta(days=29), TODAY)


def test_with_full_history_the_start_must_not_follow_the_end(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, full_ledger_history="true")
    response = get(api, auth, "/ledger-report", start="2026-03-02", end="2026-03-01")
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"end": "must be on or after the start date"}
    one_day = ledger(api, auth, start="2026-03-01", end="2026-03-01")
    assert all(line.entry_date == date(2026, 3, 1) for line in one_day.lines)
    half = get(api, auth, "/ledger-report", start="2026-01-01")
    assert half.status_code == 422
    assert half.json()["error"]["fields"] == {"end": "required"}


def test_ledgers_off_are_refused_and_not_offered(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, ledgers="false", full_ledger_history="true")
    caps = capabilities(api, auth)
    assert not caps.ledgers and not caps.full_ledger_history
    response = get(api, auth, "/ledger-report")
    assert response.status_code == 403
    assert "Ledger" in response.json()["error"]["message"]


def test_the_ledger_of_every_location_keeps_the_familys_balance(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, full_ledger_history="true")
    report = ledger(api, auth, start="2000-01-01", end="2026-12-31")
    assert report.heading.location_id is None and report.heading.location_name is None
    assert report.opening_balance_cents == 0
    account = get(api, auth, "/account").json()
    assert report.closing_balance_cents == account["balance_cents"]
    assert len({line.location_name for line in report.lines}) > 1


# Payment Statement


def test_the_payment_statement_lists_every_payment_of_the_period(
    api: TestClient, auth: dict[str, str]
) -> None:
    response = get(api, auth, "/payment-statement", start="2025-01-01", end="2025-12-31")
    assert response.status_code == 200, response.text
    report = PaymentStatement.model_validate(response.json())
    assert (report.start, report.end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert report.heading.location_id is None
    assert report.lines
    assert all(date(2025, 1, 1) <= line.paid_on <= date(2025, 12, 31) for line in report.lines)
    assert report.total_cents == sum(line.amount_cents for line in report.lines)
    first = report.lines[0]
    assert first.method_last4 == "4242" and first.method_brand == "Visa"
    assert first.student_names and first.location_name
    assert "4242424242424242" not in response.text


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"start": "2025-12-31", "end": "2025-01-01"}, {"end"}),
        ({"start": "2025-01-01"}, {"end"}),
        ({}, {"start", "end"}),
    ],
)
def test_the_payment_statement_needs_a_period_that_does_not_run_backwards(
    api: TestClient, auth: dict[str, str], params: dict[str, str], fields: set[str]
) -> None:
    response = get(api, auth, "/payment-statement", **params)
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == fields


def test_a_report_too_long_to_show_is_refused_not_cut(
    api: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statements_service, "MAX_LINES", 2)
    response = get(api, auth, "/payment-statement", start="2025-01-01", end="2025-12-31")
    assert response.status_code == 422
    assert "more than 2 rows: choose a shorter period" in response.json()["error"]["message"]
    assert response.json()["error"]["fields"] == {"start": "choose a later start"}
    place = location_ids(api, auth)["Northside"]
    response = get(api, auth, "/statement", location_id=place)
    assert response.status_code == 422
    assert "more than 2 rows: ask the business" in response.json()["error"]["message"]
    response = get(api, auth, "/ledger-report", location_id=place)
    assert response.status_code == 422  # the last 30 days: no period to shorten
    assert "more than 2 rows: ask the business" in response.json()["error"]["message"]


def test_a_chosen_ledger_period_too_long_asks_for_a_shorter_one(
    db_url: str, api: TestClient, auth: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statements_service, "MAX_LINES", 2)
    set_settings(db_url, full_ledger_history="true")
    place = location_ids(api, auth)["Northside"]
    response = get(
        api, auth, "/ledger-report", location_id=place, start="2025-01-01", end="2025-12-31"
    )
    assert response.status_code == 422
    assert "more than 2 rows: choose a shorter period" in response.json()["error"]["message"]
    assert response.json()["error"]["fields"] == {"start": "choose a later start"}


# Property tests: the totals are the account's own figures


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    writes=random_writes.operations(days=st.integers(-5, 400)),
    days=st.tuples(st.integers(0, 500), st.integers(0, 500)),
)
def test_the_reports_totals_are_the_accounts_own(
    db_url: str, writes: list[Any], days: tuple[int, int]
) -> None:
    """After random payments, charges (some dated after today), credits, refunds and Apply
    Credit: each location's statement total is its open charges as of today, recomputed from
    the allocations; the payment statement's total is the payments of its period."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db)
        locations = random_writes.two_locations(db)
        random_writes.run(db, family, writes)
        today = clock.today()
        db.flush()
        open_charges = allocation.open_charges(db, family.id)
        for place in locations:
            report = statements_service.statement(family, place)
            expected = [
                (c.id, due)
                for c, due in open_charges
                if c.location_id == place and c.entry_date <= today
            ]
            assert [(line.entry_id, line.owed_cents) for line in report.lines] == expected
            assert report.total_owed_cents == sum(due for _id, due in expected)
            kept = statements_service.ledger_report(family, place, None, None)
            running = kept.opening_balance_cents
            for line in kept.lines:  # the kept balances run from the opening one
                running += line.kind.sign * line.amount_cents
                assert line.balance_cents == running
        whole = statements_service.statement(family, None)
        assert whole.total_owed_cents == sum(
            due for c, due in open_charges if c.entry_date <= today
        )
        start, end = sorted(today - timedelta(days=d) for d in days)
        paid = db.scalars(
            select(tables.LedgerEntry.amount_cents).where(
                tables.LedgerEntry.family_id == family.id,
                tables.LedgerEntry.kind == EntryKind.PAYMENT.value,
                tables.LedgerEntry.entry_date >= start,
                tables.LedgerEntry.entry_date <= end,
            )
        ).all()
        report = statements_service.payment_statement(family, start, end)
        assert report.total_cents == sum(paid)
        assert len(report.lines) == len(paid)
        db.rollback()
    engine.dispose()
