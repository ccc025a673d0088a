"""Make Payment: one charge per Idempotency-Key, never more than the family owes.

The family's row is locked first, so payments racing for one balance count one after the
other and a retry of the same attempt finds the first one's ledger entry. Card and bank
numbers go only to the gateway; what is kept is its token, brand, last four and expiry.
"""

from __future__ import annotations

from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.errors import Forbidden, Invalid, KeyReused, NotFound, PaymentDeclined
from portal_tui.server.gateway import (
    Declined,
    DeclineReason,
    PaymentGateway,
    Tokenized,
    gateway_for,
)
from portal_tui.server.services import allocation
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.account import outstanding_cents
from portal_tui.server.services.localtime import business_today
from portal_tui.server.services.locks import lock_row
from portal_tui.wire.cards import card_expired
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import (
    PayableMethod,
    PaymentMethodKind,
    PaymentOptions,
    PaymentReceipt,
    PaymentRequest,
)

DECLINE_MESSAGES = {
    DeclineReason.DECLINED: "The payment was declined by the card issuer or bank.",
    DeclineReason.INSUFFICIENT_FUNDS: "The payment was declined: insufficient funds.",
    DeclineReason.EXPIRED: "The payment was declined: the card has expired.",
}


def _methods(family: FamilyAccess) -> list[tuple[tables.PaymentMethod, tables.Guardian]]:
    rows = family.db.execute(
        select(tables.PaymentMethod, tables.Guardian)
        .join(tables.Guardian, tables.Guardian.id == tables.PaymentMethod.guardian_id)
        .where(tables.Guardian.family_id == family.id, tables.PaymentMethod.removed.is_(False))
        .order_by(tables.Guardian.is_primary.desc(), tables.PaymentMethod.id)
    ).all()
    return [(method, guardian) for method, guardian in rows]


def options(family: FamilyAccess) -> PaymentOptions:
    """What the family owes and the stored methods of its guardians that may pay it."""
    return PaymentOptions(
        outstanding_cents=outstanding_cents(db=family.db, family_id=family.id),
        methods=[
            PayableMethod(
                id=m.id,
                kind=m.kind,
                brand=m.brand,
                last4=m.last4,
                exp_month=m.exp_month,
                exp_year=m.exp_year,
                guardian_name=f"{g.first_name} {g.last_name}",
            )
            for m, g in _methods(family)
        ],
        bank_accounts=family.settings.echecks,
    )


def _gateway(family: FamilyAccess) -> PaymentGateway:
    gateway = gateway_for(family.settings.payment_gateway)
    if gateway is None:
        raise Forbidden("This account does not accept online payments.")
    return gateway


def _receipt(entry: tables.LedgerEntry, method: tables.PaymentMethod) -> PaymentReceipt:
    return PaymentReceipt(
        entry_id=entry.id,
        amount_cents=entry.amount_cents,
        paid_on=entry.entry_date,
        kind=method.kind,
        brand=method.brand,
        last4=method.last4,
        reference=f"PAY-{entry.id:06d}",
    )


def _same_attempt(
    body: PaymentRequest, entry: tables.LedgerEntry, method: tables.PaymentMethod
) -> bool:
    """A retry names the amount and method of the attempt its key was made for."""
    if body.amount_cents != entry.amount_cents:
        return False
    if body.method_id is not None:
        return body.method_id == method.id
    if body.new_card is not None:
        return method.kind is PaymentMethodKind.CARD and method.last4 == body.new_card.number.last4
    assert body.new_bank_account is not None
    return (
        method.kind is PaymentMethodKind.BANK
        and method.last4 == body.new_bank_account.account_number[-4:]
    )


def _earlier(family: FamilyAccess, key: str, body: PaymentRequest) -> PaymentReceipt | None:
    """The payment this key already made, if any (422 when the retry differs from it)."""
    entry = family.db.scalars(
        select(tables.LedgerEntry).where(
            tables.LedgerEntry.family_id == family.id, tables.LedgerEntry.idempotency_key == key
        )
    ).one_or_none()
    if entry is None:
        return None
    method = family.db.get_one(tables.PaymentMethod, entry.payment_method_id)
    if not _same_attempt(body, entry, method):
        raise KeyReused(
            "This payment attempt was already made with another amount or method.",
            fields={"idempotency_key": "already used for a different payment"},
        )
    return _receipt(entry, method)


def _method_for(
    family: FamilyAccess, gateway: PaymentGateway, body: PaymentRequest
) -> tables.PaymentMethod:
    """The stored method named, or a one-time method kept (removed) for the new card or
    account's token, brand and last four: the ledger names what paid."""
    if body.method_id is not None:
        for method, _guardian in _methods(family):
            if method.id == body.method_id:
                return method
        raise NotFound("No such payment method.")
    if body.new_card is not None:
        tokenized: Tokenized = gateway.tokenize_card(body.new_card)
    else:
        assert body.new_bank_account is not None
        if not family.settings.echecks:
            raise Invalid(
                "Bank accounts are not accepted.", fields={"new_bank_account": "not accepted"}
            )
        tokenized = gateway.tokenize_bank(body.new_bank_account)
    assert family.viewer_id is not None
    method = tables.PaymentMethod(
        guardian_id=family.viewer_id,
        kind=tokenized.kind,
        gateway_token=tokenized.token,
        brand=tokenized.brand,
        last4=tokenized.last4,
        exp_month=tokenized.exp_month,
        exp_year=tokenized.exp_year,
        removed=True,
    )
    family.db.add(method)
    family.db.flush()
    return method


def _expired(method: tables.PaymentMethod, family: FamilyAccess) -> bool:
    """A card past its expiry month is refused before the gateway is asked."""
    if method.exp_month is None or method.exp_year is None:
        return False
    return card_expired(method.exp_month, method.exp_year, business_today(family.zone))


def make_payment(
    family: FamilyAccess, key: str, body: PaymentRequest, location_id: int | None = None
) -> PaymentReceipt:
    """Charge `body.amount_cents` once for `key` and record it, allocated oldest charge first
    (across the whole account), as taken at `location_id` (default: the oldest charge's).

    A retry with the same key answers the first receipt; an amount above what is owed is
    422; a declined charge is 422 `payment_declined` and changes nothing.
    """
    gateway = _gateway(family)
    db = family.db
    lock_row(db, tables.Family, family.id)
    earlier = _earlier(family, key, body)
    if earlier is not None:
        return earlier
    charges = allocation.open_charges(db, family.id)
    owed = sum(due for _charge, due in charges)
    if body.amount_cents > owed:
        raise Invalid(
            "The amount is more than the account owes.",
            fields={"amount_cents": "more than the outstanding balance"},
        )
    method = _method_for(family, gateway, body)
    if _expired(method, family):
        raise PaymentDeclined(DECLINE_MESSAGES[DeclineReason.EXPIRED])
    try:
        charged = gateway.charge(method.gateway_token, body.amount_cents, key)
    except Declined as declined:
        raise PaymentDeclined(DECLINE_MESSAGES[declined.reason]) from None
    entry = tables.LedgerEntry(
        family_id=family.id,
        kind=EntryKind.PAYMENT,
        entry_date=business_today(family.zone),
        location_id=location_id or charges[0][0].location_id,
        amount_cents=body.amount_cents,
        description=f"Payment – {method.brand} ••{method.last4}",
        payment_method_id=method.id,
        idempotency_key=key,
    )
    db.add(entry)
    db.flush()
    allocation.allocate(db, entry, body.amount_cents, charges)
    family.audit(
        "payment.create",
        {"ledger_entry": entry.id, "payment_method": method.id},
        {"amount_cents": body.amount_cents, "gateway_reference": charged.reference},
    )
    return _receipt(entry, method)
