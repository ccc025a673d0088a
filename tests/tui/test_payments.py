"""The Payments tab against the real server at 80×24: its figures and how they relate, Make
Payment with a stored method or a new card and its receipt, a declined card, Apply Credit
with its preview, each setting on and off, a retry after a lost answer charging once, and no
card number or CVC left in the database or a log."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from portal_tui.screens.payment_form import NEW_BANK, NEW_CARD, MakePaymentForm, ReceiptScreen
from portal_tui.screens.payments import APPLYING, NO_ONLINE_PAYMENTS, NOT_PERMITTED, PaymentsTab
from portal_tui.server import tables
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.widgets.action_message import ActionMessage
from portal_tui.widgets.choice import Choice
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.demo import DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from tests import servers
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

SIZE = (80, 24)
VISA, MASTERCARD, DECLINED = "4242424242424242", "5555555555554444", "4000000000000002"
CVC = "737"
EXP_YEAR = str(date.today().year + 3)
"""A card expiry year that stays in the future."""


def made_payments(db_url: str) -> list[tables.LedgerEntry]:
    """Payments made through the portal (each carries its attempt's key)."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        rows = list(
            db.scalars(
                select(tables.LedgerEntry).where(tables.LedgerEntry.idempotency_key.is_not(None))
            )
        )
    engine.dispose()
    return rows


async def open_payments(pilot: Pilot[None]) -> PaymentsTab:
    screen = pilot.app.screen
    screen.query_one("#tabs", TabbedContent).active = "payments"
    tab = screen.query_one(PaymentsTab)
    await until(pilot, lambda: tab.ready and tab.summary is not None, seconds=30)
    return tab


@pytest.fixture
def server(sqlite_url: str) -> Iterator[str]:
    with servers.live_server(sqlite_url) as url:
        yield url


@pytest.fixture
async def payments(server: str) -> AsyncIterator[Pilot[None]]:
    """The demo primary guardian on the Payments tab at 80×24."""
    async with make(server).run_test(size=SIZE) as pilot:
        await open_account(pilot)
        await open_payments(pilot)
        yield pilot


async def switch_location(pilot: Pilot[None], name: str) -> None:
    """Pick `name` in the header's location switcher."""
    screen: Any = pilot.app.screen
    tab = screen.query_one(PaymentsTab)
    (location,) = [loc for loc in tab.portal.locations if loc.name == name]
    screen.location_id = location.id
    await until(pilot, lambda: tab.location_id == location.id and tab.ready and not tab.loading)


async def open_form(pilot: Pilot[None]) -> MakePaymentForm:
    await palette(pilot, "Make Payment")
    await until(pilot, lambda: isinstance(pilot.app.screen, MakePaymentForm))
    form = pilot.app.screen
    assert isinstance(form, MakePaymentForm)
    return form


async def fill_card(pilot: Pilot[None], form: MakePaymentForm, number: str) -> None:
    form.query_one("#pay-with", Choice).value = NEW_CARD
    await until(pilot, lambda: not form.query_one("#card-fields").has_class("hidden"))
    await type_into(pilot, "#field-number Input", number)
    await type_into(pilot, "#field-exp_month Input", "09")
    await type_into(pilot, "#field-exp_year Input", EXP_YEAR)
    await type_into(pilot, "#field-cvc Input", CVC)


async def pay(pilot: Pilot[None], amount: str) -> None:
    await type_into(pilot, "#field-amount_cents Input", amount)
    await pilot.press("ctrl+s")


async def receipt(pilot: Pilot[None]) -> str:
    await until(pilot, lambda: isinstance(pilot.app.screen, ReceiptScreen))
    await pilot.pause()
    return screen_text(pilot)


def card_values(form: MakePaymentForm) -> dict[str, str]:
    return {
        name: form.query_one(f"#field-{name} Input", Input).value
        for name in ("amount_cents", "number", "exp_month", "exp_year", "cvc")
    }


# The figures


async def test_the_figures_say_what_they_cover_and_how_they_relate(
    payments: Pilot[None],
) -> None:
    text = screen_text(payments)
    assert "Whole account, every location" in text
    assert "Outstanding       $490.00" in text
    assert "Credit             $35.00" in text
    assert "Balance           $455.00   = Outstanding − Credit" in text
    assert "Last payment $105.00 on 2026-02-05" in text
    assert "Downtown: owed $105.00 — Make Payment pays this location's charges" in text
    assert "Make Payment" in text and "Apply Credit" in text


async def test_the_location_line_follows_the_location_switcher(payments: Pilot[None]) -> None:
    await switch_location(payments, "Northside")
    await until(payments, lambda: "Northside: owed $350.00" in screen_text(payments))
    assert "Outstanding       $490.00" in screen_text(payments)


# Make Payment


async def test_pay_with_a_stored_method_shows_a_receipt_and_the_ledger_at_once(
    payments: Pilot[None], sqlite_url: str
) -> None:
    form = await open_form(payments)
    assert form.query_one("#field-amount_cents Input", Input).value == "105.00"
    assert "^s Pay" in screen_text(payments) and "^s Save" not in screen_text(payments)
    assert "Downtown's charges. Owed $105.00: pay all of it or less." in screen_text(payments)
    await pay(payments, "100.00")
    text = await receipt(payments)
    assert "$100.00" in text and "Visa ••4242" in text and "2026-03-02" in text
    (made,) = made_payments(sqlite_url)
    assert f"PAY-{made.id:06d}" in text
    await payments.press("escape")
    tab = payments.app.screen.query_one(PaymentsTab)
    await until(payments, lambda: "Outstanding       $390.00" in screen_text(payments))
    assert tab.summary is not None and tab.summary.last_payment is not None
    assert "Last payment $100.00 on 2026-03-02" in screen_text(payments)
    await payments.press("3")
    newest = "2026-03-02 Payment Payment – Visa ••42…                -$100.00"
    await until(payments, lambda: newest in screen_text(payments))


async def test_pay_with_a_new_test_card(payments: Pilot[None], sqlite_url: str) -> None:
    form = await open_form(payments)
    await fill_card(payments, form, MASTERCARD)
    await pay(payments, "105")
    text = await receipt(payments)
    assert "$105.00" in text and "Mastercard ••4444" in text
    assert len(made_payments(sqlite_url)) == 1


async def test_pay_with_a_new_bank_account_only_when_echecks_are_on(
    payments: Pilot[None], sqlite_url: str
) -> None:
    form = await open_form(payments)
    choice = form.query_one("#pay-with", Choice)
    choice.value = NEW_BANK
    await until(payments, lambda: not form.query_one("#bank-fields").has_class("hidden"))
    await type_into(payments, "#field-routing_number Input", "021000022")
    await until(payments, lambda: "not a valid routing number" in screen_text(payments))
    await type_into(payments, "#field-routing_number Input", "021000021")
    await type_into(payments, "#field-account_number Input", "000123456789")
    await pay(payments, "12.34")
    assert "$12.34" in await receipt(payments) and "••6789" in screen_text(payments)
    await payments.press("escape")
    servers.set_settings(sqlite_url, echecks="off")  # the form asks the server as it opens
    form = await open_form(payments)
    values = [value for _label, value in form.query_one("#pay-with", Choice)._options]
    assert NEW_CARD in values and NEW_BANK not in values


async def test_an_amount_above_what_is_owed_is_refused_as_it_is_typed(
    payments: Pilot[None], sqlite_url: str
) -> None:
    form = await open_form(payments)
    await pay(payments, "105.01")
    await until(payments, lambda: "At most what is owed: $105.00" in screen_text(payments))
    await pay(payments, "0")
    await until(payments, lambda: "More than zero" in screen_text(payments))
    assert payments.app.screen is form and made_payments(sqlite_url) == []


async def test_a_declined_card_is_said_in_place_and_only_the_card_number_and_cvc_go(
    payments: Pilot[None], sqlite_url: str
) -> None:
    form = await open_form(payments)
    await fill_card(payments, form, DECLINED)
    await pay(payments, "25.00")
    await until(payments, lambda: "declined" in screen_text(payments))
    assert payments.app.screen is form and not form.busy
    assert card_values(form) == {
        "amount_cents": "25.00",
        "number": "",
        "exp_month": "09",
        "exp_year": EXP_YEAR,
        "cvc": "",
    }
    assert made_payments(sqlite_url) == []
    await type_into(payments, "#field-number Input", VISA)
    await type_into(payments, "#field-cvc Input", CVC)
    await payments.press("ctrl+s")
    assert "Visa ••4242" in await receipt(payments)


# Apply Credit


async def test_apply_credit_previews_what_it_pays_then_applies_it(payments: Pilot[None]) -> None:
    await palette(payments, "Apply Credit")
    await until(payments, lambda: isinstance(payments.app.screen, ConfirmScreen))
    await payments.pause()
    assert "Apply $35.00 of your $35.00 credit" in screen_text(payments)
    question = payments.app.screen.question  # type: ignore[attr-defined]
    assert "2026-02-01 Tuition – Swim Level 1 (Feb 2026): $35.00" in question
    await payments.click("#confirm")
    await until(payments, lambda: "Applied $35.00 of credit to 1 charge" in screen_text(payments))
    await until(payments, lambda: "Outstanding       $455.00" in screen_text(payments))
    assert "Credit              $0.00" in screen_text(payments)
    assert "Apply Credit" not in screen_text(payments)  # no credit left: no button


async def test_apply_credit_again_while_it_awaits_its_answer_is_refused_not_cancelling_it(
    payments: Pilot[None],
) -> None:
    """Cancelling Apply Credit once sent would lose its answer (and whether it happened)."""
    held = hold_answer(payments, "POST", "/credit/apply")
    message = payments.app.screen.query_one("#payments-message", ActionMessage)
    await palette(payments, "Apply Credit")
    await until(payments, lambda: isinstance(payments.app.screen, ConfirmScreen))
    await payments.click("#confirm")
    await until(payments, held.answered.is_set)
    assert str(message.content) == "Applying credit…"
    await palette(payments, "Apply Credit")
    await until(payments, lambda: str(message.content) == APPLYING)
    assert not isinstance(payments.app.screen, ConfirmScreen)
    held.release.set()
    await until(payments, lambda: "Applied $35.00 of credit to 1 charge" in screen_text(payments))


# Settings and permission


async def tab_text(url: str, email: str | None = None) -> tuple[str, list[str]]:
    """What the Payments tab shows, and the palette's entries there."""
    async with make(url).run_test(size=SIZE) as pilot:
        if email:
            await sign_in(pilot, email, DEMO_PASSWORD)
            await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        else:
            await open_account(pilot)
        await open_payments(pilot)
        labels = [c.label for c in pilot.app.screen.palette_commands()]  # type: ignore[attr-defined]
        return screen_text(pilot), labels


async def test_no_gateway_shows_one_message_and_no_payment(sqlite_url: str) -> None:
    servers.set_settings(sqlite_url, payment_gateway="none")
    with servers.live_server(sqlite_url) as url:
        text, labels = await tab_text(url)
    assert text.count("does not accept online payments") == 1
    assert NO_ONLINE_PAYMENTS.split(".")[0] in text
    assert "Make Payment" not in text and "Make Payment" not in labels


async def test_credit_off_shows_no_credit_and_no_apply_credit(sqlite_url: str) -> None:
    servers.set_settings(sqlite_url, credit="off")
    with servers.live_server(sqlite_url) as url:
        text, labels = await tab_text(url)
    assert not re.search(r"\bCredit\s+\$", text)  # no Credit figure ("Credit Card" is a type)
    assert "Apply Credit" not in text and "Apply Credit" not in labels
    assert "Make Payment" in labels


async def test_a_guardian_without_permission_is_told_why_there_is_no_make_payment(
    server: str,
) -> None:
    text, labels = await tab_text(server, DEMO_SECONDARY_EMAIL)
    assert "Make Payment is not available to you" in text
    assert "Ask the primary guardian" in text
    assert "Make Payment" not in labels and "Apply Credit" not in labels
    assert NOT_PERMITTED.startswith("Make Payment is not available")


async def test_the_form_offers_the_balance_of_the_selected_location_less_its_credit(
    payments: Pilot[None], sqlite_url: str
) -> None:
    await switch_location(payments, "Northside")
    form = await open_form(payments)
    intro = "Northside's charges. Owed $350.00 (Outstanding $385.00"
    await until(payments, lambda: intro in screen_text(payments))
    assert form._owed_line() == (
        "Northside's charges. Owed $350.00 (Outstanding $385.00 less Credit $35.00): "
        "pay all of it or less."
    )
    assert form.query_one("#field-amount_cents Input", Input).value == "350.00"
    await payments.press("ctrl+s")
    assert "$350.00" in await receipt(payments)
    await payments.press("escape")
    await until(payments, lambda: "Northside: owed $0.00" in screen_text(payments))
    assert "Balance           $105.00" in screen_text(payments)  # Downtown's, still owed


async def test_a_location_that_owes_nothing_says_how_to_switch(payments: Pilot[None]) -> None:
    await switch_location(payments, "Lakeview")
    await palette(payments, "Make Payment")
    await until(payments, lambda: "Lakeview is owed nothing" in screen_text(payments))
    assert "Ctrl+L" in screen_text(payments)
    assert not isinstance(payments.app.screen, MakePaymentForm)


# A lost answer


class DropFirstPaymentAnswer(httpx.AsyncBaseTransport):
    """The network between app and server: the first payment POSTs (or those to `path`)
    reach the server and are answered, but the answers are lost on the way back."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, drops: int = 1, path: str = "/payments"
    ) -> None:
        self.inner = inner
        self.path = path
        self.drops = drops
        """How many payment answers are lost, the first ones."""
        self.payment_posts: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith(self.path):
            self.payment_posts.append(request.headers.get("Idempotency-Key", ""))
            if len(self.payment_posts) <= self.drops:
                await response.aread()
                raise httpx.ReadError("connection reset", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


async def test_a_payment_whose_answer_was_lost_is_retried_and_charged_once(
    payments: Pilot[None], sqlite_url: str
) -> None:
    portal = payments.app.screen.query_one(PaymentsTab).portal
    http: Any = portal.client._http
    dropping = DropFirstPaymentAnswer(http._transport)
    http._transport = dropping
    form = await open_form(payments)
    await fill_card(payments, form, VISA)
    await pay(payments, "40.00")
    assert "$40.00" in await receipt(payments)
    assert len(dropping.payment_posts) == 2 and len(set(dropping.payment_posts)) == 1
    (made,) = made_payments(sqlite_url)
    assert made.amount_cents == 4000 and made.idempotency_key == dropping.payment_posts[0]


# No card number kept


async def test_no_card_number_or_cvc_in_the_database_or_a_log(
    sqlite_url: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # every statement's values
    with servers.live_server(sqlite_url) as url:
        async with make(url).run_test(size=SIZE) as pilot:
            await open_account(pilot)
            await open_payments(pilot)
            for number in (DECLINED, VISA):
                form = await open_form(pilot)
                await fill_card(pilot, form, number)
                await pay(pilot, "10.00")
                if number == DECLINED:
                    await until(pilot, lambda: "declined" in screen_text(pilot))
                    await pilot.press("escape")
                    await until(pilot, lambda: not isinstance(pilot.app.screen, MakePaymentForm))
            await receipt(pilot)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert len(made_payments(sqlite_url)) == 1
    database = Path(sqlite_url.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    logged = caplog.text + "".join(capfd.readouterr())
    assert "SELECT" in caplog.text  # the statements were logged, values included
    for secret in (VISA, DECLINED, "4242 4242", f"'{CVC}'", f'"{CVC}"'):
        assert secret.encode() not in stored, secret
        assert secret not in logged, secret


@pytest.mark.parametrize(
    ("again", "title", "said"),
    [
        ("40.00", "Payment received — receipt", "Paid: $40.00"),
        (
            "30.00",
            "This payment was already made — receipt",
            "This payment was already made: $40.00",
        ),
    ],
    ids=["same-amount", "amount-edited"],
)
async def test_paying_again_after_every_answer_was_lost_charges_the_attempt_once(
    payments: Pilot[None], sqlite_url: str, again: str, title: str, said: str
) -> None:
    """The app's own resends all lose their answers (the payment was charged); the user
    retypes the card and pays again, the same amount or a lower one: the same attempt and
    key, one charge, and the receipt of that first payment."""
    portal = payments.app.screen.query_one(PaymentsTab).portal
    http: Any = portal.client._http
    dropping = DropFirstPaymentAnswer(http._transport, drops=3)
    http._transport = dropping
    form = await open_form(payments)
    await fill_card(payments, form, VISA)
    await pay(payments, "40.00")
    await until(payments, lambda: "Check your connection" in screen_text(payments))
    assert card_values(form)["number"] == "" and len(made_payments(sqlite_url)) == 1
    await type_into(payments, "#field-number Input", VISA)
    await type_into(payments, "#field-cvc Input", CVC)
    await pay(payments, again)
    text = await receipt(payments)
    assert title in text and "$40.00" in text
    assert len(dropping.payment_posts) == 4 and len(set(dropping.payment_posts)) == 1
    (made,) = made_payments(sqlite_url)
    assert made.amount_cents == 4000
    await payments.press("escape")
    assert not isinstance(payments.app.screen, MakePaymentForm)
    assert said in screen_text(payments)


async def test_apply_credit_with_a_lost_answer_says_it_may_have_been_applied(
    payments: Pilot[None],
) -> None:
    portal = payments.app.screen.query_one(PaymentsTab).portal
    http: Any = portal.client._http
    http._transport = DropFirstPaymentAnswer(http._transport, path="/credit/apply")
    await palette(payments, "Apply Credit")
    await until(payments, lambda: isinstance(payments.app.screen, ConfirmScreen))
    await payments.click("#confirm")
    await until(payments, lambda: "may have been applied" in screen_text(payments))
    assert "No credit was applied" not in screen_text(payments)
    await until(payments, lambda: "Credit              $0.00" in screen_text(payments))
