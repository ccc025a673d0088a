"""Building blocks for the demo families: people, logins, enrollments, attendance, skills."""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal_tui.server.seed.common import day_label, demo_password_hash, stamp
from portal_tui.server.seed.demo_catalog import Catalog
from portal_tui.server.services.checkin import seeded_checkin_code
from portal_tui.server.tables import (
    Attendance,
    ClassSession,
    Enrollment,
    Evaluation,
    Family,
    Guardian,
    MakeupToken,
    SchoolClass,
    Student,
    User,
)
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.students import (
    AttendanceStatus,
    EnrollmentKind,
    EnrollmentStatus,
    EvaluationStatus,
    MakeupTokenStatus,
)

ATTENDANCE = {
    AttendanceStatus.PRESENT: 80,
    AttendanceStatus.LATE: 8,
    AttendanceStatus.ABSENT: 7,
    AttendanceStatus.EXCUSED: 5,
}
"""How often each attendance status is drawn, in percent."""

COMMENTS = {
    EvaluationStatus.PASSED: (
        "Great work!",
        "Solid and confident.",
        "Ready for the next step.",
        "",
    ),
    EvaluationStatus.IN_PROGRESS: ("Getting there – keep practising.", "Nearly there.", ""),
    EvaluationStatus.NOT_YET: ("We will start on this soon.", ""),
}
EVALUATION_LETTERS = {
    "P": EvaluationStatus.PASSED,
    "I": EvaluationStatus.IN_PROGRESS,
    "N": EvaluationStatus.NOT_YET,
}
"""The letters `evaluate` takes, one a skill."""


@dataclass(frozen=True)
class Ctx:
    """What every demo builder needs."""

    db: Session
    today: date
    rng: random.Random
    catalog: Catalog
    checkin_numbers: Iterator[int]
    """Numbers for students' check-in codes, in creation order."""


@dataclass(frozen=True)
class Person:
    """A guardian to add: name, whether primary, login access, payment permission, relation."""

    first_name: str
    last_name: str
    is_primary: bool = True
    login_access: LoginAccess = LoginAccess.NONE
    can_make_payments: bool = True
    relation: str = ""


Enrolled = tuple[Enrollment, SchoolClass]


def add_family(
    ctx: Ctx,
    name: str,
    since: date,
    guardians: Iterable[Person],
    students: Iterable[tuple[str, date]],
) -> tuple[Family, list[Guardian], list[Student]]:
    """A family with its guardians and students (first name, birth date); flushed."""
    family = Family(name=name, created_at=stamp(since))
    ctx.db.add(family)
    ctx.db.flush()
    last_name = name.removesuffix(" Family")
    added_guardians = [
        Guardian(
            family_id=family.id,
            first_name=p.first_name,
            last_name=p.last_name,
            relation=p.relation,
            is_primary=p.is_primary,
            login_access=p.login_access,
            can_make_payments=p.can_make_payments,
        )
        for p in guardians
    ]
    added_students = [
        Student(
            family_id=family.id,
            first_name=first_name,
            last_name=last_name,
            birth_date=born,
            checkin_code=seeded_checkin_code(f"demo-{next(ctx.checkin_numbers)}"),
        )
        for first_name, born in students
    ]
    ctx.db.add_all([*added_guardians, *added_students])
    ctx.db.flush()
    return family, added_guardians, added_students


def add_login(ctx: Ctx, guardian: Guardian, email: str, since: date) -> User:
    user = User(
        email=email,
        password_hash=demo_password_hash(),
        guardian_id=guardian.id,
        display_name=guardian.full_name,
        created_at=stamp(since),
    )
    ctx.db.add(user)
    return user


def issue_token(
    ctx: Ctx, student: Student, location: str, status: MakeupTokenStatus, issued_days_ago: int
) -> MakeupToken:
    """A makeup token issued for a missed class, good for 90 days."""
    issued = ctx.today - timedelta(days=issued_days_ago)
    made = MakeupToken(
        student_id=student.id,
        location_id=ctx.catalog.locations[location].id,
        status=status,
        issued_on=issued,
        expires_on=issued + timedelta(days=90),
        reason=f"Missed class on {day_label(issued)}",
    )
    ctx.db.add(made)
    return made


def enroll(
    ctx: Ctx,
    student: Student,
    class_key: str,
    start: date,
    *,
    end: date | None = None,
    kind: EnrollmentKind = EnrollmentKind.REGULAR,
    waitlist_position: int | None = None,
    session: ClassSession | None = None,
    makeup_token: MakeupToken | None = None,
) -> Enrolled:
    """An enrollment, past when it has an end date; a makeup names its session and token."""
    klass = ctx.catalog.classes[class_key]
    enrollment = Enrollment(
        student_id=student.id,
        class_id=klass.id,
        kind=kind,
        status=EnrollmentStatus.PAST if end else EnrollmentStatus.CURRENT,
        start_date=start,
        end_date=end,
        waitlist_position=waitlist_position,
        class_session_id=session.id if session else None,
        makeup_token_id=makeup_token.id if makeup_token else None,
        created_at=stamp(min(start, ctx.today) - timedelta(days=7)),
    )
    ctx.db.add(enrollment)
    return enrollment, klass


def record_attendance(ctx: Ctx, enrolled: Iterable[Enrolled]) -> None:
    """Attendance for every held session before today of each regular or makeup enrollment
    (a makeup's one session is recorded as "makeup")."""
    statuses, weights = list(ATTENDANCE), list(ATTENDANCE.values())
    yesterday = ctx.today - timedelta(days=1)
    rows: list[Attendance] = []
    for enrollment, klass in enrolled:
        if enrollment.kind == EnrollmentKind.WAITLIST:
            continue
        sessions = ctx.catalog.sessions_between(
            klass.id, enrollment.start_date, min(enrollment.end_date or yesterday, yesterday)
        )
        for session in sessions:
            if session.cancelled or (
                enrollment.kind == EnrollmentKind.MAKEUP
                and session.id != enrollment.class_session_id
            ):
                continue
            status = AttendanceStatus.MAKEUP
            if enrollment.kind == EnrollmentKind.REGULAR:
                status = ctx.rng.choices(statuses, weights)[0]
            rows.append(
                Attendance(
                    enrollment_id=enrollment.id,
                    class_session_id=session.id,
                    status=status,
                    recorded_at=session.ends_at,
                )
            )
    ctx.db.add_all(rows)


def evaluate(ctx: Ctx, student: Student, level: str, days_ago: int, statuses: str) -> None:
    """Evaluate each skill of a level; `statuses` has one letter a skill: P, I (in progress), N."""
    day = ctx.today - timedelta(days=days_ago)
    ctx.db.add_all(
        Evaluation(
            student_id=student.id,
            skill_id=skill.id,
            status=EVALUATION_LETTERS[letter],
            evaluated_on=day,
            comment=ctx.rng.choice(COMMENTS[EVALUATION_LETTERS[letter]]),
            created_at=stamp(day),
        )
        for skill, letter in zip(ctx.catalog.skills[level], statuses, strict=True)
    )
