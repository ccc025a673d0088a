"""Schema fuzzing with schemathesis, signed in as the demo primary guardian.

Every operation in /openapi.json gets a bounded, derandomized run of generated requests
(valid and invalid ones, schemathesis' examples, coverage and fuzzing phases), sent in
process to the ASGI app over a fresh seeded database per operation, on SQLite and PostgreSQL.
Checks: no 5xx, each status code is one the operation documents, and each answer matches the
documented schema.

How the fuzzing reaches the handlers rather than 404s: the operations come from the app's own
/openapi.json (loaded once at import from an app whose database is never opened), and each
case is sent to the test's app with the primary's token in the Authorization header,
`{family_id}` set to the Rivera family, and three in four generated integer `{record_id}`s
mapped onto a real record of the right kind (a contact: the primary's, the secondary's or
nobody's; a guardian: the primary or the secondary),
so updates and deletes meet real rows: 403s, 409s with `current`, and real changes.

Two answers it once found outside the schema now have tests of their own: class times
(local, without an offset) and a body that is not UTF-8 (422, like any unreadable body).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.app import create_app
from portal_tui.wire.demo import DEMO_EMAIL
from tests.server.conftest import family_path, login

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app("sqlite://"))
"""The operations to fuzz; requests go to each test's own app (see `target`)."""

CONTACT_TABLES: dict[str, type[tables.Address | tables.Email | tables.Phone]] = {
    "addresses": tables.Address,
    "emails": tables.Email,
    "phones": tables.Phone,
}
STUDENT_TABLES: dict[str, type[tables.Enrollment]] = {
    "enrollments": tables.Enrollment,
    "waitlist": tables.Enrollment,
}
"""The path segment before a student record's {record_id} → its table."""
GUARDIAN_TABLES: dict[str, type[tables.Guardian]] = {"guardians": tables.Guardian}
"""Edit Guardian's and the payment permission's {record_id}: one of the family's guardians."""


CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@dataclass(frozen=True)
class Target:
    app: FastAPI
    headers: dict[str, str]
    family_id: int
    guardian_ids: list[int]
    """The primary's and the accepted secondary's."""
    records: dict[str, list[int]]
    """Ids of the Rivera family's records of each kind (contacts, enrollments, guardians)."""

    def version(self, kind: str, record_id: int) -> int | None:
        """The record's current version (None once it is deleted)."""
        table = {**CONTACT_TABLES, **STUDENT_TABLES, **GUARDIAN_TABLES}[kind]
        with Session(self.app.state.engine) as db:
            return db.scalar(select(table.version).where(table.id == record_id))


@pytest.fixture
def target(db_url: str) -> Iterator[Target]:
    """The app over a fresh seeded database, and the demo primary's token and ids there."""
    app = create_app(db_url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        token = login(client, DEMO_EMAIL)
    with Session(app.state.engine) as db:
        user = db.scalars(select(tables.User).where(tables.User.email == DEMO_EMAIL)).one()
        guardian = db.get(tables.Guardian, user.guardian_id)
        assert guardian is not None
        family_id = guardian.family_id
        guardian_ids = sorted(
            db.scalars(select(tables.Guardian.id).where(tables.Guardian.family_id == family_id))
        )
        records = {
            kind: sorted(db.scalars(select(table.id).where(table.family_id == family_id)))
            for kind, table in CONTACT_TABLES.items()
        }
        for kind, student_table in STUDENT_TABLES.items():
            records[kind] = sorted(
                db.scalars(
                    select(student_table.id)
                    .join(tables.Student, tables.Student.id == student_table.student_id)
                    .where(tables.Student.family_id == family_id)
                )
            )
        records["guardians"] = guardian_ids
    headers = {"Authorization": f"Bearer {token}"}
    yield Target(app, headers, family_id, guardian_ids, records)
    app.state.engine.dispose()


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def aim(case: Any, target: Target) -> None:
    """Point a generated case at real data, so more of it passes the checks and reaches the
    service: the Rivera family; and, each from a drawn value so it stays deterministic, mostly
    a real contact of the right kind and its current version, a guardian of the family, and
    sometimes a valid email or phone number instead of random text."""
    parameters = case.path_parameters or {}
    if "family_id" in parameters:
        parameters["family_id"] = target.family_id
    kind = case.path.split("/")[5] if case.path.count("/") >= 5 else ""
    record_id = parameters.get("record_id")
    if is_int(record_id) and record_id % 4 and target.records.get(kind):
        real = target.records[kind]
        parameters["record_id"] = record_id = real[record_id % len(real)]
    body = case.body if isinstance(case.body, dict) else {}
    query = case.query if isinstance(case.query, dict) else {}
    for container in (body, query):
        version = container.get("version")
        if is_int(version) and version % 2 and record_id in target.records.get(kind, []):
            container["version"] = target.version(kind, record_id) or version
    guardian_id = body.get("guardian_id")
    if is_int(guardian_id) and guardian_id % 3:
        body["guardian_id"] = target.guardian_ids[guardian_id % len(target.guardian_ids)]
    if isinstance(body.get("address"), str) and len(body["address"]) % 2:
        body["address"] = f"fuzz{len(body['address'])}@example.com"
    if isinstance(body.get("number"), str) and len(body["number"]) % 2:
        body["number"] = f"(312) 555-01{len(body['number']) % 100:02d}"


FUZZ = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    # One database per operation, shared by its examples (hence the function-scoped fixture).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@FUZZ
def test_every_answer_is_documented_and_no_request_breaks_the_server(
    case: Any, target: Target
) -> None:
    aim(case, target)
    case.call_and_validate(app=target.app, headers=target.headers, checks=CHECKS)


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/login", "{family}/addresses", "{family}/emails", "{family}/phones"]
)
def test_a_body_that_is_not_utf8_gets_a_documented_answer(api: TestClient, path: str) -> None:
    """Found by fuzzing: such a body was once an undocumented 400."""
    headers = {"Authorization": f"Bearer {login(api)}", "Content-Type": "application/json"}
    url = path.replace("{family}", f"/api/v1{family_path(api, headers)}")
    response = api.post(url, content=b'{"line1": "%\xe9"}', headers=headers)
    assert response.status_code < 500
    template = path.replace("{family}", "/api/v1/families/{family_id}")
    documented = api.get("/openapi.json").json()["paths"][template]["post"]["responses"]
    assert str(response.status_code) in documented, (response.status_code, response.text)
