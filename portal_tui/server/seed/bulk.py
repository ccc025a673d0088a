"""Benchmark data: many generated families, and one family with a huge ledger
(seed/bulk_ledger). Rows go in through seed/bulk_rows' Writer."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server.seed.bulk_ledger import ledger_family
from portal_tui.server.seed.bulk_rows import ClassRow, Writer, enroll, entry, pay, tuition_charge
from portal_tui.server.seed.common import (
    SEED,
    demo_password_hash,
    month_starts,
    months_back,
    stamp,
)
from portal_tui.server.services.checkin import seeded_checkin_code
from portal_tui.server.tables import (
    Address,
    Email,
    Family,
    Guardian,
    PaymentMethod,
    Phone,
    SchoolClass,
    Student,
    User,
)
from portal_tui.server.tables.ledger_text import filled_at_the_end
from portal_tui.wire.account import LoginAccess, PhoneLabel
from portal_tui.wire.demo import DEMO_EMAIL
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind

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


def seed_bulk(db: Session, *, today: date, families: int, ledger_rows: int) -> None:
    """Add `families` generated families (login `bulk{n}@example.com`) and, when
    `ledger_rows` > 0, the "Ledger Family" (login `big.ledger@example.com`) with exactly that
    many ledger entries. Runs after `seed_demo`, whose password every login shares."""
    if db.scalar(select(User.id).where(User.email == DEMO_EMAIL)) is None:
        raise RuntimeError("Seed the demo first: the bulk logins share its password.")
    classes = [
        ClassRow(c.id, c.location_id, c.name, c.tuition_cents)
        for c in db.scalars(
            select(SchoolClass).where(SchoolClass.ends_on.is_(None)).order_by(SchoolClass.id)
        )
    ]
    writer = Writer(db)
    rng = random.Random(SEED)
    with filled_at_the_end(db):
        for n in range(1, families + 1):
            _family(writer, rng, n, today=today, classes=classes)
        if ledger_rows > 0:
            ledger_family(writer, ledger_rows, today=today, classes=classes)
        writer.finish()
    db.commit()


def _family(
    w: Writer,
    rng: random.Random,
    n: int,
    *,
    today: date,
    classes: list[ClassRow],
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
        password_hash=demo_password_hash(),
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
    first: tuple[int, ClassRow] | None = None
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
            enroll(w, student, klass, months_back(today, 11))
            first = first or (student, klass)
    assert first is not None
    _year_oftuition_charge(w, family, method, f"{brand} ••{last4}", first, today)


def _year_oftuition_charge(
    w: Writer, family: int, method: int, label: str, first: tuple[int, ClassRow], today: date
) -> None:
    """A registration fee and twelve months of tuition; each month but this one paid on the
    5th."""
    student, klass = first
    months = month_starts(months_back(today, 11), today)
    fee = entry(
        w, family, EntryKind.CHARGE, months[0], klass, 2500, "Registration fee", student=student
    )
    for month in months:
        charge = tuition_charge(w, family, month, student, klass)
        if month == months[-1]:
            break
        due = [(fee, 2500)] if month == months[0] else []
        due.append(charge)
        pay(w, family, month.replace(day=5), klass, due, label, method)
