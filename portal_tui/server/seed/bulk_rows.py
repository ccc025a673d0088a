"""Benchmark rows: buffered Core inserts with ids chosen here (never ORM objects), and the
ledger rows every generated family is made of."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from portal_tui.server.seed.common import stamp
from portal_tui.server.seed.common import tuition_description as tuition
from portal_tui.server.services import ledger_amounts, ledger_totals
from portal_tui.server.services.allocation import oldest_first
from portal_tui.server.services.ledger_places import Appender
from portal_tui.server.tables import Base, Enrollment, Family, LedgerEntry, PaymentAllocation
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus

CHUNK = 10_000
"""Rows buffered before they are inserted."""


@dataclass(frozen=True)
class ClassRow:
    """A class, as much of it as the generated ledgers need."""

    id: int
    location_id: int
    name: str
    tuition_cents: int


class Writer:
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
        """Insert what is buffered, count the new families' ledger totals and amounts, and (on
        PostgreSQL) move the id sequences on."""
        self.flush()
        if self._first_family is not None:
            new = select(Family.id).where(Family.id >= self._first_family)
            ledger_totals.recount(self._db, new)
            ledger_amounts.recount(self._db, new)
        if self._db.get_bind().dialect.name == "postgresql":
            for table, next_id in self._next_id.items():
                sequence = func.pg_get_serial_sequence(table.name, "id")
                self._db.execute(select(func.setval(sequence, next_id - 1)))


def enroll(w: Writer, student: int, klass: ClassRow, start: date) -> None:
    w.add(
        Enrollment,
        student_id=student,
        class_id=klass.id,
        kind=EnrollmentKind.REGULAR,
        status=EnrollmentStatus.CURRENT,
        start_date=start,
        created_at=stamp(start),
    )


def tuition_charge(
    w: Writer, family: int, day: date, student: int, klass: ClassRow
) -> tuple[int, int]:
    """A month's tuition for `klass`, charged on `day`: its id and amount."""
    amount = klass.tuition_cents
    description = tuition(klass.name, day)
    return entry(
        w, family, EntryKind.CHARGE, day, klass, amount, description, student=student
    ), amount


def pay(
    w: Writer,
    family: int,
    day: date,
    klass: ClassRow,
    due: list[tuple[int, int]],
    label: str,
    method: int,
    extra: int = 0,
) -> int:
    """A payment of the charges `due` (id, amount, oldest first) at `klass`'s location, and
    `extra` more, allocated by the one rule; return its id."""
    total = sum(amount for _, amount in due)
    payment = entry(
        w, family, EntryKind.PAYMENT, day, klass, total + extra, f"Payment – {label}", method=method
    )
    allocate(w, payment, total + extra, due)
    return payment


def allocate(
    w: Writer, source: int, amount: int, due: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Allocate `amount` of the payment or credit `source` to the charges `due` (id, what it
    owes, oldest first) by the one rule; return what they owe after it."""
    paid = dict(oldest_first(amount, due))
    for charge, part in paid.items():
        w.add(PaymentAllocation, source_entry_id=source, charge_entry_id=charge, amount_cents=part)
    return [
        (charge, owed - paid.get(charge, 0)) for charge, owed in due if owed > paid.get(charge, 0)
    ]


def entry(
    w: Writer,
    family: int,
    kind: EntryKind,
    day: date,
    klass: ClassRow,
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
