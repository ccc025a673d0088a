"""Students' punch passes: listing them with the punches used, and redeeming a punch."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from portal_tui.server import clock, tables
from portal_tui.server.errors import Conflict
from portal_tui.server.services.access import FamilyAccess, require_version
from portal_tui.server.services.localtime import business_today
from portal_tui.server.services.students import find_student, find_student_record
from portal_tui.wire.passes import PassOut, PassStatus, RedeemPunch

REFUSALS = {
    PassStatus.USED_UP: "Every punch of this pass has been used.",
    PassStatus.EXPIRED: "This pass has expired.",
    PassStatus.INACTIVE: "This pass is no longer active.",
}
"""Why a punch cannot be redeemed from a pass that is not active."""


def pass_status(punch_pass: tables.PunchPass, used: int, today: date) -> PassStatus:
    """Active, or the first reason it is not: used up, expired, made inactive."""
    if used >= punch_pass.punches_total:
        return PassStatus.USED_UP
    if punch_pass.expires_on is not None and punch_pass.expires_on < today:
        return PassStatus.EXPIRED
    if not punch_pass.active:
        return PassStatus.INACTIVE
    return PassStatus.ACTIVE


def _punches_used(db: Session, pass_ids: list[int]) -> dict[int, int]:
    rows = db.execute(
        select(tables.Punch.punch_pass_id, func.count())
        .where(tables.Punch.punch_pass_id.in_(pass_ids))
        .group_by(tables.Punch.punch_pass_id)
    ).all()
    used = dict.fromkeys(pass_ids, 0)
    used.update({pass_id: count for pass_id, count in rows})
    return used


def pass_out(punch_pass: tables.PunchPass, used: int, today: date) -> PassOut:
    return PassOut(
        id=punch_pass.id,
        student_id=punch_pass.student_id,
        name=punch_pass.name,
        punches_total=punch_pass.punches_total,
        punches_used=used,
        punches_remaining=max(punch_pass.punches_total - used, 0),
        purchased_on=punch_pass.purchased_on,
        expires_on=punch_pass.expires_on,
        amount_paid_cents=punch_pass.amount_paid_cents,
        status=pass_status(punch_pass, used, today),
        version=punch_pass.version,
    )


def list_passes(family: FamilyAccess, student_id: int) -> list[PassOut]:
    """The student's punch passes, newest purchase first."""
    student = find_student(family, student_id)
    passes = list(
        family.db.scalars(
            select(tables.PunchPass)
            .where(tables.PunchPass.student_id == student.id)
            .order_by(tables.PunchPass.purchased_on.desc(), tables.PunchPass.id.desc())
        )
    )
    used = _punches_used(family.db, [p.id for p in passes])
    today = business_today(family.zone)
    return [pass_out(p, used[p.id], today) for p in passes]


def redeem_punch(family: FamilyAccess, record_id: int, body: RedeemPunch) -> PassOut:
    """Use one punch of an active pass; a used-up, expired or inactive pass is refused (409
    with the pass as it is), as is a stale version. The pass's version rises, so a second
    redeem from the same screen must read the pass again."""
    punch_pass = find_student_record(family, tables.PunchPass, record_id, "pass")
    today = business_today(family.zone)
    current = pass_out(punch_pass, _punches_used(family.db, [punch_pass.id])[punch_pass.id], today)
    require_version(punch_pass, body.version, lambda: current, "pass")
    if current.status is not PassStatus.ACTIVE:
        raise Conflict(REFUSALS[current.status], current=current)
    family.db.add(tables.Punch(punch_pass_id=punch_pass.id, used_at=clock.now()))
    flag_modified(punch_pass, "punches_total")  # a new version: the punch changed the pass
    family.db.flush()
    family.audit(
        "punch_pass.redeem",
        {"punch_pass": punch_pass.id, "student": punch_pass.student_id},
        {"punches_remaining": current.punches_remaining - 1},
    )
    return pass_out(punch_pass, current.punches_used + 1, today)
