"""One student's endpoints (/families/{id}/students/{id}/…) and the actions on their records.

Each feature of the Students tab has its section here; every method returns wire models.
"""

from __future__ import annotations

from pydantic import BaseModel

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp
from portal_tui.wire.enrollments import EnrollmentChange, TransferOption, TransferRequest
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

    # Makeups (S5)

    # Future absences (S6)

    # Check-in code (S7)

    # Punch passes (S8)
