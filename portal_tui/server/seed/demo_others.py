"""The other demo families: the Nguyens (a second login, for isolation) and classmates."""

from __future__ import annotations

from datetime import date, timedelta

from portal_tui.server.security import token_digest
from portal_tui.server.seed.common import months_back, stamp
from portal_tui.server.seed.demo_ledger import tuition_charges, write_ledger
from portal_tui.server.seed.demo_people import (
    Ctx,
    Enrolled,
    Person,
    add_family,
    add_login,
    enroll,
    evaluate,
    issue_token,
    record_attendance,
)
from portal_tui.server.tables import Address, Email, Invitation, PaymentMethod, Phone
from portal_tui.wire.account import InvitationStatus, LoginAccess, PhoneLabel
from portal_tui.wire.demo import DEMO_INVITATION_CODE, DEMO_INVITED_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.invitations import INVITATION_HOURS
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.students import EnrollmentKind, MakeupTokenStatus

CLASSMATES = (
    ("Patel", "Priya", "Aarav", 9),
    ("Okafor", "Ngozi", "Chidi", 7),
    ("Kowalski", "Anna", "Zofia", 5),
    ("Schmidt", "Karl", "Emma", 3),
    ("Haddad", "Rami", "Layla", 0),
)
"""Families filling Downtown's gymnastics class: guardian, student, months enrolled (0 = first
on its waitlist). With the Nguyens' Linh the class is full."""


def build_nguyen(ctx: Ctx) -> None:
    """Casey Nguyen (primary, can log in), Alex (invited), Linh and Bao."""
    db, today = ctx.db, ctx.today
    since = months_back(today, 15)
    family, (casey, alex), (linh, bao) = add_family(
        ctx,
        "Nguyen Family",
        since,
        [
            Person("Casey", "Nguyen", login_access=LoginAccess.CAN_LOG_IN),
            Person("Alex", "Nguyen", False, LoginAccess.INVITE_SENT, can_make_payments=False),
        ],
        [("Linh", date(today.year - 8, 11, 2)), ("Bao", date(today.year - 6, 3, 18))],
    )
    add_login(ctx, casey, OTHER_FAMILY_EMAIL, since)
    invited = stamp(today - timedelta(days=1))  # its code works until tomorrow
    db.add(
        Invitation(
            guardian_id=alex.id,
            email=DEMO_INVITED_EMAIL,
            token_hash=token_digest(DEMO_INVITATION_CODE),
            status=InvitationStatus.SENT,
            sent_at=invited,
            expires_at=invited + timedelta(hours=INVITATION_HOURS),
            created_at=invited,
        )
    )
    db.add_all(
        [
            Address(
                family_id=family.id,
                guardian_id=casey.id,
                line1="5521 N Kenmore Ave",
                city="Chicago",
                region="IL",
                postal_code="60640",
            ),
            Email(
                family_id=family.id, guardian_id=casey.id, address=OTHER_FAMILY_EMAIL, is_login=True
            ),
            Email(family_id=family.id, guardian_id=alex.id, address="alex.nguyen@example.com"),
            Phone(
                family_id=family.id,
                guardian_id=casey.id,
                number="+17735550163",
                label=PhoneLabel.MOBILE,
            ),
        ]
    )
    amex = PaymentMethod(
        guardian_id=casey.id,
        kind=PaymentMethodKind.CARD,
        gateway_token="tok-ok-demo-amex-0005",
        brand="American Express",
        last4="0005",
        exp_month=3,
        exp_year=today.year + 3,
        is_default=True,
        recurring_authorized=True,
        created_at=stamp(since),
    )
    db.add(amex)
    issue_token(ctx, bao, "lake", MakeupTokenStatus.AVAILABLE, 10)
    db.flush()

    enrolled = [
        enroll(ctx, linh, "down_gym1", months_back(today, 14)),
        enroll(
            ctx, bao, "down_swim1", months_back(today, 14), end=ctx.catalog.last_day("down_swim1")
        ),
        enroll(ctx, bao, "lake_swim2", months_back(today, 6)),
    ]
    db.flush()
    record_attendance(ctx, enrolled)
    evaluate(ctx, linh, "gym1", 15, "PPII")
    evaluate(ctx, bao, "swim1", 200, "PPPP")
    evaluate(ctx, bao, "swim2", 9, "PINN")
    write_ledger(
        db,
        family_id=family.id,
        charges=tuition_charges(family_id=family.id, enrollments=enrolled, today=today),
        payers=[amex],
        today=today,
    )


def build_classmates(ctx: Ctx) -> None:
    """One-guardian families with no login, each with one student in Downtown gymnastics."""
    db, today = ctx.db, ctx.today
    for surname, parent, child, months in CLASSMATES:
        since = months_back(today, months + 1)
        family, (guardian,), (student,) = add_family(
            ctx,
            f"{surname} Family",
            since,
            [Person(parent, surname)],
            [(child, date(today.year - 8, 1 + months, 10))],
        )
        handle = f"{parent}.{surname}".lower()
        db.add(Email(family_id=family.id, guardian_id=guardian.id, address=f"{handle}@example.com"))
        card = PaymentMethod(
            guardian_id=guardian.id,
            kind=PaymentMethodKind.CARD,
            gateway_token=f"tok-ok-demo-visa-{handle}",
            brand="Visa",
            last4=f"{1000 + 37 * months:04d}",
            exp_month=1 + months,
            exp_year=today.year + 2,
            is_default=True,
            recurring_authorized=True,
            created_at=stamp(since),
        )
        db.add(card)
        if not months:
            enroll(
                ctx,
                student,
                "down_gym1",
                today - timedelta(days=20),
                kind=EnrollmentKind.WAITLIST,
                waitlist_position=1,
            )
            continue
        enrolled: list[Enrolled] = [enroll(ctx, student, "down_gym1", months_back(today, months))]
        db.flush()
        record_attendance(ctx, enrolled)
        write_ledger(
            db,
            family_id=family.id,
            charges=tuition_charges(family_id=family.id, enrollments=enrolled, today=today),
            payers=[card],
            today=today,
        )
