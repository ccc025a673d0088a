"""Sign-in, sessions and the signed-in user."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field, SecretStr

from portal_tui.wire.common import Id, RequestModel, WireModel


class Role(StrEnum):
    GUARDIAN = "guardian"
    STAFF = "staff"
    MANAGER = "manager"


class LoginRequest(RequestModel):
    email: str = Field(min_length=3, max_length=254)
    password: SecretStr = Field(min_length=1, max_length=1024)


class UserOut(WireModel):
    """The signed-in user: a guardian of one family, or staff."""

    id: Id
    email: str
    display_name: str
    role: Role
    family_id: int | None = None
    family_name: str | None = None
    guardian_id: int | None = None
    is_primary: bool = False
    can_make_payments: bool = False


class LoginResult(WireModel):
    token: str
    expires_at: AwareDatetime
    user: UserOut
