"""My Account: the header with the location switcher, and the tabs of the open family."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.messages import FamilyChanged, GuardiansChanged, SessionEnded
from portal_tui.screens.account_info import AccountInfoTab
from portal_tui.screens.history import HistoryTab
from portal_tui.screens.payments import PaymentsTab
from portal_tui.screens.security import SecurityTab
from portal_tui.screens.students import StudentsTab
from portal_tui.screens.tab import AccountTab, LazyView
from portal_tui.signed_in import OpenFamily
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.location_picker import LocationPicker
from portal_tui.widgets.safe import safe

TABS: tuple[type[AccountTab], ...] = (
    StudentsTab,
    PaymentsTab,
    HistoryTab,
    AccountInfoTab,
    SecurityTab,
)
"""My Account's tabs in order: the tab bar, the number keys, the palette and the styles
follow it. Each tab declares its id, title, description and commands."""


def _styles_beside(tab: type[AccountTab]) -> list[Path]:
    """The tab's .tcss file, named like its module and kept beside it (if it has one)."""
    module = sys.modules[tab.__module__].__file__
    path = Path(module).with_suffix(".tcss") if module else None
    return [path] if path and path.is_file() else []


class MainScreen(Screen[None]):
    """The open family's My Account."""

    CSS_PATH = ["main.tcss", "tab.tcss", *(p for tab in TABS for p in _styles_beside(tab))]
    AUTO_FOCUS = "#tabs Tabs"
    BINDINGS = [
        *(
            Binding(
                str(n), f"show_tab('{tab.TAB_ID}')", tab.TITLE, show=False, id=f"tab-{tab.TAB_ID}"
            )
            for n, tab in enumerate(TABS, start=1)
        ),
        Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
        Binding("ctrl+l", "pick_location", "Location", id="location"),
    ]

    class SignOutRequested(Message):
        """End this session; `note` is shown on the login screen."""

        def __init__(self, family: OpenFamily, note: str = "") -> None:
            super().__init__()
            self.family = family
            self.note = note

    location_id: reactive[int | None] = reactive(None, init=False)
    """The currently selected Location; location-scoped views follow it."""

    def __init__(self, family: OpenFamily) -> None:
        super().__init__()
        self.family = family
        self.portal = family.portal

    def compose(self) -> ComposeResult:
        from portal_tui import state

        portal = self.portal
        ids = [loc.id for loc in portal.locations]
        remembered = state.last_location(portal.server, portal.user.email)
        first = ids[0] if ids else None
        self.set_reactive(MainScreen.location_id, remembered if remembered in ids else first)
        with Horizontal(id="topbar"):
            yield Static(self._account_line(), id="account-line")
            if self.location_id is not None:
                yield LocationPicker(portal.locations, self.location_id, id="location")
        with TabbedContent(id="tabs"):
            for tab_class in TABS:
                with TabPane(tab_class.TITLE, id=tab_class.TAB_ID):
                    tab = tab_class(self.family)
                    if isinstance(tab, HistoryTab | PaymentsTab):
                        tab.data_bind(MainScreen.location_id)
                    yield tab
        yield Footer()

    def _account_line(self) -> Content:
        """Business · family · signed-in user."""
        rest = " · ".join(p for p in (self.family.family.name, self.portal.user.display_name) if p)
        return Content.assemble(safe(self.family.business.name, "bold"), "  ", safe(rest))

    @on(Choice.Changed, "#location")
    def _location_changed(self, event: Choice.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.location_id:
            self.location_id = event.value

    def watch_location_id(self, location_id: int | None) -> None:
        from portal_tui import state

        if location_id is None:
            return
        picker = self.query_one("#location", LocationPicker)
        if picker.value != location_id:
            picker.value = location_id
        server, email = self.portal.server, self.portal.user.email
        remember = asyncio.to_thread(state.remember_location, server, email, location_id)
        self.run_worker(remember, group="remember", exit_on_error=False)

    def action_show_tab(self, tab_id: str) -> None:
        """Show a tab; focus moves to the tab bar so the old tab's focus cannot pull it back."""
        self.query_one("#tabs Tabs").focus()
        self.query_one(TabbedContent).active = tab_id

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self) -> None:
        self.active_tab().load_if_needed()

    def on_account_tab_show_requested(self, event: AccountTab.ShowRequested) -> None:
        if self.query_one(TabbedContent).active != event.tab.TAB_ID:
            self.action_show_tab(event.tab.TAB_ID)

    def active_tab(self) -> AccountTab:
        active = self.query_one(TabbedContent).active
        return self.query_one(f"#{active}-tab", AccountTab)

    def action_refresh(self) -> None:
        """Read the family (and what the caller may do) again, then reload the tab."""
        self.refresh_family()

    @work(exclusive=True, group="family", exit_on_error=False, description="refresh")
    async def refresh_family(self) -> None:
        if await self.family.refresh():  # settings or roles changed: rebuild what they shape
            for tab in self.query(AccountTab):
                await tab.recompose()
                tab.stale()
            self.refresh_bindings()
        self.query_one("#account-line", Static).update(self._account_line())
        self.active_tab().reload()

    @on(FamilyChanged)
    def _family_changed(self) -> None:
        self.refresh_family()

    @on(GuardiansChanged)
    def _guardians_changed(self, event: GuardiansChanged) -> None:
        """Every other view showing guardians reads them again when next shown."""
        for view in self.query(LazyView):
            if view is not event.origin and view.SHOWS_GUARDIANS:
                view.stale()

    def action_pick_location(self) -> None:
        """Open the location list; arrows and Enter pick, Escape closes it."""
        for picker in self.query("#location").results(LocationPicker):
            picker.focus()
            picker.action_show_overlay()

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """Every tab, view and action of My Account, by the label users know."""
        for tab_class in TABS:
            yield PaletteCommand(
                tab_class.TITLE,
                tab_class.DESCRIPTION,
                partial(self.action_show_tab, tab_class.TAB_ID),
            )
        offered: set[str] = set()
        for tab in self.query(AccountTab):  # an action two tabs offer is listed once
            for command in tab.palette_commands():
                if command.label not in offered:
                    offered.add(command.label)
                    yield command
        for location in self.portal.locations:
            yield PaletteCommand(
                f"Location: {location.name}",
                "Make this the currently selected Location",
                partial(setattr, self, "location_id", location.id),
            )
        yield PaletteCommand("Refresh", "Load this tab again", self.action_refresh)
        yield PaletteCommand("Help", "Keys and commands", partial(self.app.run_action, "help"))
        yield PaletteCommand("Sign Out", "End this session and forget it", self.sign_out)

    @on(Button.Pressed, "#sign-out")
    def sign_out(self) -> None:
        self.post_message(self.SignOutRequested(self.family))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Reading the family again failed: say so in the tab. (Not remembering the location
        on this machine is no failure of the portal's: it is only logged.)"""
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group == "family":
            self._failed(None, event.worker.error)
        else:
            self.log.warning(f"{event.worker.name} failed: {event.worker.error!r}")

    def on_lazy_view_load_failed(self, event: LazyView.LoadFailed) -> None:
        self._failed(event.view, event.error)

    def _failed(self, tab: LazyView | None, error: BaseException | None) -> None:
        """A failed load shows in place (as the failure policy reads it); an ended session
        asks for the password and then loads the tab again."""
        failure = explain(error)
        from_refresh = tab is None
        tab = tab or self.active_tab()
        message = failure.message
        if failure.remedy is Remedy.RETRY:
            message += " Press Ctrl+R to retry."
        tab.show_error(message)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            again = self.action_refresh if from_refresh else tab.reload
            self.post_message(SessionEnded(resume=again))
