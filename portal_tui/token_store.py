"""Session tokens in the OS keyring, keyed by server URL and email; memory where none works."""

from __future__ import annotations

SERVICE = "portal-tui"


def _key(server: str, email: str) -> str:
    return f"{server}|{email.lower()}"


def load(server: str, email: str) -> str | None:
    """The saved token, or None (also when no keyring works)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, _key(server, email))
    except KeyringError:
        return None


def save(server: str, email: str, token: str) -> bool:
    """Keep the token; False when it will not be remembered (no keyring, or a null one)."""
    import keyring
    from keyring.errors import KeyringError

    key = _key(server, email)
    try:
        keyring.set_password(SERVICE, key, token)
        return keyring.get_password(SERVICE, key) == token
    except KeyringError:
        return False


def forget(server: str, email: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, _key(server, email))
    except (PasswordDeleteError, KeyringError):
        pass
