"""Make Payment: one charge per Idempotency-Key, never more than the selected location owes.

The family's row is locked first, so payments racing for one balance count one after the
other and a retry of the same attempt finds the entries the first one wrote (one per
location it paid). Card and bank
numbers go only to the gateway; what is kept is its token, brand, last four and expiry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.errors import (
    Forbidden,
    GatewayFailed,
    Invalid,
    NotFound,
    PaymentAlreadyMade,
    PaymentDeclined,
)
from portal_tui.server.gateway import Declined, DeclineReason, PaymentGateway, gateway_for
from portal_tui.server.services import allocation, ledger_totals
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.ledger_places import add_entry
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

logger = logging.getLogger("portal_tui.server.payments")

NO_PAYMENTS = "Online payments are off, or you were not given permission to make them."

DECLINE_MESSAGES = {
    DeclineReason.DECLINED: "The payment was declined by the card issuer or bank.",
    DeclineReason.INSUFFICIENT_FUNDS: "The payment was declined: insufficient funds.",
    DeclineReason.EXPIRED: "The payment was declined: the card has expired.",
}

T = TypeVar("T")


def _methods(family: FamilyAccess) -> list[tables.PaymentMethod]:
    """The caller's own stored methods that may pay now: only the guardian paying may
    draw on a method, and a bank account only while eChecks are accepted."""
    query = select(tables.PaymentMethod).where(
        tables.PaymentMethod.guardian_id == family.viewer_id,
        tables.PaymentMethod.removed.is_(False),
    )
    if not family.settings.echecks:
        query = query.where(tables.PaymentMethod.kind != PaymentMethodKind.BANK.value)
    return list(family.db.scalars(query.order_by(tables.PaymentMethod.id)))


def _limits(family: FamilyAccess, location_id: int | None) -> tuple[int, int]:
    """The Outstanding at `location_id` (None: every location) and the most a payment there
    may be, from the kept totals.

    A location is owed its open charges less its own unapplied credit (credit pays only its
    own location's charges, through Apply Credit), so a payment and Apply Credit together
    settle exactly what is open, location by location.
    """
    totals = ledger_totals.by_location(family.db, family.id)
    here = [t for place, t in totals.items() if location_id in (None, place)]
    return sum(t.open_cents for t in here), sum(t.owed_cents for t in here)


def _payable(family: FamilyAccess, location_id: int | None) -> list[tuple[tables.LedgerEntry, int]]:
    """The charges a payment at `location_id` (None: every location) pays, oldest first,
    each with what it owes once its location's unapplied credit has covered that location's
    oldest charges: together, what `_limits` says may be paid."""
    charges = [
        (charge, due)
        for charge, due in allocation.open_charges(family.db, family.id)
        if location_id is None or charge.location_id == location_id
    ]
    credit: dict[int, int] = {}
    for source, rest in allocation.unapplied_sources(family.db, family.id):
        credit[source.location_id] = credit.get(source.location_id, 0) + rest
    payable: list[tuple[tables.LedgerEntry, int]] = []
    for charge, due in charges:  # each location's credit covers its oldest charges first
        covered = min(due, credit.get(charge.location_id, 0))
        credit[charge.location_id] = credit.get(charge.location_id, 0) - covered
        if due > covered:
            payable.append((charge, due - covered))
    return payable


def options(family: FamilyAccess, location_id: int | None = None) -> PaymentOptions:
    """What a payment at `location_id` (None: the whole account) may be, and with what."""
    guardian = family.caller.guardian
    name = guardian.full_name if guardian else ""
    outstanding, owed = _limits(family, location_id)
    columns = PayableMethod.model_fields.keys() - {"guardian_name"}  # the rest is the row's
    return PaymentOptions(
        location_id=location_id,
        outstanding_cents=outstanding,
        credit_cents=outstanding - owed,
        owed_cents=owed,
        methods=[
            PayableMethod.model_validate(
                {c: getattr(m, c) for c in columns} | {"guardian_name": name}
            )
            for m in _methods(family)
        ],
        bank_accounts=family.settings.echecks,
    )


def _gateway(family: FamilyAccess) -> PaymentGateway:
    gateway = gateway_for(family.settings.payment_gateway)
    if gateway is None:
        raise Forbidden(NO_PAYMENTS)
    return gateway


def _ask(call: Callable[[], T]) -> T:
    """A gateway call: a decline is 422 `payment_declined`; any other failure is logged by
    its class only (its arguments may hold what was sent) and answered 502."""
    try:
        return call()
    except Declined as declined:
        raise PaymentDeclined(DECLINE_MESSAGES[declined.reason]) from None
    except Exception as exc:  # a provider may raise anything
        logger.error("Payment gateway failed: %s", type(exc).__name__)
        raise GatewayFailed("The payment service failed. Try the payment again.") from None


def _receipt(entries: list[tables.LedgerEntry], method: tables.PaymentMethod) -> PaymentReceipt:
    """One payment's receipt: its entries (one per location it paid) together."""
    first = entries[0]
    return PaymentReceipt(
        entry_id=first.id,
        amount_cents=sum(entry.amount_cents for entry in entries),
        paid_on=first.entry_date,
        kind=method.kind,
        brand=method.brand,
        last4=method.last4,
        reference=f"PAY-{first.id:06d}",
    )


def receipt(family: FamilyAccess, entry_id: int) -> PaymentReceipt:
    """The receipt of the payment a ledger entry of this family is part of: with every entry
    made under its Idempotency-Key (one per location it paid), or alone when it has none (a
    payment recorded without one). 404 for any other entry, and for a payment no method
    paid (nothing to show but the ledger row)."""
    entry = family.db.scalar(
        select(tables.LedgerEntry).where(
            tables.LedgerEntry.id == entry_id,
            tables.LedgerEntry.family_id == family.id,
            tables.LedgerEntry.kind == EntryKind.PAYMENT,
        )
    )
    if entry is None:
        raise NotFound("No such payment.")
    if entry.payment_method_id is None:
        raise NotFound("This payment has no receipt: no payment method is recorded for it.")
    entries = [entry] if entry.idempotency_key is None else _keyed(family, entry.idempotency_key)
    return _receipt(entries, family.db.get_one(tables.PaymentMethod, entry.payment_method_id))


def _keyed(family: FamilyAccess, key: str) -> list[tables.LedgerEntry]:
    """The entries one payment made under `key`, in the order they were written."""
    return list(
        family.db.scalars(
            select(tables.LedgerEntry)
            .where(
                tables.LedgerEntry.family_id == family.id,
                tables.LedgerEntry.idempotency_key == key,
            )
            .order_by(tables.LedgerEntry.id)
        )
    )


def _same_attempt(
    body: PaymentRequest, receipt: PaymentReceipt, method: tables.PaymentMethod
) -> bool:
    """A retry names the amount and method of the attempt its key was made for."""
    if body.amount_cents != receipt.amount_cents:
        return False
    if body.method_id is not None:
        return body.method_id == method.id
    if body.new_card is not None:
        return method.kind.is_card and method.last4 == body.new_card.number.last4
    assert body.new_bank_account is not None
    return (
        method.kind is PaymentMethodKind.BANK
        and method.last4 == body.new_bank_account.account_number[-4:]
    )


def _earlier(
    family: FamilyAccess, key: str, body: PaymentRequest, location_id: int | None
) -> PaymentReceipt | None:
    """The payment this key already made, if any: a retry gets its receipt, and a request
    that differs from it (amount, method, or a location it did not pay) gets 422
    `idempotency_key_reused` with it (never a second charge)."""
    entries = _keyed(family, key)
    if not entries:
        return None
    method = family.db.get_one(tables.PaymentMethod, entries[0].payment_method_id)
    receipt = _receipt(entries, method)
    elsewhere = location_id is not None and any(e.location_id != location_id for e in entries)
    if elsewhere or not _same_attempt(body, receipt, method):
        raise PaymentAlreadyMade(
            "This payment was already made; it is not charged again.", current=receipt
        )
    return receipt


def _method_for(
    family: FamilyAccess, gateway: PaymentGateway, body: PaymentRequest
) -> tables.PaymentMethod:
    """The caller's stored method named, or a one-time method kept (removed) for the new
    card or account's token, brand and last four: the ledger names what paid."""
    if body.method_id is not None:
        for method in _methods(family):
            if method.id == body.method_id:
                return method
        raise NotFound("No such payment method.")
    if body.new_card is not None:
        card = body.new_card
        tokenized = _ask(lambda: gateway.tokenize_card(card))
    else:
        account = body.new_bank_account
        assert account is not None
        if not family.settings.echecks:
            raise Invalid(
                "Bank accounts are not accepted.", fields={"new_bank_account": "not accepted"}
            )
        tokenized = _ask(lambda: gateway.tokenize_bank(account))
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


def _payer(family: FamilyAccess) -> bool:
    guardian = family.caller.guardian
    return guardian is not None and (guardian.is_primary or guardian.can_make_payments)


def make_payment(
    family: FamilyAccess, key: str, body: PaymentRequest, location_id: int | None = None
) -> PaymentReceipt:
    """Charge `body.amount_cents` once for `key`, paying the charges at `location_id`
    (None: every location's) oldest first, each location at most what it is owed. The
    payment is one entry per location it pays, all under `key`, so that each location's
    balance stays the sum of its own entries.

    A retry with the same key answers the first receipt (even once online payments are
    off); an amount above what the location owes is 422; a declined charge is 422
    `payment_declined` and changes nothing. The entry and its allocations are written
    before the gateway is asked, so a database failure comes before any money is taken,
    and the gateway charges a key once, so a retry after a later failure is not charged
    again.
    """
    if not _payer(family):
        raise Forbidden(NO_PAYMENTS)
    db = family.db
    lock_row(db, tables.Family, family.id)
    earlier = _earlier(family, key, body, location_id)
    if earlier is not None:
        return earlier
    gateway = _gateway(family)
    _outstanding, owed = _limits(family, location_id)
    if body.amount_cents > owed:
        raise Invalid(
            "The amount is more than this location owes.",
            fields={"amount_cents": "more than the balance owed"},
        )
    method = _method_for(family, gateway, body)
    if _expired(method, family):
        raise PaymentDeclined(DECLINE_MESSAGES[DeclineReason.EXPIRED])
    by_place: dict[int, list[tuple[tables.LedgerEntry, int]]] = {}
    for charge, part in allocation.oldest_first(body.amount_cents, _payable(family, location_id)):
        by_place.setdefault(charge.location_id, []).append((charge, part))
    entries = []
    for place, parts in by_place.items():
        entry = tables.LedgerEntry(
            family_id=family.id,
            kind=EntryKind.PAYMENT,
            entry_date=business_today(family.zone),
            location_id=place,
            amount_cents=sum(part for _charge, part in parts),
            description=f"Payment – {method.brand} ••{method.last4}",
            payment_method_id=method.id,
            idempotency_key=key,
        )
        add_entry(db, entry)
        allocation.record(db, entry, parts)
        entries.append(entry)
    db.flush()
    token = method.gateway_token
    charged = _ask(lambda: gateway.charge(token, body.amount_cents, f"{family.id}:{key}"))
    family.audit(
        "payment.create",
        {"ledger_entry": entries[0].id, "payment_method": method.id},
        {
            "amount_cents": body.amount_cents,
            "gateway_reference": charged.reference,
            "ledger_entries": [entry.id for entry in entries],
        },
    )
    return _receipt(entries, method)
