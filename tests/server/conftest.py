"""Server tests talk to the app in process, over each database backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from portal_tui.server.app import create_app
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD


@pytest.fixture
def api(db_url: str) -> Iterator[TestClient]:
    app = create_app(db_url)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client
    app.state.engine.dispose()


def login(api: TestClient, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> str:
    response = api.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


@pytest.fixture
def auth(api: TestClient) -> dict[str, str]:
    """Headers signed in as the demo family's primary guardian."""
    return {"Authorization": f"Bearer {login(api)}"}
