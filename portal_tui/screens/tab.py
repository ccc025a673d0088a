"""What every My Account tab shares: what it is called, its palette commands, lazy loading
in a worker, a loading state, errors in place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.signed_in import SignedIn
from portal_tui.widgets.safe import safe


class AccountTab(VerticalScroll):
    """A tab's content. Loads when first shown; `reload()` fetches again in a worker.

    A subclass names itself (`TAB_ID`, `TITLE`, `DESCRIPTION`) and offers its own
    `palette_commands()`; the screen builds the tab bar, the number keys and the palette
    from its tuple of tab classes.
    """

    TAB_ID: ClassVar[str]
    """The tab's id: its pane is `#TAB_ID`, its content `#TAB_ID-tab`."""
    TITLE: ClassVar[str]
    """The label users know, on the tab bar and in the palette."""
    DESCRIPTION: ClassVar[str]
    """What the tab shows, as the palette's help for it."""

    location_id: reactive[int | None] = reactive(None, init=False)
    """The header's selected location, bound from the screen; location-scoped tabs watch it."""

    class ShowRequested(Message):
        """Bring this tab to the front (a palette command of the tab asks for it)."""

        def __init__(self, tab: AccountTab) -> None:
            super().__init__()
            self.tab = tab

        @property
        def control(self) -> AccountTab:
            return self.tab

    def reveal(self) -> None:
        """Ask the screen to show this tab."""
        self.post_message(self.ShowRequested(self))

    def palette_commands(self) -> Iterable[PaletteCommand]:
        """This tab's views and actions, by the labels users know (the tab itself aside)."""
        return ()

    def __init__(self, portal: SignedIn, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.portal = portal
        self._loaded = False
        self.ready = False
        """True once the data of the latest load is on screen."""

    def on_show(self) -> None:
        if not self._loaded:
            self._loaded = True
            self.reload()

    def reload(self) -> None:
        """Clear any error, show the loading state and fetch again in a worker."""
        for error in self.query(".tab-error"):
            error.remove()
        self.loading = True
        self.ready = False
        self.run_worker(self._load(), group="load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        await self.fetch()
        self.loading = False
        self.ready = True

    async def fetch(self) -> None:
        """Fetch this tab's data and show it; runs in a worker, errors are shown in place."""
        raise NotImplementedError

    class LoadFailed(Message):
        """A worker of this tab failed; the screen decides what the user sees."""

        def __init__(self, tab: AccountTab, error: BaseException | None) -> None:
            super().__init__()
            self.tab = tab
            self.error = error

        @property
        def control(self) -> AccountTab:
            return self.tab

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.loading = False
            self.post_message(self.LoadFailed(self, event.worker.error))

    def show_error(self, message: str) -> None:
        """Turn a failed load into a message in place, with the way to retry."""
        self.loading = False
        text = Content.assemble(safe(message), "\nPress Ctrl+R to retry.")
        self.mount(Static(text, classes="tab-error"), before=0)
