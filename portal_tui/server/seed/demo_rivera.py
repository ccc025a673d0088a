"""The Rivera family: the demo sign-in's account, with something to show in every view."""

from __future__ import annotations

from datetime import date, time, timedelta

from portal_tui.server.security import token_digest
from portal_tui.server.seed.common import local_instant, months_back, stamp
from portal_tui.server.seed.demo_ledger import Quirks, entry, tuition_charges, write_ledger
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
from portal_tui.server.tables import (
    Address,
    ClassSession,
    Email,
    Enrollment,
    FutureAbsence,
    Guardian,
    Invitation,
    MakeupToken,
    PaymentMethod,
    Phone,
    Punch,
    PunchPass,
    Student,
)
from portal_tui.wire.account import InvitationStatus, LoginAccess, PhoneLabel
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_SECONDARY_EMAIL
from portal_tui.wire.ledger import EntryKind
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.students import EnrollmentKind, MakeupTokenStatus


def build_rivera(ctx: Ctx) -> None:
    """Jordan (primary) and Sam (secondary, accepted) Rivera, with Mia, Leo and Ava."""
    today = ctx.today
    since = months_back(today, 31)
    family, (jordan, sam), (mia, leo, ava) = add_family(
        ctx,
        "Rivera Family",
        since,
        [
            Person("Jordan", "Rivera", login_access=LoginAccess.CAN_LOG_IN, relation="Parent"),
            Person(
                "Sam",
                "Rivera",
                False,
                LoginAccess.CAN_LOG_IN,
                can_make_payments=False,
                relation="Parent",
            ),
        ],
        [
            ("Mia", date(today.year - 10, 5, 14)),
            ("Leo", date(today.year - 7, 9, 3)),
            ("Ava", date(today.year - 5, 1, 22)),
        ],
    )
    _logins_and_contacts(ctx, family.id, jordan, sam, since)
    visa, checking = _payment_methods(ctx, jordan, sam, since)
    passes = {
        _punch_pass(ctx, ava, "Open Swim 10-Class Pass", 10, months_back(today, 2), 15000): 4,
        _punch_pass(
            ctx, mia, "Gymnastics 5-Class Drop-In Pass", 5, months_back(today, 14), 9000
        ): 5,
    }
    # A token in every status at both locations; each pending or spent one has its makeup.
    makeup_tokens = [
        issue_token(ctx, mia, "north", MakeupTokenStatus.PENDING, 35),
        issue_token(ctx, leo, "down", MakeupTokenStatus.PENDING, 30),
        issue_token(ctx, mia, "north", MakeupTokenStatus.SPENT, 60),
        issue_token(ctx, leo, "down", MakeupTokenStatus.SPENT, 70),
    ]
    issue_token(ctx, ava, "north", MakeupTokenStatus.AVAILABLE, 21)
    issue_token(ctx, mia, "down", MakeupTokenStatus.AVAILABLE, 14)
    issue_token(ctx, leo, "north", MakeupTokenStatus.EXPIRED, 150)
    issue_token(ctx, mia, "down", MakeupTokenStatus.EXPIRED, 200)
    ctx.db.flush()

    for punch_pass, used in passes.items():
        ctx.db.add_all(
            Punch(
                punch_pass_id=punch_pass.id,
                used_at=local_instant(punch_pass.purchased_on + timedelta(weeks=n), time(10)),
            )
            for n in range(1, used + 1)
        )
    enrolled = _enrollments(ctx, mia, leo, ava, makeup_tokens)
    ctx.db.flush()

    record_attendance(ctx, enrolled)
    evaluate(ctx, mia, "swim2", 40, "PPPP")
    evaluate(ctx, mia, "swim3", 6, "PIIN")
    evaluate(ctx, mia, "gym1", 30, "PPIN")
    evaluate(ctx, leo, "swim1", 380, "PPPP")
    evaluate(ctx, leo, "swim2", 13, "PPIN")
    evaluate(ctx, ava, "swim1", 20, "PIIN")
    leo_swim2 = next(e for e, k in enrolled if e.student_id == leo.id and k.name == "Swim Level 2")
    _future_absences(ctx, mia, leo_swim2)
    north = ctx.catalog.locations["north"].id
    pass_charges = [
        entry(
            family_id=family.id,
            kind=EntryKind.CHARGE,
            day=p.purchased_on,
            location_id=north,
            student_id=p.student_id,
            amount=p.amount_paid_cents,
            description=p.name,
        )
        for p in passes
    ]
    write_ledger(
        ctx.db,
        family_id=family.id,
        charges=tuition_charges(family_id=family.id, enrollments=enrolled, today=today)
        + pass_charges,
        payers=[visa, checking],
        today=today,
        quirks=Quirks(
            north, short_cents=8500, overpay_cents=5000, refund_cents=3000, credit_cents=1500
        ),
    )


def _logins_and_contacts(
    ctx: Ctx, family_id: int, jordan: Guardian, sam: Guardian, since: date
) -> None:
    """Both logins, Sam's accepted invitation, and contacts: some opted out, some unassigned."""
    invited = ctx.today - timedelta(days=90)
    add_login(ctx, jordan, DEMO_EMAIL, since)
    add_login(ctx, sam, DEMO_SECONDARY_EMAIL, invited + timedelta(days=1))
    ids = {"family_id": family_id}
    ctx.db.add_all(
        [
            Invitation(
                guardian_id=sam.id,
                email=DEMO_SECONDARY_EMAIL,
                token_hash=token_digest("demo-invitation-sam-rivera"),
                status=InvitationStatus.ACCEPTED,
                sent_at=stamp(invited),
                expires_at=stamp(invited + timedelta(days=7)),
                accepted_at=stamp(invited + timedelta(days=1)),
                created_at=stamp(invited),
            ),
            Address(
                **ids,
                guardian_id=jordan.id,
                line1="2417 W Belmont Ave",
                line2="Apt 3",
                city="Chicago",
                region="IL",
                postal_code="60618",
            ),
            Email(**ids, guardian_id=jordan.id, address=DEMO_EMAIL, is_login=True),
            Email(**ids, guardian_id=jordan.id, address="jordan.work@example.com", opted_out=True),
            Email(**ids, guardian_id=sam.id, address=DEMO_SECONDARY_EMAIL, is_login=True),
            Email(**ids, guardian_id=None, address="rivera.household@example.com"),
            Phone(**ids, guardian_id=jordan.id, number="+17735550192", label=PhoneLabel.MOBILE),
            Phone(
                **ids,
                guardian_id=jordan.id,
                number="+13125550131",
                label=PhoneLabel.WORK,
                opted_out=True,
            ),
            Phone(**ids, guardian_id=sam.id, number="+13125550148", label=PhoneLabel.MOBILE),
            Phone(**ids, guardian_id=None, number="+17735550175", label=PhoneLabel.HOME),
        ]
    )


def _payment_methods(
    ctx: Ctx, jordan: Guardian, sam: Guardian, since: date
) -> tuple[PaymentMethod, PaymentMethod]:
    """Jordan's Visa (default, recurring) and checking account, and Sam's Mastercard."""
    year = ctx.today.year
    visa = PaymentMethod(
        guardian_id=jordan.id,
        kind=PaymentMethodKind.CARD,
        gateway_token="tok-ok-demo-visa-4242",
        brand="Visa",
        last4="4242",
        exp_month=12,
        exp_year=year + 2,
        is_default=True,
        recurring_authorized=True,
        created_at=stamp(since),
    )
    checking = PaymentMethod(
        guardian_id=jordan.id,
        kind=PaymentMethodKind.BANK,
        gateway_token="tok-ok-demo-bank-6789",
        brand="Checking",
        last4="6789",
        is_default=False,
        recurring_authorized=False,
        created_at=stamp(since + timedelta(days=45)),
    )
    mastercard = PaymentMethod(
        guardian_id=sam.id,
        kind=PaymentMethodKind.CARD,
        gateway_token="tok-ok-demo-mc-4444",
        brand="Mastercard",
        last4="4444",
        exp_month=8,
        exp_year=year + 1,
        is_default=True,
        recurring_authorized=False,
        created_at=stamp(ctx.today - timedelta(days=88)),
    )
    ctx.db.add_all([visa, checking, mastercard])
    return visa, checking


def _punch_pass(
    ctx: Ctx, student: Student, name: str, punches: int, month: date, paid: int
) -> PunchPass:
    """A pass bought on the 10th of `month`, good for 180 days; active while unexpired."""
    bought = month + timedelta(days=9)
    expires = bought + timedelta(days=180)
    punch_pass = PunchPass(
        student_id=student.id,
        name=name,
        punches_total=punches,
        purchased_on=bought,
        expires_on=expires,
        amount_paid_cents=paid,
        active=expires >= ctx.today,
    )
    ctx.db.add(punch_pass)
    return punch_pass


def _enrollments(
    ctx: Ctx, mia: Student, leo: Student, ava: Student, makeup_tokens: list[MakeupToken]
) -> list[Enrolled]:
    """Current and past classes at both locations, a waitlist place, and four makeups: one
    upcoming and one held at each location, using the pending and the spent tokens."""
    today = ctx.today
    # Mia moved up to Level 3 (at Downtown) on the first of the month two weeks ago or less.
    moved_up = months_back(today - timedelta(days=14), 0)
    enrolled = [
        enroll(ctx, mia, "north_swim2", months_back(today, 30), end=moved_up - timedelta(days=1)),
        enroll(ctx, mia, "down_swim3", moved_up),
        enroll(ctx, mia, "north_gym1", months_back(today, 12)),
        enroll(
            ctx, leo, "down_swim1", months_back(today, 24), end=ctx.catalog.last_day("down_swim1")
        ),
        enroll(ctx, leo, "north_swim2", months_back(today, 12)),
        enroll(ctx, ava, "north_swim1", months_back(today, 8)),
        enroll(
            ctx,
            ava,
            "down_gym1",
            today - timedelta(days=10),
            kind=EnrollmentKind.WAITLIST,
            waitlist_position=2,
        ),
    ]
    sessions = [
        _upcoming(ctx, "north_swim3")[0],
        _upcoming(ctx, "down_swim2")[0],
        _held(ctx, "north_swim3", 7),
        _held(ctx, "down_swim2", 25),
    ]
    students = [mia, leo, mia, leo]
    keys = ["north_swim3", "down_swim2"] * 2
    for student, key, session, makeup_token in zip(
        students, keys, sessions, makeup_tokens, strict=True
    ):
        day = ctx.catalog.session_day(session)
        enrolled.append(
            enroll(
                ctx,
                student,
                key,
                day,
                end=day if day < today else None,
                kind=EnrollmentKind.MAKEUP,
                session=session,
                makeup_token=makeup_token,
            )
        )
    return enrolled


def _future_absences(ctx: Ctx, mia: Student, leo_swim2: Enrollment) -> None:
    """Mia away for four days; Leo missing one Swim Level 2 class."""
    trip = ctx.today + timedelta(days=24)
    dentist = _upcoming(ctx, "north_swim2")[1]
    ctx.db.add_all(
        [
            FutureAbsence(
                student_id=mia.id,
                starts_at=local_instant(trip, time(0)),
                ends_at=local_instant(trip + timedelta(days=3), time(23, 59)),
                note="Family trip",
                created_at=stamp(ctx.today - timedelta(days=2)),
            ),
            FutureAbsence(
                student_id=leo_swim2.student_id,
                starts_at=dentist.starts_at,
                ends_at=dentist.ends_at,
                enrollment_id=leo_swim2.id,
                note="Dentist appointment",
                created_at=stamp(ctx.today - timedelta(days=1)),
            ),
        ]
    )


def _upcoming(ctx: Ctx, class_key: str) -> list[ClassSession]:
    """A class's sessions from four days ahead on that are not cancelled."""
    klass = ctx.catalog.classes[class_key]
    later = ctx.catalog.sessions_between(klass.id, ctx.today + timedelta(days=4), date.max)
    return [s for s in later if not s.cancelled]


def _held(ctx: Ctx, class_key: str, days_ago: int) -> ClassSession:
    """A class's last session at least `days_ago` days before today."""
    klass = ctx.catalog.classes[class_key]
    last = ctx.today - timedelta(days=days_ago)
    return ctx.catalog.sessions_between(klass.id, date.min, last)[-1]
