"""The business, its settings and locations."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal_tui.server import tables
from portal_tui.server.errors import Invalid
from portal_tui.wire.settings import BusinessOut, BusinessSettings, LocationOut

BUSINESS_FIELDS = ("name", "currency", "currency_symbol", "time_zone")
"""Settings kept as columns of the business rather than in its settings document."""


def get_business(*, db: Session) -> tables.Business:
    business = db.scalar(select(tables.Business).limit(1))
    if business is None:
        raise RuntimeError("The database has no business: run `portal-server seed-demo`.")
    return business


def settings_of(business: tables.Business) -> BusinessSettings:
    return BusinessSettings.model_validate(business.settings)


def get_settings(*, db: Session) -> BusinessSettings:
    return settings_of(get_business(db=db))


def business_out(*, db: Session) -> BusinessOut:
    business = get_business(db=db)
    return BusinessOut(
        name=business.name,
        currency=business.currency,
        currency_symbol=business.currency_symbol,
        time_zone=business.time_zone,
        settings=BusinessSettings.model_validate(business.settings),
        version=business.version,
    )


def set_setting(*, db: Session, name: str, value: str) -> None:
    """Set one setting from its text form (as `portal-server settings set` gets it)."""
    business = get_business(db=db)
    if name in BUSINESS_FIELDS:
        setattr(business, name, _business_field(name, value))
        return
    if name not in BusinessSettings.model_fields:
        raise Invalid(f"Unknown setting {name!r}.", fields={"name": "unknown setting"})
    merged: dict[str, Any] = {**business.settings, name: _parse(value)}
    try:
        settings = BusinessSettings.model_validate(merged)
    except ValueError as exc:
        raise Invalid(f"Not a valid value for {name}.", fields={name: str(exc)}) from exc
    business.settings = settings.model_dump(mode="json")


def _business_field(name: str, value: str) -> str:
    """`value` checked for the business column `name`."""
    value = value.strip()
    problem = ""
    if name == "name" and not 1 <= len(value) <= 200:
        problem = "must be 1 to 200 characters"
    elif name == "currency" and not (len(value) == 3 and value.isalpha() and value.isupper()):
        problem = "must be a three-letter ISO 4217 code such as USD"
    elif name == "currency_symbol" and not 1 <= len(value) <= 4:
        problem = "must be 1 to 4 characters"
    elif name == "time_zone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            problem = "must be an IANA time zone such as America/Chicago"
    if problem:
        raise Invalid(f"Not a valid value for {name}: it {problem}.", fields={name: problem})
    return value


def _parse(value: str) -> Any:
    lowered = value.strip().lower()
    if lowered in ("true", "on", "yes"):
        return True
    if lowered in ("false", "off", "no"):
        return False
    try:
        return int(lowered)
    except ValueError:
        return value


def list_locations(*, db: Session) -> list[LocationOut]:
    rows = db.scalars(select(tables.Location).order_by(tables.Location.name))
    return [
        LocationOut(id=loc.id, name=loc.name, address=loc.address, version=loc.version)
        for loc in rows
    ]


def require_location(*, db: Session, location_id: int) -> tables.Location:
    location = db.get(tables.Location, location_id)
    if location is None:
        raise Invalid("That location does not exist.", fields={"location_id": "unknown location"})
    return location
