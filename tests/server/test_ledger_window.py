"""The ledger by position: a window at any newest-first index and Go to date, for every
filter and location, agree with the keyset pages; new entries keep them consistent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.wire.ledger import EntryKind, LedgerPosition, LedgerRow, LedgerWindow
from tests.server.conftest import family_path
from tests.server.random_writes import write
from tests.server.test_makeups import family_access
from tests.server.test_read_endpoints import all_pages, get

KINDS = [None, *EntryKind]


def window(api: TestClient, auth: dict[str, str], **params: Any) -> LedgerWindow:
    path = family_path(api, auth) + "/ledger/window"
    return LedgerWindow.model_validate(get(api, auth, path, **params))


def position(api: TestClient, auth: dict[str, str], on: date, **params: Any) -> LedgerPosition:
    path = family_path(api, auth) + "/ledger/position"
    return LedgerPosition.model_validate(get(api, auth, path, on=on.isoformat(), **params))


def all_windows(api: TestClient, auth: dict[str, str], step: int, **params: Any) -> list[LedgerRow]:
    """Every entry, read window after window; each window names the same total."""
    first = window(api, auth, start=0, limit=step, **params)
    rows = list(first.items)
    for start in range(step, first.total + step, step):
        page = window(api, auth, start=start, limit=step, **params)
        assert page.total == first.total and page.start == start
        rows += page.items
    assert len(rows) == first.total
    return rows


def filters(api: TestClient, auth: dict[str, str]) -> list[dict[str, Any]]:
    """Every kind filter, of the family and at each location."""
    locations = [None, *(loc["id"] for loc in get(api, auth, "/locations"))]
    return [
        {
            **({"location_id": loc} if loc else {}),
            **({"kind": kind.value} if kind else {}),
        }
        for loc in locations
        for kind in KINDS
    ]


def test_windows_equal_the_keyset_pages_for_every_filter(
    api: TestClient, auth: dict[str, str]
) -> None:
    matched = 0
    for params in filters(api, auth):
        paged = all_pages(api, auth, limit=500, **params)
        windowed = all_windows(api, auth, step=7, **params)
        assert windowed == paged, params
        matched += bool(paged)
    assert matched >= 10  # most filters have entries in the demo


def test_window_bounds(api: TestClient, auth: dict[str, str]) -> None:
    whole = all_pages(api, auth, limit=500)
    total = len(whole)
    last = window(api, auth, start=total - 3, limit=10)
    assert last.total == total and last.items == whole[-3:]
    assert window(api, auth, start=total, limit=10).items == []
    past = window(api, auth, start=total + 1000, limit=500)
    assert past.total == total and past.items == []
    assert window(api, auth, start=0, limit=500).items == whole[:500]
    path = f"/api/v1{family_path(api, auth)}/ledger/window"
    for params in ({"limit": 0}, {"limit": 501}, {"start": -1}, {"start": 2**40}):
        response = api.get(path, headers=auth, params=params)
        assert response.status_code == 422, params


def test_an_empty_filter_has_no_rows(api: TestClient, auth: dict[str, str]) -> None:
    for params in filters(api, auth):
        if not all_pages(api, auth, limit=500, **params):
            empty = window(api, auth, **params)
            assert (empty.total, empty.items) == (0, [])
            assert position(api, auth, date(2030, 1, 1), **params).index is None
            return
    pytest.skip("every filter has entries")


def expected_index(rows: list[LedgerRow], on: date) -> int | None:
    return next((i for i, row in enumerate(rows) if row.entry_date <= on), None)


def test_go_to_date_for_every_filter(api: TestClient, auth: dict[str, str]) -> None:
    for params in filters(api, auth):
        rows = all_pages(api, auth, limit=500, **params)
        if not rows:
            continue
        days = {rows[0].entry_date + timedelta(days=1), rows[-1].entry_date - timedelta(days=1)}
        days |= {row.entry_date for row in rows[:: max(1, len(rows) // 5)]}
        days |= {row.entry_date - timedelta(days=1) for row in rows[:: max(1, len(rows) // 5)]}
        for day in days:
            found = position(api, auth, day, **params)
            assert found.total == len(rows)
            assert found.index == expected_index(rows, day), (params, day)


def test_go_to_date_ends_and_a_day_of_several_entries(
    api: TestClient, auth: dict[str, str]
) -> None:
    rows = all_pages(api, auth, limit=500)
    newest, oldest = rows[0].entry_date, rows[-1].entry_date
    assert position(api, auth, newest + timedelta(days=400)).index == 0
    assert position(api, auth, oldest - timedelta(days=1)).index is None
    at_oldest = position(api, auth, oldest).index
    assert at_oldest is not None and rows[at_oldest].entry_date == oldest
    assert rows[at_oldest - 1].entry_date > oldest
    busy = next(
        row.entry_date for row in rows if sum(r.entry_date == row.entry_date for r in rows) > 1
    )
    index = position(api, auth, busy).index
    assert index is not None
    assert rows[index].entry_date == busy and (index == 0 or rows[index - 1].entry_date > busy)
    path = f"/api/v1{family_path(api, auth)}/ledger/position"
    for params in ({}, {"on": "2026-02-30"}, {"on": "yesterday"}):
        assert api.get(path, headers=auth, params=params).status_code == 422, params


def test_new_entries_keep_total_and_windows_consistent(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    before = all_pages(api, auth, limit=500)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        family = family_access(db)
        location = before[0].location_id
        middle = before[len(before) // 2].entry_date
        for kind, day in [
            (EntryKind.CHARGE, middle),  # backdated: later entries move down one place
            (EntryKind.REFUND, before[0].entry_date + timedelta(days=1)),
            (EntryKind.CREDIT, before[-1].entry_date - timedelta(days=3)),  # the oldest now
        ]:
            write(db, family.id, kind, day, location, 1500)
        db.commit()
    engine.dispose()
    for params in filters(api, auth):
        paged = all_pages(api, auth, limit=500, **params)
        assert all_windows(api, auth, step=11, **params) == paged, params
    after = all_pages(api, auth, limit=500)
    assert len(after) == len(before) + 3
    assert position(api, auth, before[-1].entry_date - timedelta(days=1)).index == len(after) - 1
