"""Add Guardian and Edit Guardian on Account Info, through the one form pattern, against the
real server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from portal_tui.screens.account_info import AccountInfoTab
from portal_tui.screens.contact_forms import PhoneForm
from portal_tui.screens.guardian_form import GuardianForm, GuardianHeading
from portal_tui.widgets.pick_screen import PickScreen
from portal_tui.wire.account import GuardianOut, LoginAccess
from portal_tui.wire.demo import DEMO_SECONDARY_EMAIL
from tests.tui.api import Api
from tests.tui.pilot import make, open_account, palette, screen_text, sign_in, type_into, until


async def open_tab(pilot: Pilot[None]) -> AccountInfoTab:
    pilot.app.screen.query_one(TabbedContent).active = "account-info"
    tab = pilot.app.screen.query_one(AccountInfoTab)
    await until(pilot, lambda: tab.ready)
    return tab


@pytest.fixture
async def account(server_url: str) -> AsyncIterator[tuple[Pilot[None], AccountInfoTab, Api]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield pilot, await open_tab(pilot), Api(server_url)


def named(api: Api, first_name: str) -> GuardianOut | None:
    return next((g for g in api.guardians().guardians if g.first_name == first_name), None)


async def form_open(pilot: Pilot[None]) -> GuardianForm:
    await until(pilot, lambda: isinstance(pilot.app.screen, GuardianForm))
    form = pilot.app.screen
    assert isinstance(form, GuardianForm)
    return form


async def closed_and_shown(pilot: Pilot[None], tab: AccountInfoTab, text: str) -> None:
    await until(pilot, lambda: not isinstance(pilot.app.screen, GuardianForm))
    await until(pilot, lambda: tab.ready and text in screen_text(pilot))


async def test_add_guardian_shows_them_with_their_relation_and_takes_their_phone(
    account: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = account
    tab.focus()
    await pilot.press("g")
    form = await form_open(pilot)
    assert form.form_title == "Add Guardian"
    await type_into(pilot, "#field-first_name Input", "Rosa")
    await type_into(pilot, "#field-last_name Input", "Rivera")
    await type_into(pilot, "#field-relation Input", "Grandparent")
    await pilot.press("ctrl+s")
    await closed_and_shown(pilot, tab, "Rosa Rivera (Grandparent)")
    rosa = named(api, "Rosa")
    assert rosa is not None and rosa.relation == "Grandparent"
    assert not rosa.is_primary and rosa.login_access is LoginAccess.NONE
    assert not rosa.can_make_payments
    # the family was read again: Rosa's contacts are the primary's to add
    await until(pilot, lambda: rosa.id in tab.family.capabilities.edit_contacts_of)
    await until(pilot, lambda: tab.guardians is not None and len(tab.guardians.guardians) == 3)
    await pilot.click("#add-phones")
    await until(pilot, lambda: isinstance(pilot.app.screen, PhoneForm))
    await type_into(pilot, "#field-number Input", "312 555 0177")
    pilot.app.screen.query_one("#field-guardian_id Select", Select).value = rosa.id
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not isinstance(pilot.app.screen, PhoneForm))
    await until(pilot, lambda: tab.ready and "(312) 555-0177" in screen_text(pilot))
    rosa = named(api, "Rosa")
    assert rosa is not None and rosa.contacts is not None
    assert [p.number for p in rosa.contacts.phones] == ["+13125550177"]


async def test_bad_input_is_refused_in_place_keeps_what_was_typed_and_adds_no_one(
    account: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, _, api = account
    before = api.guardians().guardians
    await palette(pilot, "Add Guardian")
    form = await form_open(pilot)
    await type_into(pilot, "#field-last_name Input", "Rivera")
    await type_into(pilot, "#field-relation Input", "Great-great-grandmother on my mother's side")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Required." in screen_text(pilot))
    assert "at most 40 characters" in screen_text(pilot)
    assert isinstance(pilot.app.screen, GuardianForm)
    values = {name: f.control.value for name, f in form.fields().items()}  # type: ignore[attr-defined]
    assert values == {
        "first_name": "",
        "last_name": "Rivera",
        "relation": "Great-great-grandmother on my mother's side",
    }
    assert form.query_one("#field-first_name Input", Input).has_focus
    assert api.guardians().guardians == before


async def test_edit_guardian_changes_a_guardian_who_was_never_invited(
    account: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = account
    body = {"first_name": "Rosa", "last_name": "Rivera", "relation": "Aunt"}
    assert api.send("POST", "/guardians", json=body).status_code == 201
    await pilot.press("ctrl+r")  # read the family again: Rosa is the primary's to edit
    await until(pilot, lambda: tab.ready and "Rosa Rivera (Aunt)" in screen_text(pilot))
    rosa = next(h for h in tab.query(GuardianHeading) if h.guardian.first_name == "Rosa")
    sam = next(h for h in tab.query(GuardianHeading) if h.guardian.first_name == "Sam")
    assert rosa.can_focus and not sam.can_focus  # Sam accepted an invitation: his own
    rosa.focus()
    await pilot.press("enter")
    form = await form_open(pilot)
    assert form.form_title == "Edit Guardian: Rosa Rivera"
    await type_into(pilot, "#field-relation Input", "Grandmother")
    await pilot.press("ctrl+s")
    await closed_and_shown(pilot, tab, "Rosa Rivera (Grandmother)")
    saved = named(api, "Rosa")
    assert saved is not None and saved.relation == "Grandmother"


async def test_edit_guardian_from_the_palette_asks_whom_and_shows_a_change_made_meanwhile(
    account: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = account
    body = {"first_name": "Rosa", "last_name": "Rivera", "relation": "Aunt"}
    rosa = GuardianOut.model_validate(api.send("POST", "/guardians", json=body).json())
    await pilot.press("ctrl+r")
    await until(pilot, lambda: tab.ready and "Rosa Rivera (Aunt)" in screen_text(pilot))
    await palette(pilot, "Edit Guardian")
    await until(pilot, lambda: isinstance(pilot.app.screen, PickScreen))
    picker = pilot.app.screen
    assert isinstance(picker, PickScreen)
    assert [label for _, label in picker.choices] == [
        "Jordan Rivera (Parent)",
        "Rosa Rivera (Aunt)",
    ]
    await pilot.press("down", "enter")
    form = await form_open(pilot)
    assert form.guardian is not None and form.guardian.id == rosa.id
    changed = {**body, "relation": "Godmother", "version": rosa.version}
    assert api.send("PUT", f"/guardians/{rosa.id}", json=changed).status_code == 200
    await type_into(pilot, "#field-relation Input", "Grandmother")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Saved meanwhile: Rosa Rivera (Godmother)" in screen_text(pilot))
    assert form.query_one("#field-relation Input", Input).value == "Grandmother"
    await pilot.press("ctrl+s")  # saving again replaces what was saved meanwhile
    await closed_and_shown(pilot, tab, "Rosa Rivera (Grandmother)")


async def test_a_secondary_guardian_is_offered_no_add_guardian(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, DEMO_SECONDARY_EMAIL)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        tab = await open_tab(pilot)
        assert not tab.query("#add-guardian")
        labels = {c.label for c in tab.palette_commands()}
        assert "Add Guardian" not in labels and "Edit Guardian" in labels
        tab.focus()
        await pilot.press("g")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, GuardianForm)
        editable = [h.guardian.first_name for h in tab.query(GuardianHeading) if h.can_focus]
        assert editable == ["Sam"]


def add_guardian_form_with_an_error() -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await open_account(pilot)
        tab = await open_tab(pilot)
        tab.focus()
        await pilot.press("g")
        await form_open(pilot)
        await type_into(pilot, "#field-last_name Input", "Rivera")
        await type_into(pilot, "#field-relation Input", "Grandparent")
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is caught on or off by chance
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Required." in screen_text(pilot))

    return run_before


def test_add_guardian_form_at_80x24(snap_compare: Callable[..., bool], server_url: str) -> None:
    app = make(server_url)
    assert snap_compare(app, terminal_size=(80, 24), run_before=add_guardian_form_with_an_error())
