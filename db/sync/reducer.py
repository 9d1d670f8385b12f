"""The one reducer: applies local and remote operations alike.

State is a pure function of the *set* of operations known, so applying is deterministic,
idempotent and independent of arrival order:

* per field, the heads are the operations that set the field and are not named as a
  predecessor (`prev`) of another operation that sets it (a multi-value register). Stored
  compactly (issue 18): `sync_head` holds one row per operation that still heads some field,
  `sync_superseded` the (operation, field) pairs it lost; values are read from the operation;
* the shown value is the head with the highest (hlc, op_id); the other heads with a different
  value are a conflict the user resolves (nothing is dropped: the losing value stays stored);
* a delete is a tombstone operation (deleted_at). If some head of another field was not seen
  by the winning delete, it was made concurrently: the record stays alive and is flagged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync.heads import (
    ALL_SUPERSEDED,
    Head,
    Heads,
    dumps,
    load_heads,
    raw_connection,
    select_in,
    update_conflicts,
)
from db.sync.materialize import materialize, record_state
from db.sync.op import Op, as_op, sync_op_row
from db.sync.oplog import get_meta, observe_hlc

__all__ = [
    "ApplyResult",
    "Head",
    "Heads",
    "advance_vv",
    "apply_ops",
    "load_heads",
    "materialize",
    "record_state",
]


@dataclass
class ApplyResult:
    new: int = 0
    duplicate: int = 0
    skewed_origins: set[str] = field(default_factory=set)
    unapplied: int = 0


def apply_ops(
    session: Session,
    ops: Sequence[Op | Mapping[str, Any]],
    *,
    local: bool = False,
    fresh: set[tuple[str, str]] | None = None,
) -> ApplyResult:
    """Apply operations (idempotent). `fresh`: local creates of records that had no heads,
    whose rows the caller has written already with exactly these values. An operation still
    in the wire form is converted first (db.sync.op.as_op)."""
    result = ApplyResult()
    batch: dict[str, Op] = {}
    for item in ops:
        op = as_op(item)
        batch.setdefault(op.id, op)
    known = {
        r[0]
        for r in select_in(session, "SELECT op_id FROM sync_op WHERE op_id IN ({in_})", list(batch))
    }
    new = [op for oid, op in batch.items() if oid not in known]
    result.duplicate = len(ops) - len(new)
    result.new = len(new)
    if not new:
        return result
    own = get_meta(session, "origin_id")

    raw = raw_connection(session)
    skip = fresh or set()
    ids = sorted({op.entity_id for op in new if (op.entity, op.entity_id) not in skip})
    had_heads = {
        (r[0], r[1])
        for r in select_in(
            session,
            "SELECT DISTINCT entity, entity_id FROM sync_head WHERE entity_id IN ({in_})",
            ids,
        )
    }
    raw.executemany(
        "INSERT INTO sync_op (op_id, origin_id, origin_seq, hlc, author_id, kind, entity, "
        "entity_id, payload, prev, prev_op_id, pushed) VALUES (?,?,?,?,?,?,?,?,?,?,?,0)",
        [sync_op_row(op, dumps) for op in new],
    )

    # Clock: follow remote clocks (bounded), version vector: contiguous sequences only.
    by_origin: dict[str, list[Op]] = defaultdict(list)
    for op in new:
        by_origin[op.origin].append(op)
    for origin, origin_ops in by_origin.items():
        if not local and origin != own:
            if observe_hlc(session, max(o.hlc for o in origin_ops), origin):
                result.skewed_origins.add(origin)
    advance_vv(session, {origin: [o.seq for o in oo] for origin, oo in by_origin.items()})

    # Heads: an operation stays a head while some field it sets is not superseded.
    pairs = {(p, f) for op in new for f in op.payload for p in op.prev.get(f, [])}
    if pairs:
        raw.executemany(
            "INSERT OR IGNORE INTO sync_superseded (op_id, field) VALUES (?, ?)", list(pairs)
        )
        gone = select_in(
            session,
            "SELECT entity_id, entity, op_id FROM sync_op o WHERE op_id IN ({in_}) "
            f"AND {ALL_SUPERSEDED}",
            sorted({p for p, _ in pairs}),
        )
        raw.executemany(
            "DELETE FROM sync_head WHERE entity_id = ? AND entity = ? AND op_id = ?",
            [tuple(r) for r in gone],
        )
    superseded = (
        {
            (r[0], r[1])
            for r in select_in(
                session,
                "SELECT op_id, field FROM sync_superseded WHERE op_id IN ({in_})",
                [op.id for op in new],
            )
        }
        if pairs or not local
        else set()
    )
    heads = [
        (op.entity_id, op.entity, op.id)
        for op in new
        if any((op.id, f) not in superseded for f in op.payload)
    ]
    if heads:
        raw.executemany(
            "INSERT OR IGNORE INTO sync_head (entity_id, entity, op_id) VALUES (?, ?, ?)", heads
        )
    # Records seen for the first time: their heads are exactly this batch's (no query needed).
    per_record: dict[tuple[str, str], int] = defaultdict(int)
    for op in new:
        per_record[(op.entity, op.entity_id)] += 1
    known_heads: Heads = {}
    for op in new:
        key = (op.entity, op.entity_id)
        if key in had_heads or key in skip:
            continue
        for f, v in op.payload.items():
            if (op.id, f) not in superseded:
                known_heads.setdefault(key, {}).setdefault(f, []).append((op.hlc, op.id, v))
    touched = {(op.entity, op.entity_id) for op in new} - skip
    known_heads.update(load_heads(session, touched - set(known_heads)))
    update_conflicts(
        session, {key for key in touched if key in had_heads or per_record[key] > 1}, known_heads
    )
    result.unapplied = materialize(session, touched, local=local, known_heads=known_heads)
    return result


def advance_vv(session: Session, seqs_by_origin: dict[str, list[int]]) -> None:
    for origin, seqs in seqs_by_origin.items():
        row = session.execute(
            text("SELECT seq FROM sync_vv WHERE origin_id = :o"), {"o": origin}
        ).first()
        current = row[0] if row else 0
        have = set(seqs)
        start = current
        if current + 1 not in have and row is not None:
            continue
        # ops applied earlier out of order (not expected, but cheap to honour)
        while current + 1 in have:
            current += 1
        if current != start:
            more = session.execute(
                text(
                    "SELECT origin_seq FROM sync_op WHERE origin_id = :o AND origin_seq > :s "
                    "ORDER BY origin_seq"
                ),
                {"o": origin, "s": current},
            ).all()
            for (s,) in more:
                if s == current + 1:
                    current = s
                elif s > current + 1:
                    break
        if row is None:
            session.execute(
                text("INSERT INTO sync_vv (origin_id, seq) VALUES (:o, :s)"),
                {"o": origin, "s": current},
            )
        elif current != start:
            session.execute(
                text("UPDATE sync_vv SET seq = :s WHERE origin_id = :o"),
                {"o": origin, "s": current},
            )
