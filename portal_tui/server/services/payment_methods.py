"""A guardian's own stored payment methods: list, add, change, delete.

Rules: a guardian sees and manages only their own methods (another's id is 404); at most
`max_payment_methods` each; exactly one default (the first saved is it; making one default
clears the others in the same transaction); the method recurring billing depends on (the
default, authorized for it) is not deleted until another is made default. Card and bank
numbers go only to the gateway; the row keeps its token, brand, last four and expiry. Each
change of recurring authorization leaves a RecurringAuthorization row; each write an audit row
(an update that changes nothing writes nothing).
"""

from __future__ import annotations

from sqlalchemy import exists, select

from portal_tui.server import tables
from portal_tui.server.errors import Conflict, Forbidden, Invalid, NotFound
from portal_tui.server.gateway import Declined, Tokenized, gateway_for
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.localtime import business_today
from portal_tui.server.services.locks import lock_row
from portal_tui.wire.cards import CARD_EXPIRED, card_expired
from portal_tui.wire.payment_methods import (
    RECURRING_TEXT_VERSION,
    NewPaymentMethod,
    PaymentMethodOut,
    PaymentMethodUpdate,
    RecurringChoice,
)

REQUIRED = "This business requires saved payment methods to be authorized for recurring billing."
DEPENDED_ON = (
    "Recurring billing uses this payment method, your default: make another method the "
    "default before deleting this one."
)


def _guardian(family: FamilyAccess) -> tables.Guardian:
    guardian = family.caller.guardian
    if guardian is None:  # get_family lets only guardians in
        raise Forbidden("Only a guardian has payment methods.")
    return guardian


def _methods(family: FamilyAccess, guardian_id: int) -> list[tables.PaymentMethod]:
    """The guardian's methods that are not deleted, oldest first."""
    return list(
        family.db.scalars(
            select(tables.PaymentMethod)
            .where(
                tables.PaymentMethod.guardian_id == guardian_id,
                tables.PaymentMethod.removed.is_(False),
            )
            .order_by(tables.PaymentMethod.id)
        )
    )


def _own(family: FamilyAccess, record_id: int) -> tables.PaymentMethod:
    """The caller's own method, locked with its guardian's methods; 404 for any other."""
    guardian = _guardian(family)
    lock_row(family.db, tables.Guardian, guardian.id)
    row = family.db.get(tables.PaymentMethod, record_id)
    if row is None or row.guardian_id != guardian.id or row.removed:
        raise NotFound("That payment method does not exist.")
    return row


def _out(row: tables.PaymentMethod) -> PaymentMethodOut:
    return PaymentMethodOut.model_validate(row)


def list_methods(family: FamilyAccess) -> list[PaymentMethodOut]:
    return [_out(row) for row in _methods(family, _guardian(family).id)]


def _check_recurring(family: FamilyAccess, choice: RecurringChoice, was: bool | None) -> None:
    """The recurring toggle may go from `was` (None: a new method) to what `choice` asks."""
    wants = choice.recurring_authorized
    if family.capabilities.recurring_required:
        if wants != (True if was is None else was):  # a new one is authorized; no toggle
            raise Forbidden(REQUIRED)
    elif wants != bool(was) and not family.capabilities.recurring_authorization:
        raise Forbidden("Recurring billing cannot be authorized in the portal.")
    if wants and not was and choice.text_version != RECURRING_TEXT_VERSION:
        raise Invalid(
            "The authorization text has changed: read it again.",
            fields={"text_version": "not the current authorization text"},
        )


def _record_authorization(family: FamilyAccess, row: tables.PaymentMethod, granted: bool) -> None:
    """Who turned it on or off, and the text in force (the one a grant was checked against)."""
    family.db.add(
        tables.RecurringAuthorization(
            user_id=family.caller.user.id,
            payment_method_id=row.id,
            text_version=RECURRING_TEXT_VERSION,
            granted=granted,
        )
    )


def _make_default(family: FamilyAccess, row: tables.PaymentMethod) -> None:
    """`row` becomes its guardian's one default. The old default is cleared and flushed
    first: the database allows one default per guardian at every statement."""
    for other in _methods(family, row.guardian_id):
        if other is not row and other.is_default:
            other.is_default = False
    family.db.flush()
    row.is_default = True


def _tokenize(family: FamilyAccess, body: NewPaymentMethod) -> Tokenized:
    gateway = gateway_for(family.settings.payment_gateway)
    if gateway is None:
        raise Forbidden("This account does not accept online payments.")
    try:
        if body.card is not None:
            if card_expired(body.card.exp_month, body.card.exp_year, business_today(family.zone)):
                raise Invalid(CARD_EXPIRED, fields={"card.exp_year": CARD_EXPIRED})
            return gateway.tokenize_card(body.card)
        if not family.capabilities.bank_accounts:
            raise Forbidden("Bank accounts (eChecks) are not accepted.")
        assert body.bank is not None  # NewPaymentMethod holds exactly one
        return gateway.tokenize_bank(body.bank)
    except Declined as exc:
        raise Invalid("The payment provider refused this card or account.") from exc


def add_method(family: FamilyAccess, body: NewPaymentMethod) -> PaymentMethodOut:
    guardian = _guardian(family)
    lock_row(family.db, tables.Guardian, guardian.id)
    existing = _methods(family, guardian.id)
    limit = family.settings.max_payment_methods
    if len(existing) >= limit:
        raise Conflict(f"You can keep at most {limit} payment methods: delete one first.")
    _check_recurring(family, body, None)
    saved = _tokenize(family, body)
    row = tables.PaymentMethod(
        guardian_id=guardian.id,
        kind=saved.kind,
        gateway_token=saved.token,
        brand=saved.brand,
        last4=saved.last4,
        exp_month=saved.exp_month,
        exp_year=saved.exp_year,
        is_default=False,
        recurring_authorized=body.recurring_authorized,
    )
    family.db.add(row)
    family.db.flush()
    if body.is_default or not existing:
        _make_default(family, row)
    if body.recurring_authorized:
        _record_authorization(family, row, True)
    family.db.flush()
    family.audit(
        "payment_method.add",
        {"payment_method": row.id},
        {
            "kind": row.kind.value,
            "is_default": row.is_default,
            "recurring": row.recurring_authorized,
        },
    )
    return _out(row)


def update_method(
    family: FamilyAccess, record_id: int, body: PaymentMethodUpdate
) -> PaymentMethodOut:
    row = _own(family, record_id)
    require_version(row, body.version, lambda: _out(row), "payment method")
    if row.is_default and not body.is_default:
        raise Invalid(
            "One method is always the default: make another one the default instead.",
            fields={"is_default": "make another method the default instead"},
        )
    _check_recurring(family, body, row.recurring_authorized)
    becomes_default = body.is_default and not row.is_default
    recurring_changes = body.recurring_authorized != row.recurring_authorized
    if not (becomes_default or recurring_changes):
        return _out(row)  # nothing changes: no write, no audit row, the same version
    if becomes_default:
        _make_default(family, row)
    if recurring_changes:
        _record_authorization(family, row, body.recurring_authorized)
        row.recurring_authorized = body.recurring_authorized
    family.db.flush()
    family.audit(
        "payment_method.update",
        {"payment_method": row.id},
        {"is_default": row.is_default, "recurring": row.recurring_authorized},
    )
    return _out(row)


def _referenced(family: FamilyAccess, row: tables.PaymentMethod) -> bool:
    """Ledger entries or authorization records name the method: it stays, marked removed."""
    by_ledger = exists().where(tables.LedgerEntry.payment_method_id == row.id)
    by_consent = exists().where(tables.RecurringAuthorization.payment_method_id == row.id)
    return bool(family.db.scalar(select(by_ledger | by_consent)))


def delete_method(family: FamilyAccess, record_id: int, version: int) -> None:
    row = _own(family, record_id)
    require_version(row, version, lambda: _out(row), "payment method")
    if row.is_default and row.recurring_authorized:
        raise Conflict(DEPENDED_ON)
    if row.recurring_authorized:
        _record_authorization(family, row, False)
        family.db.flush()
    soft = _referenced(family, row)
    family.audit("payment_method.delete", {"payment_method": row.id}, {"kept_as_removed": soft})
    successor = next((m for m in _methods(family, row.guardian_id) if m is not row), None)
    was_default = row.is_default
    if soft:
        row.removed, row.is_default, row.recurring_authorized = True, False, False
    else:
        family.db.delete(row)
    family.db.flush()  # the old default goes before its successor takes over
    if was_default and successor is not None:
        successor.is_default = True
    family.db.flush()
