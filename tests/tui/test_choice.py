"""`Choice` survives being given its value before its current-value line has mounted."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Vertical

from portal_tui.widgets.choice import Choice, CurrentLine
from tests.tui.pilot import screen_text, until


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Vertical(id="host")


async def test_a_value_given_before_the_line_mounts_shows_once_it_has() -> None:
    current = CurrentLine("Select")
    current.update("Ben Rivera")  # Textual's own SelectCurrent raises NoMatches here
    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        await app.query_one("#host").mount(current)
        await until(pilot, lambda: "Ben Rivera" in screen_text(pilot))
        assert current.has_value


async def test_a_mounted_choice_shows_its_value_and_follows_changes() -> None:
    app = Host()
    async with app.run_test(size=(40, 5)) as pilot:
        choice: Choice[int] = Choice(
            [("Ava Rivera", 1), ("Ben Rivera", 2)], value=2, allow_blank=False
        )
        await app.query_one("#host").mount(choice)
        await until(pilot, lambda: "Ben Rivera" in screen_text(pilot))
        choice.value = 1
        await until(pilot, lambda: "Ava Rivera" in screen_text(pilot))
