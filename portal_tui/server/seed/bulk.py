"""Benchmark data: many generated families, and one family with a huge ledger.

Rows go in through Core `executemany` inserts with ids chosen here, never ORM objects.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from portal_tui.server.seed.common import SEED, month_starts, months_back, stamp
from portal_tui.server.seed.common import tuition_description as tuition
from portal_tui.server.services import ledger_totals
from portal_tui.server.services.allocation import oldest_first
from portal_tui.server.services.checkin import seeded_checkin_code
from portal_tui.server.services.ledger_places import Appender
from portal_tui.server.tables import (
    Address,
    Base,
    Email,
    Enrollment,
    Family,
    Guardian,
    LedgerEntry,
    PaymentAllocation,
    PaymentMethod,
    Phone,
    SchoolClass,
    Student,
    User,
)
from portal_tui.wire.account import LoginAccess, PhoneLabel
from portal_tui.wire.demo import DEMO_EMAIL
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

CHUNK = 10_000
"""Rows buffered before they are inserted."""
EVERY = 40
"""The big ledger has a credit and a refund in every this many groups of entries."""
CREDIT = 1500
OVERPAID = 2500
"""The big ledger's credits, and what its refunded payments paid too much."""
LEDGER_EMAIL = "big.ledger@example.com"

FIRST_NAMES = (
    "Aiden", "Amara", "Bella", "Caleb", "Chloe", "Daniel", "Elena", "Ethan", "Fatima", "Gabriel",
    "Grace", "Hana", "Isaac", "Jada", "Jamal", "Kai", "Lena", "Lucas", "Maya", "Mateo",
    "Noah", "Nora", "Omar", "Olivia", "Paulo", "Quinn", "Rosa", "Samir", "Sofia", "Theo",
    "Uma", "Victor", "Wen", "Xavier", "Yara", "Zane",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Baker", "Chen", "Diaz", "Evans", "Flores", "Garcia", "Hughes", "Ito", "Johnson",
    "Khan", "Lopez", "Martin", "Novak", "Owens", "Park", "Quinn", "Reyes", "Singh", "Taylor",
    "Usman", "Vargas", "Walker", "Xu", "Young", "Zimmerman",
)  # fmt: skip
STREETS = ("N Clark St", "W Addison St", "N Halsted St", "W Diversey Pkwy", "N Damen Ave")
BRANDS = ("Visa", "Mastercard", "Discover")


@dataclass(frozen=True)
class _Class:
    id: int
    location_id: int
    name: str
    tuition_cents: int


class _Writer:
    """Buffers rows per table with ids it picks, and inserts them in chunks, parents first.

    Versioned tables get `version` 1. On PostgreSQL, `finish` moves each id sequence past
    the ids used.
    """

    def __init__(self, db: Session) -> None:
        self._db = db
        self._rows: dict[Table, list[dict[str, Any]]] = {}
        self._next_id: dict[Table, int] = {}
        self._buffered = 0
        self.places = Appender()
        """Each ledger entry's places and balances: every family's ledger goes in oldest first."""
        self._first_family: int | None = None

    def add(self, model: type[Base], **row: Any) -> int:
        """Buffer one row of `model`'s table; return its id."""
        table = cast(Table, model.__table__)
        if table not in self._next_id:
            self._next_id[table] = (self._db.scalar(select(func.max(table.c.id))) or 0) + 1
        row_id = row["id"] = self._next_id[table]
        self._next_id[table] = row_id + 1
        if model is Family and self._first_family is None:
            self._first_family = row_id
        if "version" in table.c:
            row["version"] = 1
        self._rows.setdefault(table, []).append(row)
        self._buffered += 1
        if self._buffered >= CHUNK:
            self.flush()
        return row_id

    def flush(self) -> None:
        for table in Base.metadata.sorted_tables:
            rows = self._rows.pop(table, None)
            if rows:
                self._db.execute(insert(table), rows)
        self._buffered = 0

    def finish(self) -> None:
        """Insert what is buffered, count the new families' ledger totals, and (on
        PostgreSQL) move the id sequences on."""
        self.flush()
        if self._first_family is not None:
            new = select(Family.id).where(Family.id >= self._first_family)
            ledger_totals.recount(self._db, new)
        if self._db.get_bind().dialect.name == "postgresql":
            for table, next_id in self._next_id.items():
                sequence = func.pg_get_serial_sequence(table.name, "id")
                self._db.execute(select(func.setval(sequence, next_id - 1)))


def seed_bulk(db: Session, *, today: date, families: int, ledger_rows: int) -> None:
    """Add `families` generated families (login `bulk{n}@example.com`) and, when
    `ledger_rows` > 0, the "Ledger Family" (login `big.ledger@example.com`) with exactly that
    many ledger entries. Runs after `seed_demo`, whose password every login shares."""
    password_hash = db.scalar(select(User.password_hash).where(User.email == DEMO_EMAIL))
    if password_hash is None:
        raise RuntimeError("Seed the demo first: the bulk logins share its password.")
    classes = [
        _Class(c.id, c.location_id, c.name, c.tuition_cents)
        for c in db.scalars(
            select(SchoolClass).where(SchoolClass.ends_on.is_(None)).order_by(SchoolClass.id)
        )
    ]
    writer = _Writer(db)
    rng = random.Random(SEED)
    for n in range(1, families + 1):
        _family(writer, rng, n, today=today, classes=classes, password_hash=password_hash)
    if ledger_rows > 0:
        _ledger_family(
            writer, ledger_rows, today=today, classes=classes, password_hash=password_hash
        )
    writer.finish()
    db.commit()


def _family(
    w: _Writer,
    rng: random.Random,
    n: int,
    *,
    today: date,
    classes: list[_Class],
    password_hash: str,
) -> None:
    """A family of 1–2 guardians and 1–3 students, contacts, a card, enrollments, and a
    year of tuition: 13 charges and 11 payments, each allocated."""
    last_name = rng.choice(LAST_NAMES)
    since = months_back(today, rng.randrange(12, 48))
    created = stamp(since)
    family = w.add(Family, name=f"{last_name} Family", created_at=created)
    guardians = [
        w.add(
            Guardian,
            family_id=family,
            first_name=rng.choice(FIRST_NAMES),
            last_name=last_name,
            is_primary=k == 0,
            login_access=LoginAccess.CAN_LOG_IN if k == 0 else LoginAccess.NONE,
            can_make_payments=k == 0,
        )
        for k in range(rng.randint(1, 2))
    ]
    email = f"bulk{n}@example.com"
    primary = guardians[0]
    contact = {"family_id": family, "guardian_id": primary}
    w.add(
        User,
        email=email,
        password_hash=password_hash,
        guardian_id=primary,
        display_name=f"{rng.choice(FIRST_NAMES)} {last_name}",
        created_at=created,
    )
    w.add(Email, **contact, address=email, is_login=True, opted_out=False)
    w.add(
        Phone,
        **contact,
        number=f"+1312555{n % 10_000:04d}",
        label=PhoneLabel.MOBILE,
        opted_out=False,
    )
    w.add(
        Address,
        **contact,
        line1=f"{rng.randint(100, 9999)} {rng.choice(STREETS)}",
        line2="",
        city="Chicago",
        region="IL",
        postal_code=f"606{rng.randint(1, 60):02d}",
    )
    brand = rng.choice(BRANDS)
    last4 = f"{rng.randrange(10_000):04d}"
    method = w.add(
        PaymentMethod,
        guardian_id=primary,
        kind=PaymentMethodKind.CARD,
        gateway_token=f"tok-ok-bulk-{n}",
        brand=brand,
        last4=last4,
        exp_month=rng.randint(1, 12),
        exp_year=today.year + rng.randint(1, 4),
        is_default=True,
        recurring_authorized=True,
        removed=False,
        created_at=created,
    )
    first: tuple[int, _Class] | None = None
    for s in range(rng.randint(1, 3)):
        student = w.add(
            Student,
            family_id=family,
            first_name=rng.choice(FIRST_NAMES),
            last_name=last_name,
            birth_date=date(
                today.year - rng.randint(4, 14), rng.randint(1, 12), rng.randint(1, 28)
            ),
            checkin_code=seeded_checkin_code(f"bulk-{n}-{s + 1}"),
        )
        for klass in rng.sample(classes, rng.randint(1, 2)):
            _enroll(w, student, klass, months_back(today, 11))
            first = first or (student, klass)
    assert first is not None
    _year_of_tuition(w, family, method, f"{brand} ••{last4}", first, today)


def _enroll(w: _Writer, student: int, klass: _Class, start: date) -> None:
    w.add(
        Enrollment,
        student_id=student,
        class_id=klass.id,
        kind=EnrollmentKind.REGULAR,
        status=EnrollmentStatus.CURRENT,
        start_date=start,
        created_at=stamp(start),
    )


def _year_of_tuition(
    w: _Writer, family: int, method: int, label: str, first: tuple[int, _Class], today: date
) -> None:
    """A registration fee and twelve months of tuition; each month but this one paid on the
    5th."""
    student, klass = first
    months = month_starts(months_back(today, 11), today)
    fee = _entry(
        w, family, EntryKind.CHARGE, months[0], klass, 2500, "Registration fee", student=student
    )
    for month in months:
        charge = _tuition(w, family, month, student, klass)
        if month == months[-1]:
            break
        due = [(fee, 2500)] if month == months[0] else []
        due.append(charge)
        _pay(w, family, month.replace(day=5), klass, due, label, method)


def _tuition(w: _Writer, family: int, day: date, student: int, klass: _Class) -> tuple[int, int]:
    """A month's tuition for `klass`, charged on `day`: its id and amount."""
    amount = klass.tuition_cents
    description = tuition(klass.name, day)
    return _entry(
        w, family, EntryKind.CHARGE, day, klass, amount, description, student=student
    ), amount


def _pay(
    w: _Writer,
    family: int,
    day: date,
    klass: _Class,
    due: list[tuple[int, int]],
    label: str,
    method: int,
    extra: int = 0,
) -> int:
    """A payment of the charges `due` (id, amount, oldest first) at `klass`'s location, and
    `extra` more, allocated by the one rule; return its id."""
    total = sum(amount for _, amount in due)
    payment = _entry(
        w, family, EntryKind.PAYMENT, day, klass, total + extra, f"Payment – {label}", method=method
    )
    _allocate(w, payment, total + extra, due)
    return payment


def _allocate(
    w: _Writer, source: int, amount: int, due: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Allocate `amount` of the payment or credit `source` to the charges `due` (id, what it
    owes, oldest first) by the one rule; return what they owe after it."""
    paid = dict(oldest_first(amount, due))
    for charge, part in paid.items():
        w.add(PaymentAllocation, source_entry_id=source, charge_entry_id=charge, amount_cents=part)
    return [
        (charge, owed - paid.get(charge, 0)) for charge, owed in due if owed > paid.get(charge, 0)
    ]


def _entry(
    w: _Writer,
    family: int,
    kind: EntryKind,
    day: date,
    klass: _Class,
    amount: int,
    description: str,
    *,
    student: int | None = None,
    method: int | None = None,
    refund_of: int | None = None,
) -> int:
    return w.add(
        LedgerEntry,
        family_id=family,
        kind=kind,
        entry_date=day,
        location_id=klass.location_id,
        student_id=student,
        amount_cents=amount,
        description=description,
        payment_method_id=method,
        refund_of_id=refund_of,
        created_at=stamp(day),
        **w.places.next(
            family_id=family,
            kind=kind,
            location_id=klass.location_id,
            entry_date=day,
            amount_cents=amount,
        ),
    )


def _ledger_family(
    w: _Writer, rows: int, *, today: date, classes: list[_Class], password_hash: str
) -> None:
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
        password_hash=password_hash,
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
    by_location: list[list[tuple[int, _Class]]] = [[] for _ in locations]
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
            _enroll(w, student, klass, since)
            by_location[place].append((student, klass))

    plan = _groups(rows)
    span = min(3650, len(plan) * 7)
    for group, (charges, extra) in enumerate(plan):
        day = today - timedelta(days=span - group * span // len(plan))
        pairs = by_location[group % len(locations)]
        due = [_tuition(w, family, day, *pairs[k % len(pairs)]) for k in range(charges)]
        klass = pairs[0][1]
        if extra is EntryKind.CREDIT:
            kind = EntryKind.CREDIT
            credit = _entry(w, family, kind, day, klass, CREDIT, "Sibling discount credit")
            due = _allocate(w, credit, CREDIT, due)
        if extra is None and group == len(plan) - 1:
            break  # the last group's charges are left unpaid
        over = OVERPAID if extra is EntryKind.REFUND else 0
        payment = _pay(w, family, day, klass, due, "Visa ••1881", method, over)
        if over:
            description = "Refund – overpayment (Visa ••1881)"
            refund = EntryKind.REFUND
            _entry(
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
