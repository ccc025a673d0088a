"""A student's makeup tokens in their five groups, using a token to book a makeup, and
requesting a makeup without one.

A token is used once: using it first moves it from available to pending (before the session
is checked and booked, in the same transaction), and that UPDATE names the token's row
version, so of two uses racing for one token — for the same session or different ones —
exactly one is written and the other gets 409 (StaleDataError).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal_tui.server import clock, tables
from portal_tui.server.errors import Conflict
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.localtime import business_today, local_day
from portal_tui.server.services.makeup_sessions import (
    bookable,
    open_sessions,
    session_out,
    session_rows,
)
from portal_tui.server.services.students import find_student, find_student_record
from portal_tui.wire.makeups import (
    MakeupOut,
    MakeupRequest,
    MakeupsOut,
    MakeupTokenOut,
    MakeupTokensOut,
    OpenSessionOut,
    UseMakeupToken,
)
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus, MakeupTokenStatus

NOUN = "makeup token"


def _makeups(family: FamilyAccess, enrollments: list[tables.Enrollment]) -> list[MakeupOut]:
    """The makeup enrollments with their sessions (in the order given)."""
    sessions = session_rows(
        family.db, [e.class_session_id for e in enrollments if e.class_session_id]
    )
    local = family.zone
    return [
        MakeupOut(
            enrollment_id=e.id,
            session=session_out(*sessions[e.class_session_id], local),
            status=e.status,
            makeup_token_id=e.makeup_token_id,
        )
        for e in enrollments
        if e.class_session_id in sessions
    ]


def _tokens_out(family: FamilyAccess, tokens: list[tables.MakeupToken]) -> list[MakeupTokenOut]:
    ids = [t.id for t in tokens]
    applied = list(
        family.db.scalars(
            select(tables.Enrollment)
            .where(
                tables.Enrollment.makeup_token_id.in_(ids),
                tables.Enrollment.kind == EnrollmentKind.MAKEUP,
            )
            .order_by(tables.Enrollment.id)
        )
    )
    makeups = {m.makeup_token_id: m for m in _makeups(family, applied)}
    locations = {
        loc.id: loc.name
        for loc in family.db.scalars(
            select(tables.Location).where(tables.Location.id.in_({t.location_id for t in tokens}))
        )
    }
    return [
        MakeupTokenOut(
            id=t.id,
            location_id=t.location_id,
            location_name=locations[t.location_id],
            status=t.status,
            issued_on=t.issued_on,
            expires_on=t.expires_on,
            reason=t.reason,
            makeup=makeups.get(t.id),
            version=t.version,
        )
        for t in tokens
    ]


def token_out(family: FamilyAccess, token: tables.MakeupToken) -> MakeupTokenOut:
    return _tokens_out(family, [token])[0]


def _expired(token: tables.MakeupToken, today: date) -> bool:
    """Expired by status, or an available token past its expiry date."""
    return token.status is MakeupTokenStatus.EXPIRED or (
        token.status is MakeupTokenStatus.AVAILABLE and token.expires_on < today
    )


def _held(token: MakeupTokenOut, today: date) -> bool:
    """A pending token whose makeup's day has passed is spent: the makeup was held."""
    return (
        token.status is MakeupTokenStatus.PENDING
        and token.makeup is not None
        and token.makeup.session.day < today
    )


def list_tokens(family: FamilyAccess, student_id: int, location_id: int | None) -> MakeupTokensOut:
    """The student's tokens in the portal's groups, each by nearest expiry; "current" means at
    `location_id` (every available token when no location is chosen)."""
    student = find_student(family, student_id)
    tokens = list(
        family.db.scalars(
            select(tables.MakeupToken)
            .where(tables.MakeupToken.student_id == student.id)
            .order_by(tables.MakeupToken.expires_on, tables.MakeupToken.id)
        )
    )
    out = _tokens_out(family, tokens) if tokens else []
    groups: dict[str, list[MakeupTokenOut]] = {
        k: [] for k in ("current", "other_locations", "pending", "expired", "spent")
    }
    today = business_today(family.zone)
    for token, shown in zip(tokens, out, strict=True):
        if _expired(token, today):
            group = "expired"
        elif _held(shown, today):
            group = "spent"
        elif token.status is MakeupTokenStatus.AVAILABLE:
            here = location_id is None or token.location_id == location_id
            group = "current" if here else "other_locations"
        else:
            group = token.status.value
        groups[group].append(shown)
    return MakeupTokensOut(location_id=location_id, **groups)


def _usable(family: FamilyAccess, token: tables.MakeupToken) -> None:
    """409 unless the token is available and unexpired."""
    expired = _expired(token, business_today(family.zone))
    if token.status is MakeupTokenStatus.AVAILABLE and not expired:
        return
    state = "expired" if expired else token.status.value
    raise Conflict(
        f"This makeup token is {state} and cannot be used.", current=token_out(family, token)
    )


def token_sessions(family: FamilyAccess, token_id: int) -> list[OpenSessionOut]:
    """The sessions a token may book: at its location, from now until it expires."""
    token = find_student_record(family, tables.MakeupToken, token_id, NOUN)
    _usable(family, token)
    return open_sessions(
        family.db,
        local=family.zone,
        student_id=token.student_id,
        first_day=business_today(family.zone),
        last_day=token.expires_on,
        location_id=token.location_id,
    )


def _book(
    family: FamilyAccess,
    session: tables.ClassSession,
    student_id: int,
    token: tables.MakeupToken | None,
) -> tables.Enrollment:
    day = local_day(session.starts_at, family.zone)
    enrollment = tables.Enrollment(
        student_id=student_id,
        class_id=session.class_id,
        kind=EnrollmentKind.MAKEUP,
        status=EnrollmentStatus.CURRENT,
        start_date=day,
        end_date=None,
        class_session_id=session.id,
        makeup_token_id=token.id if token else None,
    )
    family.db.add(enrollment)
    family.db.flush()
    return enrollment


def use_token(family: FamilyAccess, token_id: int, body: UseMakeupToken) -> MakeupTokenOut:
    """Book a makeup with a token: it becomes pending, applied to the new makeup enrollment."""
    token = find_student_record(family, tables.MakeupToken, token_id, NOUN)
    require_version(token, body.version, lambda: token_out(family, token), NOUN)
    _usable(family, token)
    token.status = MakeupTokenStatus.PENDING
    family.db.flush()  # UPDATE … WHERE version = read version: a racing use fails here
    session = bookable(
        family.db,
        local=family.zone,
        student_id=token.student_id,
        session_id=body.class_session_id,
        first_day=business_today(family.zone),
        last_day=token.expires_on,
        location_id=token.location_id,
    )
    enrollment = _book(family, session, token.student_id, token)
    family.audit(
        "makeup_token.use",
        {"makeup_token": token.id, "enrollment": enrollment.id, "class_session": session.id},
    )
    return token_out(family, token)


def request_options(family: FamilyAccess, student_id: int) -> list[OpenSessionOut]:
    """Sessions a makeup may be requested for: any location, within the request window."""
    student = find_student(family, student_id)
    today = business_today(family.zone)
    return open_sessions(
        family.db,
        local=family.zone,
        student_id=student.id,
        first_day=today,
        last_day=today + timedelta(days=family.settings.makeup_request_days),
    )


def request_makeup(family: FamilyAccess, student_id: int, body: MakeupRequest) -> MakeupOut:
    """Book a makeup without a token ("Request a Makeup")."""
    student = find_student(family, student_id)
    today = business_today(family.zone)
    session = bookable(
        family.db,
        local=family.zone,
        student_id=student.id,
        session_id=body.class_session_id,
        first_day=today,
        last_day=today + timedelta(days=family.settings.makeup_request_days),
    )
    enrollment = _book(family, session, student.id, None)
    family.audit("makeup.request", {"enrollment": enrollment.id, "class_session": session.id})
    return _makeups(family, [enrollment])[0]


def list_makeups(family: FamilyAccess, student_id: int) -> MakeupsOut:
    """The student's makeups still to come (nearest first) and held (latest first)."""
    student = find_student(family, student_id)
    enrollments = list(
        family.db.scalars(
            select(tables.Enrollment)
            .join(tables.ClassSession, tables.ClassSession.id == tables.Enrollment.class_session_id)
            .where(
                tables.Enrollment.student_id == student.id,
                tables.Enrollment.kind == EnrollmentKind.MAKEUP,
                tables.Enrollment.status.in_((EnrollmentStatus.CURRENT, EnrollmentStatus.PAST)),
            )
            .order_by(tables.ClassSession.starts_at, tables.Enrollment.id)
        )
    )
    sessions = session_rows(
        family.db, [e.class_session_id for e in enrollments if e.class_session_id]
    )
    now = clock.now()
    over = {sid for sid, (s, _, _) in sessions.items() if s.ends_at <= now}
    upcoming = [e for e in enrollments if e.class_session_id not in over]
    past = [e for e in reversed(enrollments) if e.class_session_id in over]
    return MakeupsOut(upcoming=_makeups(family, upcoming), past=_makeups(family, past))
