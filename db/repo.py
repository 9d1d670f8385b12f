"""The one write path for syncable records (ARCHITECTURE.md "Data").

Services change records only through a UnitOfWork: it stamps timestamps, records every change
as an operation in the local op-log in the same transaction (outbox), and commits or rolls back
as a whole. Never call `session.add` on a syncable record from anywhere else.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from db.changes import note_committed
from db.engine import Database
from db.models.base import Record
from db.models.workflow import AuditEvent
from db.sync.models import SyncMeta
from db.sync.outbox import record_op, record_ops
from db.types import utcnow

R = TypeVar("R", bound=Record)

_BOOKKEEPING = {"created_at", "updated_at"}


# Reference data loaded by the system (actor None) on every laptop gets ids derived from its
# natural key, so the same theme/region created on two laptops is one record after a sync.
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "theme": ("framework_version", "code"),
    "care_office": ("code",),
    "region": ("number",),
    "region_assignment": ("region_id", "care_office_id", "valid_from"),
}
_REFERENCE_NS = uuid.UUID("5b0c8a3e-2f7d-4c1e-9a57-6d1f0e2b7c44")


def _reference_id(obj: SQLModel) -> str | None:
    table = obj.__tablename__  # a str on every table class (declared_attr only when computed)
    keys = _NATURAL_KEYS.get(table) if isinstance(table, str) else None
    if keys is None:
        return None
    natural = "|".join(str(getattr(obj, k)) for k in keys)
    return str(uuid.uuid5(_REFERENCE_NS, f"{obj.__tablename__}|{natural}"))  # type: ignore[attr-defined]


def _columns(obj: SQLModel) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in obj.__table__.columns}  # type: ignore[attr-defined]


@cache
def _field_defaults(model: type[SQLModel]) -> dict[str, Any]:
    """Column name -> default value or zero-argument factory (None when required)."""
    from pydantic_core import PydanticUndefined

    out: dict[str, Any] = {}
    for col in model.__table__.columns:  # type: ignore[attr-defined]
        info = model.model_fields.get(col.name)
        if info is not None and info.default_factory is not None:
            out[col.name] = info.default_factory
        elif info is not None and info.default is not PydanticUndefined:
            out[col.name] = info.default
        else:
            out[col.name] = None
    return out


class UnitOfWork:
    """`with UnitOfWork(db, actor_id) as uow:` -- one transaction (BEGIN IMMEDIATE)."""

    def __init__(self, db: Database, actor_id: str | None) -> None:
        self.db = db
        self.actor_id = actor_id
        self.session: Session = db.write_session()
        self.changed: set[str] = set()  # entity names written in this unit of work

    def __enter__(self) -> UnitOfWork:
        self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        try:
            if exc_type is None:
                self.session.commit()
                note_committed(self.changed)
            else:
                self.session.rollback()
        finally:
            self.session.close()

    # -- reads inside the transaction ------------------------------------------------------
    def get(self, model: type[R], record_id: str) -> R | None:
        return self.session.get(model, record_id)

    def exec(self, statement: Any) -> Any:
        return self.session.exec(statement)

    # -- writes ----------------------------------------------------------------------------
    def _record(self, obj: Record, kind: str, payload: dict[str, Any]) -> None:
        """Note the table as changed and write the op that carries this change to the op-log."""
        self.changed.add(obj.__tablename__)  # type: ignore[arg-type]
        record_op(
            self.session,
            entity=obj.__tablename__,  # type: ignore[arg-type]
            entity_id=obj.id,
            kind=kind,
            payload=payload,
            author_id=self.actor_id,
        )

    def add(self, obj: R) -> R:
        """Insert a new record (also used for append-only facts such as review events)."""
        now = utcnow()
        obj.created_at = now
        obj.updated_at = now
        if self.actor_id is None:
            obj.id = _reference_id(obj) or obj.id
        self.session.add(obj)
        self.session.flush()
        payload = {k: v for k, v in _columns(obj).items() if k != "id"}
        self._record(obj, "create", payload)
        return obj

    def add_all(self, objs: Iterable[R]) -> list[R]:
        """Insert many new records (fresh ids) with one flush; one create op per record,
        same transaction -- the same result as calling `add` for each."""
        items = list(objs)
        if not items:
            return items
        now = utcnow()
        for obj in items:
            obj.created_at = now
            obj.updated_at = now
        self.session.add_all(items)
        self.session.flush()
        self._record_creates([(obj.__tablename__, _columns(obj)) for obj in items])  # type: ignore[misc]
        return items

    def insert_rows(self, model: type[Record], rows: Sequence[dict[str, Any]]) -> int:
        """Bulk insert of new records given as column dicts (demo data, CSV import).

        Builds no ORM objects (constructing SQLModel instances costs ~0.5 ms each, too slow
        for 100,000 demo rows): missing fields get the model's defaults, `created_at` and
        `updated_at` are stamped, the rows go in with one executemany and every row still
        gets its create op in the op-log, in this transaction. Returns the number of rows.
        """
        if not rows:
            return 0
        now = utcnow()
        defaults = _field_defaults(model)
        full = []
        for row in rows:
            unknown = row.keys() - defaults.keys()
            if unknown:
                raise AttributeError(f"{model.__name__} has no field(s) {sorted(unknown)}")
            values = {}
            for name, default in defaults.items():
                if name in row:
                    values[name] = row[name]
                elif callable(default):
                    values[name] = default()
                else:
                    values[name] = default
            values["created_at"] = now
            values["updated_at"] = now
            full.append(values)
        self.session.execute(insert(model.__table__), full)  # type: ignore[attr-defined]
        self._record_creates([(model.__tablename__, v) for v in full])  # type: ignore[misc]
        return len(full)

    def _record_creates(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        # The rows are written already; their ops are recorded and applied as one batch.
        self.changed.update(entity for entity, _ in records)
        specs = [
            {
                "entity": entity,
                "entity_id": values["id"],
                "kind": "create",
                "payload": {k: v for k, v in values.items() if k != "id"},
                "author_id": self.actor_id,
            }
            for entity, values in records
        ]
        # Hold the replica's clock rows while recording: the identity map is weak, and an
        # unreferenced row would be reloaded from the database for every single op.
        keep = [self.session.get(SyncMeta, key) for key in ("origin_id", "hlc", "next_seq")]
        with self.session.no_autoflush:
            record_ops(self.session, specs)
        self.session.flush()
        del keep

    def update(self, obj: R, **changes: Any) -> R:
        """Set fields; records only the fields whose value really changed."""
        columns = {c.name for c in obj.__table__.columns}  # type: ignore[attr-defined]
        changed: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in columns or name in _BOOKKEEPING or name == "id":
                raise AttributeError(f"{type(obj).__name__} has no writable field {name!r}")
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                changed[name] = value
        if changed:
            obj.updated_at = utcnow()
            changed["updated_at"] = obj.updated_at
            self.session.add(obj)
            self.session.flush()
            self._record(obj, "update", changed)
        return obj

    def delete(self, obj: R) -> R:
        """Soft delete: a tombstone, never a hard delete."""
        now = utcnow()
        obj.deleted_at = now
        obj.updated_at = now
        self.session.add(obj)
        self.session.flush()
        self._record(obj, "delete", {"deleted_at": now, "updated_at": now})
        return obj

    def audit(self, action: str, obj: Record, **details: Any) -> AuditEvent:
        """A notable step (submitted, completed, definitive...) for the audit view."""
        event = AuditEvent(
            actor_id=self.actor_id,
            entity=obj.__tablename__,  # type: ignore[arg-type]
            entity_id=obj.id,
            action=action,
            details=details,
        )
        return self.add(event)
