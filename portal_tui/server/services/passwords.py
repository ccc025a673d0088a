"""Change Password: the current password proves it is the user; the new one must be strong
enough (wire.security); every other session of the user ends, the current one carries on.

A wrong current password is a failed sign-in: it counts towards the account's lock and the
address's limit (services/sign_in_limits) and leaves an audit row, so a stolen session cannot
guess the password without limit. While the account is locked even the right one is refused."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal_tui.server import clock, security
from portal_tui.server.errors import Invalid, TooManyAttempts
from portal_tui.server.services import business as business_service
from portal_tui.server.services import sessions as sessions_service
from portal_tui.server.services import sign_in_limits
from portal_tui.server.services.access import Caller
from portal_tui.server.services.auth import too_many
from portal_tui.wire.security import PasswordChange, PasswordChanged, password_problem, user_words

NOT_RIGHT = "The current password is not right."


class CurrentPasswordRefused(Invalid):
    """A wrong current password, whose count and audit row are kept: the route answers it
    rather than letting it roll the request's transaction back."""


def change_password(*, db: Session, caller: Caller, body: PasswordChange) -> PasswordChanged:
    user = caller.user
    settings = business_service.get_settings(db=db)
    now = clock.now()
    wait = sign_in_limits.address_wait(db=db, address=caller.address, settings=settings, now=now)
    if wait:
        raise TooManyAttempts(too_many(wait), retry_after=wait)
    current = body.current_password.get_secret_value()
    new = body.new_password.get_secret_value()
    right = security.verify_password(user.password_hash, current)
    if not right or sign_in_limits.account_locked(user, settings, now):
        if not right:
            sign_in_limits.count_account_failure(db=db, user=user, settings=settings, now=now)
        sign_in_limits.count_address_failure(
            db=db, address=caller.address, settings=settings, now=now
        )
        caller.audit(db, "user.password_change_failed")
        raise CurrentPasswordRefused(NOT_RIGHT, fields={"current_password": NOT_RIGHT})
    if new == current:
        message = "The new password must differ from the current one."
        raise Invalid(message, fields={"new_password": message})
    problem = password_problem(new, about_user=user_words(user.email, user.display_name))
    if problem is not None:
        raise Invalid(problem, fields={"new_password": problem})
    sign_in_limits.reset_account(db=db, user=user)
    user.password_hash = security.hash_password(new)  # the mapper raises its version
    ended = sessions_service.end_other_sessions(
        db=db, caller=caller, action="user.password_changed"
    )
    return PasswordChanged(ended_sessions=ended.ended)
