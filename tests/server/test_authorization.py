"""The authorization matrix: every operation in /openapi.json, called by every kind of caller.

Each operation has one row in MATRIX saying what each caller gets. Path parameters name the
Rivera family (the demo primary's) and, for a record, a fresh record of the Rivera family made
for that one call, so writes never leak between cases. Contact writes are also checked on
records (and bodies) owned by each guardian in CONTACT_OWNERSHIP: the primary may not change the
accepted secondary's own contacts, nor the secondary the primary's. Edit Guardian is also
checked on the primary's own record and on a guardian never invited (GUARDIAN_EDITS). Every
refused answer (401/403/404) must leave every table exactly as it was.

Cases share one seeded database per backend (SQLite and PostgreSQL), which keeps ~200 cases
per backend fast; they stay independent because each case signs in afresh (so a logout revokes
only its own session) and changes or deletes only the record made for it, and the refused ones
are checked to change nothing at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from portal_tui.server import clock, tables
from portal_tui.server.app import create_app
from portal_tui.server.security import token_digest
from portal_tui.server.seed.demo import STAFF_EMAIL
from portal_tui.server.services import credit as credit_service
from portal_tui.server.services.business import get_business
from portal_tui.server.services.localtime import business_zone
from portal_tui.server.services.makeup_sessions import open_sessions
from portal_tui.wire.account import InvitationStatus, LoginAccess
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.payments import PaymentMethodKind
from portal_tui.wire.students import EnrollmentKind
from tests import servers
from tests.server.conftest import BACKENDS, login


class Caller(Enum):
    """Who calls; the value is the demo user signing in (None: no session at all)."""

    ANONYMOUS = None
    OTHER_FAMILY = OTHER_FAMILY_EMAIL
    SECONDARY = DEMO_SECONDARY_EMAIL
    PRIMARY = DEMO_EMAIL
    STAFF = STAFF_EMAIL


@dataclass(frozen=True)
class Expect:
    """The status each caller gets; 2xx means the operation is allowed to them."""

    anonymous: int
    other_family: int
    secondary: int
    primary: int
    staff: int

    def of(self, caller: Caller) -> int:
        return int(getattr(self, caller.name.lower()))


def public(code: int) -> Expect:
    return Expect(code, code, code, code, code)


def signed_in(code: int) -> Expect:
    """Any session will do; the business's own data, not a family's."""
    return Expect(401, code, code, code, code)


def family(code: int) -> Expect:
    """A route of the Rivera family that both its guardians may use: another family's guardian
    gets 404 (ids reveal nothing), staff 403 (no staff mode yet), no session 401."""
    return Expect(401, 404, code, code, 403)


def kept_by(owner: Literal["primary", "secondary"], code: int) -> Expect:
    """A contact linked to `owner`, who signs in themselves: only they may change it."""
    if owner == "primary":
        return Expect(401, 404, 403, code, 403)
    return Expect(401, 404, code, 403, 403)


F = "/api/v1/families/{family_id}"

MATRIX: dict[tuple[str, str], Expect] = {
    ("GET", "/api/v1/meta"): public(200),
    ("POST", "/api/v1/auth/login"): public(200),
    ("POST", "/api/v1/auth/logout"): signed_in(204),
    ("GET", "/api/v1/auth/me"): signed_in(200),
    # Change Password: the body repeats the current password, so every caller gets 422 and
    # the demo password every later case signs in with stays (test_account_security
    # changes it for real).
    ("POST", "/api/v1/auth/password"): signed_in(422),
    ("GET", "/api/v1/auth/sessions"): signed_in(200),
    ("DELETE", "/api/v1/auth/sessions/{session_id}"): signed_in(204),  # the caller's own
    ("POST", "/api/v1/auth/sessions/end-others"): signed_in(200),
    # Two-step verification: starting only makes a pending secret; confirming and turning off
    # are refused (no pending secret, not on), so every later case still signs in without a
    # code (test_two_step turns it on and off for real).
    ("GET", "/api/v1/auth/two-step"): signed_in(200),
    ("POST", "/api/v1/auth/two-step/start"): signed_in(200),
    ("POST", "/api/v1/auth/two-step/confirm"): signed_in(422),
    ("POST", "/api/v1/auth/two-step/disable"): signed_in(422),
    ("POST", "/api/v1/auth/two-step/recovery-codes"): signed_in(422),
    ("GET", "/api/v1/settings"): signed_in(200),
    ("GET", "/api/v1/locations"): signed_in(200),
    ("GET", F): family(200),
    ("GET", f"{F}/account"): family(200),
    ("GET", f"{F}/students"): family(200),
    ("GET", f"{F}/ledger"): family(200),
    ("GET", f"{F}/ledger/balances"): family(200),
    ("GET", f"{F}/ledger/window"): family(200),
    ("GET", f"{F}/ledger/position"): family(200),
    ("GET", f"{F}/ledger/search"): family(200),
    ("GET", f"{F}/guardians"): family(200),
    # Contacts linked to nobody: either guardian may add, change and delete them.
    ("POST", f"{F}/addresses"): family(201),
    ("PUT", f"{F}/addresses/{{record_id}}"): family(200),
    ("DELETE", f"{F}/addresses/{{record_id}}"): family(204),
    ("POST", f"{F}/emails"): family(201),
    ("PUT", f"{F}/emails/{{record_id}}"): family(200),
    ("DELETE", f"{F}/emails/{{record_id}}"): family(204),
    ("POST", f"{F}/phones"): family(201),
    ("PUT", f"{F}/phones/{{record_id}}"): family(200),
    ("DELETE", f"{F}/phones/{{record_id}}"): family(204),
    # Students: either guardian may add one and change any.
    ("POST", f"{F}/students"): family(201),
    ("PUT", f"{F}/students/{{student_id}}"): family(200),
    # Enrollments (S2): drop and transfer are off by default; the RECORDS maker turns them on
    ("POST", f"{F}/waitlist/{{record_id}}/cancel"): family(200),
    ("POST", f"{F}/enrollments/{{record_id}}/drop"): family(200),
    ("GET", f"{F}/enrollments/{{record_id}}/transfer-options"): family(200),
    ("POST", f"{F}/enrollments/{{record_id}}/transfer"): family(200),
    ("GET", f"{F}/students/{{student_id}}/schedule.ics"): family(200),
    # Evaluations and attendance (S3, S4): reads of either guardian (attendance is on in the demo)
    ("GET", f"{F}/students/{{student_id}}/evaluations"): family(200),
    ("GET", f"{F}/students/{{student_id}}/attendance"): family(200),
    # Makeups (S5): tokens are on in the demo; requests only when tokens are off, so 403 here
    # (tests/server/test_makeups.py covers them switched on).
    ("GET", f"{F}/students/{{student_id}}/makeup-tokens"): family(200),
    ("GET", f"{F}/makeup-tokens/{{record_id}}/sessions"): family(200),
    ("POST", f"{F}/makeup-tokens/{{record_id}}/use"): family(200),
    ("GET", f"{F}/students/{{student_id}}/makeup-options"): Expect(401, 404, 403, 403, 403),
    ("POST", f"{F}/students/{{student_id}}/makeups"): Expect(401, 404, 403, 403, 403),
    ("GET", f"{F}/students/{{student_id}}/makeups"): Expect(401, 404, 403, 403, 403),
    # Future absences (S6)
    ("GET", f"{F}/students/{{student_id}}/absences"): family(200),
    ("POST", f"{F}/students/{{student_id}}/absences"): family(201),
    ("GET", f"{F}/students/{{student_id}}/absences/sessions"): family(200),
    ("POST", f"{F}/students/{{student_id}}/absences/by-enrollment"): family(201),
    ("DELETE", f"{F}/absences/{{record_id}}"): family(204),
    # Check-in codes (S7)
    ("GET", f"{F}/students/{{student_id}}/checkin-code"): family(200),
    ("POST", f"{F}/students/{{student_id}}/checkin-code"): family(200),
    # Punch passes (S8); redeeming is off by default (punch_pass_redeem): test_passes.py
    # checks it allowed when on
    ("GET", f"{F}/students/{{student_id}}/passes"): family(200),
    ("POST", f"{F}/passes/{{record_id}}/redeem"): Expect(401, 404, 403, 403, 403),
    # Payments (P1, P2, P8): the demo secondary was not given permission to make payments
    ("GET", f"{F}/payments/options"): Expect(401, 404, 403, 200, 403),
    ("POST", f"{F}/payments"): Expect(401, 404, 403, 200, 403),
    # a payment's receipt is read like the ledger that lists it, by either guardian
    ("GET", f"{F}/payments/{{record_id}}/receipt"): family(200),
    ("GET", f"{F}/credit/preview"): Expect(401, 404, 403, 200, 403),
    ("POST", f"{F}/credit/apply"): Expect(401, 404, 403, 200, 403),
    # Stored payment methods (P4-P6, P8): each guardian who signs in keeps their own; the
    # record a PUT or DELETE names is the primary's, so the secondary gets 404 there
    ("GET", f"{F}/payment-methods"): family(200),
    ("POST", f"{F}/payment-methods"): family(201),
    ("PUT", f"{F}/payment-methods/{{record_id}}"): Expect(401, 404, 404, 200, 403),
    ("DELETE", f"{F}/payment-methods/{{record_id}}"): Expect(401, 404, 404, 204, 403),
    # Only the primary lets the secondary pay (the record is the secondary guardian)
    ("PUT", f"{F}/guardians/{{record_id}}/payment-permission"): Expect(401, 404, 403, 200, 403),
    # Only the primary manages a secondary's sign-in (A5); each call gets a fresh guardian
    # (GUARDIAN_RECORDS), and the mail goes to the test's outbox folder
    ("POST", f"{F}/guardians/{{record_id}}/invitation"): Expect(401, 404, 403, 200, 403),
    ("POST", f"{F}/guardians/{{record_id}}/revoke"): Expect(401, 404, 403, 200, 403),
    ("POST", f"{F}/guardians/{{record_id}}/password-reset"): Expect(401, 404, 403, 200, 403),
    # With an emailed code, no session needed: each call gets its own code for a throwaway
    # guardian; Forgot Password answers the same for any email
    ("POST", "/api/v1/auth/invitation/accept"): public(200),
    ("POST", "/api/v1/auth/password-reset"): public(202),
    ("POST", "/api/v1/auth/password-reset/complete"): public(200),
    # Add Guardian: only the primary. Edit Guardian of the accepted secondary: only they
    # themselves (GUARDIAN_EDITS: the primary's own record, and a guardian never invited)
    ("POST", f"{F}/guardians"): Expect(401, 404, 403, 201, 403),
    ("PUT", f"{F}/guardians/{{record_id}}"): Expect(401, 404, 200, 403, 403),
    # Transaction History's reports (T2, T3, B10): read by either guardian; statements and
    # ledgers are on in the demo (test_statements.py checks them off: 403)
    ("GET", f"{F}/statement"): family(200),
    ("GET", f"{F}/ledger-report"): family(200),
    ("GET", f"{F}/payment-statement"): family(200),
}
"""(METHOD, path template) of every operation in /openapi.json → what each caller gets."""

Owner = Literal["nobody", "primary", "secondary", "uninvited"]

CONTACT_WRITES = [
    (method, path)
    for (method, path) in MATRIX
    if method != "GET" and path.split("/")[5:6] in (["addresses"], ["emails"], ["phones"])
]

CONTACT_OWNERSHIP: dict[tuple[str, str, Owner], Expect] = {
    (method, path, owner): kept_by(owner, MATRIX[method, path].primary)
    for (method, path) in CONTACT_WRITES
    for owner in ("primary", "secondary")
}
"""The same contact writes on a record (POST: a body) linked to a guardian who signs in."""

GUARDIAN_EDIT = ("PUT", f"{F}/guardians/{{record_id}}")

GUARDIAN_EDITS: dict[tuple[str, str, Owner], Expect] = {
    (*GUARDIAN_EDIT, "primary"): Expect(401, 404, 403, 200, 403),
    (*GUARDIAN_EDIT, "uninvited"): Expect(401, 404, 403, 200, 403),
}
"""Edit Guardian on the primary's own record, and on a guardian added and never invited
(whom the primary may edit; the secondary edits only themselves)."""


# Building the request


@dataclass(frozen=True)
class Demo:
    """Ids in the fresh demo database."""

    family_id: int
    primary_id: int
    secondary_id: int


def demo_ids(db: Session) -> Demo:
    def guardian(email: str) -> tables.Guardian:
        user = db.scalars(select(tables.User).where(tables.User.email == email)).one()
        found = db.get(tables.Guardian, user.guardian_id)
        assert found is not None
        return found

    primary, secondary = guardian(DEMO_EMAIL), guardian(DEMO_SECONDARY_EMAIL)
    assert primary.family_id == secondary.family_id
    return Demo(primary.family_id, primary.id, secondary.id)


def new_contact(db: Session, kind: str, family_id: int, guardian_id: int | None) -> Any:
    """A fresh contact of `kind` in the family, for one call to change or delete."""
    ids = {"family_id": family_id, "guardian_id": guardian_id}
    rows: dict[str, Any] = {
        "addresses": lambda: tables.Address(**ids, line1="1 Target St", city="Chicago"),
        "emails": lambda: tables.Email(**ids, address="target@example.com"),
        "phones": lambda: tables.Phone(**ids, number="+13125550188", label="home"),
    }
    if kind not in rows:
        raise AssertionError(f"teach new_contact() how to make a record for /{kind}/{{record_id}}")
    row = rows[kind]()
    db.add(row)
    db.flush()
    return row


def contact_body(kind: str, guardian_id: int | None) -> dict[str, Any]:
    """A valid body of each contact kind (it changes every field a record might hold)."""
    bodies: dict[str, dict[str, Any]] = {
        "addresses": {"line1": "500 N State St", "city": "Chicago", "region": "IL"},
        "emails": {"address": "changed@example.com", "opted_out": True},
        "phones": {"number": "(312) 555-0199", "label": "work"},
    }
    if kind not in bodies:
        raise AssertionError(f"teach contact_body() a valid body for /{kind}")
    return {**bodies[kind], "guardian_id": guardian_id}


@dataclass(frozen=True)
class Call:
    path: str
    params: dict[str, Any]
    json: dict[str, Any] | None
    headers: dict[str, str]


def rivera_student(db: Session, demo: Demo) -> tables.Student:
    """The Rivera student a student's path names (the first by id)."""
    return db.scalars(
        select(tables.Student)
        .where(tables.Student.family_id == demo.family_id)
        .order_by(tables.Student.id)
    ).first()  # type: ignore[return-value]


RecordMaker = Callable[[Session, Demo], Any]


# Makeups (S5)
def new_makeup_token(db: Session, student: tables.Student) -> tables.MakeupToken:
    """A fresh available token of `student` at the location of their first token."""
    first = db.scalars(
        select(tables.MakeupToken)
        .where(tables.MakeupToken.student_id == student.id)
        .order_by(tables.MakeupToken.id)
    ).first()
    assert first is not None
    token = tables.MakeupToken(
        student_id=student.id,
        location_id=first.location_id,
        issued_on=clock.today(),
        expires_on=clock.today() + timedelta(days=90),
    )
    db.add(token)
    return token


def token_session_id(db: Session, token: tables.MakeupToken) -> int:
    """The first session the token may book."""
    options = open_sessions(
        db,
        local=business_zone(get_business(db=db)),
        student_id=token.student_id,
        first_day=clock.today(),
        last_day=token.expires_on,
        location_id=token.location_id,
    )
    return options[0].id


# Punch passes (S8)
def new_punch_pass(db: Session, demo: Demo) -> tables.PunchPass:
    """A fresh, active pass of the Rivera student with every punch left."""
    today = clock.today()
    row = tables.PunchPass(
        student_id=rivera_student(db, demo).id,
        name="Target 5-Class Pass",
        punches_total=5,
        purchased_on=today,
        expires_on=today + timedelta(days=90),
        amount_paid_cents=5000,
    )
    db.add(row)
    return row


# Enrollments (S2)


def new_class(db: Session, like: tables.SchoolClass) -> tables.SchoolClass:
    """A fresh class of `like`'s level and location, with every seat open."""
    klass = tables.SchoolClass(
        location_id=like.location_id,
        level_id=like.level_id,
        name=like.name,
        instructor=like.instructor,
        capacity=8,
        weekday=like.weekday,
        start_time=like.start_time,
        end_time=like.end_time,
        starts_on=like.starts_on,
    )
    db.add(klass)
    db.flush()
    return klass


def new_enrollment(db: Session, demo: Demo, kind: EnrollmentKind) -> tables.Enrollment:
    """A fresh current enrollment (or waitlist place) of a Rivera student in a fresh class.

    Drop and transfer are off by default: this business turns them on, so the matrix checks
    who may use them when they are allowed (tests/server/test_enrollments.py checks them off).
    """
    business = db.scalars(select(tables.Business)).one()
    business.settings = {
        **business.settings,
        "drop_enrollments": True,
        "transfer_enrollments": True,
    }
    like = db.scalars(select(tables.SchoolClass).order_by(tables.SchoolClass.id)).first()
    assert like is not None
    row = tables.Enrollment(
        student_id=rivera_student(db, demo).id,
        class_id=new_class(db, like).id,
        kind=kind,
        start_date=like.starts_on,
        waitlist_position=1 if kind is EnrollmentKind.WAITLIST else None,
    )
    db.add(row)
    return row


def transfer_body(db: Session, demo: Demo, row: tables.Enrollment) -> dict[str, Any]:
    """Move the fresh enrollment into another fresh class of its level."""
    leaving = db.get(tables.SchoolClass, row.class_id)
    assert leaving is not None
    return {"version": row.version, "class_id": new_class(db, leaving).id}


# Future absences (S6)
def new_absence(db: Session, demo: Demo) -> tables.FutureAbsence:
    """A fresh future absence of the Rivera student, a week ahead, with no token."""
    start = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    row = tables.FutureAbsence(
        student_id=rivera_student(db, demo).id,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        note="Matrix",
        created_at=start - timedelta(days=7),
    )
    db.add(row)
    return row


def clear_absences(db: Session, demo: Demo) -> None:
    """Remove the Rivera student's absences, so a new one overlaps none (each call is fresh)."""
    student_id = rivera_student(db, demo).id
    for row in db.scalars(
        select(tables.FutureAbsence).where(tables.FutureAbsence.student_id == student_id)
    ):
        db.delete(row)
    db.flush()


def absence_by_date(db: Session, demo: Demo) -> dict[str, Any]:
    """Next Thursday afternoon, overlapping no other absence of the Rivera student."""
    clear_absences(db, demo)
    return {
        "start_date": "2026-03-12",
        "start_time": "16:00",
        "end_date": "2026-03-12",
        "end_time": "19:00",
        "note": "Recital",
    }


def absence_by_enrollment(db: Session, demo: Demo) -> dict[str, Any]:
    """The Rivera student's first current regular class on its first upcoming session."""
    clear_absences(db, demo)
    enrollment, session = db.execute(
        select(tables.Enrollment, tables.ClassSession)
        .join(tables.ClassSession, tables.ClassSession.class_id == tables.Enrollment.class_id)
        .where(
            tables.Enrollment.student_id == rivera_student(db, demo).id,
            tables.Enrollment.kind == "regular",
            tables.Enrollment.status == "current",
            tables.ClassSession.cancelled.is_(False),
            tables.ClassSession.starts_at > datetime(2026, 3, 4, tzinfo=UTC),
        )
        .order_by(tables.ClassSession.starts_at)
        .limit(1)
    ).one()
    zone = ZoneInfo(db.scalars(select(tables.Business.time_zone)).one())
    day = session.starts_at.astimezone(zone).date()
    return {"enrollment_id": enrollment.id, "session_date": day.isoformat()}


def rivera_payment(db: Session, demo: Demo) -> tables.LedgerEntry:
    """A seeded payment in the Rivera family's ledger (its receipt is only read)."""
    return db.scalars(
        select(tables.LedgerEntry).where(
            tables.LedgerEntry.family_id == demo.family_id, tables.LedgerEntry.kind == "payment"
        )
    ).first()  # type: ignore[return-value]


# Stored payment methods (P4-P6, P8)
def clear_new_methods(db: Session, demo: Demo) -> None:
    """Mark removed the methods earlier cases added, so each guardian stays under the limit."""
    for row in db.scalars(
        select(tables.PaymentMethod).where(
            tables.PaymentMethod.guardian_id.in_([demo.primary_id, demo.secondary_id]),
            tables.PaymentMethod.gateway_token.not_like("demo_tok%"),
        )
    ):
        row.removed, row.is_default = True, False
    db.flush()


def new_payment_method(db: Session, demo: Demo) -> tables.PaymentMethod:
    """A fresh card of the primary guardian: not the default, not for recurring billing."""
    clear_new_methods(db, demo)
    row = tables.PaymentMethod(
        guardian_id=demo.primary_id,
        kind=PaymentMethodKind.CARD,
        gateway_token="matrix",
        brand="Visa",
        last4="1111",
        exp_month=1,
        exp_year=2030,
        is_default=False,
        recurring_authorized=False,
    )
    db.add(row)
    return row


def secondary_guardian(db: Session, demo: Demo) -> tables.Guardian:
    found = db.get(tables.Guardian, demo.secondary_id)
    assert found is not None
    return found


def new_guardian(db: Session, demo: Demo, access: LoginAccess = LoginAccess.NONE) -> Any:
    """A fresh secondary guardian of the Rivera family; one who was invited has a pending
    invitation, and one who signs in has a login (its password the demo's)."""
    guardian = tables.Guardian(
        family_id=demo.family_id, first_name="Robin", last_name="Rivera", login_access=access
    )
    db.add(guardian)
    db.flush()
    email = f"robin-{guardian.id}@example.com"
    if access is LoginAccess.INVITE_SENT:
        db.add(new_invitation(guardian.id, email, uuid.uuid4().hex))
    if access is LoginAccess.CAN_LOG_IN:
        db.add(
            tables.User(
                email=email,
                password_hash=secondary_user(db).password_hash,
                guardian_id=guardian.id,
                display_name="Robin Rivera",
            )
        )
    db.flush()
    return guardian


def new_invitation(guardian_id: int, email: str, code: str) -> tables.Invitation:
    now = clock.now()
    return tables.Invitation(
        guardian_id=guardian_id,
        email=email,
        token_hash=token_digest(code),
        status=InvitationStatus.SENT,
        sent_at=now,
        expires_at=now + timedelta(hours=1),
    )


def secondary_user(db: Session) -> tables.User:
    return db.scalars(select(tables.User).where(tables.User.email == DEMO_SECONDARY_EMAIL)).one()


def acceptance(db: Session, demo: Demo) -> dict[str, Any]:
    """A valid answer to a fresh invitation."""
    guardian = new_guardian(db, demo, LoginAccess.INVITE_SENT)
    code = uuid.uuid4().hex
    db.add(new_invitation(guardian.id, f"robin-new-{guardian.id}@example.com", code))
    db.execute(
        update(tables.Invitation)
        .where(tables.Invitation.guardian_id == guardian.id)
        .where(tables.Invitation.token_hash != token_digest(code))
        .values(status=InvitationStatus.REVOKED)
    )
    return {"code": code, "password": "violet kettle drums sideways", "adult": True}


def reset_completion(db: Session, demo: Demo) -> dict[str, Any]:
    """A new password with a fresh reset code of a throwaway guardian's login."""
    guardian = new_guardian(db, demo, LoginAccess.CAN_LOG_IN)
    user = db.scalars(select(tables.User).where(tables.User.guardian_id == guardian.id)).one()
    code = uuid.uuid4().hex
    db.add(
        tables.PasswordReset(
            user_id=user.id,
            token_hash=token_digest(code),
            expires_at=clock.now() + timedelta(minutes=5),
        )
    )
    return {"code": code, "new_password": "violet kettle drums sideways"}


def forgot_password(db: Session) -> dict[str, Any]:
    """Forgot Password for the secondary, whose earlier codes are cleared (a second code
    within minutes is not sent, and then nothing would change)."""
    db.execute(
        delete(tables.PasswordReset).where(tables.PasswordReset.user_id == secondary_user(db).id)
    )
    return {"email": DEMO_SECONDARY_EMAIL}


GUARDIAN_RECORDS: dict[str, RecordMaker] = {
    # (the path segment after {record_id}) → the guardian a sign-in action is tried on
    "invitation": new_guardian,
    "revoke": lambda db, demo: new_guardian(db, demo, LoginAccess.INVITE_SENT),
    "password-reset": lambda db, demo: new_guardian(db, demo, LoginAccess.CAN_LOG_IN),
}


RECORDS: dict[str, RecordMaker] = {
    # (the path segment before {record_id}) → a fresh record of the Rivera family for one call
    # Enrollments (S2)
    "waitlist": lambda db, demo: new_enrollment(db, demo, EnrollmentKind.WAITLIST),
    "enrollments": lambda db, demo: new_enrollment(db, demo, EnrollmentKind.REGULAR),
    # Makeups (S5)
    "makeup-tokens": lambda db, demo: new_makeup_token(db, rivera_student(db, demo)),
    # Future absences (S6)
    "absences": lambda db, demo: new_absence(db, demo),
    # Punch passes (S8)
    "passes": lambda db, demo: new_punch_pass(db, demo),
    # A payment's receipt (T1)
    "payments": rivera_payment,
    # Stored payment methods (P4-P6) and the permission to pay (P8)
    "payment-methods": new_payment_method,
    "guardians": secondary_guardian,
}
"""How to make the record a student feature's {record_id} names; contacts use new_contact."""

BodyMaker = Callable[[Session, Demo, Any], dict[str, Any]]


def a_location(db: Session) -> dict[str, Any]:
    return {"location_id": db.scalars(select(tables.Location.id)).first()}


QUERIES: dict[tuple[str, str], Callable[[Session], dict[str, Any]]] = {
    # (method, template) → the query parameters it requires
    ("GET", f"{F}/ledger/balances"): a_location,
    ("GET", f"{F}/ledger/position"): lambda db: {"on": "2026-03-01"},
    ("GET", f"{F}/ledger/search"): lambda db: {"q": "tuition", "kind": "charge"},
    ("GET", f"{F}/payment-statement"): lambda db: {"start": "2025-01-01", "end": "2025-12-31"},
}

BODIES: dict[tuple[str, str], BodyMaker] = {
    # (method, template) → a valid body, given the record made for the call (or None)
    ("POST", "/api/v1/auth/password"): lambda db, demo, row: {
        "current_password": DEMO_PASSWORD,
        "new_password": DEMO_PASSWORD,
    },
    ("POST", "/api/v1/auth/two-step/confirm"): lambda db, demo, row: {"code": "123456"},
    ("POST", "/api/v1/auth/two-step/disable"): lambda db, demo, row: {
        "password": DEMO_PASSWORD,
        "code": "123456",
    },
    ("POST", "/api/v1/auth/two-step/recovery-codes"): lambda db, demo, row: {
        "password": DEMO_PASSWORD,
        "code": "123456",
    },
    ("POST", f"{F}/students"): lambda db, demo, row: {"first_name": "Noa", "last_name": "Rivera"},
    ("PUT", f"{F}/students/{{student_id}}"): lambda db, demo, row: {
        "first_name": "Mia",
        "last_name": "Rivera",
        "medical_notes": "Asthma: inhaler in her bag.",
        "version": rivera_student(db, demo).version,
    },
    # Enrollments (S2)
    ("POST", f"{F}/waitlist/{{record_id}}/cancel"): lambda db, demo, row: {"version": row.version},
    ("POST", f"{F}/enrollments/{{record_id}}/drop"): lambda db, demo, row: {"version": row.version},
    ("POST", f"{F}/enrollments/{{record_id}}/transfer"): transfer_body,
    # Evaluations and attendance (S3, S4)
    # Makeups (S5)
    ("POST", f"{F}/makeup-tokens/{{record_id}}/use"): lambda db, demo, row: {
        "version": row.version,
        "class_session_id": token_session_id(db, row),
    },
    ("POST", f"{F}/students/{{student_id}}/makeups"): lambda db, demo, row: {
        "class_session_id": db.scalars(select(tables.ClassSession.id).limit(1)).one()
    },
    # Future absences (S6)
    ("POST", f"{F}/students/{{student_id}}/absences"): lambda db, demo, row: absence_by_date(
        db, demo
    ),
    ("POST", f"{F}/students/{{student_id}}/absences/by-enrollment"): lambda db, demo, row: (
        absence_by_enrollment(db, demo)
    ),
    # Check-in codes (S7): regenerating takes no body (an empty object is ignored)
    ("POST", f"{F}/students/{{student_id}}/checkin-code"): lambda db, demo, row: {},
    # Punch passes (S8)
    ("POST", f"{F}/passes/{{record_id}}/redeem"): lambda db, demo, row: {"version": row.version},
    # Payments (P1, P2)
    ("POST", f"{F}/payments"): lambda db, demo, row: {
        "amount_cents": 100,
        "method_id": db.scalars(
            select(tables.PaymentMethod.id).where(
                tables.PaymentMethod.guardian_id == demo.primary_id
            )
        ).first(),
    },
    ("POST", f"{F}/credit/apply"): lambda db, demo, row: {
        "total_cents": credit_service.plan(db, demo.family_id).total_cents
    },
    # Stored payment methods (P4-P6) and the permission to pay (P8)
    ("POST", f"{F}/payment-methods"): lambda db, demo, row: (
        clear_new_methods(db, demo)
        or {"card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2029, "cvc": "123"}}
    ),
    ("PUT", f"{F}/payment-methods/{{record_id}}"): lambda db, demo, row: {
        "is_default": True,
        "version": row.version,
    },
    # Add Guardian and Edit Guardian (A6)
    ("POST", f"{F}/guardians"): lambda db, demo, row: {
        "first_name": "Rosa",
        "last_name": "Rivera",
        "relation": "Grandparent",
    },
    ("PUT", f"{F}/guardians/{{record_id}}"): lambda db, demo, row: {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "relation": "Guardian" if row.relation == "Parent" else "Parent",
        "version": row.version,
    },
    ("PUT", f"{F}/guardians/{{record_id}}/payment-permission"): lambda db, demo, row: {
        "can_make_payments": not row.can_make_payments,
        "version": row.version,
    },
    # A secondary's sign-in (A5) and the sign-in screen's codes
    ("POST", f"{F}/guardians/{{record_id}}/invitation"): lambda db, demo, row: {
        "email": f"robin-{row.id}@example.com",
        "version": row.version,
    },
    ("POST", f"{F}/guardians/{{record_id}}/revoke"): lambda db, demo, row: {"version": row.version},
    ("POST", f"{F}/guardians/{{record_id}}/password-reset"): lambda db, demo, row: {
        "version": row.version
    },
    ("POST", "/api/v1/auth/invitation/accept"): lambda db, demo, row: acceptance(db, demo),
    ("POST", "/api/v1/auth/password-reset"): lambda db, demo, row: forgot_password(db),
    ("POST", "/api/v1/auth/password-reset/complete"): lambda db, demo, row: reset_completion(
        db, demo
    ),
}
"""Valid bodies of the student features' writes."""


BODILESS = (
    "/api/v1/auth/logout",
    "/api/v1/auth/sessions/end-others",
    "/api/v1/auth/two-step/start",
)
"""Writes that take no body."""


def other_session(db: Session, caller: Caller) -> tables.Session:
    """A new session of the caller's user (of the primary's when no one calls)."""
    email = caller.value or DEMO_EMAIL
    user = db.scalars(select(tables.User).where(tables.User.email == email)).one()
    session = tables.Session(
        user_id=user.id,
        token_hash=uuid.uuid4().hex * 2,
        expires_at=clock.now() + timedelta(hours=1),
        client_name="another app",
    )
    db.add(session)
    db.flush()
    return session


def named_guardian(db: Session, demo: Demo, owner: Owner) -> tables.Guardian:
    """The guardian an Edit Guardian case names: the primary, or a fresh secondary guardian
    without login access (one who was added and never invited)."""
    if owner == "primary":
        found = db.get(tables.Guardian, demo.primary_id)
        assert found is not None
        return found
    row = tables.Guardian(family_id=demo.family_id, first_name="Target", last_name="Rivera")
    db.add(row)
    return row


def build_call(engine: Engine, method: str, template: str, owner: Owner, caller: Caller) -> Call:
    """The concrete request for one case; records it changes are made fresh for it."""
    with Session(engine) as db, db.begin():
        demo = demo_ids(db)
        owners = {"primary": demo.primary_id, "secondary": demo.secondary_id}
        guardian_id = owners.get(owner)
        path = template.replace("{family_id}", str(demo.family_id))
        path = path.replace("{student_id}", str(rivera_student(db, demo).id))
        if "{session_id}" in template:  # another session of the caller's own
            path = path.replace("{session_id}", str(other_session(db, caller).id))
        params: dict[str, Any] = (
            QUERIES[method, template](db) if (method, template) in QUERIES else {}
        )
        body: dict[str, Any] | None = None
        kind = template.split("/")[5] if template.startswith(f"{F}/") else ""
        row: Any = None
        if "{record_id}" in template:
            parent = template.split("/{record_id}")[0].rsplit("/", 1)[1]
            action = template.split("/{record_id}/")[-1]
            if parent == "guardians" and action in GUARDIAN_RECORDS:
                row = GUARDIAN_RECORDS[action](db, demo)
            elif (method, template) == GUARDIAN_EDIT and owner != "nobody":
                row = named_guardian(db, demo, owner)
                db.flush()
            elif parent in RECORDS:
                row = RECORDS[parent](db, demo)
                db.flush()
            else:
                row = new_contact(db, kind, demo.family_id, guardian_id)
            path = path.replace("{record_id}", str(row.id))
            if method == "DELETE":
                params["version"] = row.version
        if (method, template) in BODIES:
            body = BODIES[method, template](db, demo, row)
        elif "{record_id}" in template and method == "PUT":
            body = {**contact_body(kind, guardian_id), "version": row.version}
        elif method == "POST" and kind in ("addresses", "emails", "phones"):
            body = contact_body(kind, guardian_id)
        elif template == "/api/v1/auth/login":
            body = {"email": caller.value or DEMO_EMAIL, "password": DEMO_PASSWORD}
        elif method in ("POST", "PUT", "PATCH") and template not in BODILESS:
            raise AssertionError(
                f"teach build_call() a valid body for {method} {template} (BODIES)"
            )
        assert "{" not in path, f"teach build_call() to fill every parameter of {template}"
        headers = {"Idempotency-Key": uuid.uuid4().hex} if template == f"{F}/payments" else {}
        return Call(path, params, body, headers)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in tables.Base.metadata.sorted_tables
        }


# The tests


def cases() -> Iterator[Any]:
    rows: list[tuple[str, str, Owner, Expect]] = [
        (method, path, "nobody", expect) for (method, path), expect in MATRIX.items()
    ]
    rows += [
        (method, path, owner, expect)
        for (method, path, owner), expect in (CONTACT_OWNERSHIP | GUARDIAN_EDITS).items()
    ]
    for method, path, owner, expect in rows:
        short = path.removeprefix("/api/v1").replace("/families/{family_id}", "/f")
        for caller in Caller:
            label = f"{method} {short}" + ("" if owner == "nobody" else f" of {owner}")
            yield pytest.param(
                method, path, owner, caller, expect.of(caller), id=f"{label}-{caller.name.lower()}"
            )


@pytest.fixture(scope="module", params=BACKENDS)
def app_engine(
    request: pytest.FixtureRequest,
    sqlite_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: servers.PostgresDatabases | None,
) -> Iterator[tuple[TestClient, Engine]]:
    """The app on one fresh seeded database per backend, shared by this module's cases."""
    if request.param == "sqlite":
        url = servers.sqlite_copy(sqlite_template, tmp_path_factory.mktemp("authorization"))
    elif postgres is None:
        pytest.skip(servers.postgres_reachable() or "PostgreSQL is not reachable")
    else:
        url = postgres.copy()
    app = create_app(url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client, app.state.engine
    app.state.engine.dispose()


@pytest.mark.parametrize(("method", "template", "owner", "caller", "expected"), list(cases()))
def test_each_caller_gets_what_the_matrix_says(
    app_engine: tuple[TestClient, Engine],
    method: str,
    template: str,
    owner: Owner,
    caller: Caller,
    expected: int,
) -> None:
    api, engine = app_engine
    headers = (
        {} if caller.value is None else {"Authorization": f"Bearer {login(api, caller.value)}"}
    )
    call = build_call(engine, method, template, owner, caller)
    before = snapshot(engine)
    response = api.request(
        method, call.path, headers=headers | call.headers, params=call.params, json=call.json
    )
    assert response.status_code == expected, (
        f"{caller.name} {method} {call.path}: expected {expected}, got {response.status_code} "
        f"{response.text[:300]}"
    )
    if expected >= 300:
        assert response.json()["error"]["code"]
        assert snapshot(engine) == before, f"a refused {method} {call.path} changed the database"
    elif method != "GET" and template != "/api/v1/auth/login":
        assert snapshot(engine) != before, f"an allowed {method} {call.path} changed nothing"


def test_every_operation_in_the_openapi_description_has_a_row(sqlite_url: str) -> None:
    app = create_app(sqlite_url)
    with TestClient(app, base_url="http://127.0.0.1") as api:
        spec = api.get("/openapi.json").json()
    app.state.engine.dispose()
    published = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
    }
    missing = sorted(published - MATRIX.keys())
    stale = sorted(MATRIX.keys() - published)
    assert not missing, (
        f"Operations in /openapi.json without a row in MATRIX ({__file__}): {missing}. Add a row "
        "per operation saying what each caller (no session, another family's guardian, the "
        "secondary and primary guardian, staff) gets; if it takes a body or a new path "
        "parameter, teach build_call() to fill it."
    )
    assert not stale, f"MATRIX rows for operations that no longer exist: {stale}. Remove them."


def test_the_ownership_rows_cover_every_contact_write() -> None:
    assert len(CONTACT_WRITES) == 9
    assert {(m, p) for (m, p, _) in CONTACT_OWNERSHIP} == set(CONTACT_WRITES)
