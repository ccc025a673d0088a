"""What every My Account tab shares: the open family, lazy loading in a worker, a loading
state, errors in place, and the tab's own palette commands."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui.commands import PaletteCommand
from portal_tui.signed_in import OpenFamily, SignedIn
from portal_tui.widgets.safe import safe


class LazyView(VerticalScroll):
    """A view that loads when first shown; `reload()` fetches again in a worker.

    A tab is one; so is each view of a student inside the Students tab. A failed load is
    posted as `LoadFailed`, and My Account shows it in place as the failure policy reads it.
    """

    def __init__(self, family: OpenFamily, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.family = family
        self._loaded = False
        self.ready = False
        """True once the data of the latest load is on screen."""

    @property
    def portal(self) -> SignedIn:
        return self.family.portal

    def on_show(self) -> None:
        if not self._loaded:
            self.reload()

    def stale(self) -> None:
        """What this view shows is out of date: load it again when it is next shown."""
        self._loaded = False

    def reload(self) -> None:
        """Clear any error, show the loading state and fetch again in a worker."""
        self._loaded = True
        for error in self.query_children(".tab-error"):
            error.remove()
        self.loading = True
        self.ready = False
        self.run_worker(self._load(), group="load", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        await self.fetch()
        self.loading = False
        self.ready = True

    async def fetch(self) -> None:
        """Fetch this view's data and show it; runs in a worker, errors are shown in place."""
        raise NotImplementedError

    class LoadFailed(Message):
        """A load of this view failed; the screen decides what the user sees."""

        def __init__(self, view: LazyView, error: BaseException | None) -> None:
            super().__init__()
            self.view = view
            self.error = error

        @property
        def control(self) -> LazyView:
            return self.view

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this view failed (its own: a view inside it speaks for itself)."""
        if event.state is WorkerState.ERROR:
            event.stop()
            self.loading = False
            self.post_message(self.LoadFailed(self, event.worker.error))

    def show_error(self, message: str) -> None:
        """Show a failed load in place (the message comes from the failure policy)."""
        self.loading = False
        for error in self.query_children(".tab-error"):
            error.remove()
        self.mount(Static(safe(message), classes="tab-error"), before=0)


class AccountTab(LazyView):
    """A tab's content.

    A tab declares its id, title and description here; My Account builds its tab bar, number
    keys and palette entries from them, so adding a tab touches one place.
    """

    TAB_ID: ClassVar[str]
    TITLE: ClassVar[str]
    DESCRIPTION: ClassVar[str]

    def __init__(self, family: OpenFamily) -> None:
        super().__init__(family, id=f"{self.TAB_ID}-tab")

    def show_tab(self) -> None:
        """Bring this tab to the front (its palette commands start here)."""
        self.post_message(self.ShowRequested(self))

    def palette_commands(self) -> Iterator[PaletteCommand]:
        """This tab's actions, by the labels users know (none by default)."""
        yield from ()

    class ShowRequested(Message):
        """Bring this tab to the front."""

        def __init__(self, tab: AccountTab) -> None:
            super().__init__()
            self.tab = tab

        @property
        def control(self) -> AccountTab:
            return self.tab
