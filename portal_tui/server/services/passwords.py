"""Change Password: the current password proves it is the user; the new one must be strong
enough (wire.security); every other session of the user ends, the current one carries on."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal_tui.server import security
from portal_tui.server.errors import Invalid
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services.access import Caller
from portal_tui.wire.security import PasswordChange, PasswordChanged, password_problem, words_of


def change_password(*, db: Session, caller: Caller, body: PasswordChange) -> PasswordChanged:
    user = caller.user
    current = body.current_password.get_secret_value()
    new = body.new_password.get_secret_value()
    if not security.verify_password(user.password_hash, current):
        message = "The current password is not right."
        raise Invalid(message, fields={"current_password": message})
    if new == current:
        message = "The new password must differ from the current one."
        raise Invalid(message, fields={"new_password": message})
    problem = password_problem(new, about_user=words_of(user.email, user.display_name))
    if problem is not None:
        raise Invalid(problem, fields={"new_password": problem})
    user.password_hash = security.hash_password(new)
    user.version += 1
    ended = sessions_service.end_other_sessions(
        db=db, caller=caller, action="user.password_changed"
    )
    return PasswordChanged(ended_sessions=ended.ended)
