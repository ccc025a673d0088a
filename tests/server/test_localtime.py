"""The business's local time: its today, and local times to UTC instants and back."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from portal_tui.server.errors import Invalid
from portal_tui.server.services.localtime import business_today, local_day, local_instant

CHICAGO = ZoneInfo("America/Chicago")
EAST, WEST = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
"""UTC+14 and UTC−11: 25 hours apart, so they are never on the same date."""


def test_today_is_the_business_date_not_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTAL_TODAY", raising=False)
    before = datetime.now(UTC)
    east, west = business_today(EAST), business_today(WEST)
    after = datetime.now(UTC)
    if before.date() == after.date():  # not straddling UTC midnight
        assert east == before.astimezone(EAST).date() and west == before.astimezone(WEST).date()
        assert west < east and west <= before.date() <= east


def test_portal_today_pins_today_in_every_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TODAY", "2026-03-02")
    assert business_today(EAST) == business_today(WEST) == date(2026, 3, 2)


def test_a_local_time_becomes_its_utc_instant_and_back() -> None:
    instant = local_instant(date(2026, 3, 12), time(17), CHICAGO)
    assert instant == datetime(2026, 3, 12, 22, tzinfo=UTC)
    assert local_day(datetime(2026, 3, 13, 3, tzinfo=UTC), CHICAGO) == date(2026, 3, 12)


def test_a_time_the_clocks_skip_is_refused_only_for_a_request_field() -> None:
    skipped = date(2026, 3, 8), time(2, 30), CHICAGO
    with pytest.raises(Invalid) as refused:
        local_instant(*skipped, "start_time")
    assert "start_time" in refused.value.fields
    assert local_instant(*skipped) == datetime(2026, 3, 8, 8, 30, tzinfo=UTC)
