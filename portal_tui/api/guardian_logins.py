"""The primary guardian's control of another guardian's sign-in
(/families/{id}/guardians/{id}/…): invitations, revoking, and password resets."""

from __future__ import annotations

from portal_tui.api.section import FamilySection
from portal_tui.wire.account import GuardianOut
from portal_tui.wire.invitations import GuardianAction, InvitationSend


class GuardianLoginsApi(FamilySection):
    """Send Invite Email (or Re-Send), Revoke and Reset Password; each answers the guardian
    as they are now, and a stale version is a Conflict carrying them."""

    async def send_invitation(self, guardian_id: int, invitation: InvitationSend) -> GuardianOut:
        return await self._act(guardian_id, "invitation", invitation)

    async def revoke(self, guardian: GuardianOut) -> GuardianOut:
        return await self._act(guardian.id, "revoke", GuardianAction(version=guardian.version))

    async def send_reset(self, guardian: GuardianOut) -> GuardianOut:
        action = GuardianAction(version=guardian.version)
        return await self._act(guardian.id, "password-reset", action)

    async def _act(
        self, guardian_id: int, action: str, body: InvitationSend | GuardianAction
    ) -> GuardianOut:
        path = f"/guardians/{guardian_id}/{action}"
        guardian: GuardianOut = await self.send(
            "POST", path, body, GuardianOut, current=GuardianOut
        )
        return guardian
