"""One student's endpoints (/families/{id}/students/{id}/…) and the actions on their records.

Each feature of the Students tab has its section here; every method returns wire models.
"""

from __future__ import annotations

from pydantic import BaseModel

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp
from portal_tui.wire.absences import AbsenceByDate, AbsenceByEnrollment, AbsenceClass, AbsenceOut
from portal_tui.wire.checkin import CheckinCodeOut
from portal_tui.wire.enrollments import EnrollmentChange, TransferOption, TransferRequest
from portal_tui.wire.makeups import (
    MakeupOut,
    MakeupRequest,
    MakeupsOut,
    MakeupTokenOut,
    MakeupTokensOut,
    OpenSessionOut,
    UseMakeupToken,
)
from portal_tui.wire.passes import PassOut, RedeemPunch
from portal_tui.wire.progress import StudentAttendance, StudentEvaluations
from portal_tui.wire.students import EnrollmentOut


class StudentApi:
    """One student of the open family, reached through `FamilyApi.student(id)`."""

    def __init__(self, http: PortalHttp, family_path: str, student_id: int) -> None:
        self.http = http
        self.id = student_id
        self.family_path = family_path
        """/families/{id}: actions on a record (an enrollment, a token…) are addressed here."""
        self.path = f"{family_path}/students/{student_id}"

    # Enrollments (S2)

    async def _change_enrollment(self, path: str, body: BaseModel) -> EnrollmentOut:
        """A write on one enrollment; a 409 carries it as it is now (EnrollmentOut)."""
        try:
            result: EnrollmentOut = await self.http.send(
                "POST", f"{self.family_path}{path}", body, EnrollmentOut
            )
        except errors.Conflict as exc:
            raise exc.typed(EnrollmentOut) from None
        return result

    async def cancel_waitlist(self, place: EnrollmentOut) -> EnrollmentOut:
        """Cancel Waitlist: the place as the user saw it; returns it cancelled."""
        body = EnrollmentChange(version=place.version)
        return await self._change_enrollment(f"/waitlist/{place.id}/cancel", body)

    async def drop(self, enrollment: EnrollmentOut) -> EnrollmentOut:
        """Drop Enrollments: returns the enrollment, ended today."""
        body = EnrollmentChange(version=enrollment.version)
        return await self._change_enrollment(f"/enrollments/{enrollment.id}/drop", body)

    async def transfer_options(self, enrollment: EnrollmentOut) -> list[TransferOption]:
        """The classes `enrollment` may move into now."""
        path = f"{self.family_path}/enrollments/{enrollment.id}/transfer-options"
        options: list[TransferOption] = await self.http.read(path, list[TransferOption])
        return options

    async def transfer(self, enrollment: EnrollmentOut, class_id: int) -> EnrollmentOut:
        """Transfer Enrollments: returns the new enrollment in `class_id`."""
        body = TransferRequest(version=enrollment.version, class_id=class_id)
        return await self._change_enrollment(f"/enrollments/{enrollment.id}/transfer", body)

    async def schedule_ics(self) -> bytes:
        """Export Schedule: the student's current classes as an iCalendar file."""
        response = await self.http.request("GET", f"{self.path}/schedule.ics")
        return response.content

    # Evaluations and attendance (S3, S4)

    async def evaluations(self) -> StudentEvaluations:
        """The student's evaluated skills, per level."""
        return await self.http.read(f"{self.path}/evaluations", StudentEvaluations)

    async def attendance(self) -> StudentAttendance:
        """Attendance of each class enrollment, current and past (403 when it is off)."""
        return await self.http.read(f"{self.path}/attendance", StudentAttendance)

    # Makeups (S5)

    async def makeup_tokens(self, location_id: int | None) -> MakeupTokensOut:
        """The student's tokens in five groups; "current" means at `location_id`."""
        tokens: MakeupTokensOut = await self.http.read(
            f"{self.path}/makeup-tokens", MakeupTokensOut, location_id=location_id
        )
        return tokens

    async def token_sessions(self, token_id: int) -> list[OpenSessionOut]:
        """The class sessions a token may book, nearest first."""
        path = f"{self.family_path}/makeup-tokens/{token_id}/sessions"
        sessions: list[OpenSessionOut] = await self.http.read(path, list[OpenSessionOut])
        return sessions

    async def use_token(self, token: MakeupTokenOut, session_id: int) -> MakeupTokenOut:
        """Book `session_id` with `token` ("Use Makeup Token"); the token becomes pending."""
        body = UseMakeupToken(version=token.version, class_session_id=session_id)
        path = f"{self.family_path}/makeup-tokens/{token.id}/use"
        try:
            used: MakeupTokenOut = await self.http.send("POST", path, body, MakeupTokenOut)
        except errors.Conflict as exc:
            raise exc.typed(MakeupTokenOut) from None
        return used

    async def makeup_options(self) -> list[OpenSessionOut]:
        """The class sessions a makeup may be requested for, nearest first."""
        path = f"{self.path}/makeup-options"
        options: list[OpenSessionOut] = await self.http.read(path, list[OpenSessionOut])
        return options

    async def request_makeup(self, session_id: int) -> MakeupOut:
        """Book a makeup in `session_id` without a token ("Request a Makeup")."""
        body = MakeupRequest(class_session_id=session_id)
        made: MakeupOut = await self.http.send("POST", f"{self.path}/makeups", body, MakeupOut)
        return made

    async def makeups(self) -> MakeupsOut:
        """The student's makeups still to come and those held ("Past Makeups")."""
        made: MakeupsOut = await self.http.read(f"{self.path}/makeups", MakeupsOut)
        return made

    # Future absences (S6)

    async def absences(self) -> list[AbsenceOut]:
        """The student's scheduled absences that have not ended, soonest first."""
        return await self.http.read(f"{self.path}/absences", list[AbsenceOut])

    async def absence_classes(self) -> list[AbsenceClass]:
        """The student's current classes with the upcoming dates an absence may name."""
        return await self.http.read(f"{self.path}/absences/sessions", list[AbsenceClass])

    async def add_absence(self, body: AbsenceByDate | AbsenceByEnrollment) -> AbsenceOut:
        """Create Future Absence By Date or By Enrollment; `makeup_token` is set when
        the notice earned one."""
        by = "" if isinstance(body, AbsenceByDate) else "/by-enrollment"
        result: AbsenceOut = await self.http.send(
            "POST", f"{self.path}/absences{by}", body, AbsenceOut
        )
        return result

    async def cancel_absence(self, absence: AbsenceOut) -> None:
        """Cancel an absence (the version shown); a Conflict carries it as it is now."""
        path = f"{self.family_path}/absences/{absence.id}"
        try:
            await self.http.send("DELETE", path, None, None, version=absence.version)
        except errors.Conflict as exc:
            raise exc.typed(AbsenceOut) from None

    # Check-in code (S7)

    async def checkin_code(self) -> CheckinCodeOut:
        """The code the student's QR code carries."""
        code: CheckinCodeOut = await self.http.read(f"{self.path}/checkin-code", CheckinCodeOut)
        return code

    async def regenerate_checkin_code(self) -> CheckinCodeOut:
        """A fresh code; the old one stops working."""
        code: CheckinCodeOut = await self.http.send(
            "POST", f"{self.path}/checkin-code", None, CheckinCodeOut
        )
        return code

    # Punch passes (S8)

    async def passes(self) -> list[PassOut]:
        """The student's punch passes, newest purchase first."""
        passes: list[PassOut] = await self.http.read(f"{self.path}/passes", list[PassOut])
        return passes

    async def redeem_punch(self, pass_id: int, version: int) -> PassOut:
        """Use one punch of the pass; a 409 (stale, used up, expired, inactive) carries the
        pass as it is now."""
        path = f"{self.family_path}/passes/{pass_id}/redeem"
        try:
            after: PassOut = await self.http.send(
                "POST", path, RedeemPunch(version=version), PassOut
            )
        except errors.Conflict as exc:
            raise exc.typed(PassOut) from None
        return after
