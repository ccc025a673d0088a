"""Apply Credit: the family's unapplied payments and credits pay its open charges at their
own location, oldest charge first (and oldest credit first), after a preview of exactly what
they will pay. Keeping each location's credit to its charges keeps what a location owes
(Make Payment's cap) equal to its balance."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Conflict, Invalid
from portal_tui.server.services import allocation, ledger_totals
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.locks import lock_row
from portal_tui.wire.payments import ApplyCredit, CreditLine, CreditPlan


def plan(db: Session, family_id: int, *, write: bool = False) -> CreditPlan:
    """What the family's credit pays now: each credit its own location's charges, oldest
    first; with `write`, the allocations are added. The kept totals answer without reading
    the ledger when no location has both credit and open charges."""
    totals = ledger_totals.by_location(db, family_id)
    whole = sum(totals.values(), ledger_totals.Totals())
    outstanding = whole.open_cents
    credit = max(0, outstanding - whole.balance_cents)
    left = min(credit, outstanding)
    if left <= 0 or not any(min(t.open_cents, t.unapplied_cents) > 0 for t in totals.values()):
        return CreditPlan(credit_cents=credit, lines=[], total_cents=0)
    charges = allocation.open_charges(db, family_id)
    paid: dict[int, tuple[tables.LedgerEntry, int]] = {}
    for source, rest in allocation.unapplied_sources(db, family_id):
        if left <= 0:
            break
        here = [(c, due) for c, due in charges if c.location_id == source.location_id]
        parts = allocation.oldest_first(min(rest, left), here)
        allocation.settle(charges, parts)
        if write:
            allocation.record(db, source, parts)
        for charge, part in parts:
            before = paid.get(charge.id, (charge, 0))[1]
            paid[charge.id] = (charge, before + part)
        left -= sum(part for _c, part in parts)
    lines = [
        CreditLine(
            charge_id=charge.id,
            entry_date=charge.entry_date,
            description=charge.description,
            amount_cents=amount,
        )
        for charge, amount in sorted(paid.values(), key=lambda p: (p[0].entry_date, p[0].id))
    ]
    return CreditPlan(
        credit_cents=credit, lines=lines, total_cents=sum(line.amount_cents for line in lines)
    )


def preview(family: FamilyAccess) -> CreditPlan:
    """What Apply Credit would pay now."""
    return plan(family.db, family.id)


def apply(family: FamilyAccess, body: ApplyCredit) -> CreditPlan:
    """Apply the credit as previewed: 409 with the new preview if it would now pay another
    total (a payment or another Apply Credit came first)."""
    lock_row(family.db, tables.Family, family.id)
    current = preview(family)
    if current.total_cents == 0:
        raise Invalid("There is no credit to apply to outstanding charges.")
    if current.total_cents != body.total_cents:
        raise Conflict("The credit or the charges changed since the preview.", current=current)
    applied = plan(family.db, family.id, write=True)
    family.db.flush()
    family.audit(
        "credit.apply",
        {},
        {
            "total_cents": applied.total_cents,
            "charge_ids": [line.charge_id for line in applied.lines],
        },
    )
    return applied
