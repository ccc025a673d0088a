"""A ledger table that renders only the rows on screen (Line API), paged in as it scrolls."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from portal_tui.widgets.money import format_cents
from portal_tui.wire.ledger import LedgerRow

KIND_LABELS = {"charge": "Charge", "payment": "Payment", "refund": "Refund", "credit": "Credit"}
NEAR_END = 30
"""Ask for the next page when the view comes within this many rows of the last one."""


class LedgerTable(ScrollView, can_focus=True):
    """Date, type, description, student, location, amount and running balance."""

    COMPONENT_CLASSES = {"ledger-table--header", "ledger-table--cursor"}
    DEFAULT_CSS = """
    LedgerTable { height: 1fr; }
    LedgerTable > .ledger-table--header { text-style: bold; background: $panel; }
    LedgerTable > .ledger-table--cursor { background: $accent; color: $text; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move(-1000000000)", "First", show=False),
        Binding("end", "move(1000000000)", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)
    """The highlighted row (an index into the loaded rows)."""

    class NeedMore(Message):
        """The view is near the last loaded row and the server has more."""

    def __init__(self, *, symbol: str = "$", id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = symbol
        self.rows: list[LedgerRow] = []
        self.has_more = False
        self._asked = False

    def set_rows(self, rows: list[LedgerRow], *, has_more: bool, append: bool = False) -> None:
        """Show `rows` (after the loaded ones when `append`); `has_more` when pages remain."""
        self.rows = [*self.rows, *rows] if append else list(rows)
        self.has_more = has_more
        self._asked = False
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        if not append:
            self.cursor_row = 0
            self.scroll_home(animate=False)
        self.refresh()

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self, row: int) -> None:
        top = self.scroll_offset.y
        visible = max(1, self.size.height - 1)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)
        self.refresh()

    def action_move(self, delta: int) -> None:
        self.cursor_row += delta

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(1, self.size.height - 2)

    def _columns(self) -> list[tuple[str, int, bool]]:
        """(title, width, right-aligned) for the current width."""
        width = self.scrollable_content_region.width
        fixed = [("Date", 10, False), ("Type", 7, False)]
        money = [("Amount", 12, True), ("Balance", 12, True)]
        extra = [("Student", 14, False), ("Location", 12, False)] if width >= 110 else []
        used = sum(w + 1 for _, w, _ in fixed + money + extra)
        return [*fixed, ("Description", max(10, width - used - 1), False), *extra, *money]

    def _cells(self, row: LedgerRow) -> dict[str, str]:
        return {
            "Date": row.entry_date.isoformat(),
            "Type": KIND_LABELS[row.kind.value],
            "Description": row.description,
            "Student": row.student_name or "",
            "Location": row.location_name,
            "Amount": format_cents(row.amount_cents * row.kind.sign, self.symbol),
            "Balance": format_cents(row.balance_cents, self.symbol),
        }

    def _line(self, cells: dict[str, str], style: Style) -> Strip:
        parts = []
        for title, width, right in self._columns():
            text = cells.get(title, "")[:width]
            parts.append(text.rjust(width) if right else text.ljust(width))
        line = " ".join(parts)
        return Strip([Segment(line.ljust(self.scrollable_content_region.width), style)])

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("ledger-table--header")
            return self._line({t: t for t, _, _ in self._columns()}, base + header)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            if not self.rows and y == 1:
                return self._line({"Description": "No transactions."}, base)
            return Strip.blank(self.size.width, base)
        if self.has_more and not self._asked and index >= len(self.rows) - NEAR_END:
            self._asked = True
            self.post_message(self.NeedMore())
        style = base
        if index == self.cursor_row and self.has_focus:
            style = base + self.get_component_rich_style("ledger-table--cursor")
        return self._line(self._cells(self.rows[index]), style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
