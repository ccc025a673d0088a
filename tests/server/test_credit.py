"""Apply Credit: a preview of what the credit pays, oldest charge first, then exactly that."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from portal_tui.server import tables
from portal_tui.server.services.ledger_places import add_entry
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import CreditPlan
from tests.server.conftest import family_path
from tests.server.test_contacts import audit_rows
from tests.server.test_passes import change
from tests.server.test_payments import account, get, location_ids
from tests.servers import set_settings


def test_apply_credit_pays_what_the_preview_showed_oldest_first(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = account(api, auth)
    assert before.credit_cents == 3500
    preview = CreditPlan.model_validate(get(api, auth, "/credit/preview").json())
    assert preview.credit_cents == preview.total_cents == 3500
    assert [line.description for line in preview.lines] == ["Tuition – Swim Level 1 (Feb 2026)"]
    path = f"/api/v1{family_path(api, auth)}/credit/apply"
    response = api.post(path, headers=auth, json={"total_cents": preview.total_cents})
    assert response.status_code == 200, response.text
    assert CreditPlan.model_validate(response.json()).lines == preview.lines
    after = account(api, auth)
    assert after.outstanding_cents == before.outstanding_cents - 3500
    assert after.balance_cents == before.balance_cents and after.credit_cents == 0
    assert any(r.action == "credit.apply" for r in audit_rows(db_url))
    again = api.post(path, headers=auth, json={"total_cents": 3500})
    assert again.status_code == 422  # nothing left to apply


def test_apply_credit_after_the_credit_changed_is_a_conflict_with_the_new_preview(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    path = f"/api/v1{family_path(api, auth)}/credit/apply"
    response = api.post(path, headers=auth, json={"total_cents": 1000})
    assert response.status_code == 409
    assert response.json()["current"]["total_cents"] == 3500
    assert account(api, auth).credit_cents == 3500
    for wrong in (True, 35.0, "3500"):
        assert api.post(path, headers=auth, json={"total_cents": wrong}).status_code == 422


def test_credit_off_hides_apply_credit(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    set_settings(db_url, credit="false")
    assert not get(api, auth, "").json()["capabilities"]["apply_credit"]
    assert get(api, auth, "/credit/preview").status_code == 403
    path = f"/api/v1{family_path(api, auth)}/credit/apply"
    assert api.post(path, headers=auth, json={"total_cents": 3500}).status_code == 403


def test_credit_pays_only_the_charges_of_its_own_location(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ids = location_ids(api, auth)

    def credit_downtown(db: Any) -> None:
        add_entry(
            db,
            tables.LedgerEntry(
                family_id=1,
                kind=EntryKind.CREDIT,
                entry_date=date(2025, 1, 1),
                location_id=ids["Downtown"],
                amount_cents=2000,
                description="Goodwill credit",
            ),
        )

    change(db_url, credit_downtown)
    preview = CreditPlan.model_validate(get(api, auth, "/credit/preview").json())
    assert preview.total_cents == 5500

    def paid_at(db: Any) -> dict[int, int]:
        paid: dict[int, int] = {}
        for line in preview.lines:
            where = db.get(tables.LedgerEntry, line.charge_id).location_id
            paid[where] = paid.get(where, 0) + line.amount_cents
        return paid

    assert change(db_url, paid_at) == {ids["Downtown"]: 2000, ids["Northside"]: 3500}
