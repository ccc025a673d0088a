"""Building blocks shared by every resource: money, errors, pages, meta."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Cents = Annotated[StrictInt, Field(description="An amount of money in integer cents.")]
"""Money is integer cents everywhere; strict so `false` or `1.5` is refused."""

Id = Annotated[StrictInt, Field(ge=1)]
Version = Annotated[StrictInt, Field(ge=1, description="Optimistic-concurrency version.")]

T = TypeVar("T")


class WireModel(BaseModel):
    """Base for what the server sends: frozen; fields a newer server adds are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, from_attributes=True)


class RequestModel(BaseModel):
    """Base for what a client sends: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorDetail(WireModel):
    """The `error` of every error body; it never echoes submitted values."""

    code: str
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


class ErrorBody(WireModel):
    error: ErrorDetail


class Meta(WireModel):
    """What `GET /api/v1/meta` tells a client before it signs in."""

    server_version: str
    api_version: str
    business_name: str


class Page(WireModel, Generic[T]):
    """One page of a keyset-paged list; `next_cursor` is None on the last page."""

    items: list[T]
    next_cursor: str | None = None
