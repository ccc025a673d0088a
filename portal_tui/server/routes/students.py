"""Add and change a family's students ("Add Student", "Edit Student")."""

from __future__ import annotations

from fastapi import APIRouter

from portal_tui.server.deps import AccessedFamily, StudentIdPath
from portal_tui.server.routes.responses import WRITE
from portal_tui.server.services import students as students_service
from portal_tui.wire.students import StudentFields, StudentOut, StudentUpdate

router = APIRouter(prefix="/families/{family_id}", tags=["students"], responses=WRITE)


@router.post("/students", response_model=StudentOut, status_code=201)
def add_student(family: AccessedFamily, body: StudentFields) -> StudentOut:
    return students_service.add_student(family, body)


@router.put("/students/{student_id}", response_model=StudentOut)
def update_student(
    family: AccessedFamily, student_id: StudentIdPath, body: StudentUpdate
) -> StudentOut:
    return students_service.update_student(family, student_id, body)
