"""Stored payment methods in the Payments tab, through the one form pattern, against the real
server: listing, adding a card or bank account, the default, recurring authorization with its
text, deleting with a confirmation, what P6 takes away, the limit, a secondary guardian's own
methods, and the primary letting a secondary pay."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, Select, TabbedContent

from portal_tui.screens.account_info import AccountInfoTab
from portal_tui.screens.payment_method_form import PaymentMethodForm
from portal_tui.screens.payment_methods import BUSY, PaymentMethodsPanel
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.account import GuardiansOut
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL
from portal_tui.wire.payment_methods import RECURRING_TEXT, PaymentMethodOut
from tests import servers
from tests.tui import api
from tests.tui.pilot import (
    hold_answer,
    make,
    open_account,
    palette,
    screen_text,
    sign_in,
    type_into,
    until,
)


class Api(api.Api):
    """The second client, with the guardian's stored methods."""

    def methods(self) -> list[PaymentMethodOut]:
        found = self.http.get(f"{self.family}/payment-methods").json()
        return [PaymentMethodOut.model_validate(m) for m in found]

    def by_last4(self, last4: str) -> PaymentMethodOut:
        return next(m for m in self.methods() if m.last4 == last4)

    def add_card(self, number: str) -> None:
        card = {"number": number, "exp_month": 12, "exp_year": 2029, "cvc": "123"}
        added = self.http.post(f"{self.family}/payment-methods", json={"card": card})
        assert added.status_code == 201, added.text

    def guardians(self) -> GuardiansOut:
        return GuardiansOut.model_validate(self.http.get(f"{self.family}/guardians").json())


Opened = tuple[Pilot[None], PaymentMethodsPanel, Api]


async def open_panel(pilot: Pilot[None]) -> PaymentMethodsPanel:
    """The Payments tab in front, its methods on screen (the panel found anew: a refresh of
    the family may rebuild the tab meanwhile)."""
    pilot.app.screen.query_one(TabbedContent).active = "payments"

    def ready() -> list[PaymentMethodsPanel]:
        """The panel painted, and its tab not covered by a reload's loading state."""
        tab = pilot.app.screen.query_one("#payments-tab")
        if tab.loading or not getattr(tab, "ready", False):
            return []
        return [p for p in pilot.app.screen.query(PaymentMethodsPanel) if p.ready]

    await until(pilot, ready, seconds=30)
    return ready()[0]


@pytest.fixture
async def opened(server_url: str) -> AsyncIterator[Opened]:
    """My Account at 80×24, the Payments tab showing the demo primary's methods."""
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        yield pilot, await open_panel(pilot), Api(server_url)


async def add_form(pilot: Pilot[None]) -> PaymentMethodForm:
    await palette(pilot, "Add Payment Method")
    await until(pilot, lambda: isinstance(pilot.app.screen, PaymentMethodForm))
    form = pilot.app.screen
    assert isinstance(form, PaymentMethodForm)
    return form


async def type_card(pilot: Pilot[None], number: str, month: str = "12", year: str = "2029") -> None:
    await type_into(pilot, "#field-number Input", number)
    await type_into(pilot, "#field-exp_month Input", month)
    await type_into(pilot, "#field-exp_year Input", year)
    await type_into(pilot, "#field-cvc Input", "123")


async def saved(pilot: Pilot[None], panel: PaymentMethodsPanel) -> None:
    await until(pilot, lambda: not isinstance(pilot.app.screen, PaymentMethodForm))
    await until(pilot, lambda: panel.ready)


async def edit_form(
    pilot: Pilot[None], panel: PaymentMethodsPanel, last4: str
) -> PaymentMethodForm:
    """Highlight the method's row and press Enter, as a user does."""
    table = panel.query_one("#methods-table", DataTable)
    table.focus()
    table.move_cursor(row=[m.last4 for m in panel.methods].index(last4))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PaymentMethodForm))
    form = pilot.app.screen
    assert isinstance(form, PaymentMethodForm)
    return form


async def test_the_list_shows_type_last_four_expiry_default_and_recurring_at_80x24(
    opened: Opened,
) -> None:
    pilot, _, _ = opened
    await until(pilot, lambda: "Add Payment Method" in screen_text(pilot))
    text = screen_text(pilot)
    assert "Payment Methods" in text
    for shown in ("Credit Card", "Visa ••4242", "Default", "Authorized", "Checking ••6789"):
        assert shown in text
    assert "Mastercard ••4444" not in text  # the secondary's own


async def test_add_a_card_then_the_fourth_is_refused(opened: Opened) -> None:
    pilot, panel, api = opened
    form = await add_form(pilot)
    await type_into(pilot, "#field-number Input", "4242424242424241")
    await until(pilot, lambda: "This is not a valid card number." in screen_text(pilot))
    await type_card(pilot, "5555 5555 5555 4444")
    number, cvc = (form.query_one(f"#field-{n} Input", Input) for n in ("number", "cvc"))
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    assert number.value == cvc.value == ""  # forgotten once saved
    assert [m.last4 for m in api.methods()] == ["4242", "6789", "4444"]
    assert "Mastercard ••4444" in screen_text(pilot)
    await palette(pilot, "Add Payment Method")  # no card number is typed to learn the limit
    await until(pilot, lambda: "already have 3 saved payment methods" in screen_text(pilot))
    assert not isinstance(pilot.app.screen, PaymentMethodForm)
    assert len(api.methods()) == 3


async def test_a_refused_card_leaves_no_number_in_the_form(opened: Opened, sqlite_url: str) -> None:
    """The server refuses what the form let through (here a bank account once eChecks are
    off): the typed numbers are gone all the same."""
    pilot, _, api = opened
    form = await add_form(pilot)
    form.query_one("#field-kind Select", Select).value = "bank"
    await type_into(pilot, "#field-routing_number Input", "110000000")
    await type_into(pilot, "#field-account_number Input", "000123456789")
    servers.set_settings(sqlite_url, echecks="false")
    await pilot.press("ctrl+s")
    routing, account = (
        form.query_one(f"#field-{n} Input", Input) for n in ("routing_number", "account_number")
    )
    await until(pilot, lambda: routing.value == account.value == "")
    assert len(api.methods()) == 2


async def test_an_expired_card_is_caught_as_typed(opened: Opened) -> None:
    pilot, _, api = opened
    await add_form(pilot)
    await type_card(pilot, "4242424242424242", month="01", year="2020")
    await until(pilot, lambda: "expired" in screen_text(pilot))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Check the fields" in screen_text(pilot))
    assert len(api.methods()) == 2


async def test_add_a_bank_account(opened: Opened) -> None:
    pilot, panel, api = opened
    form = await add_form(pilot)
    form.query_one("#field-kind Select", Select).value = "bank"
    await until(pilot, lambda: "Routing number" in screen_text(pilot))
    await type_into(pilot, "#field-routing_number Input", "011000016")
    await until(pilot, lambda: "This is not a valid routing number." in screen_text(pilot))
    await type_into(pilot, "#field-routing_number Input", "011000015")
    await type_into(pilot, "#field-account_number Input", "000123451111")
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    added = api.by_last4("1111")
    assert added.kind == "bank"
    assert "Bank Account" in screen_text(pilot)


async def test_without_echecks_only_cards_are_offered(server_url: str, sqlite_url: str) -> None:
    servers.set_settings(sqlite_url, echecks="false")
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        await open_panel(pilot)
        form = await add_form(pilot)
        kinds = form.query_one("#field-kind Select", Select)
        offered = [str(label) for label, _ in kinds._options if _ != Select.BLANK]
        assert offered == ["Credit Card", "Debit Card"]


async def test_make_another_method_the_default(opened: Opened) -> None:
    pilot, panel, api = opened
    form = await edit_form(pilot, panel, "6789")
    form.query_one("#field-is_default Select", Select).value = True
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    assert api.by_last4("6789").is_default and not api.by_last4("4242").is_default


async def test_recurring_authorization_on_shows_the_text_and_off_again(opened: Opened) -> None:
    pilot, panel, api = opened
    form = await edit_form(pilot, panel, "6789")
    assert RECURRING_TEXT[:40] not in screen_text(pilot)
    form.query_one("#field-recurring_authorized Select", Select).value = True
    await until(pilot, lambda: not form.query_one("#recurring-text").has_class("hidden"))
    assert "I authorize the business" in screen_text(pilot)
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    assert api.by_last4("6789").recurring_authorized
    form = await edit_form(pilot, panel, "6789")
    form.query_one("#field-recurring_authorized Select", Select).value = False
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    assert not api.by_last4("6789").recurring_authorized


async def test_delete_asks_naming_the_method(opened: Opened) -> None:
    pilot, panel, api = opened
    table = panel.query_one("#methods-table", DataTable)
    table.focus()
    table.move_cursor(row=1)
    await palette(pilot, "Delete Payment Method")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    assert "Delete the payment method Checking ••6789?" in screen_text(pilot)
    await pilot.click("#confirm")
    await until(pilot, lambda: "Deleted the payment method" in screen_text(pilot))
    assert [m.last4 for m in api.methods()] == ["4242"]


async def test_the_highlighted_method_stays_highlighted_when_the_list_loads_again(
    opened: Opened,
) -> None:
    pilot, panel, _ = opened
    form = await edit_form(pilot, panel, "6789")
    form.query_one("#field-is_default Select", Select).value = True
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    highlighted = panel.highlighted()
    assert highlighted is not None and highlighted.last4 == "6789"


async def test_a_change_while_a_delete_awaits_its_answer_is_refused_not_cancelling_it(
    opened: Opened,
) -> None:
    """Cancelling a write already sent would lose its answer (and whether it happened)."""
    pilot, panel, api = opened
    checking = api.by_last4("6789")
    sam = next(g for g in api.guardians().guardians if not g.is_primary)
    held = hold_answer(pilot, "DELETE", f"/payment-methods/{checking.id}")
    table = panel.query_one("#methods-table", DataTable)
    table.focus()
    table.move_cursor(row=1)
    await pilot.press("delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(pilot, held.answered.is_set)
    assert "Deleting Checking ••6789…" in str(panel.message.content)
    await palette(pilot, "Allow Payments")
    await until(pilot, lambda: str(panel.message.content) == BUSY)
    held.release.set()
    await until(pilot, lambda: "Deleted the payment method" in str(panel.message.content))
    assert [m.last4 for m in api.methods()] == ["4242"]
    assert not next(g for g in api.guardians().guardians if g.id == sam.id).can_make_payments


async def test_the_method_recurring_billing_uses_is_not_deleted(opened: Opened) -> None:
    pilot, panel, api = opened
    table = panel.query_one("#methods-table", DataTable)
    table.focus()
    table.move_cursor(row=0)
    await pilot.press("delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    await pilot.click("#confirm")
    await until(
        pilot, lambda: "Recurring billing uses this payment method" in str(panel.message.content)
    )
    assert [m.last4 for m in api.methods()] == ["4242", "6789"]


async def test_requiring_a_recurring_method_hides_delete_and_the_toggle(
    server_url: str, sqlite_url: str
) -> None:
    servers.set_settings(sqlite_url, require_recurring_payment_method="true")
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        panel = await open_panel(pilot)
        assert not panel.query("#method-delete-button")
        form = await edit_form(pilot, panel, "6789")
        assert not form.query("#field-recurring_authorized")
        assert not form.query("#delete")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(pilot.app.screen, PaymentMethodForm))
        offered = [c.label for c in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]
        assert "Add Payment Method" in offered and "Delete Payment Method" not in offered
        await add_form(pilot)
        assert "Saving this method authorizes it for recurring billing" in screen_text(pilot)


async def test_a_secondary_guardian_saves_their_own_method(server_url: str) -> None:
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, DEMO_SECONDARY_EMAIL)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        panel = await open_panel(pilot)
        assert "Mastercard ••4444" in screen_text(pilot)
        assert "Visa ••4242" not in screen_text(pilot)
        await add_form(pilot)
        await type_card(pilot, "4242424242424242")
        await pilot.press("ctrl+s")
        await saved(pilot, panel)
        assert [m.last4 for m in Api(server_url, DEMO_SECONDARY_EMAIL).methods()] == [
            "4444",
            "4242",
        ]


async def test_the_primary_allows_payments_from_both_tabs(opened: Opened) -> None:
    """Each tab shows the change made in the other, even when it was loaded before."""
    pilot, _, api = opened
    sam = next(g for g in api.guardians().guardians if not g.is_primary)
    tabs = pilot.app.screen.query_one(TabbedContent)
    tabs.active = "account-info"
    tab = pilot.app.screen.query_one(AccountInfoTab)
    await until(pilot, lambda: tab.ready)
    tabs.active = "payments"
    await until(pilot, lambda: "Sam Rivera may not make payments" in screen_text(pilot))
    await palette(pilot, "Allow Payments")
    await until(pilot, lambda: "Sam Rivera may now make payments." in screen_text(pilot))
    await until(pilot, lambda: "Sam Rivera may make payments" in screen_text(pilot))
    assert next(g for g in api.guardians().guardians if g.id == sam.id).can_make_payments
    tabs.active = "account-info"

    def withdraw() -> list[Button]:  # the tab reads the guardians again as it shows
        found = tab.query(f"#permission-{sam.id}").results(Button)
        return [b for b in found if str(b.label) == "Withdraw Payment Permission"]

    await until(pilot, lambda: tab.ready and withdraw())
    button = withdraw()[0]
    offered = [c.label for c in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]
    assert offered.count("Withdraw Payment Permission: Sam Rivera") == 1  # both tabs: once
    assert "Allow Payments: Sam Rivera" not in offered
    button.press()
    await until(pilot, lambda: not api.guardians().guardians[1].can_make_payments)
    tabs.active = "payments"
    await until(pilot, lambda: "Sam Rivera may not make payments" in screen_text(pilot))


async def test_refresh_reads_the_methods_again(opened: Opened) -> None:
    pilot, _, api = opened
    api.add_card("5555555555554444")
    await pilot.press("ctrl+r")
    await until(pilot, lambda: "Mastercard ••4444" in screen_text(pilot))


async def test_without_a_gateway_there_is_no_card_entry(server_url: str, sqlite_url: str) -> None:
    servers.set_settings(sqlite_url, payment_gateway="none")
    async with make(server_url).run_test(size=(80, 24)) as pilot:
        await open_account(pilot)
        pilot.app.screen.query_one(TabbedContent).active = "payments"
        await until(pilot, lambda: "does not accept online payments" in screen_text(pilot))
        assert not pilot.app.screen.query(PaymentMethodsPanel)
        offered = [c.label for c in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]
        assert not [label for label in offered if "Payment Method" in label or "Allow" in label]


async def test_add_a_debit_card(opened: Opened) -> None:
    pilot, panel, api = opened
    form = await add_form(pilot)
    form.query_one("#field-kind Select", Select).value = "debit"
    await type_card(pilot, "5555 5555 5555 4444")
    await pilot.press("ctrl+s")
    await saved(pilot, panel)
    added = api.by_last4("4444")
    assert (added.kind, added.exp_month, added.exp_year) == ("debit", 12, 2029)
    await until(pilot, lambda: "Debit Card" in screen_text(pilot))
    assert "12/2029" in screen_text(pilot)


def error_under(form: PaymentMethodForm, name: str) -> str:
    """The line under a field, whole (a narrow field wraps it on screen)."""
    return str(form.query_one(f"#field-{name} .field-error").render())


async def test_a_bad_cvc_or_account_number_is_said_in_the_users_words(opened: Opened) -> None:
    pilot, _, _ = opened
    form = await add_form(pilot)
    await type_into(pilot, "#field-cvc Input", "12")
    cvc = "The CVC is the 3 or 4 digits on the back of the card."
    await until(pilot, lambda: cvc in error_under(form, "cvc"))
    form.query_one("#field-kind Select", Select).value = "bank"
    await type_into(pilot, "#field-account_number Input", "123")
    account = "An account number is 4 to 17 digits."
    await until(pilot, lambda: account in error_under(form, "account_number"))
    assert account in screen_text(pilot)


async def test_the_month_and_the_year_together_make_an_expired_card(opened: Opened) -> None:
    """The year typed first, the month after it: the month checks the year again; Save is
    refused and every typed value stays."""
    pilot, _, api = opened
    form = await add_form(pilot)
    await type_into(pilot, "#field-number Input", "4242424242424242")
    await type_into(pilot, "#field-exp_year Input", "2020")
    await type_into(pilot, "#field-cvc Input", "123")
    assert "expired" not in error_under(form, "exp_year")
    await type_into(pilot, "#field-exp_month Input", "1")
    await until(pilot, lambda: "This card has expired." in error_under(form, "exp_year"))
    await type_into(pilot, "#field-exp_year Input", "2099")
    await until(pilot, lambda: "expired" not in error_under(form, "exp_year"))
    await type_into(pilot, "#field-exp_year Input", "2021")
    await until(pilot, lambda: "This card has expired." in error_under(form, "exp_year"))
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Check the fields" in screen_text(pilot))
    typed = [
        form.query_one(f"#field-{n} Input", Input).value
        for n in ("number", "exp_month", "exp_year", "cvc")
    ]
    assert typed == ["4242424242424242", "1", "2021", "123"]
    assert len(api.methods()) == 2
