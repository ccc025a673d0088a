"""Password hashing (argon2) and opaque session tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the email is unknown, so both cost the same."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def hash_demo_password(password: str) -> str:
    """A deliberately cheap argon2 hash, for the public demo password only.

    Demo and benchmark databases start often; their one well-known password needs no
    protection, and a cheap hash keeps seeding and each demo sign-in fast. `verify_password`
    reads the cost from the hash, so the same check serves both.
    """
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; with no hash, spend the same time and say no."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """A fresh opaque token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
