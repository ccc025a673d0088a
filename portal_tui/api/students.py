"""One student's endpoints (/families/{id}/students/{id}/…) and the actions on their records.

Each feature of the Students tab has its section here; every method returns wire models.
"""

from __future__ import annotations

from portal_tui.api import errors
from portal_tui.api.http import PortalHttp
from portal_tui.wire.checkin import CheckinCodeOut
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


class StudentApi:
    """One student of the open family, reached through `FamilyApi.student(id)`."""

    def __init__(self, http: PortalHttp, family_path: str, student_id: int) -> None:
        self.http = http
        self.id = student_id
        self.family_path = family_path
        """/families/{id}: actions on a record (an enrollment, a token…) are addressed here."""
        self.path = f"{family_path}/students/{student_id}"

    # Enrollments (S2)

    # Evaluations and attendance (S3, S4)

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
