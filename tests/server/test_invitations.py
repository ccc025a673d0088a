"""Invitations and password resets: who may send them, single-use codes that expire, the
sign-outs a revoke or a reset causes, and the mail that carries the codes (files in the
outbox folder, or SMTP to a real server on loopback)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from fastapi.testclient import TestClient
from sqlalchemy import select

from portal_tui.server import tables
from portal_tui.server.app import create_app
from portal_tui.server.db import make_engine, make_sessionmaker
from portal_tui.server.outbox import SmtpOutbox, _loopback, default_folder, filed
from portal_tui.server.services.password_resets import CODES_A_DAY
from portal_tui.wire.account import LoginAccess
from portal_tui.wire.demo import (
    DEMO_EMAIL,
    DEMO_INVITATION_CODE,
    DEMO_INVITED_EMAIL,
    DEMO_PASSWORD,
    DEMO_SECONDARY_EMAIL,
    OTHER_FAMILY_EMAIL,
)
from tests.server.conftest import Clock, family_path, login, user_row

NEW = "violet kettle drums sideways"
ROBIN = "robin.rivera@example.com"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def new_guardian(db_url: str) -> int:
    """A secondary guardian of the Rivera family who has no sign-in yet."""
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db, db.begin():
        family_id = user_family(db, DEMO_EMAIL)
        guardian = tables.Guardian(family_id=family_id, first_name="Robin", last_name="Rivera")
        db.add(guardian)
        db.flush()
        guardian_id = guardian.id
    engine.dispose()
    return guardian_id


def user_family(db: Any, email: str) -> int:
    user = db.scalars(select(tables.User).where(tables.User.email == email)).one()
    guardian = db.get(tables.Guardian, user.guardian_id)
    return int(guardian.family_id)


def guardian_of(api: TestClient, auth: dict[str, str], guardian_id: int) -> dict[str, Any]:
    listed = api.get(f"/api/v1{family_path(api, auth)}/guardians", headers=auth).json()
    return next(g for g in listed["guardians"] if g["id"] == guardian_id)


def act(api: TestClient, auth: dict[str, str], guardian_id: int, action: str, **body: Any) -> Any:
    """A primary's action on a guardian, at the version the list shows now."""
    version = guardian_of(api, auth, guardian_id)["version"]
    path = f"/api/v1{family_path(api, auth)}/guardians/{guardian_id}/{action}"
    return api.post(path, json={"version": version, **body}, headers=auth)


def invite(api: TestClient, auth: dict[str, str], guardian_id: int, email: str) -> str:
    """Send Invite Email as the primary; the code the mail carries."""
    assert act(api, auth, guardian_id, "invitation", email=email).status_code == 200
    return code_in(last_mail_to(email).body)


def code_in(body: str) -> str:
    """The code an email carries, on its own indented line."""
    found = re.search(r"^    (\S+)\r?$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def last_mail_to(to: str) -> Any:
    mail = [m for m in filed(default_folder()) if m.to == to]
    assert mail, f"no mail to {to}"
    return mail[0]


def accept(api: TestClient, code: str, password: str = NEW, adult: bool = True) -> Any:
    body = {"code": code, "password": password, "adult": adult}
    return api.post("/api/v1/auth/invitation/accept", json=body)


def sign_in(api: TestClient, email: str, password: str) -> int:
    body = {"email": email, "password": password}
    return api.post("/api/v1/auth/login", json=body).status_code


def test_an_invitation_is_mailed_accepted_once_and_then_the_guardian_signs_in(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    sent = act(api, auth, robin, "invitation", email=ROBIN)
    assert sent.status_code == 200, sent.text
    assert sent.json()["login_access"] == LoginAccess.INVITE_SENT
    assert sent.json()["invited_email"] == ROBIN
    mail = last_mail_to(ROBIN)
    assert "Accept Invitation" in mail.body and "48 hours" in mail.body
    code = code_in(mail.body)
    assert not invitation_codes_stored_plain(db_url, code)  # only its SHA-256 is kept

    refused = accept(api, code, adult=False)
    assert refused.status_code == 422
    assert "adult" in refused.json()["error"]["fields"]
    weak = accept(api, code, password="robin12345")
    assert weak.status_code == 422 and "password" in weak.json()["error"]["fields"]

    accepted = accept(api, f"  {code}\n")  # as pasted from the email
    assert accepted.status_code == 200, accepted.text
    assert accepted.json() == {"email": ROBIN}
    assert sign_in(api, ROBIN, NEW) == 200
    assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.CAN_LOG_IN

    again = accept(api, code, password="another violet kettle drum")
    assert again.status_code == 422
    assert "not valid" in again.json()["error"]["fields"]["code"]


def sessions_of(db_url: str, email: str) -> list[tables.Session]:
    user_id = user_row(db_url, email).id
    engine = make_engine(db_url)
    with make_sessionmaker(engine)(expire_on_commit=False) as db:
        found = list(db.scalars(select(tables.Session).where(tables.Session.user_id == user_id)))
    engine.dispose()
    assert found
    return found


def invitation_codes_stored_plain(db_url: str, code: str) -> bool:
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as db:
        hashes = db.scalars(select(tables.Invitation.token_hash)).all()
    engine.dispose()
    return code in hashes


def test_an_invitation_expires_after_48_hours(
    moment: Clock, api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    code = invite(api, auth, robin, ROBIN)
    moment.move(hours=48, seconds=1)
    assert accept(api, code).status_code == 422
    assert sign_in(api, ROBIN, NEW) == 401


def test_re_sending_ends_the_earlier_code(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    first = invite(api, auth, robin, ROBIN)
    resent = act(api, auth, robin, "invitation", email="robin@example.org")
    assert resent.status_code == 200 and resent.json()["invited_email"] == "robin@example.org"
    second = code_in(last_mail_to("robin@example.org").body)
    assert accept(api, first).status_code == 422
    assert accept(api, second).status_code == 200
    assert sign_in(api, "robin@example.org", NEW) == 200


def test_revoking_a_pending_invitation_ends_its_code_and_tells_both_guardians(
    api: TestClient, auth: dict[str, str]
) -> None:
    casey = bearer(login(api, OTHER_FAMILY_EMAIL))
    alex = next(
        g
        for g in api.get(f"/api/v1{family_path(api, casey)}/guardians", headers=casey).json()[
            "guardians"
        ]
        if not g["is_primary"]
    )
    assert alex["invited_email"] == DEMO_INVITED_EMAIL
    revoked = act(api, casey, alex["id"], "revoke")
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["login_access"] == LoginAccess.INVITE_REVOKED
    assert revoked.json()["invited_email"] is None
    assert accept(api, DEMO_INVITATION_CODE).status_code == 422
    assert "revoked your access" in last_mail_to(DEMO_INVITED_EMAIL).body
    assert "You revoked Alex Nguyen" in last_mail_to(OTHER_FAMILY_EMAIL).body


def test_revoking_a_guardian_who_signs_in_signs_them_out_everywhere(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    sam_token = login(api, DEMO_SECONDARY_EMAIL)
    sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
    assert sam_id is not None
    assert act(api, auth, sam_id, "revoke").status_code == 200
    assert api.get("/api/v1/auth/me", headers=bearer(sam_token)).status_code == 401
    assert all(s.revoked_at is not None for s in sessions_of(db_url, DEMO_SECONDARY_EMAIL))
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 401
    sam = guardian_of(api, auth, sam_id)
    assert sam["login_access"] == LoginAccess.INVITE_REVOKED
    assert sam["can_make_payments"] is False
    assert "signed out everywhere" in last_mail_to(DEMO_SECONDARY_EMAIL).body
    assert "no longer works" not in last_mail_to(DEMO_SECONDARY_EMAIL).body
    assert "You revoked Sam Rivera" in last_mail_to(DEMO_EMAIL).body

    # Invited again, Sam accepts and signs in with the new password.
    code = invite(api, auth, sam_id, DEMO_SECONDARY_EMAIL)
    assert accept(api, code).status_code == 200
    assert sign_in(api, DEMO_SECONDARY_EMAIL, NEW) == 200


def test_only_the_primary_manages_sign_ins_and_never_their_own(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    sam = bearer(login(api, DEMO_SECONDARY_EMAIL))
    path = f"/api/v1{family_path(api, auth)}/guardians/{robin}/invitation"
    version = guardian_of(api, auth, robin)["version"]
    body = {"email": ROBIN, "version": version}
    assert api.post(path, json=body, headers=sam).status_code == 403
    casey = bearer(login(api, OTHER_FAMILY_EMAIL))
    assert api.post(path, json=body, headers=casey).status_code == 404
    casey_path = f"/api/v1{family_path(api, casey)}/guardians/{robin}/invitation"
    assert api.post(casey_path, json=body, headers=casey).status_code == 404
    primary_id = user_row(db_url, DEMO_EMAIL).guardian_id
    assert primary_id is not None
    assert act(api, auth, primary_id, "revoke").status_code == 422
    assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.NONE
    assert filed(default_folder()) == []


def test_a_stale_version_or_a_bad_address_changes_nothing(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    path = f"/api/v1{family_path(api, auth)}/guardians/{robin}/invitation"
    version = guardian_of(api, auth, robin)["version"]
    stale = api.post(path, json={"email": ROBIN, "version": version + 1}, headers=auth)
    assert stale.status_code == 409 and stale.json()["current"]["id"] == robin
    bad = api.post(path, json={"email": "robin@", "version": version}, headers=auth)
    assert bad.status_code == 422 and "email" in bad.json()["error"]["fields"]
    assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.NONE
    assert filed(default_folder()) == []


def test_sending_tells_nothing_of_which_emails_sign_in_accepting_does(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    robin = new_guardian(db_url)
    sent = act(api, auth, robin, "invitation", email=OTHER_FAMILY_EMAIL)
    assert sent.status_code == 200, sent.text  # as for any address
    refused = accept(api, code_in(last_mail_to(OTHER_FAMILY_EMAIL).body))
    assert refused.status_code == 422
    assert "already signs in" in refused.json()["error"]["fields"]["code"]
    assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.INVITE_SENT


def test_a_guardian_who_signed_in_before_is_invited_again_only_at_their_address(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """Else whoever accepted would take over their sign-in (and its saved cards)."""
    sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
    assert sam_id is not None
    assert act(api, auth, sam_id, "revoke").status_code == 200
    elsewhere = act(api, auth, sam_id, "invitation", email="jordan.other@example.com")
    assert elsewhere.status_code == 422
    assert DEMO_SECONDARY_EMAIL in elsewhere.json()["error"]["fields"]["email"]
    assert act(api, auth, sam_id, "invitation", email=DEMO_SECONDARY_EMAIL).status_code == 200


def test_a_secondary_sees_no_invitation_addresses_nor_sign_in_actions(api: TestClient) -> None:
    casey = bearer(login(api, OTHER_FAMILY_EMAIL))
    listed = api.get(f"/api/v1{family_path(api, casey)}/guardians", headers=casey).json()
    assert DEMO_INVITED_EMAIL in [g["invited_email"] for g in listed["guardians"]]
    sam = bearer(login(api, DEMO_SECONDARY_EMAIL))
    listed = api.get(f"/api/v1{family_path(api, sam)}/guardians", headers=sam).json()
    assert all(g["invited_email"] is None for g in listed["guardians"])
    assert all(g["actions"] == [] for g in listed["guardians"])


def complete(api: TestClient, code: str, password: str = NEW) -> Any:
    body = {"code": code, "new_password": password}
    return api.post("/api/v1/auth/password-reset/complete", json=body)


def test_a_reset_sent_by_the_primary_works_once_and_signs_the_user_out_everywhere(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    sam_token = login(api, DEMO_SECONDARY_EMAIL)
    sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
    assert sam_id is not None
    sent = act(api, auth, sam_id, "password-reset")
    assert sent.status_code == 200, sent.text
    mail = last_mail_to(DEMO_SECONDARY_EMAIL)
    assert "Jordan Rivera asked for a new password" in mail.body
    code = code_in(mail.body)
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 200  # unchanged until used

    weak = complete(api, code, "password123")
    assert weak.status_code == 422 and "new_password" in weak.json()["error"]["fields"]
    done = complete(api, code)
    assert done.status_code == 200 and done.json() == {"email": DEMO_SECONDARY_EMAIL}
    assert api.get("/api/v1/auth/me", headers=bearer(sam_token)).status_code == 401
    assert sign_in(api, DEMO_SECONDARY_EMAIL, NEW) == 200
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 401
    assert complete(api, code, "another violet kettle drum").status_code == 422


def test_a_reset_code_expires_after_an_hour_and_a_newer_one_ends_it(
    moment: Clock, api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
    assert sam_id is not None
    assert act(api, auth, sam_id, "password-reset").status_code == 200
    first = code_in(last_mail_to(DEMO_SECONDARY_EMAIL).body)
    assert act(api, auth, sam_id, "password-reset").status_code == 200
    second = code_in(last_mail_to(DEMO_SECONDARY_EMAIL).body)
    assert first != second
    assert complete(api, first).status_code == 422
    moment.move(minutes=60, seconds=1)
    assert complete(api, second).status_code == 422
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 200


def test_forgot_password_answers_the_same_for_any_email_and_mails_only_a_real_one(
    api: TestClient,
) -> None:
    def forgot(email: str) -> Any:
        return api.post("/api/v1/auth/password-reset", json={"email": email})

    unknown, known = forgot("nobody@example.com"), forgot(DEMO_SECONDARY_EMAIL.upper())
    assert unknown.status_code == known.status_code == 202
    assert unknown.json() == known.json()
    assert [m.to for m in filed(default_folder())] == [DEMO_SECONDARY_EMAIL]
    assert forgot(DEMO_SECONDARY_EMAIL).status_code == 202  # a moment later: no second mail
    assert len(filed(default_folder())) == 1
    code = code_in(last_mail_to(DEMO_SECONDARY_EMAIL).body)
    assert "Someone asked" in last_mail_to(DEMO_SECONDARY_EMAIL).body
    assert complete(api, code).status_code == 200
    assert sign_in(api, DEMO_SECONDARY_EMAIL, NEW) == 200


def free_port() -> int:
    """A loopback port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        inbox = self

        class Keep(Message):
            async def handle_RCPT(
                self, server: Any, session: Any, envelope: Any, address: str, options: Any
            ) -> str:
                if address.startswith("refused@"):
                    return "550 5.1.1 No such mailbox"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            def handle_message(self, message: Any) -> None:
                inbox.received.append(message)

        self.port = free_port()  # the controller needs a port named
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    kept = Inbox()
    kept.controller.start()
    yield kept
    kept.controller.stop()


def test_mail_goes_through_smtp_when_configured(db_url: str, inbox: Inbox) -> None:
    outbox = SmtpOutbox(f"smtp://127.0.0.1:{inbox.port}?from=desk@example.com")
    app = create_app(db_url, outbox)
    with TestClient(app, base_url="http://127.0.0.1") as api:
        auth = bearer(login(api))
        robin = new_guardian(db_url)
        assert act(api, auth, robin, "invitation", email=ROBIN).status_code == 200
        [message] = inbox.received
        assert message["To"] == ROBIN and message["From"] == "desk@example.com"
        assert "invited to the customer portal" in message["Subject"]
        code = code_in(message.get_payload(decode=True).decode())
        assert accept(api, code).status_code == 200
    app.state.engine.dispose()
    assert filed(default_folder()) == []


def test_when_mail_cannot_go_nothing_changes(db_url: str) -> None:
    app = create_app(db_url, SmtpOutbox(f"smtp://127.0.0.1:{free_port()}"))
    with TestClient(app, base_url="http://127.0.0.1") as api:
        auth = bearer(login(api))
        robin = new_guardian(db_url)
        failed = act(api, auth, robin, "invitation", email=ROBIN)
        assert failed.status_code == 503
        assert failed.json()["error"]["code"] == "mail_failed"
        assert "Retry-After" in failed.headers
        assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.NONE
    app.state.engine.dispose()


def test_each_action_fits_only_where_the_guardian_stands(
    api: TestClient, auth: dict[str, str], db_url: str
) -> None:
    """Accepted (Sam): no invitation to send; pending (Robin, once invited): no password to
    reset; never invited: nothing to revoke. Each refusal changes nothing and mails no one."""
    sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
    assert sam_id is not None
    robin = new_guardian(db_url)
    jordan_id = user_row(db_url, DEMO_EMAIL).guardian_id

    def listed(guardian_id: int | None) -> list[str]:
        return list(guardian_of(api, auth, guardian_id or 0)["actions"])

    assert listed(jordan_id) == []
    assert listed(sam_id) == ["reset_password", "revoke", "allow_payments"]
    assert listed(robin) == ["send_invite"]
    assert act(api, auth, robin, "revoke").status_code == 422
    assert act(api, auth, robin, "password-reset").status_code == 422
    refused = act(api, auth, sam_id, "invitation", email="sam@example.org")
    assert refused.status_code == 422 and "already signs in" in refused.json()["error"]["message"]
    assert act(api, auth, robin, "invitation", email=ROBIN).status_code == 200
    assert listed(robin) == ["resend_invite", "revoke"]
    assert act(api, auth, robin, "password-reset").status_code == 422
    assert [m.to for m in filed(default_folder())] == [ROBIN]
    assert act(api, auth, robin, "revoke").status_code == 200
    assert listed(robin) == ["send_invite"]
    assert act(api, auth, robin, "revoke").status_code == 422
    assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 200


def test_an_address_the_mail_server_refuses_is_said_under_it(db_url: str, inbox: Inbox) -> None:
    app = create_app(db_url, SmtpOutbox(f"smtp://127.0.0.1:{inbox.port}"))
    with TestClient(app, base_url="http://127.0.0.1") as api:
        auth = bearer(login(api))
        robin = new_guardian(db_url)
        refused = act(api, auth, robin, "invitation", email="refused@example.com")
        assert refused.status_code == 422, refused.text
        assert "refused this address" in refused.json()["error"]["fields"]["email"]
        assert guardian_of(api, auth, robin)["login_access"] == LoginAccess.NONE
    app.state.engine.dispose()
    assert inbox.received == []


def test_a_revoke_stands_when_its_notices_cannot_go(db_url: str) -> None:
    app = create_app(db_url, SmtpOutbox(f"smtp://127.0.0.1:{free_port()}"))
    with TestClient(app, base_url="http://127.0.0.1") as api:
        auth = bearer(login(api))
        sam_id = user_row(db_url, DEMO_SECONDARY_EMAIL).guardian_id
        assert sam_id is not None
        assert act(api, auth, sam_id, "revoke").status_code == 200
        assert guardian_of(api, auth, sam_id)["login_access"] == LoginAccess.INVITE_REVOKED
        assert sign_in(api, DEMO_SECONDARY_EMAIL, DEMO_PASSWORD) == 401
    app.state.engine.dispose()


def test_forgot_password_sends_a_user_a_few_codes_a_day_at_most(
    moment: Clock, api: TestClient
) -> None:
    for _ in range(CODES_A_DAY + 2):
        answer = api.post("/api/v1/auth/password-reset", json={"email": DEMO_SECONDARY_EMAIL})
        assert answer.status_code == 202
        moment.move(minutes=3)
    assert len(filed(default_folder())) == CODES_A_DAY
    moment.move(days=1)
    assert (
        api.post("/api/v1/auth/password-reset", json={"email": DEMO_SECONDARY_EMAIL}).status_code
        == 202
    )
    assert len(filed(default_folder())) == CODES_A_DAY + 1


def test_smtp_needs_starttls_off_loopback() -> None:
    assert all(_loopback(host) for host in ("127.0.0.1", "::1", "localhost"))
    assert not any(_loopback(host) for host in ("mail.example.com", "192.0.2.7"))
