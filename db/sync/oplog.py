"""Recording operations in the local op-log (the outbox).

Every change made through db.repo.UnitOfWork lands here in the same transaction as the
business rows, so a committed change is an acknowledged, syncable operation.
"""

from __future__ import annotations

import base64
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from db.sync.models import SyncMeta, SyncOp


def encode_value(value: Any) -> Any:
    """Python value -> JSON value, losslessly for the types our tables use."""
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    return value


def decode_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        if tag == "$dec":
            return Decimal(raw)
        if tag == "$dt":
            return datetime.fromisoformat(raw)
        if tag == "$date":
            return date.fromisoformat(raw)
        if tag == "$b64":
            return base64.b64decode(raw)
    return value


def _meta(session: Session, key: str) -> SyncMeta | None:
    return session.get(SyncMeta, key)


def _set_meta(session: Session, key: str, value: str) -> None:
    row = _meta(session, key)
    if row is None:
        session.add(SyncMeta(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def origin_id(session: Session) -> str:
    row = _meta(session, "origin_id")
    if row is None:
        value = str(uuid.uuid4())
        _set_meta(session, "origin_id", value)
        return value
    return row.value


def next_hlc(session: Session, now_ms: int | None = None) -> str:
    """Hybrid logical clock: never goes backwards, persisted across restarts."""
    wall = int(time.time() * 1000) if now_ms is None else now_ms
    row = _meta(session, "hlc")
    last_ms, last_counter = (0, 0)
    if row is not None:
        ms, counter = row.value.split(".")
        last_ms, last_counter = int(ms), int(counter)
    if wall > last_ms:
        ms, counter = wall, 0
    else:
        ms, counter = last_ms, last_counter + 1
    value = f"{ms:015d}.{counter:06d}"
    _set_meta(session, "hlc", value)
    return value


def _next_seq(session: Session) -> int:
    row = _meta(session, "next_seq")
    seq = int(row.value) if row else 1
    _set_meta(session, "next_seq", str(seq + 1))
    return seq


def record_op(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    kind: str,
    payload: dict[str, Any],
    author_id: str | None,
) -> SyncOp:
    prev = session.exec(
        select(SyncOp.op_id)
        .where(SyncOp.entity == entity, SyncOp.entity_id == entity_id)
        .order_by(SyncOp.hlc.desc())  # type: ignore[attr-defined]
        .limit(1)
    ).first()
    op = SyncOp(
        op_id=str(uuid.uuid4()),
        origin_id=origin_id(session),
        origin_seq=_next_seq(session),
        hlc=next_hlc(session),
        author_id=author_id,
        kind=kind,
        entity=entity,
        entity_id=entity_id,
        payload={k: encode_value(v) for k, v in payload.items()},
        prev_op_id=prev,
    )
    session.add(op)
    return op
