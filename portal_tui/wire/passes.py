"""Punch passes: what a student bought, how many punches are left, and redeeming one."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field

from portal_tui.wire.common import Cents, Id, RequestModel, Version, WireModel


class PassStatus(StrEnum):
    """Whether a punch may be redeemed from a pass, and if not, why not (the first that holds
    of: used up, expired, made inactive by the business)."""

    ACTIVE = "active"
    USED_UP = "used up"
    EXPIRED = "expired"
    INACTIVE = "inactive"


class PassOut(WireModel):
    """A student's punch pass as it is now."""

    id: Id
    student_id: Id
    name: str
    punches_total: int = Field(ge=0)
    punches_used: int = Field(ge=0)
    punches_remaining: int = Field(ge=0)
    purchased_on: date
    expires_on: date | None = Field(description="None: the pass never expires")
    amount_paid_cents: Cents
    status: PassStatus
    version: Version


class RedeemPunch(RequestModel):
    """Redeem one punch from a pass ("Redeem Punch"), naming the version the user saw."""

    version: Version
