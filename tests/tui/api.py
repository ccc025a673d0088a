"""A second client of the test server, beside the app: what the server holds for one
guardian, and changes made behind the app's back."""

from __future__ import annotations

from typing import Any

import httpx

from portal_tui.wire.account import EmailOut, GuardiansOut, PhoneOut
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD


class Api:
    """Signed in as `email`; paths are under that guardian's family."""

    def __init__(self, url: str, email: str = DEMO_EMAIL) -> None:
        self.http = httpx.Client(base_url=f"{url}/api/v1", timeout=10)
        token = self.http.post("/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {token.json()['token']}"
        self.family = f"/families/{self.http.get('/auth/me').json()['family_id']}"

    def guardians(self) -> GuardiansOut:
        return GuardiansOut.model_validate(self.http.get(f"{self.family}/guardians").json())

    def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, f"{self.family}{path}", **kwargs)

    def phones(self) -> list[PhoneOut]:
        data = self.guardians()
        own = [p for g in data.guardians if g.contacts for p in g.contacts.phones]
        return own + list(data.unassigned.phones)

    def emails(self) -> list[EmailOut]:
        data = self.guardians()
        own = [e for g in data.guardians if g.contacts for e in g.contacts.emails]
        return own + list(data.unassigned.emails)
