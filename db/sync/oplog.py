"""The local op-log's ground floor: the hybrid logical clock, sync meta, value encoding and
building operations.

Every change made through db.repo.UnitOfWork is recorded by `db.sync.outbox` in the same
transaction as the business rows, so a committed change is an acknowledged, syncable
operation, then applied by the same reducer that applies remote operations (db.sync.reducer).
This module imports neither (oplog <- reducer <- outbox: no cycle).

Wire form of an operation (a plain dict, also what segments carry): db.sync.op, the only
place that knows its keys.
"""

from __future__ import annotations

import base64
import json
import os
import time
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync.op import Op

BOOKKEEPING = frozenset({"created_at", "updated_at"})
MAX_SKEW_MS = 5 * 60 * 1000  # remote clocks further ahead than this are flagged, not followed
_COUNTER_MAX = 999_999
# The outbox: own operations not pushed yet, through the partial index (issue 18), so finding
# them costs nothing however many this replica ever made. (Named: without statistics SQLite
# prefers the full (origin_id, origin_seq) index and walks every own operation.)
OUTBOX = "sync_op INDEXED BY ix_sync_op_unpushed"

# Tests (and the fault-injection subprocesses) shift the wall clock through this offset.
CLOCK_OFFSET_MS = int(os.environ.get("KD_SYNC_CLOCK_OFFSET_MS", "0") or 0)


def wall_ms() -> int:
    return int(time.time() * 1000) + CLOCK_OFFSET_MS


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


# -- replica state ---------------------------------------------------------------------------
def get_meta(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.execute(text("SELECT value FROM sync_meta WHERE key = :k"), {"k": key}).first()
    return default if row is None else row[0]


def set_meta(session: Session, key: str, value: str) -> None:
    session.execute(
        text(
            "INSERT INTO sync_meta (key, value) VALUES (:k, :v) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        ),
        {"k": key, "v": value},
    )


def origin_id(session: Session) -> str:
    value = get_meta(session, "origin_id")
    if value is None:
        value = str(uuid.uuid4())
        set_meta(session, "origin_id", value)
    return value


# -- hybrid logical clock --------------------------------------------------------------------
def hlc_parse(hlc: str) -> tuple[int, int]:
    ms, counter = hlc.split(".")
    return int(ms), int(counter)


def hlc_format(ms: int, counter: int) -> str:
    return f"{ms:015d}.{counter:06d}"


def _last_hlc(session: Session) -> tuple[int, int]:
    value = get_meta(session, "hlc")
    return hlc_parse(value) if value else (0, 0)


def _tick(last: tuple[int, int], wall: int) -> tuple[int, int]:
    last_ms, last_counter = last
    if wall > last_ms:
        return wall, 0
    if last_counter < _COUNTER_MAX:
        return last_ms, last_counter + 1
    return last_ms + 1, 0  # frozen clock and a full counter: borrow a millisecond


def next_hlc(session: Session, now_ms: int | None = None) -> str:
    """Timestamp for a local operation: never goes backwards, persisted across restarts."""
    value = hlc_format(*_tick(_last_hlc(session), wall_ms() if now_ms is None else now_ms))
    set_meta(session, "hlc", value)
    return value


def observe_hlc(session: Session, remote: str, origin: str, now_ms: int | None = None) -> bool:
    """Receive rule: advance the local clock to a remote timestamp, but never more than
    MAX_SKEW_MS beyond the local wall clock. Returns True (and flags the origin) when the
    remote clock is too far ahead."""
    wall = wall_ms() if now_ms is None else now_ms
    r_ms, r_counter = hlc_parse(remote)
    skewed = r_ms > wall + MAX_SKEW_MS
    if skewed:
        set_meta(session, f"skew:{origin}", str(r_ms - wall))
        r_ms, r_counter = wall + MAX_SKEW_MS, 0
    last = _last_hlc(session)
    if (r_ms, r_counter) > last:
        set_meta(session, "hlc", hlc_format(r_ms, r_counter))
    return skewed


# -- heads (current winners) -----------------------------------------------------------------
# Canonical JSON text of a value: two heads hold the same value when these are equal.
canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def seen_heads(heads: list[tuple[str, str, Any]], resolve: bool) -> list[str]:
    """The heads a local edit supersedes: the winner the user saw and every head holding the
    same value (or all heads when resolving a conflict). heads: [(hlc, op_id, JSON value)]."""
    if resolve or len(heads) == 1:
        return sorted(op for _, op, _ in heads)
    value = canonical(max(heads)[2])
    return sorted(op for _, op, v in heads if canonical(v) == value)


def _make_op(
    origin: str,
    seq: int,
    hlc: str,
    *,
    entity: str,
    entity_id: str,
    kind: str,
    payload: dict[str, Any],
    author_id: str | None,
    prev: dict[str, list[str]],
) -> Op:
    return Op(
        str(uuid.uuid4()),
        origin,
        seq,
        hlc,
        author_id,
        kind,
        entity,
        entity_id,
        {k: encode_value(v) for k, v in payload.items()},
        prev,
    )
