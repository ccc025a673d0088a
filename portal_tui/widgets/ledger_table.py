"""A ledger table that renders only the rows on screen (Line API), paged in as it scrolls.
Enter asks for the highlighted entry in full (`EntryChosen`): a narrow table cuts its text.

Its lines are Segments built from text: every string from the server passes `plain` first,
since a Segment writes its text to the terminal as it is.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import plain
from portal_tui.wire.ledger import LedgerRow

KIND_LABELS = {"charge": "Charge", "payment": "Payment", "refund": "Refund", "credit": "Credit"}
NEAR_END = 30
"""Ask for the next page when the view comes within this many rows of the last one."""
CURSOR_MARK = "▶"
"""Marks the cursor row in text too, so it shows without colour."""

Column = tuple[str, int, bool]
"""(title, width, right-aligned)."""


def _fit(text: str, width: int, right: bool) -> str:
    """`text` cut or padded to `width` terminal cells (a wide character takes two)."""
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class LedgerTable(ScrollView, can_focus=True):
    """Date, type, description, student, location, amount and running balance. Narrow, the
    description is cut and the location shortened, or left out when `show_location` is off
    (every row of one location); Enter asks for the whole entry."""

    COMPONENT_CLASSES = {"ledger-table--header", "ledger-table--cursor"}
    DEFAULT_CSS = """
    LedgerTable { height: 1fr; }
    LedgerTable > .ledger-table--header { text-style: bold; background: $panel; }
    LedgerTable > .ledger-table--cursor { background: $accent; color: $text; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="ledger.up"),
        Binding("down", "move(1)", "Down", show=False, id="ledger.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="ledger.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="ledger.page-down"),
        Binding("home", "move(-1000000000)", "First", show=False, id="ledger.first"),
        Binding("end", "move(1000000000)", "Last", show=False, id="ledger.last"),
        Binding("enter", "choose", "Show Entry", id="ledger.show-entry"),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)
    """The highlighted row (an index into the loaded rows); set, it is scrolled into view."""

    class NeedMore(Message):
        """The view is near the last loaded row and the server has more."""

    class EntryChosen(Message):
        """Enter on a row: show that entry in full."""

        def __init__(self, row: LedgerRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, symbol: str = "$", id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = plain(symbol)
        self.rows: list[LedgerRow] = []
        self.has_more = False
        self._asked = False
        self._money_width = 10
        self.show_location = True
        """Rows of several locations: the location stays visible however narrow the table."""

    def set_rows(
        self,
        rows: list[LedgerRow],
        *,
        has_more: bool,
        append: bool = False,
        keep: int | None = None,
    ) -> None:
        """Show `rows` (after the loaded ones when `append`); `has_more` when pages remain.
        New rows put the cursor on the first, or on the entry `keep` if they hold it."""
        self.rows = [*self.rows, *rows] if append else list(rows)
        self.has_more = has_more
        self._asked = False
        money = [self._money(r.amount_cents * r.kind.sign) for r in rows]
        money += [self._money(r.balance_cents) for r in rows]
        widest = max(map(len, money), default=0)
        self._money_width = max(widest, 10 if not append else self._money_width)
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        if not append:
            ids = [row.id for row in self.rows]
            self.scroll_home(animate=False)
            self.cursor_row = ids.index(keep) if keep in ids else 0
            self.call_after_refresh(self._scroll_to_cursor)  # once laid out (not loading)
        self.refresh()
        self._check_need_more()

    def _money(self, cents: int) -> str:
        return format_cents(cents, self.symbol)

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self._check_need_more()

    def _scroll_to_cursor(self) -> None:
        """Scroll just enough to show the cursor row; nothing while the table has no size
        (hidden, or covered while its view loads)."""
        height = self.scrollable_content_region.height
        if height <= 1:
            return
        row, top, visible = self.cursor_row, int(self.scroll_y), height - 1
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._check_need_more()

    def _check_need_more(self) -> None:
        """Post NeedMore once per page when the view or the cursor nears the last row."""
        last_visible = int(self.scroll_y) + self.scrollable_content_region.height
        near = max(last_visible, self.cursor_row) >= len(self.rows) - NEAR_END
        if self.has_more and not self._asked and near:
            self._asked = True
            self.post_message(self.NeedMore())

    def action_move(self, delta: int) -> None:
        self.cursor_row += delta

    @property
    def highlighted(self) -> LedgerRow | None:
        """The entry under the cursor (None when there are no rows)."""
        return self.rows[self.cursor_row] if self.rows else None

    def action_choose(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.EntryChosen(self.highlighted))

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(1, self.scrollable_content_region.height - 2)

    def _columns(self) -> list[Column]:
        width = self.scrollable_content_region.width
        money = self._money_width
        left: list[Column] = [("", 1, False), ("Date", 10, False), ("Type", 7, False)]
        if width >= 110:
            right: list[Column] = [("Student", 12, False), ("Location", 12, False)]
        elif self.show_location:  # narrow: both shorter, but the location never dropped
            right = [("Student", 10, False), ("Location", 9, False)]
        else:
            right = [("Student", 12, False)]
        right += [("Amount", money, True), ("Balance", money, True)]
        used = sum(w + 1 for _, w, _ in left + right)
        return [*left, ("Description", max(8, width - used), False), *right]

    def _cells(self, row: LedgerRow, *, cursor: bool) -> dict[str, str]:
        return {
            "": CURSOR_MARK if cursor else "",
            "Date": row.entry_date.isoformat(),
            "Type": KIND_LABELS[row.kind.value],
            "Description": plain(row.description),
            "Student": plain(row.student_name or ""),
            "Location": plain(row.location_name),
            "Amount": self._money(row.amount_cents * row.kind.sign),
            "Balance": self._money(row.balance_cents),
        }

    def _line(self, cells: dict[str, str], style: Style) -> Strip:
        line = " ".join(_fit(cells.get(t, ""), w, right) for t, w, right in self._columns())
        width = self.scrollable_content_region.width
        return Strip([Segment(set_cell_size(line, width), style)], width)

    def render_line(self, y: int) -> Strip:
        base = self.rich_style
        if y == 0:
            header = self.get_component_rich_style("ledger-table--header")
            return self._line({t: t for t, _, _ in self._columns()}, base + header)
        index = int(self.scroll_y) + y - 1
        if index >= len(self.rows):
            if not self.rows and y == 1:
                return self._line({"Description": "No transactions."}, base)
            return Strip.blank(self.scrollable_content_region.width, base)
        cursor = index == self.cursor_row and self.has_focus
        style = base + self.get_component_rich_style("ledger-table--cursor") if cursor else base
        return self._line(self._cells(self.rows[index], cursor=cursor), style)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
