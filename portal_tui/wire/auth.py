"""Sign-in, sessions and the signed-in user."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, SecretStr

from portal_tui.wire.common import Id, PlainText, RequestModel, WireModel


class Role(StrEnum):
    GUARDIAN = "guardian"
    STAFF = "staff"
    MANAGER = "manager"


def encodable(secret: SecretStr) -> SecretStr:
    """A password must be UTF-8 text (a lone surrogate cannot be hashed)."""
    try:
        secret.get_secret_value().encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid text") from exc
    return secret


class LoginRequest(RequestModel):
    email: PlainText = Field(min_length=3, max_length=254)
    password: Annotated[SecretStr, AfterValidator(encodable)] = Field(min_length=1, max_length=1024)
    code: PlainText | None = Field(
        None,
        min_length=1,
        max_length=32,
        description="With two-step verification on: the authenticator app's code or a"
        " recovery code (without one, a right password is answered 401 code_required).",
    )


class UserOut(WireModel):
    """The signed-in user: a guardian of one family (their home family), or staff."""

    id: Id
    email: str
    display_name: str
    role: Role
    family_id: int | None = None
    guardian_id: int | None = None


class LoginResult(WireModel):
    token: str
    expires_at: AwareDatetime
    user: UserOut
