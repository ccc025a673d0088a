"""Stored payment methods through the write path: whose they are, the limit, one default,
recurring authorization and its record, what may be deleted, card checks, and the primary's
grant of a secondary's permission to pay."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal_tui.server import tables
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_SECONDARY_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.family import FamilyOut
from portal_tui.wire.payment_methods import RECURRING_TEXT_VERSION, PaymentMethodOut
from tests.server.conftest import family_path, login
from tests.servers import database, set_settings

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2029, "cvc": "123"}
BANK = {"routing_number": "011000015", "account_number": "000123456789"}


def bearer(api: TestClient, email: str = DEMO_EMAIL) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(api, email)}"}


def send(api: TestClient, auth: dict[str, str], method: str, path: str, **kwargs: Any) -> Any:
    return api.request(method, f"/api/v1{family_path(api, auth)}{path}", headers=auth, **kwargs)


def methods(api: TestClient, auth: dict[str, str]) -> list[PaymentMethodOut]:
    response = send(api, auth, "GET", "/payment-methods")
    assert response.status_code == 200, response.text
    return [PaymentMethodOut.model_validate(m) for m in response.json()]


def add(api: TestClient, auth: dict[str, str], **body: Any) -> Any:
    return send(api, auth, "POST", "/payment-methods", json=body)


def update(api: TestClient, auth: dict[str, str], method: PaymentMethodOut, **change: Any) -> Any:
    body = {
        "is_default": method.is_default,
        "recurring_authorized": method.recurring_authorized,
        "version": method.version,
        **change,
    }
    return send(api, auth, "PUT", f"/payment-methods/{method.id}", json=body)


def delete(api: TestClient, auth: dict[str, str], method: PaymentMethodOut) -> Any:
    return send(
        api, auth, "DELETE", f"/payment-methods/{method.id}", params={"version": method.version}
    )


def by_last4(api: TestClient, auth: dict[str, str], last4: str) -> PaymentMethodOut:
    return next(m for m in methods(api, auth) if m.last4 == last4)


def authorizations(db_url: str) -> list[tuple[int, int, int, bool]]:
    with database(db_url) as db:
        rows = db.scalars(select(tables.RecurringAuthorization).order_by("id"))
        return [(r.user_id, r.payment_method_id, r.text_version, r.granted) for r in rows]


def audit_actions(db_url: str) -> list[str]:
    with database(db_url) as db:
        return list(db.scalars(select(tables.AuditEntry.action).order_by(tables.AuditEntry.id)))


def capabilities(api: TestClient, auth: dict[str, str]) -> Any:
    response = api.get(f"/api/v1{family_path(api, auth)}", headers=auth)
    return FamilyOut.model_validate(response.json()).capabilities


def test_each_guardian_sees_and_changes_only_their_own(api: TestClient) -> None:
    jordan, sam = bearer(api), bearer(api, DEMO_SECONDARY_EMAIL)
    assert [m.last4 for m in methods(api, jordan)] == ["4242", "6789"]
    sams = methods(api, sam)
    assert [m.last4 for m in sams] == ["4444"]
    assert update(api, jordan, sams[0], is_default=True).status_code == 404
    assert delete(api, jordan, sams[0]).status_code == 404
    other = bearer(api, OTHER_FAMILY_EMAIL)
    foreign = api.get(f"/api/v1{family_path(api, jordan)}/payment-methods", headers=other)
    assert foreign.status_code == 404


def test_a_card_is_tokenized_and_only_its_last_four_kept(api: TestClient, db_url: str) -> None:
    auth = bearer(api)
    added = add(api, auth, card={**CARD, "number": "5555555555554444"})
    assert added.status_code == 201, added.text
    out = PaymentMethodOut.model_validate(added.json())
    assert (out.kind, out.brand, out.last4, out.exp_month, out.exp_year) == (
        "card",
        "Mastercard",
        "4444",
        12,
        2029,
    )
    assert not out.is_default and not out.recurring_authorized
    assert audit_actions(db_url)[-1] == "payment_method.add"
    with database(db_url) as db:
        row = db.get(tables.PaymentMethod, out.id)
        assert row is not None and row.gateway_token.startswith("tok-ok-")
        stored = {c.name: str(getattr(row, c.name)) for c in tables.PaymentMethod.__table__.c}
        audits = repr([(a.records, a.detail) for a in db.scalars(select(tables.AuditEntry))])
    assert not any("5555555555554444" in value for value in stored.values())
    assert "5555555555554444" not in audits
    # The CVC's three digits may turn up by chance in the random token, the id or the time.
    kept_text = [stored[name] for name in ("brand", "last4", "kind")]
    assert not any("123" in value for value in kept_text) and "123" not in audits


@pytest.mark.parametrize(
    ("card", "field"),
    [
        ({**CARD, "number": "4242424242424241"}, "card.number"),
        ({**CARD, "cvc": "12"}, "card.cvc"),
        ({**CARD, "exp_month": 13}, "card.exp_month"),
        ({**CARD, "exp_month": 2, "exp_year": 2026}, "card.exp_year"),
    ],
)
def test_a_bad_or_expired_card_is_refused_without_echoing_it(
    api: TestClient, card: dict[str, Any], field: str
) -> None:
    """Today is 2026-03-02: a card good through February 2026 has expired."""
    auth = bearer(api)
    response = add(api, auth, card=card)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert card["number"] not in response.text
    assert len(methods(api, auth)) == 2


def test_bank_accounts_only_with_echecks(api: TestClient, db_url: str) -> None:
    auth = bearer(api)
    assert capabilities(api, auth).bank_accounts
    bad = add(api, auth, bank={**BANK, "routing_number": "011000016"})
    assert bad.status_code == 422 and "bank.routing_number" in bad.json()["error"]["fields"]
    added = add(api, auth, bank=BANK)
    assert added.status_code == 201, added.text
    assert (added.json()["kind"], added.json()["last4"]) == ("bank", "6789")
    delete(api, auth, PaymentMethodOut.model_validate(added.json()))
    set_settings(db_url, echecks="false")
    assert not capabilities(api, auth).bank_accounts
    assert add(api, auth, bank=BANK).status_code == 403
    assert add(api, auth, card=CARD, bank=BANK).status_code == 422


def test_at_most_the_settings_number_per_guardian(api: TestClient, db_url: str) -> None:
    auth, sam = bearer(api), bearer(api, DEMO_SECONDARY_EMAIL)
    assert add(api, auth, card=CARD).status_code == 201
    fourth = add(api, auth, card=CARD)
    assert fourth.status_code == 409
    assert "at most 3" in fourth.json()["error"]["message"]
    assert add(api, sam, card=CARD).status_code == 201  # the limit is each guardian's
    set_settings(db_url, max_payment_methods="2")
    assert add(api, sam, card=CARD).status_code == 409


def test_one_default_and_the_first_method_is_it(api: TestClient) -> None:
    jordan, sam = bearer(api), bearer(api, DEMO_SECONDARY_EMAIL)
    made = add(api, jordan, card=CARD, is_default=True)
    assert made.json()["is_default"]
    assert [m.is_default for m in methods(api, jordan)] == [False, False, True]
    visa = by_last4(api, jordan, "4242")
    assert visa.version > 1  # clearing the default changed it
    made_default = update(api, jordan, by_last4(api, jordan, "6789"), is_default=True)
    assert made_default.status_code == 200
    assert [m.is_default for m in methods(api, jordan)] == [False, True, False]
    refused = update(api, jordan, by_last4(api, jordan, "6789"), is_default=False)
    assert refused.status_code == 422 and "is_default" in refused.json()["error"]["fields"]
    (mastercard,) = methods(api, sam)
    assert delete(api, sam, mastercard).status_code == 204
    first = add(api, sam, card=CARD, is_default=False)
    assert first.json()["is_default"]


def test_recurring_authorization_is_recorded_on_and_off(api: TestClient, db_url: str) -> None:
    auth = bearer(api)
    checking = by_last4(api, auth, "6789")
    unread = update(api, auth, checking, recurring_authorized=True)
    assert unread.status_code == 422 and "text_version" in unread.json()["error"]["fields"]
    before = authorizations(db_url)
    on = update(api, auth, checking, recurring_authorized=True, text_version=RECURRING_TEXT_VERSION)
    assert on.status_code == 200 and on.json()["recurring_authorized"]
    off = update(api, auth, PaymentMethodOut.model_validate(on.json()), recurring_authorized=False)
    assert off.status_code == 200 and not off.json()["recurring_authorized"]
    with database(db_url) as db:
        user_id = db.scalars(select(tables.User.id).where(tables.User.email == DEMO_EMAIL)).one()
    assert authorizations(db_url)[len(before) :] == [
        (user_id, checking.id, RECURRING_TEXT_VERSION, True),
        (user_id, checking.id, RECURRING_TEXT_VERSION, False),
    ]
    assert audit_actions(db_url)[-2:] == ["payment_method.update", "payment_method.update"]
    set_settings(db_url, allow_recurring_authorization="false")
    checking = by_last4(api, auth, "6789")
    again = update(
        api, auth, checking, recurring_authorized=True, text_version=RECURRING_TEXT_VERSION
    )
    assert again.status_code == 403


def test_the_method_recurring_billing_uses_is_kept_until_another_is_default(
    api: TestClient, db_url: str
) -> None:
    auth = bearer(api)
    visa = by_last4(api, auth, "4242")
    assert visa.is_default and visa.recurring_authorized
    refused = delete(api, auth, visa)
    assert refused.status_code == 409
    assert "default" in refused.json()["error"]["message"]
    update(api, auth, by_last4(api, auth, "6789"), is_default=True)
    gone = delete(api, auth, by_last4(api, auth, "4242"))
    assert gone.status_code == 204, gone.text
    assert [m.last4 for m in methods(api, auth)] == ["6789"]
    with database(db_url) as db:
        row = db.get(tables.PaymentMethod, visa.id)
        assert row is not None and row.removed  # ledger entries name it: kept, marked removed
    assert authorizations(db_url)[-1][1:] == (visa.id, RECURRING_TEXT_VERSION, False)
    assert audit_actions(db_url)[-1] == "payment_method.delete"


def test_an_unused_method_is_deleted_and_the_default_passes_on(
    api: TestClient, db_url: str
) -> None:
    sam = bearer(api, DEMO_SECONDARY_EMAIL)
    second = PaymentMethodOut.model_validate(add(api, sam, card=CARD).json())
    (mastercard, _) = methods(api, sam)
    assert delete(api, sam, mastercard).status_code == 204
    assert methods(api, sam) == [second.model_copy(update={"is_default": True, "version": 2})]
    with database(db_url) as db:
        assert db.get(tables.PaymentMethod, mastercard.id) is None


def test_a_stale_version_gets_the_current_method(api: TestClient) -> None:
    auth = bearer(api)
    checking = by_last4(api, auth, "6789")
    assert update(api, auth, checking, is_default=True).status_code == 200
    stale = update(api, auth, checking, is_default=True)
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == checking.version + 1
    assert delete(api, auth, checking).status_code == 409


def test_requiring_a_recurring_method_takes_away_delete_and_the_toggle(
    api: TestClient, db_url: str
) -> None:
    set_settings(db_url, require_recurring_payment_method="true")
    auth = bearer(api)
    caps = capabilities(api, auth)
    assert caps.recurring_required
    assert not caps.delete_payment_methods and not caps.recurring_authorization
    checking = by_last4(api, auth, "6789")
    assert delete(api, auth, checking).status_code == 403
    toggled = update(
        api, auth, checking, recurring_authorized=True, text_version=RECURRING_TEXT_VERSION
    )
    assert toggled.status_code == 403
    visa = by_last4(api, auth, "4242")
    assert update(api, auth, visa, recurring_authorized=False).status_code == 403
    assert update(api, auth, checking, is_default=True).status_code == 200
    assert add(api, auth, card=CARD).status_code == 403
    added = add(
        api, auth, card=CARD, recurring_authorized=True, text_version=RECURRING_TEXT_VERSION
    )
    assert added.status_code == 201 and added.json()["recurring_authorized"]


def test_deleting_can_be_turned_off(api: TestClient, db_url: str) -> None:
    set_settings(db_url, allow_delete_payment_methods="false")
    auth = bearer(api)
    assert not capabilities(api, auth).delete_payment_methods
    assert delete(api, auth, by_last4(api, auth, "6789")).status_code == 403


def test_without_a_gateway_there_are_no_payment_methods(api: TestClient, db_url: str) -> None:
    set_settings(db_url, payment_gateway="none")
    auth = bearer(api)
    caps = capabilities(api, auth)
    assert not any(
        getattr(caps, name)
        for name in (
            "save_payment_methods",
            "delete_payment_methods",
            "recurring_authorization",
            "bank_accounts",
            "grant_payment_permission",
        )
    )
    assert send(api, auth, "GET", "/payment-methods").status_code == 403
    assert add(api, auth, card=CARD).status_code == 403
    sam = send(api, auth, "GET", "/guardians").json()["guardians"][1]
    assert sam["actions"] == ["reset_password", "revoke"]  # nothing about paying


def test_a_secondary_who_signs_in_saves_their_own(api: TestClient) -> None:
    sam = bearer(api, DEMO_SECONDARY_EMAIL)
    caps = capabilities(api, sam)
    assert caps.save_payment_methods and not caps.grant_payment_permission
    added = add(api, sam, bank=BANK)
    assert added.status_code == 201, added.text
    assert [m.last4 for m in methods(api, sam)] == ["4444", "6789"]
    assert [m.last4 for m in methods(api, bearer(api))] == ["4242", "6789"]


def permission(api: TestClient, auth: dict[str, str], guardian_id: int, **body: Any) -> Any:
    return send(api, auth, "PUT", f"/guardians/{guardian_id}/payment-permission", json=body)


def test_the_primary_grants_and_withdraws_a_secondarys_permission_to_pay(
    api: TestClient, db_url: str
) -> None:
    jordan, sam = bearer(api), bearer(api, DEMO_SECONDARY_EMAIL)
    listed = send(api, jordan, "GET", "/guardians").json()["guardians"]
    primary, secondary = listed[0], listed[1]
    assert not secondary["can_make_payments"] and "allow_payments" in secondary["actions"]
    granted = permission(
        api, jordan, secondary["id"], can_make_payments=True, version=secondary["version"]
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["can_make_payments"] and granted.json()["contacts"] is None
    assert "withdraw_payments" in granted.json()["actions"]
    assert audit_actions(db_url)[-1] == "guardian.payment_permission"
    stale = permission(
        api, jordan, secondary["id"], can_make_payments=False, version=secondary["version"]
    )
    assert stale.status_code == 409 and stale.json()["current"]["can_make_payments"]
    withdrawn = permission(
        api, jordan, secondary["id"], can_make_payments=False, version=granted.json()["version"]
    )
    assert withdrawn.status_code == 200 and not withdrawn.json()["can_make_payments"]
    own = permission(api, jordan, primary["id"], can_make_payments=True, version=1)
    assert own.status_code == 422
    by_secondary = permission(
        api, sam, secondary["id"], can_make_payments=True, version=withdrawn.json()["version"]
    )
    assert by_secondary.status_code == 403
    with database(db_url) as db:
        stranger = db.scalars(
            select(tables.Guardian.id).where(
                tables.Guardian.id.not_in([primary["id"], secondary["id"]])
            )
        ).first()
    assert permission(api, jordan, stranger, can_make_payments=True, version=1).status_code == 404


def test_a_debit_card_is_stored_as_one(api: TestClient) -> None:
    auth = bearer(api)
    debit = add(api, auth, card={**CARD, "funding": "debit"})
    assert debit.status_code == 201, debit.text
    visa, _, new = methods(api, auth)
    assert visa.kind == "card"  # a card saved without a funding is a credit card
    assert (new.id, new.kind, new.exp_month, new.exp_year) == (
        debit.json()["id"],
        "debit",
        12,
        2029,
    )
    delete(api, auth, new)
    assert add(api, auth, card={**CARD, "funding": "prepaid"}).status_code == 422


def test_the_database_keeps_one_default_per_guardian(api: TestClient, db_url: str) -> None:
    """Written directly, a second default is refused; a removed method is no default."""
    checking = by_last4(api, bearer(api), "6789")

    def make_default(removed: bool) -> None:
        with database(db_url) as db:
            row = db.get(tables.PaymentMethod, checking.id)
            assert row is not None
            row.is_default, row.removed = True, removed
            db.flush()

    with pytest.raises(IntegrityError):
        make_default(removed=False)
    make_default(removed=True)


def test_the_server_says_a_bad_cvc_or_account_number_as_the_form_does(api: TestClient) -> None:
    auth = bearer(api)
    cvc = add(api, auth, card={**CARD, "cvc": "1a3"}).json()["error"]["fields"]
    assert cvc == {"card.cvc": "The CVC is the 3 or 4 digits on the back of the card."}
    account = add(api, auth, bank={**BANK, "account_number": "12"}).json()["error"]["fields"]
    assert account == {"bank.account_number": "An account number is 4 to 17 digits."}


def test_an_update_that_changes_nothing_writes_nothing(api: TestClient, db_url: str) -> None:
    auth = bearer(api)
    visa = by_last4(api, auth, "4242")
    before = audit_actions(db_url)
    same = update(api, auth, visa)
    assert same.status_code == 200, same.text
    assert PaymentMethodOut.model_validate(same.json()) == visa
    assert by_last4(api, auth, "4242").version == visa.version
    assert audit_actions(db_url) == before
    assert update(api, auth, visa).status_code == 200  # the version it named is still current
