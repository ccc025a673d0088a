"""Every table of the reference server. Tables are the server's own; they never cross the wire."""

from portal_tui.server.tables.base import Base
from portal_tui.server.tables.business import AuditEntry, Business, Location, StaffRole
from portal_tui.server.tables.classes import (
    Attendance,
    ClassSession,
    Enrollment,
    Evaluation,
    FutureAbsence,
    Level,
    MakeupToken,
    Punch,
    PunchPass,
    SchoolClass,
    Skill,
)
from portal_tui.server.tables.contacts import Address, Email, Phone
from portal_tui.server.tables.money import (
    LedgerAmount,
    LedgerEntry,
    LedgerTotal,
    PaymentAllocation,
    PaymentMethod,
    RecurringAuthorization,
)
from portal_tui.server.tables.people import (
    Family,
    Guardian,
    Invitation,
    PasswordReset,
    RecoveryCode,
    Session,
    SignInFailures,
    Student,
    User,
)

__all__ = [
    "Address",
    "Attendance",
    "AuditEntry",
    "Base",
    "Business",
    "ClassSession",
    "Email",
    "Enrollment",
    "Evaluation",
    "Family",
    "FutureAbsence",
    "Guardian",
    "Invitation",
    "LedgerAmount",
    "LedgerEntry",
    "LedgerTotal",
    "Level",
    "Location",
    "MakeupToken",
    "PasswordReset",
    "PaymentAllocation",
    "PaymentMethod",
    "Phone",
    "Punch",
    "PunchPass",
    "RecoveryCode",
    "RecurringAuthorization",
    "SchoolClass",
    "Session",
    "SignInFailures",
    "Skill",
    "StaffRole",
    "Student",
    "User",
]
