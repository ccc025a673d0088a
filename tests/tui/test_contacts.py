"""Account Info contacts through the one form pattern, against the real server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, TabbedContent

from portal_tui.app import PortalApp
from portal_tui.screens.account_info import AccountInfoTab, ContactItem
from portal_tui.screens.contact_forms import AddressForm, ContactForm, EmailForm, PhoneForm
from portal_tui.screens.main import MainScreen
from portal_tui.screens.sign_in_again import SignInAgainScreen
from portal_tui.widgets.confirm import ConfirmScreen
from portal_tui.wire.contacts import ContactOut
from portal_tui.wire.demo import DEMO_EMAIL, DEMO_PASSWORD, DEMO_SECONDARY_EMAIL
from tests import servers
from tests.tui.api import Api
from tests.tui.pilot import make, open_account, screen_text, sign_in, type_into, until


async def open_contacts(pilot: Pilot[None]) -> AccountInfoTab:
    pilot.app.screen.query_one(TabbedContent).active = "account-info"
    tab = pilot.app.screen.query_one(AccountInfoTab)
    await until(pilot, lambda: tab.ready)
    return tab


async def reloaded(pilot: Pilot[None], tab: AccountInfoTab) -> None:
    await until(pilot, lambda: not isinstance(pilot.app.screen, ContactForm))
    await until(pilot, lambda: tab.ready)


@pytest.fixture
async def contacts(server_url: str) -> AsyncIterator[tuple[Pilot[None], AccountInfoTab, Api]]:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        yield pilot, await open_contacts(pilot), Api(server_url)


async def edit(pilot: Pilot[None], tab: AccountInfoTab, record: ContactOut, form: type) -> None:
    """Open the edit form of `record` (as it is now) the way a user does: focus it, Enter."""
    same = [i for i in tab.query(ContactItem) if type(i.record) is type(record)]
    next(i for i in same if i.record.id == record.id).focus()
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, form))


async def test_add_a_phone_from_the_palette_label(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    await pilot.press("ctrl+p")
    await pilot.press(*"Add Phone")
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, PhoneForm))
    await type_into(pilot, "#field-number Input", "312 555 0166")
    await pilot.press("ctrl+s")
    await reloaded(pilot, tab)
    assert any(p.number == "+13125550166" for p in api.phones())
    assert "(312) 555-0166 (mobile)" in screen_text(pilot)


async def test_a_bad_phone_is_refused_in_place_and_nothing_typed_is_lost(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, _, api = contacts
    before = api.phones()
    await pilot.click("#add-phones")
    await until(pilot, lambda: isinstance(pilot.app.screen, PhoneForm))
    await type_into(pilot, "#field-number Input", "555 01")
    await until(
        pilot, lambda: "not valid" in screen_text(pilot) or "not a phone" in screen_text(pilot)
    )
    await pilot.press("ctrl+s")
    form = pilot.app.screen
    assert isinstance(form, PhoneForm) and not form.busy
    assert form.query_one("#field-number Input", Input).value == "555 01"
    assert "Check the fields" in screen_text(pilot)
    assert api.phones() == before


async def test_a_refusal_by_the_server_shows_in_the_form_with_the_values_kept(
    contacts: tuple[Pilot[None], AccountInfoTab, Api], server_url: str, sqlite_url: str
) -> None:
    """The UI offered the form; the server changed its mind meanwhile (setting turned off)."""
    pilot, _, api = contacts
    before = api.emails()
    await pilot.click("#add-emails")
    await until(pilot, lambda: isinstance(pilot.app.screen, EmailForm))
    await type_into(pilot, "#field-address Input", "pat@example.com")
    servers.set_settings(sqlite_url, edit_contacts="off")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "cannot be changed in the portal" in screen_text(pilot))
    form = pilot.app.screen
    assert isinstance(form, EmailForm)
    assert form.query_one("#field-address Input", Input).value == "pat@example.com"
    assert api.emails() == before


async def test_edit_then_delete_with_a_confirmation_naming_it(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    household = next(e for e in api.guardians().unassigned.emails)
    await edit(pilot, tab, household, EmailForm)
    pilot.app.screen.query_one("#field-opted_out Select", Select).value = True
    await pilot.press("ctrl+s")
    await reloaded(pilot, tab)
    assert next(e for e in api.emails() if e.id == household.id).opted_out
    await edit(pilot, tab, household, EmailForm)
    await pilot.click("#delete")
    await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
    assert f"Delete the email {household.address}?" in screen_text(pilot)
    await pilot.click("#confirm")
    await reloaded(pilot, tab)
    assert household.id not in {e.id for e in api.emails()}
    assert household.address not in screen_text(pilot)


async def test_the_sign_in_email_offers_no_delete(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    login = next(e for e in api.emails() if e.is_login and e.address == DEMO_EMAIL)
    await edit(pilot, tab, login, EmailForm)
    assert not pilot.app.screen.query("#delete")
    assert pilot.app.screen.query_one("#field-address Input", Input).disabled


async def test_a_conflict_shows_the_current_value_and_keeps_the_edit(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    phone = api.guardians().unassigned.phones[0]
    await edit(pilot, tab, phone, PhoneForm)
    await type_into(pilot, "#field-number Input", "(312) 555-0111")
    meanwhile = {"number": "(312) 555-0122", "label": "home", "version": phone.version}
    assert api.send("PUT", f"/phones/{phone.id}", json=meanwhile).status_code == 200
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Saved meanwhile: (312) 555-0122" in screen_text(pilot))
    form = pilot.app.screen
    assert isinstance(form, PhoneForm)
    assert form.query_one("#field-number Input", Input).value == "(312) 555-0111"
    await pilot.press("ctrl+s")
    await reloaded(pilot, tab)
    assert next(p for p in api.phones() if p.id == phone.id).number == "+13125550111"


async def test_an_ended_session_signs_in_again_and_returns_to_the_form(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    app = pilot.app
    assert isinstance(app, PortalApp) and app.family is not None
    await pilot.click("#add-emails")
    await until(pilot, lambda: isinstance(app.screen, EmailForm))
    await type_into(pilot, "#field-address Input", "kept@example.com")
    ended = api.http.post(
        "/auth/logout", headers={"Authorization": f"Bearer {app.family.portal.client.token}"}
    )
    assert ended.status_code == 204
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, SignInAgainScreen))
    await type_into(pilot, "#password", DEMO_PASSWORD)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, EmailForm))
    assert app.screen.query_one("#field-address Input", Input).value == "kept@example.com"
    assert "Signed in again" in screen_text(pilot)
    await pilot.press("ctrl+s")
    await reloaded(pilot, tab)
    assert any(e.address == "kept@example.com" for e in api.emails())


async def test_an_accepted_secondarys_contacts_are_not_offered_to_the_primary(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, _ = contacts
    assert "kept by this" in screen_text(pilot)
    editable = [i for i in tab.query(ContactItem) if i.can_focus]
    assert tab.guardians is not None
    secondary = tab.guardians.guardians[1].id
    assert editable and all(i.record.guardian_id != secondary for i in editable)


async def test_the_secondary_edits_their_own_but_not_the_primarys(server_url: str) -> None:
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, DEMO_SECONDARY_EMAIL)
        await until(pilot, lambda: "Rivera Family" in screen_text(pilot))
        tab = await open_contacts(pilot)
        assert tab.guardians is not None
        primary, secondary = (g.id for g in tab.guardians.guardians)
        items = list(tab.query(ContactItem))
        assert any(i.can_focus for i in items if i.record.guardian_id == secondary)
        assert not any(i.can_focus for i in items if i.record.guardian_id == primary)


@pytest.mark.parametrize("on", [True, False])
async def test_the_setting_decides_what_is_offered(sqlite_url: str, on: bool) -> None:
    servers.set_settings(sqlite_url, edit_contacts="on" if on else "off")
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_contacts(pilot)
            assert bool(tab.query("#contact-actions")) is on
            assert any(i.can_focus for i in tab.query(ContactItem)) is on
            assert isinstance(app.screen, MainScreen)
            labels = {c.label for c in app.screen.palette_commands()}
            assert ("Add Email" in labels) is on
            assert app.screen.query_one(AccountInfoTab).check_action("add", ("emails",)) is on


async def test_a_changed_setting_shows_after_refresh(sqlite_url: str) -> None:
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_contacts(pilot)
            assert tab.query("#contact-actions")
            servers.set_settings(sqlite_url, edit_contacts="off")
            await pilot.press("ctrl+r")
            await until(pilot, lambda: tab.ready and not tab.query("#contact-actions"))
            assert isinstance(app.screen, MainScreen)
            assert "Add Email" not in {c.label for c in app.screen.palette_commands()}


async def test_unsubscribed_reads_in_words(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, _, _ = contacts
    assert "jordan.work@example.com Unsubscribed" in screen_text(pilot)
    assert "(312) 555-0131 (work) Unsubscribed" in screen_text(pilot)


async def test_escapes_in_contacts_never_reach_the_terminal(sqlite_url: str) -> None:
    from sqlalchemy import update

    from portal_tui.server import tables
    from portal_tui.server.db import make_engine, make_sessionmaker
    from tests.tui.test_text_from_outside import EVIL, SHOWN, assert_no_escapes

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.execute(update(tables.Address).values(line1=tables.Address.line1 + EVIL))
    engine.dispose()
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_contacts(pilot)
            await until(pilot, lambda: f"Belmont Ave{SHOWN}" in screen_text(pilot))
            assert_no_escapes(pilot)
            address = next(
                i
                for i in tab.query(ContactItem)
                if i.can_focus and "line1" in type(i.record).model_fields
            )
            address.focus()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ContactForm))
            assert_no_escapes(pilot)
            await pilot.click("#delete")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert f"Belmont Ave{SHOWN}" in screen_text(pilot)
            assert_no_escapes(pilot)


async def test_add_an_address_and_a_bad_email_is_refused_in_place(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    await pilot.click("#add-addresses")
    await until(pilot, lambda: isinstance(pilot.app.screen, AddressForm))
    await pilot.press("ctrl+s")  # nothing typed: street and city are required
    await until(pilot, lambda: "Required." in screen_text(pilot))
    assert isinstance(pilot.app.screen, AddressForm)
    await type_into(pilot, "#field-line1 Input", "5 Lake St")
    await type_into(pilot, "#field-city Input", "Evanston")
    await pilot.press("ctrl+s")
    await reloaded(pilot, tab)
    assert "5 Lake St, Evanston" in screen_text(pilot)
    assert any(
        a.line1 == "5 Lake St"
        for g in api.guardians().guardians
        if g.contacts
        for a in g.contacts.addresses
    )

    before = api.emails()
    await pilot.click("#add-emails")
    await until(pilot, lambda: isinstance(pilot.app.screen, EmailForm))
    await type_into(pilot, "#field-address Input", "pat@")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "Check the fields" in screen_text(pilot))
    form = pilot.app.screen
    assert isinstance(form, EmailForm)
    assert form.query_one("#field-address Input", Input).value == "pat@"
    assert api.emails() == before


async def test_add_from_the_palette_before_the_tab_was_ever_shown(server_url: str) -> None:
    """The form waits for the guardians, so "Linked to" offers the signed-in guardian."""
    app = make(server_url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_account(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Add Email")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, EmailForm))
        owner = app.screen.query_one("#field-guardian_id Select", Select)
        assert app.family is not None
        assert owner.value == app.family.portal.user.guardian_id


async def test_a_form_saved_under_another_screen_closes_once_on_top_again(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    """The save finishes while the palette is open: the palette stays, then the form goes."""
    pilot, tab, api = contacts
    app = pilot.app
    await pilot.click("#add-phones")
    await until(pilot, lambda: isinstance(app.screen, PhoneForm))
    form = app.screen
    assert isinstance(form, PhoneForm)
    release = asyncio.Event()
    save = form.save

    async def slow_save(request: Any) -> Any:
        await release.wait()
        return await save(request)

    form.save = slow_save  # type: ignore[method-assign]
    await type_into(pilot, "#field-number Input", "312 555 0155")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: form.busy)
    await pilot.press("ctrl+p")
    await until(pilot, lambda: app.screen is not form)
    palette = app.screen
    release.set()
    await until(pilot, lambda: any(p.number == "+13125550155" for p in api.phones()))
    await pilot.pause()
    assert app.screen is palette
    await pilot.press("escape")
    await reloaded(pilot, tab)
    assert form not in app.screen_stack


async def test_a_guardian_name_with_brackets_is_offered_as_typed(sqlite_url: str) -> None:
    from sqlalchemy import update

    from portal_tui.server import tables
    from portal_tui.server.db import make_engine, make_sessionmaker

    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine)() as db, db.begin():
        db.execute(
            update(tables.Guardian)
            .where(tables.Guardian.first_name == "Jordan")
            .values(last_name="Rivera [/x]")
        )
    engine.dispose()
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            await open_contacts(pilot)
            await pilot.click("#add-emails")
            await until(pilot, lambda: isinstance(app.screen, EmailForm))
            assert "Jordan Rivera [/x]" in screen_text(pilot)


async def test_a_record_gone_meanwhile_is_said_and_the_list_read_again(
    contacts: tuple[Pilot[None], AccountInfoTab, Api],
) -> None:
    pilot, tab, api = contacts
    phone = api.guardians().unassigned.phones[0]
    await edit(pilot, tab, phone, PhoneForm)
    gone = api.send("DELETE", f"/phones/{phone.id}", params={"version": phone.version})
    assert gone.status_code == 204
    await pilot.press("ctrl+s")
    await until(pilot, lambda: "does not exist" in screen_text(pilot))
    await pilot.press("escape")
    await until(pilot, lambda: phone not in [i.record for i in tab.query(ContactItem)])


async def test_a_changed_phone_region_shows_after_refresh(sqlite_url: str) -> None:
    with servers.live_server(sqlite_url) as url:
        app = make(url)
        async with app.run_test(size=(120, 40)) as pilot:
            await open_account(pilot)
            tab = await open_contacts(pilot)
            servers.set_settings(sqlite_url, phone_region="GB")
            await pilot.press("ctrl+r")
            await until(
                pilot, lambda: tab.ready and tab.family.business.settings.phone_region == "GB"
            )
            await pilot.click("#add-phones")
            await until(pilot, lambda: isinstance(app.screen, PhoneForm))
            await type_into(pilot, "#field-number Input", "020 7946 0018")  # a London number
            await pilot.press("ctrl+s")
            await reloaded(pilot, tab)
            assert any(p.number == "+442079460018" for p in Api(url).phones())


def test_a_form_with_no_one_to_link_to_is_not_opened() -> None:
    from portal_tui.screens.contact_forms import NoOneToLink
    from portal_tui.wire.family import Capabilities

    nothing = Capabilities(
        edit_contacts_of=[], edit_unassigned_contacts=False, credit=True, online_payments=True
    )
    with pytest.raises(NoOneToLink):
        EmailForm(None, nothing, [])  # type: ignore[arg-type]
