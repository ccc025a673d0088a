"""The signed-in user's two-step verification (/auth/two-step/…): whether it is on, turning
it on (a new secret, then the app's first code, which gives the recovery codes) and off."""

from __future__ import annotations

from portal_tui.api.http import PortalHttp
from portal_tui.wire.two_step import (
    PasswordAndCode,
    RecoveryCodes,
    TwoStepCode,
    TwoStepSetup,
    TwoStepStatus,
)

PATH = "/auth/two-step"


class TwoStepApi:
    """Status, start, confirm and turn off; every call is the signed-in user's own."""

    def __init__(self, http: PortalHttp) -> None:
        self.http = http

    async def status(self) -> TwoStepStatus:
        """Whether it is on (since when, recovery codes left) and whether the role needs it."""
        return await self.http.read(PATH, TwoStepStatus)

    async def start(self) -> TwoStepSetup:
        """A new secret for an authenticator app; nothing is on until `confirm`."""
        setup: TwoStepSetup = await self.http.send("POST", f"{PATH}/start", None, TwoStepSetup)
        return setup

    async def confirm(self, code: str) -> RecoveryCodes:
        """Turn it on with the app's first code; the recovery codes, given this once."""
        body = TwoStepCode(code=code)
        codes: RecoveryCodes = await self.http.send("POST", f"{PATH}/confirm", body, RecoveryCodes)
        return codes

    async def turn_off(self, off: PasswordAndCode) -> None:
        """Turn it off with the password and a code."""
        await self.http.send("POST", f"{PATH}/disable", off, None)

    async def new_recovery_codes(self, proof: PasswordAndCode) -> RecoveryCodes:
        """New recovery codes (the earlier ones stop working), with the password and a code."""
        path = f"{PATH}/recovery-codes"
        codes: RecoveryCodes = await self.http.send("POST", path, proof, RecoveryCodes)
        return codes
