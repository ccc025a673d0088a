"""The benchmark's "Ledger Family": one family with a ledger of any size, credits and
refunds among its payments."""

from __future__ import annotations

from datetime import date, timedelta

from portal_tui.server.seed.bulk_rows import (
    ClassRow,
    Writer,
    allocate,
    enroll,
    entry,
    pay,
    tuition_charge,
)
from portal_tui.server.seed.common import demo_password_hash, stamp
from portal_tui.server.services.checkin import seeded_checkin_code
from portal_tui.server.tables import Email, Family, Guardian, PaymentMethod, Student, User
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind

LEDGER_EMAIL = "big.ledger@example.com"
"""The Ledger Family's login."""

EVERY = 40
"""The big ledger has a credit and a refund in every this many groups of entries."""
CREDIT = 1500
OVERPAID = 2500
"""The big ledger's credits, and what its refunded payments paid too much."""


def ledger_family(w: Writer, rows: int, *, today: date, classes: list[ClassRow]) -> None:
    """Three students at two locations and exactly `rows` ledger entries, oldest first, in
    groups at one location at a time (see `_groups`)."""
    since = today - timedelta(days=3660)
    family = w.add(Family, name="Ledger Family", created_at=stamp(since))
    guardian = w.add(
        Guardian,
        family_id=family,
        first_name="Morgan",
        last_name="Ledger",
        is_primary=True,
        login_access=LoginAccess.CAN_LOG_IN,
        can_make_payments=True,
    )
    w.add(
        User,
        email=LEDGER_EMAIL,
        password_hash=demo_password_hash(),
        guardian_id=guardian,
        display_name="Morgan Ledger",
        created_at=stamp(since),
    )
    w.add(
        Email,
        family_id=family,
        guardian_id=guardian,
        address=LEDGER_EMAIL,
        is_login=True,
        opted_out=False,
    )
    method = w.add(
        PaymentMethod,
        guardian_id=guardian,
        kind=PaymentMethodKind.CARD,
        gateway_token="tok-ok-demo-visa-1881",
        brand="Visa",
        last4="1881",
        exp_month=6,
        exp_year=today.year + 2,
        is_default=True,
        recurring_authorized=True,
        removed=False,
        created_at=stamp(since),
    )
    locations = sorted({c.location_id for c in classes})[:2]
    by_location: list[list[tuple[int, ClassRow]]] = [[] for _ in locations]
    for k, first_name in enumerate(("Avery", "Blake", "Casey")):
        student = w.add(
            Student,
            family_id=family,
            first_name=first_name,
            last_name="Ledger",
            birth_date=date(today.year - 6 - 2 * k, 4, 1 + k),
            checkin_code=seeded_checkin_code(f"ledger-{k + 1}"),
        )
        for place, location_id in enumerate(locations):
            here = [c for c in classes if c.location_id == location_id]
            klass = here[k % len(here)]
            enroll(w, student, klass, since)
            by_location[place].append((student, klass))

    plan = _groups(rows)
    span = min(3650, len(plan) * 7)
    for group, (charges, extra) in enumerate(plan):
        day = today - timedelta(days=span - group * span // len(plan))
        pairs = by_location[group % len(locations)]
        due = [tuition_charge(w, family, day, *pairs[k % len(pairs)]) for k in range(charges)]
        klass = pairs[0][1]
        if extra is EntryKind.CREDIT:
            kind = EntryKind.CREDIT
            credit = entry(w, family, kind, day, klass, CREDIT, "Sibling discount credit")
            due = allocate(w, credit, CREDIT, due)
        if extra is None and group == len(plan) - 1:
            break  # the last group's charges are left unpaid
        over = OVERPAID if extra is EntryKind.REFUND else 0
        payment = pay(w, family, day, klass, due, "Visa ••1881", method, over)
        if over:
            description = "Refund – overpayment (Visa ••1881)"
            refund = EntryKind.REFUND
            entry(
                w, family, refund, day, klass, over, description, method=method, refund_of=payment
            )


def _groups(rows: int) -> list[tuple[int, EntryKind | None]]:
    """Exactly `rows` entries in groups: each three charges and a payment of them; in every
    `EVERY`th group a credit pays part of them first, and in another the payment pays too
    much and the excess is refunded the same day. The last group is up to four charges left
    unpaid. Each group: its charges and its extra entry's kind."""
    plan: list[tuple[int, EntryKind | None]] = []
    while rows > 4:
        extra = {EVERY // 2: EntryKind.CREDIT, EVERY - 1: EntryKind.REFUND}.get(len(plan) % EVERY)
        if rows <= 5:
            extra = None
        plan.append((3, extra))
        rows -= 4 if extra is None else 5
    plan.append((rows, None))
    return plan
