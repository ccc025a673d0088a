"""A ledger table of any length that renders only the rows on screen (Line API) and keeps
only some of them: it knows how many rows its filter has (`total`), and each row it must draw
comes from a bounded cache of fixed-size pages. A row not cached is drawn as a placeholder
while the table asks for its page: the pages missing from one paint are asked for together
(`NeedPages`), and a page that could not be fetched says so in its rows until the table is
reset. The cursor is an index into the whole ledger.
Enter asks for the highlighted entry in full (`EntryChosen`): a narrow table cuts its text.

Its lines are Segments built from text: every string from the server passes `plain` first,
since a Segment writes its text to the terminal as it is.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar

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
from portal_tui.wire.ledger import WINDOW_LIMIT, LedgerRow

PAGE_SIZE = 100
"""Rows per page: a page is what one request fetches and what the cache keeps or drops."""
MAX_PAGES = 40
"""Pages kept, least recently drawn dropped first: at most 4,000 rows (about 5 MB), many
screens of them, whatever the ledger's size."""
KIND_LABELS = {"charge": "Charge", "payment": "Payment", "refund": "Refund", "credit": "Credit"}
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

    COMPONENT_CLASSES = {"ledger-table--header", "ledger-table--cursor", "ledger-table--wait"}
    DEFAULT_CSS = """
    LedgerTable { height: 1fr; overflow-x: hidden; }
    LedgerTable > .ledger-table--header { text-style: bold; background: $panel; }
    LedgerTable > .ledger-table--cursor { background: $accent; color: $text; }
    LedgerTable > .ledger-table--wait { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False, id="ledger.up"),
        Binding("down", "move(1)", "Down", show=False, id="ledger.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="ledger.page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="ledger.page-down"),
        Binding("home", "first", "First", show=False, id="ledger.first"),
        Binding("end", "last", "Last", show=False, id="ledger.last"),
        Binding("enter", "choose", "Show Entry", id="ledger.show-entry"),
    ]

    page_size: ClassVar[int] = PAGE_SIZE
    """Rows per page (the one figure a test may change)."""

    cursor_row: reactive[int] = reactive(0, always_update=True)
    """The highlighted row: its index in the whole filtered ledger, in the order shown (0 = the
    newest, or the largest amount); set, it is scrolled into view."""

    class NeedPages(Message):
        """Rows on screen are not cached: fetch `count` pages from page `first` (rows from
        first*page_size on) in one request and give them to `add_pages`, or tell
        `pages_failed`. Each page is asked for once while it is in flight."""

        def __init__(self, first: int, count: int) -> None:
            super().__init__()
            self.first = first
            self.count = count

    class EntryChosen(Message):
        """Enter on a row: show that entry in full."""

        def __init__(self, row: LedgerRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, *, symbol: str = "$", id: str | None = None) -> None:
        super().__init__(id=id)
        self.symbol = plain(symbol)
        self.total = 0
        """The filter's number of entries, as the latest page said."""
        self._pages: OrderedDict[int, list[LedgerRow]] = OrderedDict()
        self._asked: set[int] = set()
        self._wanted: set[int] = set()
        """Pages found missing in this paint, asked for together once it ends."""
        self._failed: set[int] = set()
        """Pages whose fetch failed: not asked for again until the table is reset."""
        self._money_width = 10
        self.show_location = True
        """Rows of several locations: the location stays visible however narrow the table."""
        self.empty_text = "No transactions."
        """What an empty table says (a search with no match says so)."""

    def reset(self, total: int, first: list[LedgerRow], *, keep: int | None = None) -> None:
        """Show a new ledger of `total` rows whose first rows are `first` (one page or more:
        a search's whole set); the cache is dropped. The cursor goes to the first row, or to
        the entry `keep` if `first` holds it."""
        self.total = total
        self._forget()
        self._money_width = 10
        self._store(0, first[: self.page_size])
        for page in range(1, min(MAX_PAGES, -(-len(first) // self.page_size))):
            self._store(page, first[page * self.page_size : (page + 1) * self.page_size])
        self.virtual_size = Size(self.size.width, total + 1)
        ids = [row.id for row in first]
        self.scroll_home(animate=False)
        self.cursor_row = ids.index(keep) if keep in ids else 0
        self.call_after_refresh(self._scroll_to_cursor)  # once laid out (not loading)
        self.refresh()

    def add_pages(self, total: int, first: int, rows: list[LedgerRow]) -> None:
        """The pages from `first` on have come (`rows`, page after page), read when the ledger
        had `total` rows. A changed total (entries written meanwhile) drops every page read
        before them. Pages asked for and dropped on the way (a newer request replaced theirs)
        are asked for again if still on screen."""
        if total != self.total:
            self.go_to(self.cursor_row, total)  # clamped to the new length
        self._asked.clear()
        size = self.page_size
        for n, at in enumerate(range(0, len(rows), size)):
            self._store(first + n, rows[at : at + size])
            self._failed.discard(first + n)
        self.refresh()

    def pages_failed(self, first: int, count: int) -> None:
        """The fetch of `count` pages from `first` failed: their rows say so (the caller shows
        why) and they are not asked for again until the table is reset (Ctrl+R reloads)."""
        pages = set(range(first, first + count))
        self._asked -= pages
        self._failed |= pages
        self.refresh()

    def go_to(self, index: int, total: int) -> None:
        """Put the cursor on row `index` of a ledger that had `total` rows when it was found;
        a changed total drops the cache (its rows moved) before the move."""
        if total != self.total:
            self.total = total
            self._forget()
            self.virtual_size = Size(self.size.width, total + 1)
        self.cursor_row = index

    def _forget(self) -> None:
        """Drop every cached page and every ask: the rows are another ledger's, or moved."""
        self._pages.clear()
        self._asked.clear()
        self._wanted.clear()
        self._failed.clear()

    def _store(self, page: int, rows: list[LedgerRow]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        money = [self._money(r.amount_cents * r.kind.sign) for r in rows]
        money += [self._money(r.balance_cents) for r in rows]
        self._money_width = max(self._money_width, *map(len, money), 0)

    def row(self, index: int) -> LedgerRow | None:
        """The row at `index` if cached (it counts as recently drawn)."""
        page = index // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            return None
        self._pages.move_to_end(page)
        offset = index - page * self.page_size
        return rows[offset] if offset < len(rows) else None

    @property
    def cached(self) -> int:
        """How many rows the cache holds (never more than MAX_PAGES pages)."""
        return sum(len(rows) for rows in self._pages.values())

    def _want(self, index: int) -> None:
        """Ask for the page of row `index`, once while it is in flight. The ask is posted
        after this paint, with every other page the paint missed: a screen straddling two
        pages costs one request, and a message sent while rendering would run amid the paint."""
        page = index // self.page_size
        if page in self._asked or page in self._failed:
            return
        self._asked.add(page)
        self._wanted.add(page)
        if len(self._wanted) == 1:
            self.call_later(self._ask)

    def _ask(self) -> None:
        """Ask for the pages this paint missed, as one run from the first to the last (a
        screen's rows are contiguous), at most a window's worth; the rest are asked for once
        those land."""
        if not self._wanted:
            return
        first, last = min(self._wanted), max(self._wanted)
        count = min(last - first + 1, WINDOW_LIMIT // self.page_size)
        self._asked -= self._wanted - set(range(first, first + count))
        self._wanted.clear()
        self.post_message(self.NeedPages(first, count))

    def _money(self, cents: int) -> str:
        return format_cents(cents, self.symbol)

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.total - 1))

    def watch_cursor_row(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

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

    def action_move(self, delta: int) -> None:
        self.cursor_row += delta

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = self.total - 1

    @property
    def highlighted(self) -> LedgerRow | None:
        """The entry under the cursor, if it is loaded (None when there are no rows)."""
        return self.row(self.cursor_row) if self.total else None

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
        if index >= self.total:
            if not self.total and y == 1:
                return self._line({"Description": self.empty_text}, base)
            return Strip.blank(self.scrollable_content_region.width, base)
        cursor = index == self.cursor_row and self.has_focus
        style = base + self.get_component_rich_style("ledger-table--cursor") if cursor else base
        row = self.row(index)
        if row is None:
            self._want(index)
            failed = index // self.page_size in self._failed
            text = "Not loaded" if failed else "…"
            cells = {"": CURSOR_MARK if cursor else "", "Description": text}
            return self._line(cells, style + self.get_component_rich_style("ledger-table--wait"))
        return self._line(self._cells(row, cursor=cursor), style)

    def on_resize(self) -> None:
        """The cursor row stays in view when the table shrinks (a message shown above it)."""
        self.virtual_size = Size(self.size.width, self.total + 1)
        self.call_after_refresh(self._scroll_to_cursor)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
