"""The outbox: record local operations in the op-log and apply them through the reducer, in
the caller's transaction (the one write path `db.repo.UnitOfWork` uses).

Import order of the sync core (no cycles, tests/test_layering.py): `oplog` (clock, meta,
value encoding) <- `reducer` (applies ops) <- `outbox` (records local ops) <- `engine`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from db.sync.op import Op
from db.sync.oplog import (
    BOOKKEEPING,
    _last_hlc,
    _make_op,
    _tick,
    get_meta,
    hlc_format,
    origin_id,
    seen_heads,
    set_meta,
    wall_ms,
)
from db.sync.reducer import apply_ops, load_heads


def record_op(
    session: Session,
    *,
    entity: str,
    entity_id: str,
    kind: str,
    payload: dict[str, Any],
    author_id: str | None,
    resolve: bool = False,
) -> Op:
    """Record one local operation and apply it through the reducer (same transaction)."""
    return record_ops(
        session,
        [
            {
                "entity": entity,
                "entity_id": entity_id,
                "kind": kind,
                "payload": payload,
                "author_id": author_id,
                "resolve": resolve,
            }
        ],
    )[0]


def record_ops(session: Session, specs: list[dict[str, Any]]) -> list[Op]:
    """Record local operations and apply them through the reducer (same transaction).

    An edit supersedes the value the user saw (the current winner) of each field it sets, so
    a pending conflict stays visible until it is resolved explicitly. A delete records every
    head it had seen, so an edit made concurrently elsewhere is detected. A resolution
    (`resolve=True`) supersedes all heads of the fields it sets.
    """
    all_heads = load_heads(session, {(s["entity"], s["entity_id"]) for s in specs})
    ops = []
    origin = origin_id(session)
    seq = int(get_meta(session, "next_seq") or 1)
    clock = _last_hlc(session)
    wall = wall_ms()
    fresh: set[tuple[str, str]] = set()
    for spec in specs:
        heads = all_heads.get((spec["entity"], spec["entity_id"]), {})
        if spec["kind"] == "create" and not heads:
            fresh.add((spec["entity"], spec["entity_id"]))
        prev: dict[str, list[str]] = {}
        if spec["kind"] == "delete":
            prev = {f: sorted(op for _, op, _ in hs) for f, hs in heads.items()}
        elif heads:
            for field in spec["payload"]:
                hs = heads.get(field)
                if hs:
                    prev[field] = seen_heads(hs, spec.get("resolve", False) or field in BOOKKEEPING)
        clock = _tick(clock, wall)
        ops.append(
            _make_op(
                origin,
                seq,
                hlc_format(*clock),
                entity=spec["entity"],
                entity_id=spec["entity_id"],
                kind=spec["kind"],
                payload=spec["payload"],
                author_id=spec["author_id"],
                prev=prev,
            )
        )
        seq += 1
    set_meta(session, "next_seq", str(seq))
    set_meta(session, "hlc", hlc_format(*clock))
    apply_ops(session, ops, local=True, fresh=fresh)
    return ops
