"""Per-laptop state that is never synced (settings such as the current user)."""

from __future__ import annotations

from sqlmodel import Field

from db.table import Table
from db.types import JSONText


class LocalSetting(Table, table=True):
    __tablename__ = "local_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: dict | list | str | int | float | bool | None = Field(default=None, sa_type=JSONText)
