"""Errors with a Dutch message the user can act on (STYLE.md: errors are values)."""

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


def storage_problem(exc: BaseException) -> str | None:
    """A Dutch message for storage failures a user can act on (a full disk, a read-only or
    locked database), looking through SQLAlchemy wrappers and exception chains; else None."""
    import errno

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current).lower()
        if "database or disk is full" in text or (
                isinstance(current, OSError) and current.errno == errno.ENOSPC):
            return ("De schijf is vol: de wijziging kon niet worden opgeslagen en er is niets "
                    "veranderd. Maak ruimte vrij op de schijf en probeer het opnieuw.")
        if "attempt to write a readonly database" in text:
            return ("De database is alleen-lezen: er is niets opgeslagen. Controleer of u "
                    "schrijfrechten hebt op het databasebestand en de map.")
        if "database is locked" in text:
            return ("De database is bezet door een ander programma: er is niets opgeslagen. "
                    "Probeer het over een ogenblik opnieuw.")
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None
