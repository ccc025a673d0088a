"""Sign-in protection: account locks, per-address limits, one answer and one cost for every
failure, and a bound on password hashing."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher, extract_parameters
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from portal_tui.server import security, tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.errors import BUSY_RETRY_SECONDS, Busy
from portal_tui.server.services.sign_in_limits import LONGEST_WAIT_SECONDS, counted_as
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from tests.server.conftest import Clock, user_row
from tests.servers import set_settings

BAD = ("not_authenticated", "Email or password is incorrect.")
UNKNOWN = "nobody@example.com"


def sign_in(api: TestClient, email: str, password: str = "not the password") -> Response:
    return api.post("/api/v1/auth/login", json={"email": email, "password": password})


def refused(response: Response) -> bool:
    """The one answer every failed sign-in gets."""
    error = response.json()["error"]
    return response.status_code == 401 and (error["code"], error["message"]) == BAD


def audit_actions(db_url: str) -> list[tuple[str, int | None, str | None]]:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = db.scalars(select(tables.AuditEntry).order_by(tables.AuditEntry.id)).all()
        found = [(r.action, r.actor_user_id, r.detail.get("reason")) for r in rows]
    engine.dispose()
    return found


def test_an_account_locks_after_its_failures_and_refuses_even_the_right_password(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    set_settings(db_url, login_max_failures="3", login_lock_minutes="15")
    assert all(refused(sign_in(api, DEMO_EMAIL)) for _ in range(3))
    assert user_row(db_url, DEMO_EMAIL).locked_until == moment.at + timedelta(minutes=15)
    moment.move(minutes=14, seconds=59)
    assert refused(sign_in(api, DEMO_EMAIL, DEMO_PASSWORD))
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD).status_code == 200
    moment.move(seconds=1)
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200
    after = user_row(db_url, DEMO_EMAIL)
    assert (after.failed_logins, after.locked_until) == (0, None)


def test_the_lock_ends_with_the_pinned_day(
    api: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through the server clock's own pin (PORTAL_TODAY): two days on, a day's lock is over
    (two, so that a run crossing midnight still is)."""
    set_settings(db_url, login_max_failures="2", login_lock_minutes="1440")
    assert all(refused(sign_in(api, DEMO_EMAIL)) for _ in range(2))
    assert refused(sign_in(api, DEMO_EMAIL, DEMO_PASSWORD))
    monkeypatch.setenv("PORTAL_TODAY", "2026-03-04")
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200


def test_a_success_sets_the_count_back(api: TestClient, db_url: str, moment: Clock) -> None:
    set_settings(db_url, login_max_failures="3")
    for _ in range(3):
        assert all(refused(sign_in(api, DEMO_EMAIL)) for _ in range(2))
        assert user_row(db_url, DEMO_EMAIL).failed_logins == 2
        assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200
    assert user_row(db_url, DEMO_EMAIL).failed_logins == 0


def test_a_limit_of_0_never_locks(api: TestClient, db_url: str, moment: Clock) -> None:
    set_settings(db_url, login_max_failures="0", login_address_max_failures="0")
    assert all(refused(sign_in(api, DEMO_EMAIL)) for _ in range(12))
    assert all(refused(sign_in(api, f"nobody{n}@example.com")) for n in range(12))
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200


def test_turning_locks_off_ends_a_lock(api: TestClient, db_url: str, moment: Clock) -> None:
    set_settings(db_url, login_max_failures="2")
    assert all(refused(sign_in(api, DEMO_EMAIL)) for _ in range(2))
    assert refused(sign_in(api, DEMO_EMAIL, DEMO_PASSWORD))
    set_settings(db_url, login_max_failures="0")
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200


def test_one_address_is_slowed_then_locked_out_for_unknown_emails_too(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    """6 allowed: the first 2 at once, then waits of 1, 2, 4 and 8 s; then locked out."""
    set_settings(db_url, login_address_max_failures="6", login_lock_minutes="10")
    emails = iter(f"nobody{n}@example.com" for n in range(100))
    assert refused(sign_in(api, next(emails)))
    assert refused(sign_in(api, DEMO_EMAIL))
    for wait in (1, 2, 4, 8):
        early = sign_in(api, next(emails))
        assert early.status_code == 429
        assert early.json()["error"]["code"] == "too_many_attempts"
        assert early.headers["retry-after"] == str(wait)
        assert early.json()["error"]["message"].endswith(f"Try again in {wait} seconds.")
        assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).headers["retry-after"] == str(wait)
        moment.move(seconds=wait - 0.5)
        assert sign_in(api, next(emails)).status_code == 429
        moment.move(seconds=0.5)
        assert refused(sign_in(api, next(emails)))
    for email, password in ((next(emails), "x"), (DEMO_EMAIL, "x"), (DEMO_EMAIL, DEMO_PASSWORD)):
        locked = sign_in(api, email, password)
        assert locked.status_code == 429
        assert locked.headers["retry-after"] == str(10 * 60)
        assert locked.json()["error"]["message"].endswith("Try again in 10 minutes.")
    other = TestClient(api.app, base_url="http://127.0.0.1", client=("10.0.0.2", 50000))
    assert (
        other.post(
            "/api/v1/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).status_code
        == 200
    )
    moment.move(minutes=10)
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200
    failed = [a for a in audit_actions(db_url) if a[0] == "session.sign_in_failed"]
    assert len(failed) == 6
    assert refused(sign_in(api, next(emails)))  # the count started again
    assert refused(sign_in(api, next(emails)))
    assert sign_in(api, next(emails)).status_code == 429


def test_the_waits_grow_up_to_a_limit(api: TestClient, db_url: str, moment: Clock) -> None:
    set_settings(db_url, login_address_max_failures="60", login_lock_minutes="30")
    waits = []
    for n in range(40):
        response = sign_in(api, f"nobody{n}@example.com")
        if response.status_code == 429:
            waits.append(int(response.headers["retry-after"]))
            moment.move(seconds=waits[-1])
            response = sign_in(api, f"nobody{n}@example.com")
        assert refused(response)
    assert waits == [1, 2, 4, 8, 16, 32] + [LONGEST_WAIT_SECONDS] * 14


def test_a_failure_is_audited_without_changing_the_answer(
    api: TestClient, db_url: str, moment: Clock
) -> None:
    set_settings(db_url, login_max_failures="2")
    answers = [
        sign_in(api, UNKNOWN),
        sign_in(api, DEMO_EMAIL),
        sign_in(api, DEMO_EMAIL),
        sign_in(api, DEMO_EMAIL, DEMO_PASSWORD),
    ]
    assert all(refused(a) for a in answers)
    assert len({(a.text, tuple(sorted(a.headers.items()))) for a in answers}) == 1
    jordan = user_row(db_url, DEMO_EMAIL).id
    assert [a for a in audit_actions(db_url) if a[0] == "session.sign_in_failed"] == [
        ("session.sign_in_failed", None, "unknown_email"),
        ("session.sign_in_failed", jordan, "wrong_password"),
        ("session.sign_in_failed", jordan, "wrong_password"),
        ("session.sign_in_failed", jordan, "locked"),
    ]


def test_seeded_logins_each_have_their_own_salt(db_url: str) -> None:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        hashes = db.scalars(select(tables.User.password_hash)).all()
    engine.dispose()
    assert len(hashes) >= 3
    assert len(set(hashes)) == len(hashes)


def test_the_dummy_hash_has_the_parameters_of_the_hash_it_stands_for() -> None:
    for stored in (security.hash_demo_password("a"), security.hash_password("a"), None, "junk"):
        dummy = security.dummy_hash_like(stored)
        expected = security.hash_password("a") if stored in (None, "junk") else stored
        assert extract_parameters(dummy) == extract_parameters(expected)
        assert not security.verify_password(dummy, "a")


def add_real_user(db_url: str, email: str, *, locked: bool = False) -> None:
    """A login with a real (argon2 default) hash, as `portal-server` makes them."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.add(
            tables.User(
                email=email,
                password_hash=security.hash_password("a real password"),
                display_name="Real User",
                locked_until=datetime(2027, 1, 1, tzinfo=UTC) if locked else None,
            )
        )
    engine.dispose()


def test_unknown_wrong_and_locked_cost_the_same(api: TestClient, db_url: str) -> None:
    """Over 20 tries each (interleaved), each median within 20% of the others."""
    set_settings(db_url, login_max_failures="100", login_address_max_failures="0")
    add_real_user(db_url, "real.user@example.com")
    add_real_user(db_url, "locked.user@example.com", locked=True)
    tries: dict[str, list[float]] = {"unknown": [], "wrong": [], "locked": []}
    emails = {
        "unknown": UNKNOWN,
        "wrong": "real.user@example.com",
        "locked": "locked.user@example.com",
    }
    for email in emails.values():  # warm up: the dummy hash is made once
        sign_in(api, email)
    for _ in range(20):
        for kind, email in emails.items():
            password = "a real password" if kind == "locked" else "x" * 15
            start = time.process_time()
            response = sign_in(api, email, password)
            tries[kind].append(time.process_time() - start)
            assert refused(response)
    # The work each answer costs the server (its CPU time: the app runs in this process),
    # which is what an answer's time is made of on a server not busy with other work; the
    # wall time here would also count whatever else this machine is doing.
    costs = {kind: statistics.median(spent) for kind, spent in tries.items()}
    print("median CPU seconds:", {kind: round(m, 4) for kind, m in costs.items()})
    assert max(costs.values()) / min(costs.values()) < 1.2, costs


@pytest.fixture
def one_hashing_turn(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.BoundedSemaphore]:
    turns = threading.BoundedSemaphore(1)
    monkeypatch.setattr(security, "_hashing", turns)
    yield turns


def test_a_sign_in_with_no_hashing_turn_left_is_503_and_counts_nothing(
    api: TestClient, db_url: str, one_hashing_turn: threading.BoundedSemaphore
) -> None:
    set_settings(db_url, login_max_failures="1")
    with one_hashing_turn:
        busy = sign_in(api, DEMO_EMAIL)
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == str(BUSY_RETRY_SECONDS)
    assert busy.json()["error"]["code"] == "busy"
    assert user_row(db_url, DEMO_EMAIL).failed_logins == 0
    assert sign_in(api, DEMO_EMAIL, DEMO_PASSWORD).status_code == 200


def test_hashing_beyond_the_bound_is_refused_at_once_not_queued(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Checks from 8 threads with a bound of 2, each held inside argon2 until the others have
    had their answer: 2 run at once, never more, and the other 6 are refused (Busy) without
    waiting for them."""
    monkeypatch.setattr(security, "_hashing", threading.BoundedSemaphore(2))
    stored = security.hash_password("a real password")
    guard, all_refused = threading.Lock(), threading.Event()
    running, most = 0, 0

    def held(self: PasswordHasher, hash: str, password: str) -> bool:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        all_refused.wait(10)
        with guard:
            running -= 1
        return True

    monkeypatch.setattr(PasswordHasher, "verify", held)
    outcomes: list[str] = []

    def check() -> None:
        try:
            security.verify_password(stored, "a real password")
            outcomes.append("checked")
        except Busy:
            with guard:
                outcomes.append("busy")
                if outcomes.count("busy") == 6:
                    all_refused.set()

    threads = [threading.Thread(target=check) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all_refused.is_set() and most == 2
    assert sorted(outcomes) == ["busy"] * 6 + ["checked"] * 2


def test_an_ipv6_address_counts_as_its_64_network() -> None:
    """One customer's IPv6 allotment (a /64) is one address to the limit: stepping through
    it does not escape the count."""
    assert (
        counted_as("2001:db8:1:2::1") == counted_as("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    )
    assert counted_as("2001:db8:1:3::1") != counted_as("2001:db8:1:2::1")
    assert counted_as("203.0.113.7") == "203.0.113.7"
    assert counted_as("testclient") == "testclient"


def test_a_sign_in_racing_a_password_change_is_refused(db_url: str) -> None:
    """The change's transaction holds the user's row; a sign-in with the old password that
    was checked meanwhile waits for it, then finds the new password and makes no session
    (which the change, committed first, could not have ended)."""
    from sqlalchemy.orm import Session

    from portal_tui.server.errors import Invalid
    from portal_tui.server.services import auth as auth_service
    from tests.server.test_races import race

    def change(db: Session) -> None:
        user = db.scalars(select(tables.User).where(tables.User.email == DEMO_EMAIL)).one()
        user.password_hash = security.hash_password("violet kettle drums sideways")
        db.flush()

    def sign_in_with_the_old_one(db: Session) -> None:
        try:
            auth_service.login(db=db, email=DEMO_EMAIL, password=DEMO_PASSWORD)
        except auth_service.SignInFailed as refused:
            raise Invalid(refused.message) from refused

    assert race(db_url, change, sign_in_with_the_old_one) == [200, 422]
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        sessions = db.scalars(
            select(tables.Session).where(tables.Session.user_id == user_row(db_url, DEMO_EMAIL).id)
        ).all()
    engine.dispose()
    assert sessions == []
