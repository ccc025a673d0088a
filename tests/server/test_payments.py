"""Make Payment and Apply Credit: amounts in integer cents, one charge per Idempotency-Key,
never more than is owed, a declined charge changes nothing, and no card number is kept."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.services.ledger_places import add_entry
from portal_tui.wire.account import AccountSummary
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL
from portal_tui.wire.payments import PaymentOptions, PaymentReceipt
from tests.server.conftest import family_path
from tests.server.test_contacts import audit_rows, bearer
from tests.server.test_passes import change
from tests.servers import set_settings

VISA = "4242424242424242"
DECLINED = "4000000000000002"
NO_FUNDS = "4000000000009995"
EXPIRED = "4000000000000069"
EXP_YEAR = date.today().year + 3
"""A card expiry year that stays in the future."""


def card(number: str = VISA, **changes: Any) -> dict[str, Any]:
    return {"number": number, "exp_month": 12, "exp_year": EXP_YEAR, "cvc": "123", **changes}


def pay(api: TestClient, auth: dict[str, str], body: dict[str, Any], key: str | None = None) -> Any:
    headers = {**auth, "Idempotency-Key": key or uuid.uuid4().hex}
    return api.post(f"/api/v1{family_path(api, auth)}/payments", headers=headers, json=body)


def get(api: TestClient, auth: dict[str, str], path: str) -> Any:
    return api.get(f"/api/v1{family_path(api, auth)}{path}", headers=auth)


def account(api: TestClient, auth: dict[str, str]) -> AccountSummary:
    return AccountSummary.model_validate(get(api, auth, "/account").json())


def options(
    api: TestClient, auth: dict[str, str], location_id: int | None = None
) -> PaymentOptions:
    where = f"?location_id={location_id}" if location_id else ""
    response = get(api, auth, f"/payments/options{where}")
    assert response.status_code == 200, response.text
    return PaymentOptions.model_validate(response.json())


def payments(db_url: str) -> list[tables.LedgerEntry]:
    return list(
        change(
            db_url,
            lambda db: db.scalars(
                select(tables.LedgerEntry)
                .where(tables.LedgerEntry.kind == "payment")
                .order_by(tables.LedgerEntry.id)
            ).all(),
        )
    )


def visa_id(api: TestClient, auth: dict[str, str]) -> int:
    return next(m.id for m in options(api, auth).methods if m.last4 == "4242")


# What may be paid, with what


def test_options_offer_the_balance_and_only_the_callers_own_stored_methods(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    found = options(api, auth)
    summary = account(api, auth)
    assert found.outstanding_cents == summary.outstanding_cents == 49000
    assert found.credit_cents == summary.credit_cents == 3500
    assert found.owed_cents == summary.balance_cents == 45500
    assert [(m.brand, m.last4, m.guardian_name) for m in found.methods] == [
        ("Visa", "4242", "Jordan Rivera"),
        ("Checking", "6789", "Jordan Rivera"),
    ]
    assert found.bank_accounts
    change(
        db_url,
        lambda db: db.get(tables.PaymentMethod, found.methods[0].id).__setattr__("removed", True),
    )
    assert [m.last4 for m in options(api, auth).methods] == ["6789"]


def sams_card(db_url: str) -> int:
    return int(
        change(
            db_url,
            lambda db: db.scalars(
                select(tables.PaymentMethod.id)
                .join(tables.Guardian)
                .where(tables.Guardian.first_name == "Sam")
            ).one(),
        )
    )


def test_only_the_callers_own_stored_methods_may_pay(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    response = pay(api, auth, {"amount_cents": 100, "method_id": sams_card(db_url)})
    assert response.status_code == 404
    assert payments(db_url)[-1].idempotency_key is None  # nothing was paid


def test_a_stored_bank_account_neither_offered_nor_accepted_while_echecks_are_off(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    checking = next(m.id for m in options(api, auth).methods if m.kind == "bank")
    set_settings(db_url, echecks="false")
    assert [m.kind for m in options(api, auth).methods] == ["card"]
    assert pay(api, auth, {"amount_cents": 100, "method_id": checking}).status_code == 404
    assert payments(db_url)[-1].idempotency_key is None


def test_a_removed_or_another_familys_method_cannot_pay(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    visa = visa_id(api, auth)
    change(db_url, lambda db: db.get(tables.PaymentMethod, visa).__setattr__("removed", True))
    assert pay(api, auth, {"amount_cents": 100, "method_id": visa}).status_code == 404
    other = change(
        db_url,
        lambda db: db.scalars(
            select(tables.PaymentMethod.id)
            .join(tables.Guardian)
            .where(tables.Guardian.family_id != 1)
        ).first(),
    )
    assert pay(api, auth, {"amount_cents": 100, "method_id": other}).status_code == 404
    assert payments(db_url)[-1].idempotency_key is None  # nothing was paid


# Paying


def test_a_payment_with_a_stored_method_pays_the_oldest_charges_first_and_shows_at_once(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = account(api, auth)
    response = pay(api, auth, {"amount_cents": 12345, "method_id": visa_id(api, auth)})
    assert response.status_code == 200, response.text
    receipt = PaymentReceipt.model_validate(response.json())
    assert (receipt.amount_cents, receipt.brand, receipt.last4) == (12345, "Visa", "4242")
    assert str(receipt.paid_on) == "2026-03-02" and receipt.reference.startswith("PAY-")
    after = account(api, auth)
    assert after.outstanding_cents == before.outstanding_cents - 12345
    assert after.balance_cents == before.balance_cents - 12345
    assert after.last_payment is not None and after.last_payment.amount_cents == 12345
    newest = get(api, auth, "/ledger?limit=2").json()["items"]
    assert [row["kind"] for row in newest] == ["payment", "payment"]
    assert sum(row["amount_cents"] for row in newest) == 12345
    assert receipt.entry_id in {row["id"] for row in newest}

    def allocated(db: Any) -> list[tuple[Any, int, int, int]]:
        source = tables.LedgerEntry.__table__.alias("source")
        rows = db.execute(
            select(
                tables.LedgerEntry.entry_date,
                tables.PaymentAllocation.amount_cents,
                tables.LedgerEntry.location_id,
                source.c.location_id,
            )
            .join(
                tables.LedgerEntry,
                tables.LedgerEntry.id == tables.PaymentAllocation.charge_entry_id,
            )
            .join(source, source.c.id == tables.PaymentAllocation.source_entry_id)
            .where(source.c.idempotency_key.is_not(None))
            .order_by(tables.LedgerEntry.entry_date, tables.LedgerEntry.id)
        ).all()
        return [tuple(row) for row in rows]

    parts = change(db_url, allocated)
    assert sum(amount for _day, amount, _at, _by in parts) == 12345
    assert [day for day, *_rest in parts] == sorted(day for day, *_rest in parts)
    assert len({at for _day, _amount, at, _by in parts}) == 2  # the oldest charges span two
    assert all(at == by for _day, _amount, at, by in parts)  # each entry pays its own location
    (row,) = [r for r in audit_rows(db_url) if r.action == "payment.create"]
    assert row.records["ledger_entry"] == receipt.entry_id
    assert len(row.detail["ledger_entries"]) == 2


def test_a_new_card_pays_and_only_its_token_brand_last_four_and_expiry_are_kept(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    response = pay(api, auth, {"amount_cents": 5000, "new_card": card(cvc="987")})
    assert response.status_code == 200, response.text
    assert PaymentReceipt.model_validate(response.json()).last4 == "4242"
    method = change(
        db_url,
        lambda db: db.scalars(
            select(tables.PaymentMethod).order_by(tables.PaymentMethod.id.desc())
        ).first(),
    )
    assert (method.brand, method.last4, method.exp_month, method.exp_year) == (
        "Visa",
        "4242",
        12,
        EXP_YEAR,
    )
    assert method.removed  # a one-time card is not offered as a stored method
    rows = audit_rows(db_url)
    columns = [getattr(method, c.key) for c in tables.PaymentMethod.__table__.columns]
    columns = [value for value in columns if isinstance(value, str)]  # no timestamp digits
    kept = repr([(r.action, r.records, r.detail) for r in rows]) + repr(columns)
    assert VISA not in kept
    # The gateway's random token and reference aside, the CVC is nowhere
    for random_id in [method.gateway_token, *(r.detail.get("gateway_reference") for r in rows)]:
        kept = kept.replace(str(random_id), "")
    assert "987" not in kept
    assert re.fullmatch(r"tok-ok-[0-9a-f]{16}", method.gateway_token)  # random, not the card


def test_a_new_bank_account_pays_only_when_echecks_are_on(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    bank = {"routing_number": "021000021", "account_number": "000123456789"}
    response = pay(api, auth, {"amount_cents": 2500, "new_bank_account": bank})
    assert response.status_code == 200, response.text
    assert PaymentReceipt.model_validate(response.json()).last4 == "6789"
    set_settings(db_url, echecks="false")
    assert not options(api, auth).bank_accounts
    assert pay(api, auth, {"amount_cents": 2500, "new_bank_account": bank}).status_code == 422


@pytest.mark.parametrize(
    "amount",
    [0, -100, 45501, True, False, 10.0, 10.5, "1000", None, 2**63],
    ids=[
        "zero",
        "negative",
        "more-than-owed",
        "true",
        "false",
        "float",
        "fraction",
        "text",
        "null",
        "huge",
    ],
)
def test_an_amount_is_a_positive_integer_of_cents_no_more_than_is_owed(
    api: TestClient, auth: dict[str, str], db_url: str, amount: Any
) -> None:
    response = pay(api, auth, {"amount_cents": amount, "method_id": visa_id(api, auth)})
    assert response.status_code == 422, response.text
    assert "amount_cents" in response.json()["error"]["fields"]
    assert account(api, auth).outstanding_cents == 49000


def test_all_that_is_owed_is_the_balance_outstanding_less_credit(
    api: TestClient, auth: dict[str, str]
) -> None:
    assert (
        pay(api, auth, {"amount_cents": 45501, "method_id": visa_id(api, auth)}).status_code == 422
    )
    response = pay(api, auth, {"amount_cents": 45500, "method_id": visa_id(api, auth)})
    assert response.status_code == 200, response.text
    after = account(api, auth)
    assert (after.balance_cents, after.outstanding_cents, after.credit_cents) == (0, 3500, 3500)
    assert options(api, auth).owed_cents == 0
    assert pay(api, auth, {"amount_cents": 1, "method_id": visa_id(api, auth)}).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"amount_cents": 100},
        {"amount_cents": 100, "method_id": 1, "new_card": card()},
        {"amount_cents": 100, "new_card": card(exp_month="12")},
        {"amount_cents": 100, "new_card": card(number="4242424242424241")},
        {"amount_cents": 100, "new_card": card(cvc="12")},
    ],
    ids=["no-method", "two-methods", "text-month", "bad-luhn", "short-cvc"],
)
def test_a_payment_names_exactly_one_valid_method_and_no_number_is_echoed(
    api: TestClient, auth: dict[str, str], body: dict[str, Any]
) -> None:
    response = pay(api, auth, body)
    assert response.status_code == 422
    assert "424242424242424" not in response.text and '"12"' not in response.text


def test_a_payment_needs_an_idempotency_key(api: TestClient, auth: dict[str, str]) -> None:
    body = {"amount_cents": 100, "method_id": visa_id(api, auth)}
    response = api.post(f"/api/v1{family_path(api, auth)}/payments", headers=auth, json=body)
    assert response.status_code == 422
    assert pay(api, auth, body, key="short").status_code == 422


# Idempotency


def test_a_retry_with_the_same_key_answers_the_first_receipt_and_charges_once(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    key = uuid.uuid4().hex
    body = {"amount_cents": 2000, "new_card": card()}
    first, again = pay(api, auth, body, key), pay(api, auth, body, key)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert [p.idempotency_key for p in payments(db_url)].count(key) == 1
    assert account(api, auth).outstanding_cents == 49000 - 2000


@pytest.mark.parametrize(
    "retry",
    [
        {"amount_cents": 2001, "new_card": card()},
        {"amount_cents": 2000, "new_card": card(number="5555555555554444")},
        {"amount_cents": 2000, "method_id": "visa"},
    ],
    ids=["other-amount", "other-card", "stored-method"],
)
def test_the_same_key_with_another_amount_or_method_answers_the_payment_already_made(
    api: TestClient, auth: dict[str, str], db_url: str, retry: dict[str, Any]
) -> None:
    key = uuid.uuid4().hex
    first = pay(api, auth, {"amount_cents": 2000, "new_card": card()}, key)
    assert first.status_code == 200
    if retry.get("method_id") == "visa":
        retry = {**retry, "method_id": visa_id(api, auth)}
    response = pay(api, auth, retry, key)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert response.json()["current"] == first.json()
    assert account(api, auth).outstanding_cents == 49000 - 2000


def test_keys_are_per_family(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    """Another family's key never answers this family's payment."""
    key = uuid.uuid4().hex
    assert pay(api, auth, {"amount_cents": 100, "new_card": card()}, key).status_code == 200
    other = bearer(api, "casey.nguyen@example.com")
    response = pay(api, other, {"amount_cents": 100, "new_card": card()}, key)
    assert response.status_code == 200, response.text
    assert len([p for p in payments(db_url) if p.idempotency_key == key]) == 2


# Declined


@pytest.mark.parametrize(
    ("number", "exp_year", "words"),
    [
        (DECLINED, EXP_YEAR, "declined"),
        (NO_FUNDS, EXP_YEAR, "insufficient funds"),
        (EXPIRED, EXP_YEAR, "expired"),
        (VISA, 2025, "expired"),
    ],
    ids=["declined", "insufficient-funds", "expired-card", "past-expiry"],
)
def test_a_declined_charge_says_why_and_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str, number: str, exp_year: int, words: str
) -> None:
    before = account(api, auth)
    count = len(payments(db_url))
    response = pay(api, auth, {"amount_cents": 3000, "new_card": card(number, exp_year=exp_year)})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "payment_declined" and words in error["message"]
    assert number not in response.text
    assert account(api, auth) == before and len(payments(db_url)) == count


def test_a_declined_attempt_may_be_tried_again_with_another_card(
    api: TestClient, auth: dict[str, str]
) -> None:
    assert pay(api, auth, {"amount_cents": 3000, "new_card": card(DECLINED)}).status_code == 422
    assert pay(api, auth, {"amount_cents": 3000, "new_card": card()}).status_code == 200


# Who may pay (P7, P8)


def test_no_gateway_no_payments(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    set_settings(db_url, payment_gateway="none")
    capabilities = get(api, auth, "").json()["capabilities"]
    assert not capabilities["online_payments"] and not capabilities["make_payments"]
    assert get(api, auth, "/payments/options").status_code == 403
    assert pay(api, auth, {"amount_cents": 100, "new_card": card()}).status_code == 403


def test_a_secondary_guardian_pays_only_with_permission(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    sam = bearer(api, DEMO_SECONDARY_EMAIL)
    capabilities = get(api, sam, "").json()["capabilities"]
    assert capabilities["online_payments"] and not capabilities["make_payments"]
    assert not capabilities["apply_credit"]
    assert pay(api, sam, {"amount_cents": 100, "new_card": card()}).status_code == 403
    assert get(api, sam, "/credit/preview").status_code == 403

    def permit(db: Any) -> None:
        guardian = db.scalars(
            select(tables.Guardian).where(tables.Guardian.first_name == "Sam")
        ).one()
        guardian.can_make_payments = True

    change(db_url, permit)
    assert get(api, sam, "").json()["capabilities"]["make_payments"]
    assert pay(api, sam, {"amount_cents": 100, "new_card": card()}).status_code == 200


def location_ids(api: TestClient, auth: dict[str, str]) -> dict[str, int]:
    """The demo's locations by name."""
    return {loc["name"]: loc["id"] for loc in api.get("/api/v1/locations", headers=auth).json()}


def location_balance(api: TestClient, auth: dict[str, str], location_id: int) -> int:
    """The balance Transaction History shows for one location."""
    rows = get(api, auth, f"/ledger?limit=1&location_id={location_id}").json()["items"]
    return int(rows[0]["balance_cents"]) if rows else 0


def pay_at(api: TestClient, auth: dict[str, str], location_id: int, amount: int) -> Any:
    headers = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    body = {"amount_cents": amount, "new_card": card()}
    path = f"/api/v1{family_path(api, auth)}/payments"
    return api.post(path, headers=headers, json=body, params={"location_id": location_id})


def test_a_payment_pays_the_selected_locations_charges_and_at_most_what_it_owes(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ids = location_ids(api, auth)
    before = {name: location_balance(api, auth, i) for name, i in ids.items()}
    assert before == {"Downtown": 10500, "Northside": 35000, "Lakeview": 0}
    owed = {name: options(api, auth, i).owed_cents for name, i in ids.items()}
    assert owed == before
    assert pay_at(api, auth, ids["Downtown"], 10501).status_code == 422
    assert pay_at(api, auth, ids["Lakeview"], 100).status_code == 422
    response = pay_at(api, auth, ids["Downtown"], 10000)
    assert response.status_code == 200, response.text
    receipt = PaymentReceipt.model_validate(response.json())
    after = {name: location_balance(api, auth, i) for name, i in ids.items()}
    assert after == {**before, "Downtown": 500}
    assert options(api, auth, ids["Downtown"]).owed_cents == 500

    def paid_locations(db: Any) -> set[int]:
        return set(
            db.scalars(
                select(tables.LedgerEntry.location_id)
                .join(
                    tables.PaymentAllocation,
                    tables.PaymentAllocation.charge_entry_id == tables.LedgerEntry.id,
                )
                .where(tables.PaymentAllocation.source_entry_id == receipt.entry_id)
            )
        )

    assert change(db_url, paid_locations) == {ids["Downtown"]}
    assert payments(db_url)[-1].location_id == ids["Downtown"]
    assert pay_at(api, auth, 999_999, 100).status_code in (404, 422)


def test_a_whole_account_payment_pays_each_location_up_to_its_own_balance(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ids = location_ids(api, auth)
    assert options(api, auth).owed_cents == 45500  # Downtown 10500 + Northside 35000
    key = uuid.uuid4().hex
    response = pay(api, auth, {"amount_cents": 45500, "method_id": visa_id(api, auth)}, key)
    assert response.status_code == 200, response.text
    receipt = PaymentReceipt.model_validate(response.json())
    assert receipt.amount_cents == 45500
    assert {name: location_balance(api, auth, i) for name, i in ids.items()} == {
        "Downtown": 0,
        "Northside": 0,  # its own credit is still its own: Apply Credit pays its last 3500
        "Lakeview": 0,
    }
    split = [(p.location_id, p.amount_cents) for p in payments(db_url) if p.idempotency_key == key]
    assert sorted(split) == sorted([(ids["Downtown"], 10500), (ids["Northside"], 35000)])
    assert get(api, auth, "/credit/preview").json()["total_cents"] == 3500
    summary = account(api, auth)
    assert summary.last_payment is not None and summary.last_payment.amount_cents == 45500
    again = pay(api, auth, {"amount_cents": 45500, "method_id": visa_id(api, auth)}, key)
    assert PaymentReceipt.model_validate(again.json()) == receipt
    other = pay(api, auth, {"amount_cents": 100, "method_id": visa_id(api, auth)}, key)
    assert other.status_code == 422
    assert other.json()["current"]["amount_cents"] == 45500


def test_what_is_owed_is_what_is_open_less_each_locations_own_credit(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """A payment recorded at one location that paid another's charges (as whole-account
    payments once were) leaves every charge payable: a payment and Apply Credit settle all."""
    ids = location_ids(api, auth)

    def old_style_payment(db: Any) -> None:
        from portal_tui.server.services import allocation

        family_id = db.scalars(select(tables.Family.id)).first()
        downtown = [
            (charge, due)
            for charge, due in allocation.open_charges(db, family_id)
            if charge.location_id == ids["Downtown"]
        ]
        entry = tables.LedgerEntry(
            family_id=family_id,
            kind="payment",
            entry_date=date(2026, 3, 1),
            location_id=ids["Northside"],
            amount_cents=10500,
            description="Payment – Visa ••4242",
        )
        add_entry(db, entry)
        allocation.record(db, entry, allocation.oldest_first(10500, downtown))

    change(db_url, old_style_payment)
    outstanding = account(api, auth).outstanding_cents
    assert outstanding == 38500
    preview = get(api, auth, "/credit/preview").json()["total_cents"]
    assert options(api, auth).owed_cents + preview == outstanding
    assert options(api, auth, ids["Northside"]).owed_cents == 35000


def test_credit_at_one_location_does_not_pay_anothers_charges(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    ids = location_ids(api, auth)

    def lakeview_credit(db: Any) -> None:
        family_id = db.scalars(select(tables.Family.id)).first()
        credit = tables.LedgerEntry(
            family_id=family_id,
            kind="credit",
            entry_date=date(2026, 3, 1),
            location_id=ids["Lakeview"],
            amount_cents=60000,
            description="Credit",
        )
        add_entry(db, credit)

    change(db_url, lakeview_credit)
    whole = options(api, auth)
    assert (whole.outstanding_cents, whole.credit_cents, whole.owed_cents) == (49000, 3500, 45500)
    assert options(api, auth, ids["Lakeview"]).owed_cents == 0


def test_the_same_key_at_another_location_answers_the_payment_already_made(
    api: TestClient, auth: dict[str, str]
) -> None:
    ids = location_ids(api, auth)
    key = uuid.uuid4().hex
    headers = {**auth, "Idempotency-Key": key}
    path = f"/api/v1{family_path(api, auth)}/payments"
    body = {"amount_cents": 1000, "method_id": visa_id(api, auth)}
    first = api.post(path, headers=headers, json=body, params={"location_id": ids["Downtown"]})
    assert first.status_code == 200, first.text
    again = api.post(path, headers=headers, json=body, params={"location_id": ids["Northside"]})
    assert again.status_code == 422
    assert again.json()["error"]["code"] == "idempotency_key_reused"
    assert again.json()["current"] == first.json()


# A payment's receipt, read again (Transaction History)


def receipt_of(api: TestClient, auth: dict[str, str], entry_id: int) -> Any:
    return get(api, auth, f"/payments/{entry_id}/receipt")


def test_a_receipt_read_again_is_the_whole_payment_from_any_of_its_entries(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    key = uuid.uuid4().hex
    made = pay(api, auth, {"amount_cents": 45500, "method_id": visa_id(api, auth)}, key)
    assert made.status_code == 200, made.text
    entries = [p.id for p in payments(db_url) if p.idempotency_key == key]
    assert len(entries) == 2  # Downtown's charges and Northside's
    for entry_id in entries:
        response = receipt_of(api, auth, entry_id)
        assert response.status_code == 200, response.text
        assert response.json() == made.json()
    sam = bearer(api, DEMO_SECONDARY_EMAIL)  # who may read the ledger may read its receipts
    assert receipt_of(api, sam, entries[1]).json() == made.json()


def test_a_seeded_payment_without_a_key_is_its_own_receipt(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    seeded = next(p for p in payments(db_url) if p.idempotency_key is None)
    response = receipt_of(api, auth, seeded.id)
    assert response.status_code == 200, response.text
    receipt = PaymentReceipt.model_validate(response.json())
    assert (receipt.entry_id, receipt.amount_cents) == (seeded.id, seeded.amount_cents)
    assert receipt.paid_on == seeded.entry_date
    assert receipt.reference == f"PAY-{seeded.id:06d}"
    assert f"{receipt.brand} ••{receipt.last4}" in seeded.description


def test_only_a_payment_of_the_family_has_a_receipt(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    family_id = int(family_path(api, auth).rsplit("/", 1)[1])

    def first(kind: str, *, own: bool) -> int:
        entry = tables.LedgerEntry
        mine = entry.family_id == family_id if own else entry.family_id != family_id
        query = select(entry.id).where(mine, entry.kind == kind).order_by(entry.id)
        found: int = change(db_url, lambda db: db.scalars(query).first())
        return found

    assert receipt_of(api, auth, first("payment", own=True)).status_code == 200
    for entry_id in (first("charge", own=True), first("payment", own=False), 999_999):
        assert receipt_of(api, auth, entry_id).status_code == 404


def test_a_payment_no_method_paid_has_no_receipt(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    family_id = int(family_path(api, auth).rsplit("/", 1)[1])

    def forget_method(db: Any) -> int:
        entry = db.scalars(
            select(tables.LedgerEntry).where(
                tables.LedgerEntry.family_id == family_id, tables.LedgerEntry.kind == "payment"
            )
        ).first()
        entry.payment_method_id = None
        return int(entry.id)

    response = receipt_of(api, auth, change(db_url, forget_method))
    assert response.status_code == 404
    assert "no payment method is recorded" in response.json()["error"]["message"]
