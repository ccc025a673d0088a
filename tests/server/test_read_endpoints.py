"""The read endpoints the five tabs show first, and that a family only sees its own."""

from __future__ import annotations

import base64
import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal_tui.wire import API_VERSION
from portal_tui.wire.account import AccountSummary, GuardiansOut
from portal_tui.wire.common import Meta, Page
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.ledger import EntryKind, LedgerRow
from portal_tui.wire.settings import BusinessOut, LocationOut
from tests.server.conftest import family_path, login

FAMILY_PATHS = ("/account", "/students", "/guardians", "/ledger")


def get(api: TestClient, auth: dict[str, str], path: str, **params: Any) -> Any:
    """GET `path`; a family's path goes under the caller's own family."""
    if path in FAMILY_PATHS:
        path = family_path(api, auth) + path
    response = api.get(f"/api/v1{path}", headers=auth, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_meta_needs_no_session(api: TestClient) -> None:
    meta = Meta.model_validate(api.get("/api/v1/meta").json())
    assert meta.api_version == API_VERSION
    assert meta.business_name


def test_openapi_is_served(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert "/api/v1/families/{family_id}/ledger" in paths


def test_settings_and_locations(api: TestClient, auth: dict[str, str]) -> None:
    business = BusinessOut.model_validate(get(api, auth, "/settings"))
    assert business.currency == "USD"
    locations = [LocationOut.model_validate(x) for x in get(api, auth, "/locations")]
    assert len(locations) >= 2


def test_account_summary_adds_up(api: TestClient, auth: dict[str, str]) -> None:
    summary = AccountSummary.model_validate(get(api, auth, "/account"))
    assert summary.family_name == "Rivera Family"
    assert len(summary.guardians) == 2 and summary.guardians[0].is_primary
    assert summary.outstanding_cents > 0
    assert summary.credit_cents is not None and summary.credit_cents > 0
    assert summary.balance_cents == summary.outstanding_cents - summary.credit_cents
    assert summary.last_payment is not None


def test_students_with_current_waitlist_and_past_enrollments(
    api: TestClient, auth: dict[str, str]
) -> None:
    students = get(api, auth, "/students")
    assert len(students) == 3
    kinds = {e["kind"] for s in students for e in s["enrollments"]}
    assert {"regular", "waitlist", "makeup"} <= kinds
    statuses = {e["status"] for s in students for e in s["enrollments"]}
    assert {"current", "past"} <= statuses


def test_guardians_with_contacts_and_unassigned(api: TestClient, auth: dict[str, str]) -> None:
    data = GuardiansOut.model_validate(get(api, auth, "/guardians"))
    assert [g.is_primary for g in data.guardians] == [True, False]
    primary = data.guardians[0].contacts
    assert primary is not None and any(e.is_login for e in primary.emails)
    assert any(e.opted_out for e in primary.emails)
    assert any(p.opted_out for p in primary.phones)
    assert data.unassigned.emails and data.unassigned.phones


def test_an_accepted_secondarys_contacts_are_theirs_alone(
    api: TestClient, auth: dict[str, str]
) -> None:
    as_primary = GuardiansOut.model_validate(get(api, auth, "/guardians"))
    assert as_primary.guardians[1].contacts is None
    secondary = {"Authorization": f"Bearer {login(api, DEMO_SECONDARY_EMAIL)}"}
    as_secondary = GuardiansOut.model_validate(get(api, secondary, "/guardians"))
    own = as_secondary.guardians[1].contacts
    assert own is not None and own.emails
    assert as_secondary.guardians[0].contacts is not None


def all_pages(api: TestClient, auth: dict[str, str], **params: Any) -> list[LedgerRow]:
    rows: list[LedgerRow] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = Page[LedgerRow].model_validate(get(api, auth, "/ledger", **query))
        rows += page.items
        if page.next_cursor is None:
            return rows
        cursor = page.next_cursor


def test_ledger_pages_skip_and_repeat_nothing(api: TestClient, auth: dict[str, str]) -> None:
    whole = all_pages(api, auth, limit=500)
    paged = all_pages(api, auth, limit=7)
    assert [r.id for r in paged] == [r.id for r in whole]
    assert len({r.id for r in paged}) == len(paged) > 50
    keys = [(r.entry_date, r.id) for r in paged]
    assert keys == sorted(keys, reverse=True)


def test_running_balance_follows_the_entries(api: TestClient, auth: dict[str, str]) -> None:
    rows = all_pages(api, auth, limit=13)
    summary = AccountSummary.model_validate(get(api, auth, "/account"))
    assert rows[0].balance_cents == summary.balance_cents
    for newer, older in itertools.pairwise(rows):
        assert newer.balance_cents == older.balance_cents + newer.kind.sign * newer.amount_cents
    assert rows[-1].balance_cents == rows[-1].kind.sign * rows[-1].amount_cents


def test_a_refund_names_the_payment_it_refunds(api: TestClient, auth: dict[str, str]) -> None:
    rows = {r.id: r for r in all_pages(api, auth, limit=500)}
    refunds = [r for r in rows.values() if r.kind is EntryKind.REFUND]
    assert refunds, "the demo has no refund"
    for refund in refunds:
        assert refund.refund_of_id is not None
        assert rows[refund.refund_of_id].kind is EntryKind.PAYMENT
    assert all(r.refund_of_id is None for r in rows.values() if r.kind is not EntryKind.REFUND)


@pytest.mark.parametrize("kind", list(EntryKind))
def test_kind_filter_keeps_the_whole_ledgers_balance(
    api: TestClient, auth: dict[str, str], kind: EntryKind
) -> None:
    whole = {r.id: r.balance_cents for r in all_pages(api, auth, limit=500)}
    filtered = all_pages(api, auth, kind=kind.value, limit=5)
    assert filtered, f"the demo has no {kind.value}"
    assert all(r.kind is kind for r in filtered)
    assert all(r.balance_cents == whole[r.id] for r in filtered)


def test_location_filter(api: TestClient, auth: dict[str, str]) -> None:
    locations = get(api, auth, "/locations")
    counts = []
    for location in locations:
        rows = all_pages(api, auth, location_id=location["id"], limit=50)
        assert all(r.location_id == location["id"] for r in rows)
        counts.append(len(rows))
    assert sum(counts) == len(all_pages(api, auth, limit=500))
    assert sum(1 for c in counts if c) >= 2


@pytest.mark.parametrize(
    "params",
    [
        {"location_id": 999999},
        {"location_id": 2**70},
        {"cursor": "!!not-a-cursor"},
        {"cursor": base64.urlsafe_b64encode(b"2026-01-01:99999999999999999999").decode()},
        {"kind": "bogus"},
        {"limit": 0},
    ],
)
def test_bad_ledger_queries_are_422(
    api: TestClient, auth: dict[str, str], params: dict[str, Any]
) -> None:
    response = api.get(f"/api/v1{family_path(api, auth)}/ledger", headers=auth, params=params)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]


def test_another_family_sees_only_its_own(api: TestClient, auth: dict[str, str]) -> None:
    mine = {r.id for r in all_pages(api, auth, limit=500)}
    other = {"Authorization": f"Bearer {login(api, OTHER_FAMILY_EMAIL)}"}
    theirs = {r.id for r in all_pages(api, other, limit=500)}
    assert theirs and not (mine & theirs)
    assert get(api, other, "/account")["family_name"] != "Rivera Family"
    my_students = {s["id"] for s in get(api, auth, "/students")}
    assert not my_students & {s["id"] for s in get(api, other, "/students")}


def test_oversize_and_malformed_requests_are_4xx_json(api: TestClient) -> None:
    big = api.post(
        "/api/v1/auth/login",
        content=b"{" + b" " * 100_000 + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert big.status_code == 413
    assert big.json()["error"]["code"] == "too_large"
    bad = api.post(
        "/api/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 422
    assert list(bad.json()["error"]["fields"]) == ["request"]
    assert api.get("/api/v1/nowhere").status_code == 404


@pytest.mark.parametrize("value", [True, False])
def test_settings_follow_the_operator(
    api: TestClient, auth: dict[str, str], db_url: str, value: bool
) -> None:
    from tests.servers import set_settings

    set_settings(db_url, credit=str(value).lower(), payment_gateway="demo" if value else "none")
    business = BusinessOut.model_validate(get(api, auth, "/settings"))
    assert business.settings.credit is value
    assert (business.settings.payment_gateway.value == "demo") is value
    summary = AccountSummary.model_validate(get(api, auth, "/account"))
    assert (summary.credit_cents is not None) is value  # no credit figure where it is off


def test_a_chunked_oversize_body_is_413(api: TestClient) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b" " * 8192

    response = api.post(
        "/api/v1/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("name", "value"),
    [("currency", "dollars"), ("time_zone", "Mars/Olympus"), ("currency_symbol", "CHF12")],
)
def test_a_bad_business_setting_is_refused(db_url: str, name: str, value: str) -> None:
    from portal_tui.server.errors import Invalid
    from tests.servers import set_settings

    with pytest.raises(Invalid):
        set_settings(db_url, **{name: value})
