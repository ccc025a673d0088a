"""The balance chart's data: a location's balance over time, sampled from the balances kept
with the entries, equal to the running sum of the location's entries at each point."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from portal_tui.server.services.balances import sample_places
from portal_tui.wire.balances import BalanceHistory
from portal_tui.wire.ledger import LedgerRow
from portal_tui.wire.settings import LocationOut
from tests.server.conftest import family_path


def whole_ledger(
    api: TestClient, auth: dict[str, str], path: str, location: int
) -> list[LedgerRow]:
    """The location's entries, oldest first, read through the cursor pages."""
    rows: list[LedgerRow] = []
    cursor: str | None = None
    while True:
        params: dict[str, object] = {"location_id": location, "limit": 500}
        if cursor:
            params["cursor"] = cursor
        page = api.get(f"{path}/ledger", headers=auth, params=params).json()
        rows += [LedgerRow.model_validate(r) for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            return rows[::-1]


@given(entries=st.integers(0, 5000), points=st.integers(2, 400))
def test_sampled_places_are_spread_from_the_oldest_to_the_newest(entries: int, points: int) -> None:
    places = sample_places(entries, points)
    assert places == sorted(set(places)) and len(places) == min(entries, points)
    assert all(1 <= p <= entries for p in places)
    if entries:
        assert places[0] == 1 and places[-1] == entries


@pytest.mark.parametrize("points", [2, 5, 400])
def test_each_point_is_the_running_balance_of_the_location(
    api: TestClient, auth: dict[str, str], points: int
) -> None:
    path = "/api/v1" + family_path(api, auth)
    for location in api.get("/api/v1/locations", headers=auth).json():
        location_id = LocationOut.model_validate(location).id
        ledger = whole_ledger(api, auth, path, location_id)
        answer = api.get(
            f"{path}/ledger/balances",
            headers=auth,
            params={"location_id": location_id, "points": points},
        )
        assert answer.status_code == 200, answer.text
        history = BalanceHistory.model_validate(answer.json())
        assert history.entries == len(ledger)
        running, closing = 0, {}
        for row in ledger:
            running += row.kind.sign * row.amount_cents
            closing.setdefault(row.entry_date, []).append(running)
        dates = [p.on for p in history.points]
        assert dates == sorted(set(dates))
        for point in history.points:
            assert point.balance_cents in closing[point.on]
        if ledger:
            assert history.points[-1].on == ledger[-1].entry_date
            assert history.points[-1].balance_cents == running
        if len(ledger) <= points:  # every entry sampled: each day's closing balance
            assert [p.balance_cents for p in history.points] == [v[-1] for v in closing.values()]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"location_id": 999_999},
        {"location_id": 1, "points": 1},
        {"location_id": 1, "points": 401},
    ],
)
def test_a_location_is_required_and_points_are_bounded(
    api: TestClient, auth: dict[str, str], params: dict[str, int]
) -> None:
    answer = api.get(
        f"/api/v1{family_path(api, auth)}/ledger/balances", headers=auth, params=params
    )
    assert answer.status_code in (404, 422), answer.text
