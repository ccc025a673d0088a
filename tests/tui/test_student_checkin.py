"""QR Codes: the check-in code drawn in the terminal decodes to the student's code, at 120×40,
at 80×24 and under NO_COLOR; "Regenerate QR Code" asks first and replaces it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from rich.segment import Segment
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from portal_tui.screens.main import MainScreen
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.widgets.qr_code import QRCode, qr_lines
from tests import servers
from tests.tui.api import Api
from tests.tui.pilot import make, open_account, palette, screen_text, unfocus, until
from tests.tui.qr_reader import cells, decode, modules_from_colours, modules_from_text
from tests.tui.students import open_students, show_section


def server_code(api: Api, student: str) -> str:
    """The student's check-in code as the server has it."""
    listed = api.send("GET", "/students").json()
    sid = next(s["id"] for s in listed if f"{s['first_name']} {s['last_name']}" == student)
    return str(api.send("GET", f"/students/{sid}/checkin-code").json()["code"])


def test_the_widget_draws_a_longer_payload_too() -> None:
    """Reused for two-step setup: an otpauth URI (lower case, longer) reads back as well."""
    uri = "otpauth://totp/Portal:taylor@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Portal"
    lines = qr_lines(uri)
    rows = [[Segment(c) for c in line] for line in lines]
    assert decode(modules_from_text(rows)) == [uri]
    assert len({len(line) for line in lines}) == 1


def drawn(pilot: Pilot[None], *, colours: bool = False) -> list[str]:
    """What a phone reads from the QR code on screen (from its glyphs, or its colours after
    the app's output filters)."""
    region = pilot.app.screen.query_one(QRCode).region
    if colours:
        return decode(modules_from_colours(cells(pilot, region, filtered=True)))
    return decode(modules_from_text(cells(pilot, region)))


@pytest.fixture
async def checkin(server_url: str) -> AsyncIterator[tuple[Pilot[None], Api]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        await show_section(pilot, "checkin", "Mia Rivera")
        yield pilot, Api(server_url)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("student", ["Mia Rivera", "Leo Rivera"])
async def test_the_code_on_screen_decodes_to_the_students_check_in_code(
    server_url: str, size: tuple[int, int], student: str
) -> None:
    app = make(server_url)
    async with app.run_test(size=size) as pilot:
        await open_account(pilot)
        await show_section(pilot, "checkin", student)
        code = server_code(Api(server_url), student)
        assert drawn(pilot) == [code]
        assert drawn(pilot, colours=True) == [code]
        region = app.screen.query_one(QRCode).region
        assert (region.width, region.height) == (29, 15)
        assert region.bottom <= size[1] - 1, "the code must fit above the footer"
        text = screen_text(pilot)
        assert student in text and code in text


async def test_without_colour_the_code_still_reads_light_on_dark(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.no_color
        await open_account(pilot)
        await show_section(pilot, "checkin", "Mia Rivera")
        assert drawn(pilot, colours=True) == [server_code(Api(server_url), "Mia Rivera")]


async def test_regenerate_asks_first_then_the_old_code_is_gone(
    checkin: tuple[Pilot[None], Api],
) -> None:
    pilot, api = checkin
    old = server_code(api, "Mia Rivera")
    await palette(pilot, "Regenerate QR Code")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    confirm = pilot.app.screen
    assert isinstance(confirm, ConfirmScreen)
    assert confirm.question == (
        "Regenerate the QR code for Mia Rivera? The old code will stop working."
    )
    assert "Regenerate the QR code for Mia Rivera?" in screen_text(pilot)
    await pilot.click("#confirm")
    await until(pilot, lambda: "Regenerated the QR code for Mia Rivera" in screen_text(pilot))
    new = server_code(api, "Mia Rivera")
    assert new != old
    assert drawn(pilot) == [new]
    assert new in screen_text(pilot) and old not in screen_text(pilot)


async def test_keep_changes_nothing(checkin: tuple[Pilot[None], Api]) -> None:
    pilot, api = checkin
    old = server_code(api, "Mia Rivera")
    await pilot.click("#regenerate")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#keep")
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    assert server_code(api, "Mia Rivera") == old
    assert drawn(pilot) == [old]


async def test_a_refusal_shows_in_place_and_the_code_stays(
    checkin: tuple[Pilot[None], Api], sqlite_url: str
) -> None:
    """The setting was turned off after the view was shown."""
    pilot, api = checkin
    old = server_code(api, "Mia Rivera")
    servers.set_settings(sqlite_url, qr_codes="off")
    await pilot.click("#regenerate")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, lambda: "QR codes are not offered in the portal." in screen_text(pilot))
    servers.set_settings(sqlite_url, qr_codes="on")
    assert server_code(api, "Mia Rivera") == old
    assert drawn(pilot) == [old]


@pytest.mark.parametrize("on", [True, False])
async def test_the_setting_decides_whether_qr_codes_show(sqlite_url: str, on: bool) -> None:
    servers.set_settings(sqlite_url, qr_codes="on" if on else "off")
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_students(pilot)
            panes = tab.query_one("#sections", TabbedContent)
            assert bool(panes.query("#checkin")) is on
            assert isinstance(app.screen, MainScreen)
            labels = {c.label for c in app.screen.palette_commands()}
            assert ("QR Codes" in labels) is on
            assert ("Regenerate QR Code" in labels) is on


def show_checkin(student: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        await show_section(pilot, "checkin", student)
        await unfocus(pilot)

    return run_before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot(
    snap_compare: Callable[..., bool], server_url: str, size: tuple[int, int]
) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=size, run_before=show_checkin("Mia Rivera"))


async def test_regenerate_from_the_palette_before_the_view_was_ever_shown(
    server_url: str,
) -> None:
    app = make(server_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await open_students(pilot)
        await palette(pilot, "Regenerate QR Code")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.question.startswith("Regenerate the QR code for Ava Rivera?")
