"""One ledger entry in full (Enter on a row of Transaction History): what the table cuts or
leaves out at 80 columns, and for a payment its receipt, read from the server (the whole
payment, however many locations it paid); for a refund, the receipt of the payment it
refunds."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static
from textual.worker import Worker, WorkerState

from portal_tui.api.payments import PaymentApi
from portal_tui.messages import SessionEnded
from portal_tui.screens.payment_form import receipt_fields
from portal_tui.widgets.confirm import AcknowledgeScreen
from portal_tui.widgets.failures import Remedy, explain
from portal_tui.widgets.ledger_table import KIND_LABELS
from portal_tui.widgets.money import format_cents
from portal_tui.widgets.safe import safe
from portal_tui.wire.ledger import EntryKind, LedgerRow
from portal_tui.wire.payments import PaymentReceipt


def _line(label: str, value: str, id: str) -> Horizontal:
    """A label, and beside it its value (wrapped under itself when long)."""
    return Horizontal(
        Label(label), Static(safe(value), id=id, classes="entry-value"), classes="entry-line"
    )


class LedgerEntryScreen(AcknowledgeScreen):
    """Date, kind, whole description, student, location, amount and the balance after it."""

    CSS_PATH = "ledger_entry.tcss"

    def __init__(self, row: LedgerRow, symbol: str, payments: PaymentApi) -> None:
        super().__init__(done="Close")
        self.row = row
        self.symbol = symbol
        self.payments = payments

    def compose_body(self) -> ComposeResult:
        r = self.row
        kind = KIND_LABELS[r.kind.value]
        yield Static(f"{kind} of {r.entry_date.isoformat()}", id="entry-title")
        lines = [
            ("Date", r.entry_date.isoformat()),
            ("Type", kind),
            ("Description", r.description),
            ("Student", r.student_name or "—"),
            ("Location", r.location_name),
            ("Amount", format_cents(r.amount_cents * r.kind.sign, self.symbol)),
            ("Balance", f"{format_cents(r.balance_cents, self.symbol)} after this entry"),
        ]
        for label, value in lines:
            yield _line(label, value, f"entry-{label.lower()}")
        if self._receipt_of is not None:
            with Vertical(id="entry-receipt"):
                heading = "Receipt" if r.kind is EntryKind.PAYMENT else "Refund of this payment"
                yield Static(heading, classes="entry-heading")
                yield Static("Loading the receipt…", id="receipt-status")

    @property
    def _receipt_of(self) -> int | None:
        """The payment whose receipt this entry shows: itself, or the one a refund refunds."""
        if self.row.kind is EntryKind.PAYMENT:
            return self.row.id
        return self.row.refund_of_id if self.row.kind is EntryKind.REFUND else None

    def on_mount(self) -> None:
        self._read_receipt()

    def _read_receipt(self) -> None:
        if self.is_attached and self._receipt_of is not None:  # closed meanwhile: no place
            self._load_receipt(self._receipt_of)

    @work(exit_on_error=False, description="read the receipt")
    async def _load_receipt(self, payment_id: int) -> None:
        receipt = await self.payments.receipt(payment_id)
        await self._show_receipt(receipt)

    async def _show_receipt(self, receipt: PaymentReceipt) -> None:
        box = self.query_one("#entry-receipt", Vertical)
        await self.query_one("#receipt-status").remove()
        fields = receipt_fields(receipt, self.symbol)
        await box.mount_all(
            _line(label, value, f"receipt-{label.split()[0].lower()}") for label, value in fields
        )
        if self.row.kind is EntryKind.PAYMENT and receipt.amount_cents != self.row.amount_cents:
            part = "This entry is the part of the payment paid at "
            await box.mount(Static(safe(f"{part}{self.row.location_name}."), classes="muted"))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """No receipt: say why in its place (the entry itself is still shown); an ended
        session asks for the password and then reads it again."""
        if event.state is not WorkerState.ERROR or not self.is_attached:
            return
        failure = explain(event.worker.error)
        for status in self.query("#receipt-status").results(Static):
            status.update(safe(failure.message))
            status.add_class("-error")
        if failure.remedy is Remedy.SIGN_IN_AGAIN:
            self.post_message(SessionEnded(resume=self._read_receipt))
