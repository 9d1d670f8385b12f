"""Local op-log tables (SYNC-NOTES.md §8). Written in the same transaction as business rows.

* `sync_op`      every operation this replica knows (own and remote), keyed by op_id.
* `sync_head`    per record: the operations not superseded by a later one on every field they
                 set (per field a multi-value register: one head = no conflict; several heads
                 with different values = a conflict). One row per operation, no value copies.
* `sync_superseded` (op, field) pairs named as predecessor by some operation; kept so that the
                 heads are a pure function of the set of operations (arrival order irrelevant).
* `sync_flag`    per record: derived problems (edit concurrent with a delete, a row that could
                 not be written because of a database constraint).
* `sync_vv`      version vector: per origin the highest contiguous sequence number applied.
* `sync_segment` every segment file name seen in (or pushed to) the shared store, with status.
* `sync_meta`    key/value state of this replica (origin id, HLC, next sequence, hub pin...).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Index, Text, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field

from db.sync.oplog import canonical
from db.sync.stored import loads, pack
from db.table import Table
from db.types import JSONText


class StoredPayload(TypeDecorator[Any]):
    """An operation's payload: the JSON object in Python, its compact stored form in the
    file (db.sync.stored; TEXT in the schema, BLOB values once compressed)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> bytes | str | None:
        return None if value is None else pack(canonical(value))

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return None if value is None else loads(value)


class SyncOp(Table, table=True):
    """One operation: a create / update / delete of one record, or an append-only fact."""

    __tablename__ = "sync_op"
    __table_args__ = (
        Index("ix_sync_op_origin_seq", "origin_id", "origin_seq"),
        # The outbox (issue 18): only the unpushed operations, in push order, so finding them
        # costs nothing however many operations this replica ever made.
        Index("ix_sync_op_unpushed", "origin_id", "origin_seq", sqlite_where=text("pushed = 0")),
    )

    op_id: str = Field(primary_key=True, max_length=36)
    origin_id: str = Field(max_length=36)
    origin_seq: int
    hlc: str = Field(max_length=40)  # "<ms:015d>.<counter:06d>", sortable as text
    author_id: str | None = Field(default=None, max_length=36)
    kind: str = Field(max_length=10)  # create / update / delete
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=36, index=True)
    payload: dict = Field(default_factory=dict, sa_type=StoredPayload)  # field -> encoded value
    # field -> [op_id, ...]: for fields in payload the operations this one supersedes; for a
    # delete also the other fields' heads it had seen (to detect edits concurrent with it).
    prev: dict = Field(default_factory=dict, sa_type=JSONText)
    prev_op_id: str | None = Field(default=None, max_length=36)  # latest op on the record seen
    pushed: bool = Field(default=False)


class SyncHead(Table, table=True):
    """The operations that still head at least one field of a record: one row per operation,
    not per field (issue 18). The fields it heads are its payload's fields less those named
    in `sync_superseded`; its value, clock and author are in `sync_op` (stored once). In the
    common case a record has one head (its create, or its create and its latest edit)."""

    __tablename__ = "sync_head"
    # WITHOUT ROWID: the primary key is the table; no second copy of the key in an index.
    __table_args__ = {"sqlite_with_rowid": False}

    entity_id: str = Field(primary_key=True, max_length=36)
    entity: str = Field(primary_key=True, max_length=40)
    op_id: str = Field(primary_key=True, max_length=36)


# The heads per field, as the old one-row-per-field table had them (for the conflict display,
# tests and debugging): entity, entity_id, field, op_id, hlc, value (JSON text), author_id.
HEAD_FIELDS_SQL = (
    "SELECT h.entity AS entity, h.entity_id AS entity_id, j.key AS field, h.op_id AS op_id, "
    "o.hlc AS hlc, op_json(o.payload) -> j.fullkey AS value, o.author_id AS author_id "
    "FROM sync_head h JOIN sync_op o ON o.op_id = h.op_id, json_each(op_json(o.payload)) j "
    "WHERE NOT EXISTS (SELECT 1 FROM sync_superseded s WHERE s.op_id = h.op_id "
    "AND s.field = j.key)"
)


class SyncSuperseded(Table, table=True):
    __tablename__ = "sync_superseded"

    op_id: str = Field(primary_key=True, max_length=36)
    field: str = Field(primary_key=True, max_length=60)


class SyncConflict(Table, table=True):
    """Fields whose heads hold more than one distinct value (kept in step by the reducer, so
    counting conflicts costs nothing however large the op-log)."""

    __tablename__ = "sync_conflict"

    entity: str = Field(primary_key=True, max_length=40)
    entity_id: str = Field(primary_key=True, max_length=36)
    field: str = Field(primary_key=True, max_length=60)


class SyncFlag(Table, table=True):
    __tablename__ = "sync_flag"

    entity: str = Field(primary_key=True, max_length=40)
    entity_id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(primary_key=True, max_length=20)  # edit_delete / unapplied
    detail: str = Field(default="")


class SyncVV(Table, table=True):
    __tablename__ = "sync_vv"

    origin_id: str = Field(primary_key=True, max_length=36)
    seq: int = 0


class SyncSegment(Table, table=True):
    __tablename__ = "sync_segment"

    name: str = Field(primary_key=True, max_length=200)  # path relative to the store root
    origin_id: str = Field(default="", max_length=36)
    first_seq: int = 0
    last_seq: int = 0
    status: str = Field(max_length=12)  # pushed / applied / quarantined
    size: int = 0
    mtime_ns: int = 0
    reason: str = Field(default="")
    at: str = Field(default="", max_length=40)


class SyncMeta(Table, table=True):
    """Key/value state of this replica: origin id, last HLC, next sequence number."""

    __tablename__ = "sync_meta"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field()
