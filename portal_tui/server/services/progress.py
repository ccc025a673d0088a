"""A student's progress: their evaluated skills per level, and their attendance per enrollment."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.services.access import FamilyAccess
from portal_tui.server.services.students import enrollment_out, find_student
from portal_tui.wire.progress import (
    AttendanceCounts,
    EnrollmentAttendance,
    LevelProgress,
    SessionAttendance,
    SkillOut,
    SkillStatus,
    StudentAttendance,
    StudentEvaluations,
)
from portal_tui.wire.students import (
    AttendanceStatus,
    EnrollmentKind,
    EnrollmentStatus,
    EvaluationStatus,
)

SKILL_STATUS = {
    EvaluationStatus.PASSED: SkillStatus.PASSED,
    EvaluationStatus.IN_PROGRESS: SkillStatus.IN_PROGRESS,
    EvaluationStatus.NOT_YET: SkillStatus.NOT_STARTED,
}

CAME = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
"""Statuses meaning the student came; at a makeup enrollment's session they read "makeup"."""


def evaluations(family: FamilyAccess, student_id: int) -> StudentEvaluations:
    """Each level the student has an evaluation in or a current class of, in the levels'
    order, with every skill as its latest evaluation left it (never evaluated: not started)."""
    db = family.db
    student = find_student(family, student_id)
    latest: dict[int, tables.Evaluation] = {}
    level_ids: set[int] = set()
    rows = db.execute(
        select(tables.Evaluation, tables.Skill.level_id)
        .join(tables.Skill, tables.Skill.id == tables.Evaluation.skill_id)
        .where(tables.Evaluation.student_id == student.id)
        .order_by(tables.Evaluation.evaluated_on, tables.Evaluation.id)
    ).all()
    for evaluation, level_id in rows:
        latest[evaluation.skill_id] = evaluation  # later rows are newer
        level_ids.add(level_id)
    class_levels = db.scalars(
        select(tables.SchoolClass.level_id)
        .join(tables.Enrollment, tables.Enrollment.class_id == tables.SchoolClass.id)
        .where(
            tables.Enrollment.student_id == student.id,
            tables.Enrollment.status == EnrollmentStatus.CURRENT,
            tables.Enrollment.kind == EnrollmentKind.REGULAR,
        )
    )
    level_ids.update(level_id for level_id in class_levels if level_id is not None)
    levels = db.scalars(
        select(tables.Level)
        .where(tables.Level.id.in_(level_ids))
        .order_by(tables.Level.sort_order, tables.Level.id)
    ).all()
    skills = db.scalars(
        select(tables.Skill).where(tables.Skill.level_id.in_(level_ids)).order_by(tables.Skill.id)
    ).all()
    return StudentEvaluations(
        student_id=student.id,
        levels=[
            _level(level, [_skill(s, latest.get(s.id)) for s in skills if s.level_id == level.id])
            for level in levels
        ],
    )


def _skill(skill: tables.Skill, evaluation: tables.Evaluation | None) -> SkillOut:
    if evaluation is None:
        return SkillOut(
            skill_id=skill.id,
            name=skill.name,
            status=SkillStatus.NOT_STARTED,
            evaluated_on=None,
            comment="",
        )
    return SkillOut(
        skill_id=skill.id,
        name=skill.name,
        status=SKILL_STATUS[evaluation.status],
        evaluated_on=evaluation.evaluated_on,
        comment=evaluation.comment,
    )


def _level(level: tables.Level, skills: list[SkillOut]) -> LevelProgress:
    count = Counter(skill.status for skill in skills)
    return LevelProgress(
        level_id=level.id,
        level_name=level.name,
        skills=skills,
        passed=count[SkillStatus.PASSED],
        in_progress=count[SkillStatus.IN_PROGRESS],
        not_started=count[SkillStatus.NOT_STARTED],
    )


def attendance(family: FamilyAccess, student_id: int) -> StudentAttendance:
    """The attendance of each of the student's class enrollments (waitlist places have none):
    current ones first, then past ones (most recent first), each session newest first.

    At a makeup enrollment's session, a student who came is shown as "makeup".
    """
    db = family.db
    student = find_student(family, student_id)
    enrolled = db.execute(
        select(tables.Enrollment, tables.SchoolClass, tables.Location)
        .join(tables.SchoolClass, tables.SchoolClass.id == tables.Enrollment.class_id)
        .join(tables.Location, tables.Location.id == tables.SchoolClass.location_id)
        .where(
            tables.Enrollment.student_id == student.id,
            tables.Enrollment.kind != EnrollmentKind.WAITLIST,
        )
        .order_by(tables.SchoolClass.weekday, tables.SchoolClass.start_time, tables.Enrollment.id)
    ).all()
    sessions: dict[int, list[SessionAttendance]] = {e.id: [] for e, _, _ in enrolled}
    kinds = {e.id: e.kind for e, _, _ in enrolled}
    held = db.execute(
        select(tables.Attendance, tables.ClassSession.starts_at)
        .join(tables.ClassSession, tables.ClassSession.id == tables.Attendance.class_session_id)
        .where(tables.Attendance.enrollment_id.in_(sessions))
        .order_by(tables.ClassSession.starts_at.desc(), tables.Attendance.id.desc())
    ).all()
    for row, starts_at in held:
        status = row.status
        if kinds[row.enrollment_id] is EnrollmentKind.MAKEUP and status in CAME:
            status = AttendanceStatus.MAKEUP
        sessions[row.enrollment_id].append(
            SessionAttendance(
                class_session_id=row.class_session_id, starts_at=starts_at, status=status
            )
        )
    current = [row for row in enrolled if row[0].status is EnrollmentStatus.CURRENT]
    past = [row for row in enrolled if row[0].status is not EnrollmentStatus.CURRENT]
    past.sort(key=lambda row: _ended(row[0]), reverse=True)
    return StudentAttendance(
        student_id=student.id,
        enrollments=[
            EnrollmentAttendance(
                enrollment=enrollment_out(enrollment, klass, location),
                past=enrollment.status is not EnrollmentStatus.CURRENT,
                sessions=sessions[enrollment.id],
                counts=_counts(sessions[enrollment.id]),
            )
            for enrollment, klass, location in current + past
        ],
    )


def _ended(enrollment: tables.Enrollment) -> date:
    return enrollment.end_date or enrollment.start_date


def _counts(sessions: list[SessionAttendance]) -> AttendanceCounts:
    count = Counter(session.status for session in sessions)
    return AttendanceCounts(**{status.value: count[status] for status in AttendanceStatus})
