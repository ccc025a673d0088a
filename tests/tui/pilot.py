"""Helpers for driving the real app with Pilot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from textual.command import Command, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Footer, Input, TabbedContent
from textual.widgets._footer import FooterKey

from portal_tui.app import PortalApp
from portal_tui.options import LaunchOptions
from portal_tui.screens.login import LoginScreen
from portal_tui.screens.main import MainScreen
from portal_tui.widgets.ledger_table import LedgerTable
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD
from portal_tui.wire.ledger import LedgerRow


def make(server: str = "", **options: object) -> PortalApp:
    return PortalApp(LaunchOptions(server=server, **options))  # type: ignore[arg-type]


async def until(pilot: Pilot[None], check: Callable[[], object], seconds: float = 10.0) -> None:
    """Let the app run until `check()` is true (network work happens in workers)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            workers = [(w.name, w.state.name) for w in pilot.app.workers]
            raise AssertionError(
                f"timed out waiting for {check}; workers {workers}; the screen:\n"
                + screen_text(pilot)
            )
        await pilot.pause(0.05)


def screen_text(pilot: Pilot[None]) -> str:
    """Everything the screen shows, as plain text."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    # A screen just pushed is `app.screen` before it has composed its fields.
    await until(pilot, lambda: pilot.app.screen.query(selector))
    field = pilot.app.screen.query_one(selector, Input)
    field.value = ""
    field.focus()
    await pilot.press(*text)


async def fill(pilot: Pilot[None], selector: str, text: str) -> None:
    """Put `text` in a field at once, as a paste would: Pilot takes about 85 ms a key, so
    typing is kept for the tests that are about typing. Waits for the field, as `type_into`."""
    await until(pilot, lambda: pilot.app.screen.query(selector))
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text


async def unfocus(pilot: Pilot[None]) -> None:
    """Focus nothing (a snapshot without a focus highlight), then wait until the footer has
    caught up: it shows the screen's keys two refreshes after the focus moves."""
    screen = pilot.app.screen
    screen.set_focus(None)

    def footer_caught_up() -> bool:
        bindings = screen.active_bindings
        wanted: dict[str, tuple[str, bool]] = {}
        for _, binding, enabled, _ in bindings.values():
            if binding.show:  # the footer shows an action's first key
                wanted.setdefault(binding.action, (binding.key, not enabled))
        if palette := bindings.get(pilot.app.COMMAND_PALETTE_BINDING):
            wanted[palette[1].action] = (palette[1].key, not palette[2])
        keys = screen.query_one(Footer).query(FooterKey)
        shown = {key.action: (key.key, key.has_class("-disabled")) for key in keys}
        return shown == wanted

    await until(pilot, footer_caught_up)


async def sign_in(
    pilot: Pilot[None], email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD
) -> None:
    await fill(pilot, "#email", email)
    await fill(pilot, "#password", password)
    await pilot.press("enter")


async def open_account(pilot: Pilot[None]) -> MainScreen:
    """Sign in as the demo primary guardian; returns My Account once its header shows."""
    await sign_in(pilot)
    await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def sign_out(pilot: Pilot[None]) -> LoginScreen:
    """Press Sign Out on the Security tab; returns the login screen that follows."""
    await pilot.press("5")
    await until(pilot, lambda: pilot.app.screen.query_one(TabbedContent).active == "security")
    await pilot.click("#sign-out")
    await until(pilot, lambda: isinstance(pilot.app.screen, LoginScreen))
    screen = pilot.app.screen
    assert isinstance(screen, LoginScreen)
    return screen


async def palette(pilot: Pilot[None], label: str) -> None:
    """Run the palette entry named `label` (or starting with it: "Allow Payments" runs
    "Allow Payments: Sam Rivera"): type it, wait until the palette highlights that entry,
    then press Enter."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*label)

    def offered() -> bool:
        commands = pilot.app.screen.query_one(CommandList)
        index = commands.highlighted
        if index is None:
            return False
        option = commands.get_option_at_index(index)
        names = (option.hit.text or "", str(option.hit.prompt))
        return isinstance(option, Command) and any(n.startswith(label) for n in names)

    await until(pilot, offered)
    await pilot.press("enter")


class HeldAnswer(httpx.AsyncBaseTransport):
    """The network between app and server: a request with `method` to a path ending in
    `path` reaches the server and is answered, but the answer is held back until `release`
    is set; `answered` is set once the server has answered it."""

    def __init__(self, inner: httpx.AsyncBaseTransport, method: str, path: str) -> None:
        self.inner = inner
        self.method = method
        self.path = path
        self.answered = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == self.method and request.url.path.endswith(self.path):
            await response.aread()
            self.answered.set()
            await self.release.wait()
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def hold_answer(pilot: Pilot[None], method: str, path: str) -> HeldAnswer:
    """Hold back the answer to the app's next `method` request to `…path` (My Account)."""
    screen: Any = pilot.app.screen
    http = screen.family.portal.client._http
    held = HeldAnswer(http._transport, method, path)
    http._transport = held
    return held


def first_rows(table: LedgerTable) -> list[LedgerRow]:
    """The ledger table's rows from the newest, as far as they are loaded without a gap."""
    rows: list[LedgerRow] = []
    while (row := table.row(len(rows))) is not None:
        rows.append(row)
    return rows
