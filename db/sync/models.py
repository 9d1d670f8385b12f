"""Local op-log tables (SYNC-NOTES.md §8). Written in the same transaction as business rows."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from db.types import JSONText


class SyncOp(SQLModel, table=True):
    """One operation: a create / update / delete of one record, or an append-only fact."""

    __tablename__ = "sync_op"
    __table_args__ = (UniqueConstraint("origin_id", "origin_seq"),)

    op_id: str = Field(primary_key=True, max_length=36)
    origin_id: str = Field(max_length=36, index=True)
    origin_seq: int
    hlc: str = Field(max_length=40, index=True)  # sortable text, see db.sync.hlc
    author_id: str | None = Field(default=None, max_length=36)
    kind: str = Field(max_length=10)  # create / update / delete
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=36, index=True)
    payload: dict = Field(default_factory=dict, sa_type=JSONText)  # field -> encoded value
    prev_op_id: str | None = Field(default=None, max_length=36)
    pushed: bool = Field(default=False, index=True)


class SyncMeta(SQLModel, table=True):
    """Key/value state of this replica: origin id, last HLC, next sequence number."""

    __tablename__ = "sync_meta"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(max_length=200)
