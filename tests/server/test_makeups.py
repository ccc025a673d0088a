"""Makeups: the token groups, using a token once, requesting a makeup, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import partial
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.services import business as business_service
from portal_tui.server.services import capabilities as capabilities_service
from portal_tui.server.services import makeups as makeups_service
from portal_tui.server.services.access import Caller, FamilyAccess
from portal_tui.server.services.localtime import business_zone
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, OTHER_FAMILY_EMAIL
from portal_tui.wire.makeups import MakeupsOut, MakeupTokenOut, MakeupTokensOut, UseMakeupToken
from portal_tui.wire.students import EnrollmentKind, MakeupTokenStatus
from tests import servers
from tests.server.conftest import family_path, login
from tests.server.threads import race
from tests.servers import database, set_settings

TODAY = date(2026, 3, 2)


def ids(db_url: str) -> dict[str, int]:
    """Students and locations by first name / location name."""
    with database(db_url) as db:
        found = {s.first_name: s.id for s in db.scalars(select(tables.Student))}
        found |= {loc.name: loc.id for loc in db.scalars(select(tables.Location))}
    return found


def get(api: TestClient, auth: dict[str, str], path: str, **params: Any) -> Any:
    return api.get(f"/api/v1{family_path(api, auth)}{path}", headers=auth, params=params)


def post(api: TestClient, auth: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    return api.post(f"/api/v1{family_path(api, auth)}{path}", headers=auth, json=body)


def tokens(api: TestClient, auth: dict[str, str], student: int, location: int) -> MakeupTokensOut:
    response = get(api, auth, f"/students/{student}/makeup-tokens", location_id=location)
    assert response.status_code == 200, response.text
    return MakeupTokensOut.model_validate(response.json())


def add_token(db_url: str, student: int, location: int, expires: date, **kw: Any) -> int:
    with database(db_url) as db:
        token = tables.MakeupToken(
            student_id=student,
            location_id=location,
            issued_on=date(2026, 1, 1),
            expires_on=expires,
            reason="Missed class",
            **kw,
        )
        db.add(token)
        db.flush()
        return token.id


def makeup_count(db_url: str) -> int:
    with database(db_url) as db:
        return int(
            db.scalar(
                select(func.count())
                .select_from(tables.Enrollment)
                .where(tables.Enrollment.kind == EnrollmentKind.MAKEUP)
            )
            or 0
        )


def audit_actions(db_url: str) -> list[str]:
    with database(db_url) as db:
        return list(db.scalars(select(tables.AuditEntry.action).order_by(tables.AuditEntry.id)))


def mia_downtown_token(api: TestClient, auth: dict[str, str], db_url: str) -> MakeupTokenOut:
    found = ids(db_url)
    return tokens(api, auth, found["Mia"], found["Downtown"]).current[0]


def test_tokens_are_grouped_by_location_and_state_nearest_expiry_first(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    found = ids(db_url)
    mia, north, down = found["Mia"], found["Northside"], found["Downtown"]
    later = add_token(db_url, mia, down, date(2026, 6, 30))
    lapsed = add_token(db_url, mia, north, date(2026, 3, 1))  # available, but past its date
    at_down = tokens(api, auth, mia, down)
    assert [t.expires_on for t in at_down.current] == sorted(t.expires_on for t in at_down.current)
    assert at_down.current[-1].id == later and len(at_down.current) == 2
    assert at_down.other_locations == []
    assert [t.status for t in at_down.pending] == [MakeupTokenStatus.PENDING]
    assert [t.status for t in at_down.spent] == [MakeupTokenStatus.SPENT]
    assert lapsed in [t.id for t in at_down.expired] and len(at_down.expired) == 2
    pending = at_down.pending[0]
    assert pending.location_name == "Northside" and pending.issued_on < pending.expires_on
    assert pending.makeup is not None and pending.makeup.session.class_name == "Swim Level 3"
    assert at_down.spent[0].makeup is not None and at_down.spent[0].makeup.session.day < TODAY
    at_north = tokens(api, auth, mia, north)
    assert at_north.current == [] and [t.id for t in at_north.other_locations][-1] == later


def test_a_pending_token_whose_makeup_was_held_is_listed_as_spent(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    found = ids(db_url)
    before = tokens(api, auth, found["Mia"], found["Downtown"])
    pending = before.pending[0]
    assert pending.makeup is not None
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        makeup = db.get(tables.Enrollment, pending.makeup.enrollment_id)
        assert makeup is not None
        held = db.scalars(
            select(tables.ClassSession)
            .where(
                tables.ClassSession.class_id == makeup.class_id,
                tables.ClassSession.starts_at < datetime(2026, 3, 1, tzinfo=UTC),
            )
            .order_by(tables.ClassSession.starts_at.desc())
        ).first()
        assert held is not None
        makeup.class_session_id = held.id
    engine.dispose()
    after = tokens(api, auth, found["Mia"], found["Downtown"])
    assert pending.id not in [t.id for t in after.pending]
    assert pending.id in [t.id for t in after.spent]


def test_a_location_outside_the_business_and_another_familys_student_are_refused(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    mia = ids(db_url)["Mia"]
    assert get(api, auth, f"/students/{mia}/makeup-tokens", location_id=9999).status_code == 422
    with database(db_url) as db:
        other = db.scalars(
            select(tables.Student.id).where(tables.Student.family_id != 1).limit(1)
        ).one()
    assert get(api, auth, f"/students/{other}/makeup-tokens").status_code == 404


def test_using_a_token_books_the_makeup_and_makes_the_token_pending(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    token = mia_downtown_token(api, auth, db_url)
    sessions = get(api, auth, f"/makeup-tokens/{token.id}/sessions")
    assert sessions.status_code == 200, sessions.text
    options = sessions.json()
    assert options, "Mia's Downtown token has sessions to book"
    assert all(o["location_name"] == "Downtown" and o["open_seats"] > 0 for o in options)
    assert all(TODAY <= date.fromisoformat(o["day"]) <= token.expires_on for o in options)
    before = makeup_count(db_url)
    used = post(
        api,
        auth,
        f"/makeup-tokens/{token.id}/use",
        {"version": token.version, "class_session_id": options[0]["id"]},
    )
    assert used.status_code == 200, used.text
    out = MakeupTokenOut.model_validate(used.json())
    assert out.status is MakeupTokenStatus.PENDING and out.version > token.version
    assert out.makeup is not None and out.makeup.session.id == options[0]["id"]
    assert makeup_count(db_url) == before + 1
    assert audit_actions(db_url)[-1] == "makeup_token.use"
    with database(db_url) as db:
        enrollment = db.get(tables.Enrollment, out.makeup.enrollment_id)
        assert enrollment is not None and enrollment.makeup_token_id == token.id
        assert enrollment.class_session_id == options[0]["id"]
    again = post(
        api,
        auth,
        f"/makeup-tokens/{token.id}/use",
        {"version": out.version, "class_session_id": options[1]["id"]},
    )
    assert again.status_code == 409 and again.json()["current"]["status"] == "pending"
    assert makeup_count(db_url) == before + 1


@pytest.mark.parametrize("status", ["pending", "spent", "expired", "lapsed"])
def test_a_token_that_is_not_available_cannot_be_used(
    api: TestClient, auth: dict[str, str], db_url: str, status: str
) -> None:
    found = ids(db_url)
    good = mia_downtown_token(api, auth, db_url)
    session = get(api, auth, f"/makeup-tokens/{good.id}/sessions").json()[0]["id"]
    kept = status if status != "lapsed" else "available"
    expires = date(2026, 3, 1) if status == "lapsed" else date(2026, 5, 1)
    token = add_token(db_url, found["Mia"], found["Downtown"], expires, status=kept)
    before, actions = makeup_count(db_url), audit_actions(db_url)
    used = post(
        api, auth, f"/makeup-tokens/{token}/use", {"version": 1, "class_session_id": session}
    )
    assert used.status_code == 409, used.text
    assert get(api, auth, f"/makeup-tokens/{token}/sessions").status_code == 409
    assert makeup_count(db_url) == before and audit_actions(db_url) == actions


def test_a_full_session_a_stale_version_and_a_wrong_session_change_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    token = mia_downtown_token(api, auth, db_url)
    option = get(api, auth, f"/makeup-tokens/{token.id}/sessions").json()[0]
    before = makeup_count(db_url)
    path = f"/makeup-tokens/{token.id}/use"
    stale = post(api, auth, path, {"version": token.version + 5, "class_session_id": option["id"]})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == token.version
    with database(db_url) as db:
        north_session = db.scalars(
            select(tables.ClassSession.id)
            .join(tables.SchoolClass)
            .where(tables.SchoolClass.location_id == ids(db_url)["Northside"])
            .limit(1)
        ).one()
    wrong = post(api, auth, path, {"version": token.version, "class_session_id": north_session})
    assert wrong.status_code == 422 and "class_session_id" in wrong.json()["error"]["fields"]
    with database(db_url) as db:  # the class fills up meanwhile
        klass = db.get(tables.SchoolClass, option["class_id"])
        assert klass is not None
        klass.capacity -= option["open_seats"]
    full = post(api, auth, path, {"version": token.version, "class_session_id": option["id"]})
    assert full.status_code == 409 and "full" in full.json()["error"]["message"]
    assert makeup_count(db_url) == before
    assert tokens(api, auth, ids(db_url)["Mia"], ids(db_url)["Downtown"]).current[0] == token


def test_another_familys_token_is_404(api: TestClient, auth: dict[str, str], db_url: str) -> None:
    other_auth = {"Authorization": f"Bearer {login(api, OTHER_FAMILY_EMAIL)}"}
    token = mia_downtown_token(api, auth, db_url)
    body = {"version": token.version, "class_session_id": 1}
    assert post(api, other_auth, f"/makeup-tokens/{token.id}/use", body).status_code == 404
    assert get(api, other_auth, f"/makeup-tokens/{token.id}/sessions").status_code == 404
    assert makeup_count(db_url) == makeup_count(db_url)
    assert tokens(api, auth, ids(db_url)["Mia"], ids(db_url)["Downtown"]).current[0] == token


def family_access(db: Session, email: str = DEMO_EMAIL) -> FamilyAccess:
    """What the access check hands a service, built on `db` (for racing two sessions)."""
    user = db.scalars(select(tables.User).where(tables.User.email == email)).one()
    guardian = db.get(tables.Guardian, user.guardian_id)
    assert guardian is not None
    family = db.get(tables.Family, guardian.family_id)
    assert family is not None
    business = business_service.get_business(db=db)
    settings = business_service.settings_of(business)
    caller = Caller(
        user=user, session=tables.Session(), guardian=guardian, source="test", address=""
    )
    capabilities = capabilities_service.compute(
        db=db, guardian=guardian, family_id=family.id, settings=settings
    )
    return FamilyAccess(
        db, caller, family, settings, capabilities, business_zone(business), business.name
    )


def test_two_sessions_using_one_token_one_wins_by_the_row_version(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """Both read the token as available; the later flush names a version no longer there."""
    token = mia_downtown_token(api, auth, db_url)
    options = get(api, auth, f"/makeup-tokens/{token.id}/sessions").json()
    before = makeup_count(db_url)
    engine = make_engine(db_url)
    maker = make_sessionmaker(engine)
    with maker() as first, maker() as second:
        late = family_access(second)
        seen = second.get(tables.MakeupToken, token.id)  # read before the win, and kept
        assert seen is not None and seen.status is MakeupTokenStatus.AVAILABLE
        with first.begin():
            body = UseMakeupToken(version=token.version, class_session_id=options[0]["id"])
            makeups_service.use_token(family_access(first), token.id, body)
        body = UseMakeupToken(version=token.version, class_session_id=options[1]["id"])
        with pytest.raises(StaleDataError):
            makeups_service.use_token(late, token.id, body)
        second.rollback()
    engine.dispose()
    assert makeup_count(db_url) == before + 1


def test_two_racing_requests_for_one_token_one_gets_409(db_url: str) -> None:
    with servers.live_server(db_url) as url:
        client = httpx.Client(base_url=f"{url}/api/v1", timeout=30)
        token_text = client.post(
            "/auth/login", json={"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        ).json()["token"]
        client.headers["Authorization"] = f"Bearer {token_text}"
        family = f"/families/{client.get('/auth/me').json()['family_id']}"
        found = ids(db_url)
        listed = client.get(
            f"{family}/students/{found['Mia']}/makeup-tokens",
            params={"location_id": found["Downtown"]},
        )
        token = MakeupTokenOut.model_validate(listed.json()["current"][0])
        options = client.get(f"{family}/makeup-tokens/{token.id}/sessions").json()
        before = makeup_count(db_url)

        def use(session_id: int) -> int:
            return client.post(
                f"{family}/makeup-tokens/{token.id}/use",
                json={"version": token.version, "class_session_id": session_id},
            ).status_code

        statuses = race([partial(use, o["id"]) for o in options[:2]])
        client.close()
    assert sorted(statuses) == [200, 409]
    assert makeup_count(db_url) == before + 1


def test_two_requests_racing_for_the_last_seat_one_gets_409(db_url: str) -> None:
    set_settings(db_url, makeup_tokens="false", makeup_requests="true")
    with servers.live_server(db_url) as url:
        client = httpx.Client(base_url=f"{url}/api/v1", timeout=30)
        login_body = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
        client.headers["Authorization"] = (
            f"Bearer {client.post('/auth/login', json=login_body).json()['token']}"
        )
        family = f"/families/{client.get('/auth/me').json()['family_id']}"
        found = ids(db_url)
        students = [f"{family}/students/{found[name]}" for name in ("Mia", "Leo")]
        both = [
            {o["id"]: o for o in client.get(f"{path}/makeup-options").json()} for path in students
        ]
        shared = next(both[0][i] for i in both[0] if i in both[1])
        with database(db_url) as db:
            klass = db.get(tables.SchoolClass, shared["class_id"])
            assert klass is not None
            klass.capacity -= shared["open_seats"] - 1  # one seat left

        def request(path: str) -> int:
            return client.post(
                f"{path}/makeups", json={"class_session_id": shared["id"]}
            ).status_code

        statuses = race([partial(request, path) for path in students])
        client.close()
    assert sorted(statuses) == [201, 409]


def test_tokens_off_is_403_everywhere_and_requests_without_tokens_book_a_makeup(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    token = mia_downtown_token(api, auth, db_url)
    mia = ids(db_url)["Mia"]
    assert get(api, auth, f"/students/{mia}/makeup-options").status_code == 403
    assert get(api, auth, f"/students/{mia}/makeups").status_code == 403
    assert post(api, auth, f"/students/{mia}/makeups", {"class_session_id": 1}).status_code == 403
    set_settings(db_url, makeup_tokens="false", makeup_requests="true", makeup_request_days="10")
    assert get(api, auth, f"/students/{mia}/makeup-tokens").status_code == 403
    assert get(api, auth, f"/makeup-tokens/{token.id}/sessions").status_code == 403
    body = {"version": token.version, "class_session_id": 1}
    assert post(api, auth, f"/makeup-tokens/{token.id}/use", body).status_code == 403
    options = get(api, auth, f"/students/{mia}/makeup-options")
    assert options.status_code == 200, options.text
    days = [date.fromisoformat(o["day"]) for o in options.json()]
    assert days and all(TODAY <= d <= date(2026, 3, 12) for d in days)
    before = makeup_count(db_url)
    booked = post(
        api, auth, f"/students/{mia}/makeups", {"class_session_id": options.json()[0]["id"]}
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["makeup_token_id"] is None
    assert makeup_count(db_url) == before + 1 and audit_actions(db_url)[-1] == "makeup.request"
    twice = post(
        api, auth, f"/students/{mia}/makeups", {"class_session_id": options.json()[0]["id"]}
    )
    assert twice.status_code == 422  # already booked by her
    made = MakeupsOut.model_validate(get(api, auth, f"/students/{mia}/makeups").json())
    assert booked.json()["enrollment_id"] in [m.enrollment_id for m in made.upcoming]
    assert made.past and all(m.session.day < TODAY for m in made.past)
    assert [m.session.day for m in made.past] == sorted(
        (m.session.day for m in made.past), reverse=True
    )


def test_a_request_beyond_the_window_or_for_a_full_class_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    set_settings(db_url, makeup_tokens="false", makeup_requests="true", makeup_request_days="30")
    mia = ids(db_url)["Mia"]
    options = get(api, auth, f"/students/{mia}/makeup-options").json()
    set_settings(db_url, makeup_request_days="1")
    before, actions = makeup_count(db_url), audit_actions(db_url)
    late = options[-1]
    far = post(api, auth, f"/students/{mia}/makeups", {"class_session_id": late["id"]})
    assert far.status_code == 422
    set_settings(db_url, makeup_request_days="30")
    with database(db_url) as db:
        klass = db.get(tables.SchoolClass, late["class_id"])
        assert klass is not None
        klass.capacity = 0
    full = post(api, auth, f"/students/{mia}/makeups", {"class_session_id": late["id"]})
    assert full.status_code == 409
    assert makeup_count(db_url) == before and audit_actions(db_url) == actions


def test_with_both_off_every_makeup_endpoint_is_403(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    token = mia_downtown_token(api, auth, db_url)
    mia = ids(db_url)["Mia"]
    set_settings(db_url, makeup_tokens="false", makeup_requests="false")
    family = api.get(f"/api/v1{family_path(api, auth)}", headers=auth).json()
    assert not family["capabilities"]["makeup_tokens"]
    assert not family["capabilities"]["makeup_requests"]
    for path in (
        f"/students/{mia}/makeup-tokens",
        f"/makeup-tokens/{token.id}/sessions",
        f"/students/{mia}/makeup-options",
        f"/students/{mia}/makeups",
    ):
        assert get(api, auth, path).status_code == 403, path
