"""Contacts through the write path: rules, versions, audit, and bad input changing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.account import GuardiansOut
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL, OTHER_FAMILY_EMAIL
from portal_tui.wire.family import FamilyOut
from tests.server.conftest import family_path, login
from tests.servers import set_settings


def bearer(api: TestClient, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {login(api, email)}"}


def guardians(api: TestClient, auth: dict[str, str]) -> GuardiansOut:
    response = api.get(f"/api/v1{family_path(api, auth)}/guardians", headers=auth)
    assert response.status_code == 200, response.text
    return GuardiansOut.model_validate(response.json())


def send(api: TestClient, auth: dict[str, str], method: str, path: str, **kwargs: Any) -> Any:
    return api.request(method, f"/api/v1{family_path(api, auth)}{path}", headers=auth, **kwargs)


def audit_rows(db_url: str) -> list[tables.AuditEntry]:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = list(db.scalars(select(tables.AuditEntry).order_by(tables.AuditEntry.id)))
    engine.dispose()
    return rows


def ids(api: TestClient, auth: dict[str, str]) -> tuple[int, int]:
    """(primary guardian id, secondary guardian id) of the demo family."""
    data = guardians(api, auth)
    return data.guardians[0].id, data.guardians[1].id


def test_add_change_and_delete_each_kind_with_an_audit_row(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    primary, _ = ids(api, auth)
    bodies = {
        "addresses": {"guardian_id": primary, "line1": "12 Elm St", "city": "Chicago"},
        "emails": {"guardian_id": primary, "address": "Jordan.Home@Example.com"},
        "phones": {"guardian_id": primary, "number": "(312) 555-0199", "label": "home"},
    }
    before = len(audit_rows(db_url))
    for kind, body in bodies.items():
        added = send(api, auth, "POST", f"/{kind}", json=body)
        assert added.status_code == 201, added.text
        record = added.json()
        changed = send(
            api,
            auth,
            "PUT",
            f"/{kind}/{record['id']}",
            json={**body, "version": record["version"], "guardian_id": None},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["guardian_id"] is None
        assert changed.json()["version"] > record["version"]
        gone = send(
            api,
            auth,
            "DELETE",
            f"/{kind}/{record['id']}",
            params={"version": changed.json()["version"]},
        )
        assert gone.status_code == 204, gone.text
    rows = audit_rows(db_url)[before:]
    actions = [row.action for row in rows]
    assert actions == [
        f"{kind}.{verb}"
        for kind in ("address", "email", "phone")
        for verb in ("add", "update", "delete")
    ]
    assert all(row.actor_user_id and row.family_id and row.records for row in rows)
    assert all(row.client_address and row.source for row in rows)


def test_emails_and_phones_are_normalized(api: TestClient, auth: dict[str, str]) -> None:
    phone = send(api, auth, "POST", "/phones", json={"number": "312.555.0177"}).json()
    assert phone["number"] == "+13125550177"
    email = send(api, auth, "POST", "/emails", json={"address": "Pat@EXAMPLE.com"}).json()
    assert email["address"] == "Pat@example.com"


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("emails", {"address": "not an email"}, "address"),
        ("phones", {"number": "12"}, "number"),
        ("phones", {"number": "(312) 555-01"}, "number"),
        ("addresses", {"line1": "", "city": "Chicago"}, "line1"),
        ("addresses", {"line1": "1 Main\x1b]2;pwned\x07", "city": "Chicago"}, "line1"),
        ("emails", {"address": "a@example.com", "guardian_id": 2**40}, "guardian_id"),
        ("emails", {"address": "a@example.com", "opted_out": "yes"}, "opted_out"),
    ],
)
def test_bad_input_is_422_names_the_field_and_changes_nothing(
    api: TestClient, auth: dict[str, str], kind: str, body: dict[str, Any], field: str
) -> None:
    before = guardians(api, auth)
    response = send(api, auth, "POST", f"/{kind}", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert "pwned" not in response.text and "not an email" not in response.text
    assert guardians(api, auth) == before


def test_unknown_fields_are_refused_without_being_named(
    api: TestClient, auth: dict[str, str]
) -> None:
    body = {"address": "a@example.com", "secret_key_name": 1}
    response = send(api, auth, "POST", "/emails", json=body)
    assert response.status_code == 422
    assert "secret_key_name" not in response.text


def test_a_guardian_of_another_family_is_refused(api: TestClient, auth: dict[str, str]) -> None:
    other = bearer(api, OTHER_FAMILY_EMAIL)
    their_guardian = guardians(api, other).guardians[0].id
    response = send(
        api,
        auth,
        "POST",
        "/emails",
        json={"address": "a@example.com", "guardian_id": their_guardian},
    )
    assert response.status_code == 422
    assert "guardian_id" in response.json()["error"]["fields"]


def test_another_familys_records_and_family_are_404(api: TestClient, auth: dict[str, str]) -> None:
    other = bearer(api, OTHER_FAMILY_EMAIL)
    theirs = guardians(api, other).guardians[0].contacts
    assert theirs is not None
    their_phone = theirs.phones[0]
    body = {"number": "(312) 555-0100", "version": their_phone.version}
    assert send(api, auth, "PUT", f"/phones/{their_phone.id}", json=body).status_code == 404
    their_family = family_path(api, other)
    response = api.get(f"/api/v1{their_family}/guardians", headers=auth)
    assert response.status_code == 404
    assert api.get("/api/v1/families/999999", headers=auth).status_code == 404


def test_a_stale_version_is_409_with_the_current_record(
    api: TestClient, auth: dict[str, str]
) -> None:
    phone = send(api, auth, "POST", "/phones", json={"number": "(312) 555-0101"}).json()
    first = {"number": "(312) 555-0102", "version": phone["version"]}
    assert send(api, auth, "PUT", f"/phones/{phone['id']}", json=first).status_code == 200
    second = {"number": "(312) 555-0103", "version": phone["version"]}
    response = send(api, auth, "PUT", f"/phones/{phone['id']}", json=second)
    assert response.status_code == 409
    assert response.json()["current"]["number"] == "+13125550102"
    stale_delete = send(
        api, auth, "DELETE", f"/phones/{phone['id']}", params={"version": phone["version"]}
    )
    assert stale_delete.status_code == 409


def test_the_sign_in_email_cannot_be_deleted_or_changed(
    api: TestClient, auth: dict[str, str]
) -> None:
    primary = guardians(api, auth).guardians[0]
    assert primary.contacts is not None
    login_email = next(e for e in primary.contacts.emails if e.is_login)
    path = f"/emails/{login_email.id}"
    deleted = send(api, auth, "DELETE", path, params={"version": login_email.version})
    assert deleted.status_code == 422
    changed = send(
        api,
        auth,
        "PUT",
        path,
        json={
            "guardian_id": primary.id,
            "address": "new@example.com",
            "version": login_email.version,
        },
    )
    assert changed.status_code == 422 and "address" in changed.json()["error"]["fields"]
    opted = send(
        api,
        auth,
        "PUT",
        path,
        json={
            "guardian_id": primary.id,
            "address": login_email.address,
            "opted_out": True,
            "version": login_email.version,
        },
    )
    assert opted.status_code == 200 and opted.json()["opted_out"] is True


def test_an_accepted_secondarys_contacts_are_changed_only_by_them(
    api: TestClient, auth: dict[str, str]
) -> None:
    primary_id, secondary_id = ids(api, auth)
    refused = send(
        api, auth, "POST", "/phones", json={"number": "(312) 555-0104", "guardian_id": secondary_id}
    )
    assert refused.status_code == 403
    secondary = bearer(api, DEMO_SECONDARY_EMAIL)
    contacts = guardians(api, secondary).guardians[1].contacts
    assert contacts is not None
    own = contacts.phones[0]
    body = {"number": "(312) 555-0105", "guardian_id": secondary_id, "version": own.version}
    assert send(api, auth, "PUT", f"/phones/{own.id}", json=body).status_code == 403
    assert send(api, secondary, "PUT", f"/phones/{own.id}", json=body).status_code == 200
    moved = send(
        api,
        secondary,
        "POST",
        "/phones",
        json={"number": "(312) 555-0106", "guardian_id": primary_id},
    )
    assert moved.status_code == 403
    caps = FamilyOut.model_validate(
        api.get(f"/api/v1{family_path(api, auth)}", headers=auth).json()
    ).capabilities
    assert caps.edit_contacts_of == [primary_id] and caps.edit_unassigned_contacts


@pytest.mark.parametrize("on", [True, False])
def test_the_edit_contacts_setting_is_enforced_by_the_server(
    api: TestClient, auth: dict[str, str], db_url: str, on: bool
) -> None:
    set_settings(db_url, edit_contacts=str(on).lower())
    family = FamilyOut.model_validate(
        api.get(f"/api/v1{family_path(api, auth)}", headers=auth).json()
    )
    assert family.capabilities.edits_contacts is on
    response = send(api, auth, "POST", "/emails", json={"address": "x@example.com"})
    assert response.status_code == (201 if on else 403)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/families/99999999999999999999/account",
        "/api/v1/families/0/account",
        "/api/v1/families/1/phones/99999999999999999999?version=1",
    ],
)
def test_huge_or_zero_ids_are_422(api: TestClient, auth: dict[str, str], path: str) -> None:
    method = "DELETE" if "phones" in path else "GET"
    assert api.request(method, path, headers=auth).status_code == 422


def test_staff_cannot_open_a_family_yet(api: TestClient, auth: dict[str, str]) -> None:
    staff = bearer(api, "front.desk@example.com")
    response = api.get(f"/api/v1{family_path(api, auth)}/account", headers=staff)
    assert response.status_code == 403


def test_the_primary_cannot_move_a_contact_to_an_accepted_secondary(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    _, secondary_id = ids(api, auth)
    household = guardians(api, auth).unassigned.phones[0]
    body = {"number": household.number, "guardian_id": secondary_id, "version": household.version}
    assert send(api, auth, "PUT", f"/phones/{household.id}", json=body).status_code == 403
    assert guardians(api, auth).unassigned.phones[0] == household


def test_a_move_to_another_guardian_is_audited_from_whom_to_whom(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    primary_id, _ = ids(api, auth)
    household = guardians(api, auth).unassigned.phones[0]
    body = {"number": household.number, "guardian_id": primary_id, "version": household.version}
    assert send(api, auth, "PUT", f"/phones/{household.id}", json=body).status_code == 200
    row = audit_rows(db_url)[-1]
    assert row.action == "phone.update" and row.records == {"phone": household.id}
    assert row.detail == {"guardian_from": None, "guardian_to": primary_id}


def test_an_email_refusal_never_quotes_what_was_sent(api: TestClient, auth: dict[str, str]) -> None:
    response = send(api, auth, "POST", "/emails", json={"address": "pat@exa_mple.com"})
    assert response.status_code == 422
    assert "address" in response.json()["error"]["fields"]
    assert "_" not in response.json()["error"]["fields"]["address"]
