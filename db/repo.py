"""The one write path for syncable records (ARCHITECTURE.md "Data").

Services change records only through a UnitOfWork: it stamps timestamps, records every change
as an operation in the local op-log in the same transaction (outbox), and commits or rolls back
as a whole. Never call `session.add` on a syncable record from anywhere else.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, SQLModel

from db.engine import Database
from db.models.base import Record
from db.models.workflow import AuditEvent
from db.sync.oplog import record_op
from db.types import utcnow

R = TypeVar("R", bound=Record)

_BOOKKEEPING = {"created_at", "updated_at"}


def _columns(obj: SQLModel) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in obj.__table__.columns}  # type: ignore[attr-defined]


class UnitOfWork:
    """`with UnitOfWork(db, actor_id) as uow:` -- one transaction (BEGIN IMMEDIATE)."""

    def __init__(self, db: Database, actor_id: str | None) -> None:
        self.db = db
        self.actor_id = actor_id
        self.session: Session = db.write_session()

    def __enter__(self) -> UnitOfWork:
        self.session.begin()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
        try:
            if exc_type is None:
                self.session.commit()
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
    def add(self, obj: R) -> R:
        """Insert a new record (also used for append-only facts such as review events)."""
        now = utcnow()
        obj.created_at = now
        obj.updated_at = now
        self.session.add(obj)
        self.session.flush()
        payload = {k: v for k, v in _columns(obj).items() if k != "id"}
        record_op(
            self.session,
            entity=obj.__tablename__,  # type: ignore[arg-type]
            entity_id=obj.id,
            kind="create",
            payload=payload,
            author_id=self.actor_id,
        )
        return obj

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
            record_op(
                self.session,
                entity=obj.__tablename__,  # type: ignore[arg-type]
                entity_id=obj.id,
                kind="update",
                payload=changed,
                author_id=self.actor_id,
            )
        return obj

    def delete(self, obj: R) -> R:
        """Soft delete: a tombstone, never a hard delete."""
        now = utcnow()
        obj.deleted_at = now
        obj.updated_at = now
        self.session.add(obj)
        self.session.flush()
        record_op(
            self.session,
            entity=obj.__tablename__,  # type: ignore[arg-type]
            entity_id=obj.id,
            kind="delete",
            payload={"deleted_at": now, "updated_at": now},
            author_id=self.actor_id,
        )
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
