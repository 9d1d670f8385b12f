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

__all__ = ["DatabaseOpenError", "NotFound", "RuleViolation", "UserFacingError",
           "ValidationError", "ValidationErrors"]
