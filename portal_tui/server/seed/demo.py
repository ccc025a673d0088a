"""The demo business, built relative to "today" so every run on the same day is identical."""

from __future__ import annotations

import itertools
import random
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server.seed.common import SEED, demo_password_hash, months_back, stamp
from portal_tui.server.seed.demo_catalog import build_catalog
from portal_tui.server.seed.demo_others import build_classmates, build_nguyen
from portal_tui.server.seed.demo_people import Ctx
from portal_tui.server.seed.demo_rivera import build_rivera
from portal_tui.server.services import ledger_amounts, ledger_totals
from portal_tui.server.tables import Business, Family, User

STAFF_EMAIL = "front.desk@example.com"


def seed_demo(db: Session, *, today: date) -> None:
    """Fill an empty schema with the demo business and its families; commit once.

    Raises RuntimeError when a business already exists.
    """
    if db.scalar(select(Business.id).limit(1)) is not None:
        raise RuntimeError("The database already has data.")
    catalog = build_catalog(db, today=today)
    db.add(
        User(
            email=STAFF_EMAIL,
            password_hash=demo_password_hash(),
            staff_role_id=catalog.front_desk.id,
            display_name="Taylor Brooks",
            created_at=stamp(months_back(today, 24)),
        )
    )
    ctx = Ctx(db, today, random.Random(SEED), catalog, itertools.count(1))
    build_rivera(ctx)
    build_nguyen(ctx)
    build_classmates(ctx)
    db.flush()
    ledger_totals.recount(db, select(Family.id))
    ledger_amounts.recount(db, select(Family.id))
    db.commit()
