"""What every form that sets a password shares: the new password, checked as it is typed by
the server's own rule (length and strength), and the same password again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.widgets import Input

from portal_tui.widgets.form import FormField, FormScreen, LibraryCheck
from portal_tui.wire.security import password_problem

RequestT = TypeVar("RequestT")
ResultT = TypeVar("ResultT")


def secret_input(id: str, *validators: LibraryCheck) -> Input:
    return Input(password=True, id=id, compact=True, validators=list(validators))


class NewPasswordForm(FormScreen[RequestT, ResultT]):
    """A form with a new password (its id `NEW`, the request's field name) and its repeat;
    `about_user` are the words of the user's own details, counted as easy to guess."""

    NEW: ClassVar[str] = "new_password"
    about_user: Sequence[str] = ()

    def new_password_fields(self, label: str = "New password") -> ComposeResult:
        new = secret_input(self.NEW, LibraryCheck(self._strong_enough))
        yield FormField(label, new, name=self.NEW)
        again = secret_input("confirm_password", LibraryCheck(self._same_as_new))
        yield FormField(f"{label} again", again, name="confirm_password")

    @property
    def new_password(self) -> str:
        return self.query_one(f"#{self.NEW}", Input).value

    def _strong_enough(self, typed: str) -> None:
        problem = password_problem(typed, about_user=self.about_user) if typed else "Required."
        if problem is not None:
            raise ValueError(problem)

    def _same_as_new(self, typed: str) -> None:
        if typed != self.new_password:
            raise ValueError("Type the same password again.")

    def on_input_changed(self, event: Input.Changed) -> None:
        """A changed new password is compared again with what was typed as its repeat."""
        super().on_input_changed(event)
        again = self.query_one("#confirm_password", Input)
        if event.input.id == self.NEW and again.value:
            result = again.validate(again.value)
            errors = [] if result is None else result.failure_descriptions
            self.fields()["confirm_password"].show_error("; ".join(errors) or None)

    def values(self, *ids: str) -> dict[str, Any]:
        """The typed values of the Inputs with these ids, by id."""
        return {id: self.query_one(f"#{id}", Input).value for id in ids}
