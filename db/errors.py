"""Errors with a Dutch message the user can act on (STYLE.md: errors are values). They live on
the ground floor (`common.errors`, so `forms` and identifier validation can raise them); this
name stays, the classes are the same objects."""

from common.errors import (
    DatabaseOpenError,
    NotFound,
    RuleViolation,
    UserFacingError,
    ValidationError,
    ValidationErrors,
)

__all__ = [
    "DatabaseOpenError",
    "NotFound",
    "RuleViolation",
    "UserFacingError",
    "ValidationError",
    "ValidationErrors",
    "storage_problem",
]


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
            isinstance(current, OSError) and current.errno == errno.ENOSPC
        ):
            return (
                "De schijf is vol: de wijziging kon niet worden opgeslagen en er is niets "
                "veranderd. Maak ruimte vrij op de schijf en probeer het opnieuw."
            )
        if "attempt to write a readonly database" in text:
            return (
                "De database is alleen-lezen: er is niets opgeslagen. Controleer of u "
                "schrijfrechten hebt op het databasebestand en de map."
            )
        if "database is locked" in text:
            return (
                "De database is bezet door een ander programma: er is niets opgeslagen. "
                "Probeer het over een ogenblik opnieuw."
            )
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return None
