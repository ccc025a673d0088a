"""The outbox: where the server's mail goes. SMTP when an operator configures it
(`--smtp-url`), otherwise files in a folder that `portal-server outbox` lists.

A mail that carries a code (an invitation, a password reset) is sent inside the request that
makes the code, as its last step before the commit: when it cannot be sent the request fails
and keeps nothing, so no code waits on a mail that never went (and a code whose commit then
fails is merely not valid). A notice of a change (access revoked) is sent after the commit,
best-effort (`send_quietly`), so the change never depends on the mail.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import smtplib
import ssl
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import platformdirs

from portal_tui.server.errors import Invalid, RetryLater

logger = logging.getLogger(__name__)

DEFAULT_SENDER = "Customer Portal <portal@localhost>"
SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Mail:
    """One plain-text message to one address."""

    to: str
    subject: str
    body: str


class MailRefused(Invalid):
    """The mail server refused the address: trying again will not help."""

    code = "mail_refused"

    def __init__(self) -> None:
        message = "The mail server refused this address. Check it, or use another."
        super().__init__(message, fields={"email": message})


class MailFailed(RetryLater):
    """The mail could not be handed on: the request that wanted it changed nothing."""

    code = "mail_failed"
    status = 503

    def __init__(self) -> None:
        super().__init__(
            "The email could not be sent just now, so nothing was changed. Try again later.",
            retry_after=60,
        )


class Outbox(Protocol):
    """Sends mail or raises MailFailed (or MailRefused); says where mail goes as `str()`."""

    def send(self, mail: Mail) -> None: ...


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = datetime.now(UTC)
    message["Message-ID"] = f"<{uuid.uuid4().hex}@portal>"
    message.set_content(mail.body)
    return message


class FolderOutbox:
    """Each message a file (`.eml`) in `folder`, named so that names sort by time."""

    def __init__(self, folder: Path, sender: str = DEFAULT_SENDER) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, mail: Mail) -> None:
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}Z-{uuid.uuid4().hex[:8]}.eml"
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # the codes in it are secrets: readable by the server's user only
            file = os.open(self.folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(file, "wb") as out:
                out.write(bytes(_message(mail, self.sender)))
        except OSError as exc:
            logger.warning("Mail could not be filed in %s: %s", self.folder, exc.strerror)
            raise MailFailed() from exc

    def __str__(self) -> str:
        return f"files in {self.folder} (no SMTP server configured)"


class SmtpOutbox:
    """An SMTP server: `smtp://[user:password@]host[:port][?from=address]` (STARTTLS when the
    server offers it; certificates verified) or `smtps://…` (TLS from the start)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("An SMTP URL looks like smtp://user:password@host:587")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = parse_qs(parts.query).get("from", [DEFAULT_SENDER])[0]

    def __str__(self) -> str:
        return f"SMTP at {self.host}:{self.port}"

    def send(self, mail: Mail) -> None:
        context = ssl.create_default_context()
        try:
            if self.tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS, context=context
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
            with client:
                if not self.tls:
                    client.ehlo()
                    if client.has_extn("starttls"):
                        client.starttls(context=context)
                    elif not _loopback(self.host):  # codes and passwords never go in clear
                        raise smtplib.SMTPNotSupportedError("the server offers no STARTTLS")
                if self.user is not None:
                    client.login(self.user, self.password or "")
                client.send_message(_message(mail, self.sender))
        except smtplib.SMTPRecipientsRefused as exc:
            logger.warning("The mail server %s refused a recipient.", self)
            raise MailRefused() from exc
        except (OSError, smtplib.SMTPException) as exc:
            # the kind of failure and the server's reply code, never the address or the body
            reply = getattr(exc, "smtp_code", "")
            logger.warning(
                "Mail could not be sent through %s: %s %s", self, type(exc).__name__, reply
            )
            raise MailFailed() from exc


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def send_quietly(outbox: Outbox, mail: Mail) -> None:
    """Send a notice after the request's commit; a failure is already logged, and the change
    it tells of stands."""
    try:
        outbox.send(mail)
    except (MailFailed, MailRefused):
        pass


def default_folder() -> Path:
    """`PORTAL_OUTBOX`, or `outbox` in the server's user data directory."""
    configured = os.environ.get("PORTAL_OUTBOX")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_data_dir("portal-server", appauthor=False)) / "outbox"


def outbox_for(smtp_url: str | None = None, folder: Path | None = None) -> Outbox:
    """SMTP at `smtp_url`; else the folder outbox at `folder`; else, as configured by the
    environment, SMTP at `PORTAL_SMTP_URL` or the default folder. What is given beats the
    environment (the demo's folder is never swapped for a real mail server)."""
    if smtp_url:
        return SmtpOutbox(smtp_url)
    if folder is not None:
        return FolderOutbox(folder)
    configured = os.environ.get("PORTAL_SMTP_URL")
    return SmtpOutbox(configured) if configured else FolderOutbox(default_folder())


@dataclass(frozen=True)
class Filed:
    """A message in the folder outbox, as `portal-server outbox` lists it."""

    path: Path
    sent: str
    to: str
    subject: str
    body: str


def filed(folder: Path) -> list[Filed]:
    """The folder's messages, the newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), reverse=True):
        with path.open("rb") as file:
            message = BytesParser(policy=default_policy).parse(file)
        part = message.get_body(preferencelist=("plain",))
        body = part.get_content() if part is not None else ""
        found.append(
            Filed(path, str(message["Date"]), str(message["To"]), str(message["Subject"]), body)
        )
    return found
