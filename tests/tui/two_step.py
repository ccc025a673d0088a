"""Two-step verification for the UI tests: turned on behind the app's back (as another client
would), and the authenticator app's codes by the server's clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
import pyotp

from portal_tui.server import clock
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD


def app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The app's code `steps_ahead` 30-second steps after the server's (pinned) clock. The
    server takes one step either side, and each step once: a second code in one test is the
    next step's, which is always newer than the first and still accepted."""
    return pyotp.TOTP(secret).at(clock.now() + timedelta(seconds=30 * steps_ahead))


def a_wrong_code(secret: str) -> str:
    """Six digits that are none of the codes the server would accept now."""
    accepted = {app_code(secret, steps_ahead=n) for n in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in accepted)


@dataclass(frozen=True)
class TwoStepOn:
    secret: str
    recovery_codes: list[str]


def turn_on(url: str, email: str = DEMO_EMAIL) -> TwoStepOn:
    """Turn two-step verification on for `email` through the API, with the current code."""
    with httpx.Client(base_url=f"{url}/api/v1", timeout=10) as http:
        body = {"email": email, "password": DEMO_PASSWORD}
        token = http.post("/auth/login", json=body).json()["token"]
        http.headers["Authorization"] = f"Bearer {token}"
        secret = http.post("/auth/two-step/start").json()["secret"]
        on = http.post("/auth/two-step/confirm", json={"code": app_code(secret)})
        assert on.status_code == 200, on.text
        http.post("/auth/logout")  # no session of this client is left in the app's list
        return TwoStepOn(secret, on.json()["codes"])


def is_on(url: str, email: str = DEMO_EMAIL) -> bool:
    """Whether signing in as `email` asks for a code (two-step verification is on)."""
    body = {"email": email, "password": DEMO_PASSWORD}
    answer = httpx.post(f"{url}/api/v1/auth/login", json=body, timeout=10)
    if answer.status_code == 200:
        return False
    assert answer.json()["error"]["code"] == "code_required", answer.text
    return True
