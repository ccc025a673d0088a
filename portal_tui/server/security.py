"""Password hashing (argon2) and opaque session tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple
from functools import cache
from typing import Any

from argon2 import Parameters, PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from portal_tui.server.errors import Busy

CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
MAX_HASHING = max(2, CPUS)
"""argon2 checks and hashes running at once, from any caller: each holds its memory cost
(64 MiB by default) and its parallelism in CPUs, so this bounds both. One more is refused
at once (503): waiting would hold a worker thread."""
_hashing = threading.BoundedSemaphore(MAX_HASHING)


@contextmanager
def _hashing_turn() -> Iterator[None]:
    """A turn to hash, or Busy (503 with Retry-After) when every turn is taken."""
    if not _hashing.acquire(blocking=False):
        raise Busy()
    try:
        yield
    finally:
        _hashing.release()


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash(fields: tuple[Any, ...]) -> str:
    """A hash of nothing anyone knows, made with the parameters `fields`: one per set."""
    with _hashing_turn():
        return PasswordHasher.from_parameters(Parameters(*fields)).hash(secrets.token_urlsafe(16))


def dummy_hash_like(stored_hash: str | None) -> str:
    """A hash costing what `stored_hash` costs to check (argon2's defaults without one), to
    check an unknown email's password against, so that it costs what a known one does."""
    try:
        return _dummy_hash(astuple(extract_parameters(stored_hash or "")))
    except InvalidHashError:
        return _dummy_hash(_default_fields())


@cache
def _default_fields() -> tuple[Any, ...]:
    return astuple(extract_parameters(_hasher().hash("")))


def hash_password(password: str) -> str:
    with _hashing_turn():
        return _hasher().hash(password)


def hash_demo_password(password: str) -> str:
    """A deliberately cheap argon2 hash, for the public demo password only.

    Demo and benchmark databases start often; their one well-known password needs no
    protection, and a cheap hash keeps seeding and each demo sign-in fast. `verify_password`
    reads the cost from the hash, so the same check serves both. Each call has its own salt.
    """
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; the check's cost is the one the hash names."""
    with _hashing_turn():
        try:
            return _hasher().verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def new_token() -> str:
    """A fresh opaque token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
