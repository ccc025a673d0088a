"""What every My Account tab shares: the open family, lazy loading in a worker, a loading
state, errors in place, and the tab's own palette commands."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from textual import work
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from portal_tui import collector
from portal_tui.commands import PaletteCommand
from portal_tui.messages import SessionEnded
from portal_tui.signed_in import OpenFamily, SignedIn
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.safe import safe


class LazyView(VerticalScroll):
    """A view that loads when first shown; `reload()` fetches again in a worker.

    A tab is one; so is each view of a student inside the Students tab. A failed load is
    posted as `LoadFailed`, and My Account shows it in place as the failure policy reads it.
    """

    SHOWS_GUARDIANS: ClassVar[bool] = False
    """The view shows guardians' records: a change to one made elsewhere makes it stale."""

    def __init__(self, family: OpenFamily, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.family = family
        self._loaded = False
        self.ready = False
        """True once the data of the latest load is on screen."""
        self._when_ready: list[Callable[[], object]] = []
        self._refocus: Widget | None = None
        """What had focus in this view when a reload began: it has focus again once shown."""

    @property
    def portal(self) -> SignedIn:
        return self.family.portal

    def on_show(self) -> None:
        self.load_if_needed()

    def load_if_needed(self) -> None:
        """Load unless loaded (or loading) already. Called when the view is shown, and by
        whoever brings it to the front: under load, a tab was seen never to get its Show
        event (it stayed blank, nothing loading), so Show alone is not relied on."""
        if not self._loaded:
            self.reload()

    def stale(self) -> None:
        """What this view shows is out of date: load it again when it is next shown."""
        self._loaded = False

    def reload(self) -> None:
        """Clear any error, show the loading state and fetch again in a worker. Focus inside
        the view stays where it was (on its first control if that was rebuilt)."""
        self._loaded = True
        for error in self.query_children(".tab-error"):
            error.remove()
        if self._refocus is None and self.has_focus_within:
            self._refocus = self.screen.focused
        self.loading = True
        self.ready = False
        self._load()

    @work(group="load", exclusive=True, exit_on_error=False)
    async def _load(self) -> None:
        await self.fetch()
        self.loading = False
        self.call_after_refresh(self._loaded_now)

    def _loaded_now(self) -> None:
        """The new data is painted: the view is ready, and what waited for it runs."""
        if not self.is_attached:  # replaced meanwhile (its tab was rebuilt)
            return
        self.ready = True
        was, self._refocus = self._refocus, None
        if not self._displayed():  # the user moved on: focus here would bring its tab back
            was = None
        if was is not None and was.is_attached and was.focusable and self in was.ancestors:
            was.focus()  # loading may have moved focus on to another control
        elif was is not None and not self.has_focus_within:
            focusable = [w for w in self.query("*") if w.focusable]
            (focusable[0] if focusable else self).focus()
        self.screen.refresh_bindings()  # the keys of what is now shown, in the footer
        waiting, self._when_ready = self._when_ready, []
        for callback in waiting:
            self.call_later(callback)
        collector.resume()  # the app's first view with data waits for the user

    def _displayed(self) -> bool:
        """This view and every container above it are displayed (its tab is the one shown)."""
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run `callback` once this view's data is on screen (now, if it already is): an
        action chosen from the palette before the view had loaded waits for it."""
        if self.ready and not self.loading:
            self.call_later(callback)  # it may be a coroutine (an action)
        else:
            self._when_ready.append(callback)

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
            self.call_after_refresh(collector.resume)  # its error is on screen
            self.loading = False
            self.post_message(self.LoadFailed(self, event.worker.error))

    def show_error(self, message: str) -> None:
        """Show a failed load in place (the message comes from the failure policy); what was
        waiting for the data (a palette action, a refocus) is dropped, not run later."""
        self.loading = False
        self._when_ready.clear()
        self._refocus = None
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

    def action_failed(self, error: BaseException | None, again: Callable[[], None]) -> None:
        """An action taken from the tab itself (not a form) failed. When the session ended,
        sign in again (the dialog says why) and then run `again`; otherwise say why and read
        the tab again, as the failure may be that it was out of date."""
        failure = explain(error)
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=again))
            return
        self.notify(failure.message, severity="error", markup=False)
        self.reload()

    class ShowRequested(Message):
        """Bring this tab to the front."""

        def __init__(self, tab: AccountTab) -> None:
            super().__init__()
            self.tab = tab

        @property
        def control(self) -> AccountTab:
            return self.tab
