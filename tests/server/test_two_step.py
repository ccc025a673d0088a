"""Two-step verification: turning it on with a first code, signing in with a code that is
accepted once and only near the server's clock, recovery codes, turning it off, and the
requirement for staff."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.errors import Invalid
from portal_tui.server.seed.demo import STAFF_EMAIL
from portal_tui.server.services import auth as auth_service
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from portal_tui.wire.two_step import RECOVERY_CODES
from tests.server.conftest import Clock, login, user_row
from tests.server.test_races import race
from tests.servers import set_settings

TWO_STEP = "/api/v1/auth/two-step"
BAD = ("not_authenticated", "Email or password is incorrect.")


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(
    api: TestClient, code: str | None = None, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
) -> Response:
    body: dict[str, Any] = {"email": email, "password": password}
    if code is not None:
        body["code"] = code
    return api.post("/api/v1/auth/login", json=body)


def error_of(response: Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def code_at(secret: str, when: datetime, seconds: float = 0) -> str:
    return pyotp.TOTP(secret).at(when + timedelta(seconds=seconds))


def not_a_code(secret: str, when: datetime) -> str:
    """Six digits that are none of the codes near `when`."""
    near = {code_at(secret, when, seconds) for seconds in (-30, 0, 30)}
    return next(c for c in ("123456", "234567", "345678", "456789") if c not in near)


def turn_on(api: TestClient, auth: dict[str, str], moment: Clock) -> tuple[str, list[str]]:
    """Turn two-step verification on for the caller; its secret and recovery codes. The clock
    moves on a step, so that a code of the new step is unused."""
    secret = api.post(f"{TWO_STEP}/start", headers=auth).json()["secret"]
    confirmed = api.post(
        f"{TWO_STEP}/confirm", headers=auth, json={"code": code_at(secret, moment.at)}
    )
    assert confirmed.status_code == 200, confirmed.text
    moment.move(seconds=30)
    return secret, confirmed.json()["codes"]


def audit_actions(db_url: str, email: str) -> list[tuple[str, dict[str, Any]]]:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        user_id = db.scalars(select(tables.User.id).where(tables.User.email == email)).one()
        rows = db.execute(
            select(tables.AuditEntry.action, tables.AuditEntry.detail)
            .where(tables.AuditEntry.actor_user_id == user_id)
            .order_by(tables.AuditEntry.id)
        ).all()
    engine.dispose()
    return [(action, detail) for action, detail in rows]


def test_it_is_on_only_once_a_first_code_confirms_it(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    auth = headers(login(api))
    assert api.get(TWO_STEP, headers=auth).json() == {
        "enabled": False,
        "enabled_at": None,
        "pending": False,
        "recovery_codes_left": 0,
        "required": False,
    }
    nothing_started = api.post(f"{TWO_STEP}/confirm", headers=auth, json={"code": "123456"})
    assert error_of(nothing_started) == (422, "invalid")

    setup = api.post(f"{TWO_STEP}/start", headers=auth).json()
    secret = setup["secret"]
    assert setup["uri"].startswith("otpauth://totp/")
    assert f"secret={secret}" in setup["uri"] and DEMO_EMAIL.replace("@", "%40") in setup["uri"]
    wrong = not_a_code(secret, moment.at)
    refused = api.post(f"{TWO_STEP}/confirm", headers=auth, json={"code": wrong})
    assert error_of(refused) == (422, "invalid")
    assert refused.json()["error"]["fields"] == {"code": refused.json()["error"]["message"]}
    status = api.get(TWO_STEP, headers=auth).json()
    assert (status["enabled"], status["pending"]) == (False, True)
    assert sign_in(api).status_code == 200  # nothing is on yet
    assert user_row(db_url, DEMO_EMAIL).totp_secret is None

    confirmed = api.post(
        f"{TWO_STEP}/confirm", headers=auth, json={"code": code_at(secret, moment.at)}
    )

    assert confirmed.status_code == 200, confirmed.text
    codes = confirmed.json()["codes"]
    assert len(set(codes)) == len(codes) == RECOVERY_CODES
    assert api.get(TWO_STEP, headers=auth).json() == {
        "enabled": True,
        "enabled_at": "2026-03-02T15:00:00Z",
        "pending": False,
        "recovery_codes_left": RECOVERY_CODES,
        "required": False,
    }
    assert error_of(api.post(f"{TWO_STEP}/start", headers=auth)) == (409, "conflict")
    assert ("user.two_step_on", {}) in audit_actions(db_url, DEMO_EMAIL)
    stored = user_row(db_url, DEMO_EMAIL)
    assert stored.totp_secret == secret and stored.totp_pending_secret is None


def test_starting_again_replaces_a_secret_not_yet_confirmed(api: TestClient, moment: Clock) -> None:
    auth = headers(login(api))
    first = api.post(f"{TWO_STEP}/start", headers=auth).json()["secret"]
    second = api.post(f"{TWO_STEP}/start", headers=auth).json()["secret"]
    assert first != second
    old = api.post(f"{TWO_STEP}/confirm", headers=auth, json={"code": code_at(first, moment.at)})
    assert old.status_code == 422
    new = api.post(f"{TWO_STEP}/confirm", headers=auth, json={"code": code_at(second, moment.at)})
    assert new.status_code == 200


def test_a_sign_in_needs_a_code_each_accepted_once(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    secret, _codes = turn_on(api, headers(login(api)), moment)

    without = sign_in(api)
    assert error_of(without) == (401, "code_required")
    assert without.headers["WWW-Authenticate"] == "Bearer"
    wrong_password = sign_in(api, code_at(secret, moment.at), password="not the password")
    assert (wrong_password.status_code, *wrong_password.json()["error"].values()) == (
        401,
        *BAD,
        {},
    )
    code = code_at(secret, moment.at)
    assert sign_in(api, code).status_code == 200
    assert error_of(sign_in(api, code)) == (401, "code_invalid")  # used already
    assert error_of(sign_in(api, f" {code[:3]} {code[3:]} ")) == (401, "code_invalid")
    moment.move(seconds=30)
    assert sign_in(api, code_at(secret, moment.at)).status_code == 200
    assert error_of(sign_in(api, code_at(secret, moment.at, -30))) == (401, "code_invalid")
    reasons = [d.get("reason") for a, d in audit_actions(db_url, DEMO_EMAIL)]
    assert reasons.count("wrong_code") == 3 and "wrong_password" in reasons


def test_a_code_is_accepted_one_step_either_side_of_the_clock_only(
    api: TestClient, moment: Clock
) -> None:
    secret, _codes = turn_on(api, headers(login(api)), moment)
    moment.move(minutes=5)  # every code the tests make is newer than the one turn_on used

    assert error_of(sign_in(api, code_at(secret, moment.at, -60))) == (401, "code_invalid")
    assert error_of(sign_in(api, code_at(secret, moment.at, 60))) == (401, "code_invalid")
    assert sign_in(api, code_at(secret, moment.at, -30)).status_code == 200
    assert sign_in(api, code_at(secret, moment.at, 30)).status_code == 200
    # a step before the latest one used is refused, even inside the window
    assert error_of(sign_in(api, code_at(secret, moment.at))) == (401, "code_invalid")


def test_a_wrong_code_counts_like_a_wrong_password(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    set_settings(db_url, login_max_failures="3")
    secret, _codes = turn_on(api, headers(login(api)), moment)
    wrong = not_a_code(secret, moment.at)

    assert error_of(sign_in(api, wrong)) == (401, "code_invalid")
    assert user_row(db_url, DEMO_EMAIL).failed_logins == 1
    assert error_of(sign_in(api, "not a code")) == (401, "code_invalid")
    assert error_of(sign_in(api, wrong)) == (401, "code_invalid")  # the third locks it

    locked = sign_in(api, code_at(secret, moment.at))
    assert (locked.status_code, *locked.json()["error"].values()) == (401, *BAD, {})
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        assert db.scalar(select(tables.SignInFailures.failures)) == 4
    engine.dispose()


def test_a_recovery_code_signs_in_once(api: TestClient, db_url: str, moment: Clock) -> None:
    auth = headers(login(api))
    _secret, codes = turn_on(api, auth, moment)

    assert sign_in(api, codes[0].upper().replace("-", " ")).status_code == 200
    assert error_of(sign_in(api, codes[0])) == (401, "code_invalid")
    assert sign_in(api, codes[1]).status_code == 200
    assert api.get(TWO_STEP, headers=auth).json()["recovery_codes_left"] == RECOVERY_CODES - 2
    signed_in = [d for a, d in audit_actions(db_url, DEMO_EMAIL) if a == "session.sign_in"]
    assert signed_in[-2:] == [{"two_step": "recovery_code"}] * 2


def test_turning_it_off_needs_the_password_and_a_code(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    auth = headers(login(api))
    secret, codes = turn_on(api, auth, moment)
    code = code_at(secret, moment.at)

    def turn_off(password: str, code: str) -> Response:
        return api.post(
            f"{TWO_STEP}/disable", headers=auth, json={"password": password, "code": code}
        )

    assert error_of(turn_off("not the password", code)) == (422, "invalid")
    assert error_of(turn_off(DEMO_PASSWORD, not_a_code(secret, moment.at))) == (
        422,
        "invalid",
    )
    assert api.get(TWO_STEP, headers=auth).json()["enabled"] is True
    assert turn_off(DEMO_PASSWORD, code).status_code == 204

    assert api.get(TWO_STEP, headers=auth).json() == {
        "enabled": False,
        "enabled_at": None,
        "pending": False,
        "recovery_codes_left": 0,
        "required": False,
    }
    assert sign_in(api).status_code == 200
    assert error_of(turn_off(DEMO_PASSWORD, codes[0])) == (422, "invalid")  # not on
    assert ("user.two_step_off", {}) in audit_actions(db_url, DEMO_EMAIL)
    stored = user_row(db_url, DEMO_EMAIL)
    assert (stored.totp_secret, stored.totp_enabled_at, stored.totp_last_step) == (None,) * 3


def test_a_recovery_code_turns_it_off_too(api: TestClient, moment: Clock) -> None:
    auth = headers(login(api))
    _secret, codes = turn_on(api, auth, moment)
    body = {"password": DEMO_PASSWORD, "code": codes[3]}
    assert api.post(f"{TWO_STEP}/disable", headers=auth, json=body).status_code == 204


def test_another_users_two_step_is_their_own(api: TestClient, moment: Clock) -> None:
    primary = headers(login(api))
    secret, codes = turn_on(api, primary, moment)
    secondary = headers(login(api, DEMO_SECONDARY_EMAIL))

    assert api.get(TWO_STEP, headers=secondary).json()["enabled"] is False
    body = {"password": DEMO_PASSWORD, "code": code_at(secret, moment.at)}
    refused = api.post(f"{TWO_STEP}/disable", headers=secondary, json=body)
    assert error_of(refused) == (422, "invalid")
    assert api.post(f"{TWO_STEP}/start", headers=secondary).status_code == 200

    assert api.get(TWO_STEP, headers=primary).json()["enabled"] is True
    # the primary's recovery code is no code of the secondary's (who needs none), and stays
    assert sign_in(api, codes[0], email=DEMO_SECONDARY_EMAIL).status_code == 200
    assert api.get(TWO_STEP, headers=primary).json()["recovery_codes_left"] == RECOVERY_CODES
    assert error_of(sign_in(api)) == (401, "code_required")
    assert sign_in(api, code_at(secret, moment.at)).status_code == 200


def test_staff_can_be_required_to_use_it(api: TestClient, db_url: str, moment: Clock) -> None:
    set_settings(db_url, staff_require_2fa="true")
    refused = sign_in(api, email=STAFF_EMAIL)
    assert error_of(refused) == (403, "two_step_required")
    assert "operator" in refused.json()["error"]["message"]
    assert sign_in(api).status_code == 200  # a guardian is not required to
    reasons = [d.get("reason") for a, d in audit_actions(db_url, STAFF_EMAIL)]
    assert reasons == ["two_step_required"]

    set_settings(db_url, staff_require_2fa="false")
    staff = headers(login(api, STAFF_EMAIL))
    assert api.get(TWO_STEP, headers=staff).json()["required"] is False
    secret, _codes = turn_on(api, staff, moment)
    set_settings(db_url, staff_require_2fa="true")

    assert api.get(TWO_STEP, headers=staff).json()["required"] is True
    assert error_of(sign_in(api, email=STAFF_EMAIL)) == (401, "code_required")
    code = code_at(secret, moment.at)
    assert sign_in(api, code, email=STAFF_EMAIL).status_code == 200
    moment.move(seconds=30)
    body = {"password": DEMO_PASSWORD, "code": code_at(secret, moment.at)}
    kept_on = api.post(f"{TWO_STEP}/disable", headers=staff, json=body)
    assert error_of(kept_on) == (422, "invalid")
    assert api.get(TWO_STEP, headers=staff).json()["enabled"] is True


def test_a_staff_role_can_require_it(api: TestClient, db_url: str) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.execute(update(tables.StaffRole).values(requires_2fa=True))
    engine.dispose()
    assert error_of(sign_in(api, email=STAFF_EMAIL)) == (403, "two_step_required")


def test_of_two_sign_ins_with_one_code_at_once_only_one_gets_in(db_url: str, moment: Clock) -> None:
    """The second waits for the first's write, then finds its code used."""
    secret = pyotp.random_base32()
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.execute(
            update(tables.User).where(tables.User.email == DEMO_EMAIL).values(totp_secret=secret)
        )
    engine.dispose()

    def sign_in_now(db: Session) -> None:
        try:
            auth_service.login(
                db=db, email=DEMO_EMAIL, password=DEMO_PASSWORD, code=code_at(secret, moment.at)
            )
        except auth_service.CodeInvalid as refused:
            raise Invalid(refused.message) from refused

    assert race(db_url, sign_in_now, sign_in_now) == [200, 422]


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/api/v1/auth/login", 401),  # code_required, code_invalid
        ("post", "/api/v1/auth/login", 403),  # two_step_required
        ("post", f"{TWO_STEP}/start", 409),
        ("post", f"{TWO_STEP}/confirm", 422),
        ("post", f"{TWO_STEP}/disable", 204),
        ("post", f"{TWO_STEP}/disable", 422),
    ],
)
def test_the_answers_the_fuzzing_cannot_reach_are_documented(
    api: TestClient, method: str, path: str, status: int
) -> None:
    """The schema fuzzing signs in as a user without two-step verification, so it never
    meets these."""
    responses = api.get("/openapi.json").json()["paths"][path][method]["responses"]
    assert str(status) in responses


def test_the_operator_turns_it_off_for_a_user_who_lost_their_app(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    from portal_tui.server.services import two_step

    auth = headers(login(api))
    turn_on(api, auth, moment)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        two_step.turn_off_for(db=db, email=DEMO_EMAIL.upper())
    with make_sessionmaker(engine)() as db, db.begin(), pytest.raises(Invalid, match="not on"):
        two_step.turn_off_for(db=db, email=DEMO_EMAIL)
    with make_sessionmaker(engine)() as db, db.begin(), pytest.raises(Invalid, match="No user"):
        two_step.turn_off_for(db=db, email="nobody@example.com")
    engine.dispose()

    assert api.get("/api/v1/auth/me", headers=auth).status_code == 401  # signed out
    assert sign_in(api).status_code == 200  # no code asked for
    assert not user_row(db_url, DEMO_EMAIL).totp_secret


def test_new_recovery_codes_need_the_password_and_a_code_and_end_the_old_ones(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    auth = headers(login(api))
    secret, old = turn_on(api, auth, moment)

    def renew(password: str, code: str) -> Response:
        body = {"password": password, "code": code}
        return api.post(f"{TWO_STEP}/recovery-codes", headers=auth, json=body)

    assert error_of(renew("not the password", code_at(secret, moment.at))) == (422, "invalid")
    assert error_of(renew(DEMO_PASSWORD, not_a_code(secret, moment.at))) == (422, "invalid")
    renewed = renew(DEMO_PASSWORD, old[0])  # a recovery code proves it too, and is used up
    assert renewed.status_code == 200, renewed.text
    new = renewed.json()["codes"]
    assert len(new) == RECOVERY_CODES and not set(new) & set(old)
    assert error_of(sign_in(api, old[1])) == (401, "code_invalid")
    assert sign_in(api, new[0]).status_code == 200
    assert "user.recovery_codes_renewed" in [a for a, _ in audit_actions(db_url, DEMO_EMAIL)]
