"""The columns every syncable record carries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field

from db.table import Table
from db.types import UTCDateTime, utcnow


def new_id() -> str:
    """Random UUID as text: ids are minted on any laptop without coordination."""
    return str(uuid.uuid4())


class Record(Table):
    """Mixin for syncable tables: UUID key, UTC timestamps, soft delete.

    Users never hard-delete: `deleted_at` is the tombstone (ARCHITECTURE.md "Data").
    """

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
