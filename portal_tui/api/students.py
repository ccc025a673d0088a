"""One student's endpoints (/families/{id}/students/{id}/…) and the actions on their records.

Each feature of the Students tab has its section here; every method returns wire models.
"""

from __future__ import annotations

from portal_tui.api.http import PortalHttp


class StudentApi:
    """One student of the open family, reached through `FamilyApi.student(id)`."""

    def __init__(self, http: PortalHttp, family_path: str, student_id: int) -> None:
        self.http = http
        self.id = student_id
        self.family_path = family_path
        """/families/{id}: actions on a record (an enrollment, a token…) are addressed here."""
        self.path = f"{family_path}/students/{student_id}"

    # Enrollments (S2)

    # Evaluations and attendance (S3, S4)

    # Makeups (S5)

    # Future absences (S6)

    # Check-in code (S7)

    # Punch passes (S8)
