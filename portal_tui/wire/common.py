"""Building blocks shared by every resource: money, ids, text, errors, pages, meta."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)

from portal_tui.wire.text import has_control

MAX_ID = 2**31 - 1
"""The largest row id (a 32-bit integer column); anything above is refused with 422."""

Cents = Annotated[StrictInt, Field(description="An amount of money in integer cents.")]
"""Money is integer cents everywhere; strict so `false` or `1.5` is refused."""

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Count = Annotated[StrictInt, Field(ge=0, le=MAX_ID)]
"""A number of things, or an index among them (0 = the first)."""
Version = Annotated[
    StrictInt, Field(ge=1, le=MAX_ID, description="Optimistic-concurrency version.")
]

LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "format": "partial-time",
            "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
            "description": "A wall-clock time in the business's time zone, without an offset.",
        }
    ),
]
"""A class's local time of day (JSON Schema's "time" format would demand an offset)."""

T = TypeVar("T")


def _no_control(value: str) -> str:
    if has_control(value):
        raise ValueError("must not contain control characters")
    return value


PlainText = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_no_control)]
"""Text a client sends: trimmed and free of control or escape characters (bound it with Field)."""


def _lines_without_control(value: str) -> str:
    value = value.replace("\r\n", "\n")
    _no_control(value.replace("\n", ""))
    return value


NoteText = Annotated[
    str, StringConstraints(strip_whitespace=True), AfterValidator(_lines_without_control)
]
"""Text of several lines a client sends (notes): like PlainText, but line breaks are kept."""


def written(value: object) -> object:
    """A date or time arrives written out ("2026-03-12", "16:30"), never as a number."""
    if isinstance(value, int | float):
        raise ValueError("must be written out, e.g. 2026-03-12 or 16:30")
    return value


LocalDate = Annotated[
    date, BeforeValidator(written), Field(description="A local date, YYYY-MM-DD.")
]
"""A calendar date a client sends (a number such as 0 is refused, not read as 1970)."""


class WireModel(BaseModel):
    """Base for what the server sends: frozen; fields a newer server adds are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True, from_attributes=True)


class RequestModel(BaseModel):
    """Base for what a client sends: unknown fields refused; use Strict* for numbers and flags."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorDetail(WireModel):
    """The `error` of every error body; it never echoes submitted values."""

    code: str
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


class ErrorBody(WireModel):
    """Every error answer. A 409 also carries `current`: the record as it is now, in the
    shape the route returns (the client reads it as that resource's model)."""

    error: ErrorDetail
    current: dict[str, Any] | None = None


class Meta(WireModel):
    """What `GET /api/v1/meta` tells a client before it signs in."""

    server_version: str
    api_version: str
    business_name: str


class Page(WireModel, Generic[T]):
    """One page of a keyset-paged list; `next_cursor` is None on the last page."""

    items: list[T]
    next_cursor: str | None = None


OutT = TypeVar("OutT", bound=BaseModel)


@dataclass(frozen=True)
class Resource(Generic[OutT]):
    """A kind of record a family's forms add, change and delete: its endpoint, the portal's
    name for it, and its three models."""

    path: str
    """The endpoint under the family: /families/{id}/{path}."""
    noun: str
    """The portal's label: "Add {noun}"."""
    fields: type[RequestModel]
    update: type[RequestModel]
    out: type[OutT]
