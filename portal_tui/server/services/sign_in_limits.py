"""Limits on failed sign-ins: per account, and per client address.

An account whose password is given wrong `login_max_failures` times in a row is locked for
`login_lock_minutes`: until then even its right password is refused with the same answer, after
the same hash check, so a locked account looks like any wrong password (and an unknown email
like either). An account's failures are never slowed: a slower answer would tell an existing
account from an unknown email. A success sets its count back to 0.

A client address's failed sign-ins, for any email known or not, count while each comes within
`login_lock_minutes` of the one before. From a third of `login_address_max_failures` on, each
next try must wait twice as long as the one before (1 s, 2 s, ... up to a minute); at the
limit the address is locked out for `login_lock_minutes`. A try that comes too early is
answered 429 with Retry-After at once, before any hash check: it holds no thread, connection
or sign-in turn, as a delayed answer would (see `address_wait`). A setting of 0 turns its
limit off.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.coltypes import UTCDateTime
from portal_tui.wire.settings import BusinessSettings

LONGEST_WAIT_SECONDS = 60
"""The longest wait between tries from an address that is slowed but not yet locked out."""


def account_locked(user: tables.User, settings: BusinessSettings, now: datetime) -> bool:
    """Locked by its failures, while account locks are on."""
    return settings.login_max_failures > 0 and (
        user.locked_until is not None and user.locked_until > now
    )


def count_account_failure(
    *, db: Session, user: tables.User, settings: BusinessSettings, now: datetime
) -> None:
    """One more wrong password; the one that reaches the limit locks the account and starts
    its count again. One statement, so that failures at the same moment all count."""
    limit = settings.login_max_failures
    if limit == 0:
        return
    reached = tables.User.failed_logins + 1 >= limit
    until = literal(now + timedelta(minutes=settings.login_lock_minutes), UTCDateTime())
    db.execute(
        update(tables.User)
        .where(tables.User.id == user.id)
        .values(
            failed_logins=case((reached, 0), else_=tables.User.failed_logins + 1),
            locked_until=case((reached, until), else_=tables.User.locked_until),
        )
        .execution_options(synchronize_session=False)
    )


def reset_account(*, db: Session, user: tables.User) -> None:
    """A success: no failures, no lock."""
    if user.failed_logins or user.locked_until is not None:
        db.execute(
            update(tables.User)
            .where(tables.User.id == user.id)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )


def counted_as(address: str) -> str:
    """The address failures are counted under: an IPv6 address by its /64 network (one
    customer's whole allotment), any other as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def address_wait(*, db: Session, address: str, settings: BusinessSettings, now: datetime) -> int:
    """Seconds before `address` may try again (0: now)."""
    limit = settings.login_address_max_failures
    lock = timedelta(minutes=settings.login_lock_minutes)
    row = db.get(tables.SignInFailures, counted_as(address)) if limit else None
    if row is None or row.last_failed_at + lock <= now:
        return 0
    free = limit // 3
    if row.failures >= limit:
        wait = lock
    elif row.failures >= free:
        wait = timedelta(seconds=min(2 ** (row.failures - free), LONGEST_WAIT_SECONDS))
    else:
        return 0
    return max(0, math.ceil((row.last_failed_at + wait - now).total_seconds()))


def count_address_failure(
    *, db: Session, address: str, settings: BusinessSettings, now: datetime
) -> None:
    """One more failure from `address`. Counts whose latest failure is older than the lock
    time are removed first, this address's too (its count starts again): every sign-in
    removes them in the same order, so two at once wait for each other but never deadlock."""
    if settings.login_address_max_failures == 0:
        return
    table = tables.SignInFailures
    stale = now - timedelta(minutes=settings.login_lock_minutes)
    db.execute(
        delete(table)
        .where(table.last_failed_at <= stale)
        .execution_options(synchronize_session=False)
    )
    statement: Any = _insert(db)(table).values(
        address=counted_as(address), failures=1, last_failed_at=now
    )
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[table.address],
            set_={"failures": table.failures + 1, "last_failed_at": now},
        )
    )


def _insert(db: Session) -> Any:
    """The INSERT of the session's database, which can update the row it collides with."""
    return postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
