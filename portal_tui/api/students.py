"""One student's endpoints (/families/{id}/students/{id}/…) and the actions on their records.

Each feature of the Students tab has its section here; every method returns wire models.
"""

from __future__ import annotations

from pydantic import BaseModel

from portal_tui.api.http import PortalHttp
from portal_tui.api.section import FamilySection
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


class StudentApi(FamilySection):
    """One student of the open family, reached through `FamilyApi.student(id)`. Actions on a
    record (an enrollment, a token…) are addressed under the family, the rest under `path`."""

    def __init__(self, http: PortalHttp, family_path: str, student_id: int) -> None:
        super().__init__(http, family_path)
        self.id = student_id
        self.path = f"/students/{student_id}"

    # Enrollments (S2)

    async def _change_enrollment(self, path: str, body: BaseModel) -> EnrollmentOut:
        """A write on one enrollment; a 409 carries it as it is now (EnrollmentOut)."""
        result: EnrollmentOut = await self.send(
            "POST", path, body, EnrollmentOut, current=EnrollmentOut
        )
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
        path = f"/enrollments/{enrollment.id}/transfer-options"
        return await self.read(path, list[TransferOption])

    async def transfer(self, enrollment: EnrollmentOut, class_id: int) -> EnrollmentOut:
        """Transfer Enrollments: returns the new enrollment in `class_id`."""
        body = TransferRequest(version=enrollment.version, class_id=class_id)
        return await self._change_enrollment(f"/enrollments/{enrollment.id}/transfer", body)

    async def schedule_ics(self) -> bytes:
        """Export Schedule: the student's current classes as an iCalendar file."""
        response = await self.http.request("GET", f"{self.family_path}{self.path}/schedule.ics")
        return response.content

    # Evaluations and attendance (S3, S4)

    async def evaluations(self) -> StudentEvaluations:
        """The student's evaluated skills, per level."""
        return await self.read(f"{self.path}/evaluations", StudentEvaluations)

    async def attendance(self) -> StudentAttendance:
        """Attendance of each class enrollment, current and past (403 when it is off)."""
        return await self.read(f"{self.path}/attendance", StudentAttendance)

    # Makeups (S5)

    async def makeup_tokens(self, location_id: int | None) -> MakeupTokensOut:
        """The student's tokens in five groups; "current" means at `location_id`."""
        path = f"{self.path}/makeup-tokens"
        return await self.read(path, MakeupTokensOut, location_id=location_id)

    async def token_sessions(self, token_id: int) -> list[OpenSessionOut]:
        """The class sessions a token may book, nearest first."""
        return await self.read(f"/makeup-tokens/{token_id}/sessions", list[OpenSessionOut])

    async def use_token(self, token: MakeupTokenOut, session_id: int) -> MakeupTokenOut:
        """Book `session_id` with `token` ("Use Makeup Token"); the token becomes pending."""
        body = UseMakeupToken(version=token.version, class_session_id=session_id)
        path = f"/makeup-tokens/{token.id}/use"
        used: MakeupTokenOut = await self.send(
            "POST", path, body, MakeupTokenOut, current=MakeupTokenOut
        )
        return used

    async def makeup_options(self) -> list[OpenSessionOut]:
        """The class sessions a makeup may be requested for, nearest first."""
        return await self.read(f"{self.path}/makeup-options", list[OpenSessionOut])

    async def request_makeup(self, session_id: int) -> MakeupOut:
        """Book a makeup in `session_id` without a token ("Request a Makeup")."""
        body = MakeupRequest(class_session_id=session_id)
        made: MakeupOut = await self.send("POST", f"{self.path}/makeups", body, MakeupOut)
        return made

    async def makeups(self) -> MakeupsOut:
        """The student's makeups still to come and those held ("Past Makeups")."""
        return await self.read(f"{self.path}/makeups", MakeupsOut)

    # Future absences (S6)

    async def absences(self) -> list[AbsenceOut]:
        """The student's scheduled absences that have not ended, soonest first."""
        return await self.read(f"{self.path}/absences", list[AbsenceOut])

    async def absence_classes(self) -> list[AbsenceClass]:
        """The student's current classes with the upcoming dates an absence may name."""
        return await self.read(f"{self.path}/absences/sessions", list[AbsenceClass])

    async def add_absence(self, body: AbsenceByDate | AbsenceByEnrollment) -> AbsenceOut:
        """Create Future Absence By Date or By Enrollment; `makeup_token` is set when
        the notice earned one."""
        by = "" if isinstance(body, AbsenceByDate) else "/by-enrollment"
        result: AbsenceOut = await self.send("POST", f"{self.path}/absences{by}", body, AbsenceOut)
        return result

    async def cancel_absence(self, absence: AbsenceOut) -> None:
        """Cancel an absence (the version shown); a Conflict carries it as it is now."""
        path = f"/absences/{absence.id}"
        await self.send("DELETE", path, None, None, current=AbsenceOut, version=absence.version)

    # Check-in code (S7)

    async def checkin_code(self) -> CheckinCodeOut:
        """The code the student's QR code carries."""
        return await self.read(f"{self.path}/checkin-code", CheckinCodeOut)

    async def regenerate_checkin_code(self) -> CheckinCodeOut:
        """A fresh code; the old one stops working."""
        code: CheckinCodeOut = await self.send(
            "POST", f"{self.path}/checkin-code", None, CheckinCodeOut
        )
        return code

    # Punch passes (S8)

    async def passes(self) -> list[PassOut]:
        """The student's punch passes, newest purchase first."""
        return await self.read(f"{self.path}/passes", list[PassOut])

    async def redeem_punch(self, pass_id: int, version: int) -> PassOut:
        """Use one punch of the pass; a 409 (stale, used up, expired, inactive) carries the
        pass as it is now."""
        path = f"/passes/{pass_id}/redeem"
        after: PassOut = await self.send(
            "POST", path, RedeemPunch(version=version), PassOut, current=PassOut
        )
        return after
