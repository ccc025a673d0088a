"""Add Guardian and Edit Guardian: who may, checked fields, versions, audit, another
family's 404, and that a refused request changes nothing."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.seed.demo import STAFF_EMAIL
from portal_tui.wire.account import GuardianOut, LoginAccess
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.family import FamilyOut
from tests.server.conftest import family_path, login
from tests.server.test_contacts import audit_rows, guardians, ids, send

NEW = {"first_name": "Rosa", "last_name": "Rivera", "relation": "Grandparent"}


def guardian_rows(db_url: str) -> list[tuple[Any, ...]]:
    """Every guardian as the database holds it now."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = [
            (g.id, g.family_id, g.first_name, g.last_name, g.relation, g.version)
            for g in db.scalars(select(tables.Guardian).order_by(tables.Guardian.id))
        ]
    engine.dispose()
    return rows


def capabilities(api: TestClient, auth: dict[str, str]) -> Any:
    response = api.get(f"/api/v1{family_path(api, auth)}", headers=auth)
    assert response.status_code == 200, response.text
    return FamilyOut.model_validate(response.json()).capabilities


def added(api: TestClient, auth: dict[str, str], **change: str) -> GuardianOut:
    response = send(api, auth, "POST", "/guardians", json={**NEW, **change})
    assert response.status_code == 201, response.text
    return GuardianOut.model_validate(response.json())


def as_secondary(api: TestClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(api, DEMO_SECONDARY_EMAIL)}"}


def test_the_primary_adds_a_secondary_guardian_without_login_or_payments(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = len(audit_rows(db_url))
    assert capabilities(api, auth).add_guardian
    rosa = added(api, auth)
    assert (rosa.first_name, rosa.last_name, rosa.relation) == ("Rosa", "Rivera", "Grandparent")
    assert not rosa.is_primary and not rosa.can_make_payments
    assert rosa.login_access is LoginAccess.NONE
    assert rosa.contacts is not None and rosa.contacts.phones == []
    listed = next(g for g in guardians(api, auth).guardians if g.id == rosa.id)
    assert listed.relation == "Grandparent"
    [row] = audit_rows(db_url)[before:]
    assert (row.action, row.records) == ("guardian.add", {"guardian": rosa.id})
    can = capabilities(api, auth)
    assert rosa.id in can.edit_guardians and rosa.id in can.edit_contacts_of


def test_the_new_guardians_contacts_are_added_through_the_contact_endpoints(
    api: TestClient, auth: dict[str, str]
) -> None:
    rosa = added(api, auth)
    phone = {"number": "(312) 555-0177", "guardian_id": rosa.id}
    assert send(api, auth, "POST", "/phones", json=phone).status_code == 201
    email = {"address": "rosa@example.com", "guardian_id": rosa.id}
    assert send(api, auth, "POST", "/emails", json=email).status_code == 201
    listed = next(g for g in guardians(api, auth).guardians if g.id == rosa.id)
    assert listed.contacts is not None
    assert [p.number for p in listed.contacts.phones] == ["+13125550177"]
    assert [e.address for e in listed.contacts.emails] == ["rosa@example.com"]


def test_the_primary_edits_a_guardian_who_has_not_accepted_an_invitation(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    rosa = added(api, auth)
    before = len(audit_rows(db_url))
    body = {"first_name": "Rosa", "last_name": "Lopez", "relation": "Aunt", "version": rosa.version}
    changed = send(api, auth, "PUT", f"/guardians/{rosa.id}", json=body)
    assert changed.status_code == 200, changed.text
    saved = GuardianOut.model_validate(changed.json())
    assert (saved.last_name, saved.relation, saved.version) == ("Lopez", "Aunt", rosa.version + 1)
    [row] = audit_rows(db_url)[before:]
    assert (row.action, row.records) == ("guardian.update", {"guardian": rosa.id})


def test_each_guardian_edits_themselves_and_the_name_they_are_greeted_by_follows(
    api: TestClient, auth: dict[str, str]
) -> None:
    secondary = as_secondary(api)
    for headers, index in ((auth, 0), (secondary, 1)):
        me = guardians(api, auth).guardians[index]
        body = {"first_name": me.first_name, "last_name": "Rivera-Cruz", "version": me.version}
        changed = send(api, headers, "PUT", f"/guardians/{me.id}", json=body)
        assert changed.status_code == 200, changed.text
        assert changed.json()["relation"] == ""
        user = api.get("/api/v1/auth/me", headers=headers).json()
        assert user["display_name"] == f"{me.first_name} Rivera-Cruz"


def test_the_primary_cannot_edit_a_secondary_who_accepted_an_invitation(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    _, sam_id = ids(api, auth)
    sam = next(g for g in guardians(api, auth).guardians if g.id == sam_id)
    assert sam_id not in capabilities(api, auth).edit_guardians
    before = guardian_rows(db_url)
    body = {"first_name": "Samuel", "last_name": "Rivera", "version": sam.version}
    refused = send(api, auth, "PUT", f"/guardians/{sam_id}", json=body)
    assert refused.status_code == 403, refused.text
    assert guardian_rows(db_url) == before


def test_a_secondary_guardian_may_neither_add_a_guardian_nor_edit_another(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    rosa = added(api, auth)
    primary_id, sam_id = ids(api, auth)
    secondary = as_secondary(api)
    can = capabilities(api, secondary)
    assert not can.add_guardian and can.edit_guardians == [sam_id]
    before = guardian_rows(db_url)
    assert send(api, secondary, "POST", "/guardians", json=NEW).status_code == 403
    for other in (rosa.id, primary_id):
        version = next(v for i, *_, v in before if i == other)
        body = {**NEW, "version": version}
        assert send(api, secondary, "PUT", f"/guardians/{other}", json=body).status_code == 403
    assert guardian_rows(db_url) == before


def test_another_familys_guardian_gets_404_and_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    rosa = added(api, auth)
    other = {"Authorization": f"Bearer {login(api, OTHER_FAMILY_EMAIL)}"}
    rivera = f"/api/v1{family_path(api, auth)}"
    own = f"/api/v1{family_path(api, other)}"
    before = guardian_rows(db_url)
    body = {**NEW, "version": rosa.version}
    assert api.post(f"{rivera}/guardians", headers=other, json=NEW).status_code == 404
    assert api.put(f"{rivera}/guardians/{rosa.id}", headers=other, json=body).status_code == 404
    # their own family's path naming a Rivera guardian: that guardian is not theirs
    assert api.put(f"{own}/guardians/{rosa.id}", headers=other, json=body).status_code == 404
    assert guardian_rows(db_url) == before


def test_staff_are_refused_like_every_family_route_until_staff_mode(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """Staff open no family yet (403 on every family route); when staff mode comes, the
    capabilities of staff decide, and this test turns into staff adding a guardian."""
    rosa = added(api, auth)
    staff = {"Authorization": f"Bearer {login(api, STAFF_EMAIL)}"}
    rivera = f"/api/v1{family_path(api, auth)}"
    before = guardian_rows(db_url)
    assert api.post(f"{rivera}/guardians", headers=staff, json=NEW).status_code == 403
    body = {**NEW, "version": rosa.version}
    assert api.put(f"{rivera}/guardians/{rosa.id}", headers=staff, json=body).status_code == 403
    assert guardian_rows(db_url) == before


BAD: list[tuple[dict[str, Any], str]] = [
    ({"first_name": ""}, "first_name"),
    ({"last_name": "   "}, "last_name"),
    ({"first_name": "Rosa\x1b]2;owned\x07"}, "first_name"),
    ({"relation": "Aunt\x1b[2J"}, "relation"),
    ({"last_name": "x" * 81}, "last_name"),
    ({"relation": "x" * 41}, "relation"),
    ({"relation": 7}, "relation"),
    ({"is_primary": True}, "request"),
    ({"login_access": "can_log_in"}, "request"),
]


def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    rosa = added(api, auth)
    before = guardian_rows(db_url)
    audits = len(audit_rows(db_url))
    for change, field in BAD:
        for method, path, body in (
            ("POST", "/guardians", {**NEW, **change}),
            ("PUT", f"/guardians/{rosa.id}", {**NEW, **change, "version": rosa.version}),
        ):
            response = send(api, auth, method, path, json=body)
            assert response.status_code == 422, (method, change, response.text)
            assert field in response.json()["error"]["fields"], (change, response.text)
            assert "owned" not in response.text
    assert guardian_rows(db_url) == before
    assert len(audit_rows(db_url)) == audits


def test_a_stale_version_gets_409_with_the_guardian_as_it_is(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    rosa = added(api, auth)
    body = {**NEW, "relation": "Aunt", "version": rosa.version}
    assert send(api, auth, "PUT", f"/guardians/{rosa.id}", json=body).status_code == 200
    before = guardian_rows(db_url)
    stale = send(api, auth, "PUT", f"/guardians/{rosa.id}", json={**body, "relation": "Nana"})
    assert stale.status_code == 409, stale.text
    current = GuardianOut.model_validate(stale.json()["current"])
    assert (current.relation, current.version) == ("Aunt", rosa.version + 1)
    assert guardian_rows(db_url) == before


def test_an_unknown_guardian_is_404(api: TestClient, auth: dict[str, str]) -> None:
    body = {**NEW, "version": 1}
    assert send(api, auth, "PUT", "/guardians/999999", json=body).status_code == 404
