"""The baseline: a bare Textual app with the portal's header, five tabs and footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static, TabbedContent, TabPane

TABS = ("Students", "Payments", "Transaction History", "Account Info", "Security")


class BareApp(App[None]):
    """Header, five tabs each holding a Static, and a footer; nothing else."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent():
            for title in TABS:
                with TabPane(title):
                    yield Static(title)
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
