"""Errors with a Dutch message the user can act on (STYLE.md: errors are values). Re-exported
as `db.errors`, the name most code uses."""

from __future__ import annotations


class UserFacingError(Exception):
    """Base: `message` is Dutch and shown to the user as-is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserFacingError):
    """Invalid input. `field` names the form field the message belongs next to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationErrors(UserFacingError):
    """Several invalid fields at once (a whole form). Each item is a ValidationError."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors

    @property
    def by_field(self) -> dict[str, str]:
        return {e.field: e.message for e in self.errors}


class DatabaseOpenError(UserFacingError):
    """The database cannot be opened (missing folder, not a database, newer version...)."""


class RuleViolation(UserFacingError):
    """A business rule refuses the action (vier-ogen, ceiling, state machine...)."""


class NotFound(UserFacingError):
    pass
