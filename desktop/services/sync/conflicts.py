"""Conflicts after a sync: the competing versions of a field, and the user's resolution (recorded
as a new operation through the unit of work)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from db.engine import Database
from db.errors import NotFound, ValidationError
from db.models import ENTITIES
from db.repo import UnitOfWork
from db.sync import engine
from db.sync.models import HEAD_FIELDS_SQL
from db.sync.oplog import decode_value, hlc_parse
from db.sync.outbox import record_op
from desktop.services.sync.model import (
    ENTITY_LABELS,
    ConflictInfo,
    ConflictVersion,
)

log = logging.getLogger("desktop.services.sync")


# -- conflicts --------------------------------------------------------------------------------
def _text(value: Any) -> str:
    if value is None:
        return "(leeg)"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, indent=1)
    return str(value)


def list_conflicts(db: Database) -> list[ConflictInfo]:
    out: list[ConflictInfo] = []
    with db.read_session() as s:
        names = {r[0]: r[1] for r in s.execute(text("SELECT id, name FROM app_user"))}
        keys = s.execute(text(engine.CONFLICT_SQL)).all()
        for ent, rid, field in keys:
            rows = s.execute(
                text(
                    f"SELECT op_id, hlc, value, author_id FROM ({HEAD_FIELDS_SQL}) WHERE entity = :e "
                    "AND entity_id = :i AND field = :f ORDER BY hlc DESC, op_id DESC"
                ),
                {"e": ent, "i": rid, "f": field},
            ).all()
            versions = []
            for n, (op, hlc, raw, author) in enumerate(rows):
                value = decode_value(json.loads(raw))
                ms, _ = hlc_parse(hlc)
                versions.append(
                    ConflictVersion(
                        op,
                        value,
                        _text(value),
                        names.get(author, "?"),
                        datetime.fromtimestamp(ms / 1000, UTC),
                        n == 0,
                    )
                )
            out.append(
                ConflictInfo("field", ent, rid, field, ENTITY_LABELS.get(ent, ent), tuple(versions))
            )
        for ent, rid, kind, detail in s.execute(
            text("SELECT entity, entity_id, kind, detail FROM sync_flag ORDER BY entity, entity_id")
        ):
            out.append(
                ConflictInfo(
                    kind,
                    ent,
                    rid,
                    "deleted_at" if kind == "edit_delete" else "",
                    ENTITY_LABELS.get(ent, ent),
                    (),
                    detail,
                )
            )
    return out


def resolve_field(
    db: Database, actor_id: str | None, entity: str, entity_id: str, field: str, value: Any
) -> None:
    """Resolve a field conflict with the chosen or merged value; supersedes every version."""
    cls = ENTITIES.get(entity)
    if cls is None or field not in {c.name for c in sa_inspect(cls).columns}:
        raise ValidationError("field", "Onbekend veld.")
    _record_resolution(
        db, actor_id, cls, entity, entity_id, "update", lambda now: {field: value}, resolve=True
    )


def resolve_edit_delete(
    db: Database, actor_id: str | None, entity: str, entity_id: str, keep: bool
) -> None:
    """An edit made while someone else deleted the record: keep it (restore) or delete it."""
    cls = ENTITIES.get(entity)
    if cls is None:
        raise ValidationError("entity", "Onbekend soort gegevens.")
    # Keep: undelete, superseding every version; otherwise delete it for good.
    _record_resolution(
        db,
        actor_id,
        cls,
        entity,
        entity_id,
        "update" if keep else "delete",
        lambda now: {"deleted_at": None if keep else now},
        resolve=keep,
    )


def _record_resolution(
    db: Database,
    actor_id: str | None,
    cls: Any,
    entity: str,
    entity_id: str,
    kind: str,
    values: Callable[[datetime], dict[str, Any]],
    *,
    resolve: bool,
) -> None:
    """Record the user's resolution as one operation (with `updated_at`) in a unit of work;
    NotFound when the record is gone."""
    with UnitOfWork(db, actor_id) as uow:
        if uow.get(cls, entity_id) is None:
            raise NotFound("Het record bestaat niet meer.")
        now = datetime.now(UTC)
        record_op(
            uow.session,
            entity=entity,
            entity_id=entity_id,
            kind=kind,
            payload={**values(now), "updated_at": now},
            author_id=actor_id,
            resolve=resolve,
        )
