"""The two guards every use case starts with: the record it acts on must exist and not be
soft-deleted, and the acting user must be a live profile. One place, so the Dutch messages and
the rule (a deleted row is gone for the user) stay the same everywhere."""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol, TypeVar

from db.errors import NotFound, RuleViolation
from db.models import AppUser

T = TypeVar("T")


class _Getter(Protocol):
    """A UnitOfWork or a Session: both have get(model, id)."""

    def get(self, model: Any, record_id: Any, /) -> Any: ...


def live(source: _Getter, model: type[T], record_id: str | None, message: str) -> T:
    """The `model` row with `record_id`; NotFound(message) when it is missing or deleted."""
    row: T | None = source.get(model, record_id) if record_id else None
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFound(message)
    return row


def acting_user(source: _Getter, user_id: str | None) -> AppUser:
    """The live profile of the user acting; RuleViolation when there is none."""
    user: AppUser | None = source.get(AppUser, user_id) if user_id else None
    if user is None or user.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return user


def provider_name(conn: sqlite3.Connection, provider_id: str) -> str:
    """The name of a provider, read over a raw read-only connection (the fast read paths);
    NotFound when there is no such provider."""
    row = conn.execute("SELECT name FROM provider WHERE id = ?", (provider_id,)).fetchone()
    if row is None:
        raise NotFound("Deze zorgaanbieder bestaat niet (meer).")
    return str(row[0])
