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
    """Base for every wire model: unknown fields are refused, instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorDetail(WireModel):
    """The body of every error response; it never echoes submitted values."""

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
