"""Two writes racing for one thing: the later one waits for the earlier one's lock and then
sees what it wrote (on SQLite and PostgreSQL).

Each race is played out step by step, so it is the same every run: the first write runs in
one session and stays uncommitted; the second starts in another session on another thread,
and the first commits as soon as the second is about to write (where a lock makes it wait).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.errors import ApiError, Conflict, Invalid
from portal_tui.server.outbox import FolderOutbox
from portal_tui.server.services import absences as absences_service
from portal_tui.server.services import enrollments as enrollments_service
from portal_tui.server.services import invitations as invitations_service
from portal_tui.server.services import makeup_sessions
from portal_tui.server.services import makeups as makeups_service
from portal_tui.server.services.business import get_business
from portal_tui.server.services.localtime import business_zone
from portal_tui.wire.absences import AbsenceByDate
from portal_tui.wire.account import InvitationStatus
from portal_tui.wire.demo import DEMO_INVITATION_CODE, DEMO_INVITED_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.enrollments import TransferRequest
from portal_tui.wire.invitations import InvitationAccept, InvitationSend
from portal_tui.wire.makeups import UseMakeupToken
from portal_tui.wire.students import EnrollmentKind, EnrollmentStatus
from tests.server.test_makeups import add_token, database, family_access, ids
from tests.servers import set_settings

TODAY = date(2026, 3, 2)
Write = Callable[[Session], Any]


def outcome(write: Write, db: Session) -> int:
    """The HTTP status the write would answer with."""
    try:
        write(db)
    except Invalid:
        return 422
    except (Conflict, StaleDataError):
        return 409
    except ApiError as error:
        raise AssertionError(error) from error
    return 200


def race(db_url: str, first: Write, second: Write) -> list[int]:
    """Statuses of `first` and `second`, racing as the module docstring says."""
    engines = make_engine(db_url), make_engine(db_url)
    writing = threading.Event()

    @event.listens_for(engines[1], "before_cursor_execute")
    def _about_to_write(_c: Any, _cur: Any, statement: str, *_args: Any) -> None:
        words = statement.lstrip().upper()
        if words.startswith(("UPDATE", "INSERT", "DELETE")) or "FOR UPDATE" in words:
            writing.set()

    statuses: list[int] = []
    with make_sessionmaker(engines[0])() as early, early.begin():
        statuses.append(outcome(first, early))

        def late() -> None:
            with make_sessionmaker(engines[1])() as db:
                with db.begin():
                    status = outcome(second, db)
                    if status != 200:
                        db.rollback()
                statuses.append(status)
            writing.set()

        thread = threading.Thread(target=late)
        thread.start()
        assert writing.wait(60)
    thread.join(60)
    for engine in engines:
        engine.dispose()
    return statuses


# Transfers


def test_two_transfers_into_a_class_with_one_seat_left_one_is_refused(db_url: str) -> None:
    set_settings(db_url, transfer_enrollments="true")
    found = ids(db_url)
    with database(db_url) as db:
        classes = {
            (k.name, db.get(tables.Location, k.location_id).name): k  # type: ignore[union-attr]
            for k in db.scalars(select(tables.SchoolClass))
        }
        northside = classes[("Gymnastics Beginner", "Northside")]
        lakeview = classes[("Gymnastics Beginner", "Lakeview")]
        mia = db.scalars(
            select(tables.Enrollment).where(
                tables.Enrollment.student_id == found["Mia"],
                tables.Enrollment.class_id == northside.id,
                tables.Enrollment.status == EnrollmentStatus.CURRENT,
            )
        ).one()
        leo = tables.Enrollment(
            student_id=found["Leo"],
            class_id=northside.id,
            kind=EnrollmentKind.REGULAR,
            status=EnrollmentStatus.CURRENT,
            start_date=TODAY,
        )
        db.add(leo)
        db.flush()
        taken = len(
            db.scalars(
                select(tables.Enrollment).where(
                    tables.Enrollment.class_id == lakeview.id,
                    tables.Enrollment.kind == EnrollmentKind.REGULAR,
                    tables.Enrollment.status == EnrollmentStatus.CURRENT,
                )
            ).all()
        )
        lakeview.capacity = taken + 1
        moves = [(mia.id, mia.version), (leo.id, leo.version)]
        target = lakeview.id

    def transfer(move: tuple[int, int]) -> Write:
        body = TransferRequest(version=move[1], class_id=target)
        return lambda db: enrollments_service.transfer(family_access(db), move[0], body)

    assert race(db_url, transfer(moves[0]), transfer(moves[1])) == [200, 422]
    with database(db_url) as db:
        now_in = db.scalars(
            select(tables.Enrollment.id).where(
                tables.Enrollment.class_id == target,
                tables.Enrollment.status == EnrollmentStatus.CURRENT,
            )
        ).all()
    assert len(now_in) == taken + 1


# Makeup tokens


def test_one_token_used_twice_at_once_for_the_same_session_is_409(db_url: str) -> None:
    found = ids(db_url)
    token = add_token(db_url, found["Mia"], found["Downtown"], date(2026, 6, 1))
    with database(db_url) as db:
        (session_id,) = [
            s.id
            for s in makeup_sessions.open_sessions(
                db,
                local=business_zone(get_business(db=db)),
                student_id=found["Mia"],
                first_day=TODAY,
                last_day=date(2026, 6, 1),
                location_id=found["Downtown"],
            )[:1]
        ]
        version = db.get(tables.MakeupToken, token).version  # type: ignore[union-attr]
    body = UseMakeupToken(version=version, class_session_id=session_id)

    def use(db: Session) -> Any:
        return makeups_service.use_token(family_access(db), token, body)

    assert race(db_url, use, use) == [200, 409]
    with database(db_url) as db:
        booked = db.scalars(
            select(tables.Enrollment).where(tables.Enrollment.makeup_token_id == token)
        ).all()
    assert len(booked) == 1


# Absences


def test_the_same_absence_given_twice_at_once_earns_one_token(db_url: str) -> None:
    found = ids(db_url)
    body = AbsenceByDate(
        start_date=date(2026, 3, 12),
        start_time=time(16, 0),
        end_date=date(2026, 3, 12),
        end_time=time(19, 0),
    )

    def give(db: Session) -> Any:
        return absences_service.add_by_date(family_access(db), found["Mia"], body)

    def given() -> list[tables.FutureAbsence]:
        with database(db_url) as db:
            return list(
                db.scalars(
                    select(tables.FutureAbsence).where(
                        tables.FutureAbsence.student_id == found["Mia"]
                    )
                )
            )

    before = len(given())
    assert race(db_url, give, give) == [200, 409]
    added = given()[before:]
    assert len(added) == 1 and added[0].makeup_token_id is not None


# Invitations


def test_one_invitation_accepted_twice_at_once_makes_one_sign_in(db_url: str) -> None:
    def accept(password: str) -> Write:
        answer = {"code": DEMO_INVITATION_CODE, "password": password, "adult": True}
        body = InvitationAccept.model_validate(answer)
        return lambda db: invitations_service.accept(db=db, body=body, source="test", address="")

    first, second = accept("violet kettle drums sideways"), accept("amber lantern hills")
    assert race(db_url, first, second) == [200, 422]
    with database(db_url) as db:
        users = db.scalars(select(tables.User).where(tables.User.email == DEMO_INVITED_EMAIL))
        assert len(users.all()) == 1


def test_two_re_sends_at_once_leave_one_code_working(db_url: str, tmp_path: Path) -> None:
    with database(db_url) as db:
        alex = db.scalars(
            select(tables.Invitation).where(tables.Invitation.email == DEMO_INVITED_EMAIL)
        ).one()
        guardian = db.get(tables.Guardian, alex.guardian_id)
        assert guardian is not None
        guardian_id, version = guardian.id, guardian.version
    body = InvitationSend(email=DEMO_INVITED_EMAIL, version=version)

    def resend(db: Session) -> Any:
        family = family_access(db, OTHER_FAMILY_EMAIL)
        return invitations_service.send_invitation(
            family, guardian_id, body, FolderOutbox(tmp_path)
        )

    assert race(db_url, resend, resend) == [200, 409]
    with database(db_url) as db:
        working = db.scalars(
            select(tables.Invitation).where(
                tables.Invitation.guardian_id == guardian_id,
                tables.Invitation.status == InvitationStatus.SENT,
            )
        )
        assert len(working.all()) == 1
