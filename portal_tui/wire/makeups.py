"""Makeups: makeup tokens by location and state, the sessions a makeup may book, and booking one
with a token or by request."""

from __future__ import annotations

from datetime import date

from pydantic import Field, StrictInt

from portal_tui.wire.common import Id, LocalTime, RequestModel, Version, WireModel
from portal_tui.wire.students import EnrollmentStatus, MakeupTokenStatus


class ClassSessionOut(WireModel):
    """One meeting of a class, on its local date and times in the business's time zone."""

    id: Id
    class_id: Id
    class_name: str
    instructor: str
    location_id: Id
    location_name: str
    day: date
    start_time: LocalTime
    end_time: LocalTime


class OpenSessionOut(ClassSessionOut):
    """A session a makeup may book, with the seats still open in it."""

    open_seats: StrictInt = Field(ge=1)


class MakeupOut(WireModel):
    """A makeup enrollment: the one session it is for, and the token it spent (if any)."""

    enrollment_id: Id
    session: ClassSessionOut
    status: EnrollmentStatus
    makeup_token_id: Id | None


class MakeupTokenOut(WireModel):
    """A makeup token: where it may be used, until when, and the makeup it was applied to."""

    id: Id
    location_id: Id
    location_name: str
    status: MakeupTokenStatus
    """As stored; an available token past its expiry date is listed with the expired ones."""
    issued_on: date
    expires_on: date
    reason: str
    makeup: MakeupOut | None
    """The makeup class the token was applied to (pending and spent tokens)."""
    version: Version


class MakeupTokensOut(WireModel):
    """A student's tokens in the portal's five groups, each sorted by nearest expiry."""

    location_id: Id | None
    """The selected location "current" means (None: no location chosen, all are current)."""
    current: list[MakeupTokenOut]
    """Current Location Tokens: available at the selected location."""
    other_locations: list[MakeupTokenOut]
    """Tokens Available in Other Locations."""
    pending: list[MakeupTokenOut]
    """Pending Makeup Tokens: applied to a makeup not yet held."""
    expired: list[MakeupTokenOut]
    """Expired Makeup Tokens: expired, or available past their expiry date."""
    spent: list[MakeupTokenOut]
    """Spent Makeup Tokens."""


class MakeupsOut(WireModel):
    """A student's makeup enrollments: those still to come and those already held."""

    upcoming: list[MakeupOut]
    past: list[MakeupOut]


class UseMakeupToken(RequestModel):
    """Book a makeup with a token ("Use Makeup Token"), naming the token's version."""

    version: Version
    class_session_id: Id


class MakeupRequest(RequestModel):
    """Book a makeup without a token ("Request a Makeup")."""

    class_session_id: Id
