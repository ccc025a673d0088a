"""The makeup token an absence earns by its notice, and what cancelling the absence does to it.

An absence earns one token when the business grants them (`absence_makeup_tokens`) and
makeup tokens are on, and it is given at least `absence_token_notice_hours` before the first
class session it covers — a session of one of the student's current regular enrollments,
not cancelled, overlapping the absence. The token is available at that class's location and
expires `makeup_token_days` after it is issued. A session already covered by another
absence that earned a token earns no second one.

Cancelling the absence withdraws its token (the row goes) while the token is unused
(available, or expired); once it is applied to a makeup (pending) or spent, the cancel is
refused with 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal_tui.server import clock, tables
from portal_tui.server.errors import Conflict
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.localtime import business_today, local_day
from portal_tui.wire.absences import AbsenceOut
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus, MakeupTokenStatus

USED = (MakeupTokenStatus.PENDING, MakeupTokenStatus.SPENT)
"""A token in these states is applied to a makeup: it can no longer be withdrawn."""


@dataclass(frozen=True)
class CoveredSession:
    """The first class session an absence covers, and where that class meets."""

    starts_at: datetime
    ends_at: datetime
    location_id: int


def first_covered(
    family: FamilyAccess,
    student: tables.Student,
    starts: datetime,
    ends: datetime,
    local: ZoneInfo,
) -> CoveredSession | None:
    """The earliest session of the student's current regular classes (not cancelled, within
    the enrollment's dates) that overlaps `starts`–`ends`."""
    rows = family.db.execute(
        select(tables.ClassSession, tables.Enrollment, tables.SchoolClass)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.ClassSession.class_id)
        .join(tables.Enrollment, tables.Enrollment.class_id == tables.SchoolClass.id)
        .where(
            tables.Enrollment.student_id == student.id,
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
            tables.ClassSession.cancelled.is_(False),
            tables.ClassSession.starts_at < ends,
            tables.ClassSession.ends_at > starts,
        )
        .order_by(tables.ClassSession.starts_at)
    ).all()
    for session, enrollment, klass in rows:
        day = local_day(session.starts_at, local)
        after_end = enrollment.end_date is not None and day > enrollment.end_date
        if day >= enrollment.start_date and not after_end:
            return CoveredSession(session.starts_at, session.ends_at, klass.location_id)
    return None


def _already_earned(
    family: FamilyAccess, absence: tables.FutureAbsence, first: CoveredSession
) -> bool:
    """Another absence of the student covering the same session earned a token."""
    other = family.db.scalar(
        select(tables.FutureAbsence.id).where(
            tables.FutureAbsence.student_id == absence.student_id,
            tables.FutureAbsence.id != absence.id,
            tables.FutureAbsence.makeup_token_id.is_not(None),
            tables.FutureAbsence.starts_at < first.ends_at,
            tables.FutureAbsence.ends_at > first.starts_at,
        )
    )
    return other is not None


def earn(
    family: FamilyAccess, absence: tables.FutureAbsence, first: CoveredSession | None
) -> tables.MakeupToken | None:
    """Issue and link the absence's makeup token when its notice earns one."""
    settings = family.settings
    if first is None or not (settings.absence_makeup_tokens and family.capabilities.makeup_tokens):
        return None
    notice = timedelta(hours=settings.absence_token_notice_hours)
    if first.starts_at - clock.now() < notice or _already_earned(family, absence, first):
        return None
    today = business_today(family.zone)
    token = tables.MakeupToken(
        student_id=absence.student_id,
        location_id=first.location_id,
        status=MakeupTokenStatus.AVAILABLE,
        issued_on=today,
        expires_on=today + timedelta(days=settings.makeup_token_days),
        reason="Absence given with notice",
    )
    family.db.add(token)
    family.db.flush()
    absence.makeup_token_id = token.id
    family.db.flush()
    return token


def withdrawable(
    family: FamilyAccess, absence: tables.FutureAbsence, current: AbsenceOut
) -> tables.MakeupToken | None:
    """The token to withdraw with the absence; 409 when it is already used for a makeup."""
    if absence.makeup_token_id is None:
        return None
    token = family.db.get(tables.MakeupToken, absence.makeup_token_id)
    if token is None:
        return None
    if token.status in USED:
        raise Conflict(
            "The makeup token this absence earned is already used for a makeup, so the "
            "absence can no longer be cancelled.",
            current=current,
        )
    return token
