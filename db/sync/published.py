"""Publishing own operations as segments: reading a run of the outbox, sealing and pushing it
(never overwriting a published name), and recording it as pushed. Below the push, the fork
check and the republishing of damaged segments (db.sync.guard), which all publish this way."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.engine import Database
from db.sync.folder_hub import SegmentRef, segment_name
from db.sync.hub_protocol import Hub
from db.sync.op import SYNC_OP_COLUMNS, Op, row_to_wire
from db.sync.oplog import OUTBOX
from db.sync.report import now
from db.sync.segment import Keys, SegmentError, open_ops, seal

SEGMENT_MAX_OPS = 5000


def mark_pushed(s: Session, origin: str, ref: SegmentRef, digest: str = "") -> None:
    """The segment's size and SHA-256 are kept (in `reason`, "sha256:<hex>", for status
    'pushed') so every later sync can check the published copy (_republish)."""
    s.execute(
        text("UPDATE sync_op SET pushed = 1 WHERE origin_id = :o AND origin_seq BETWEEN :a AND :b"),
        {"o": origin, "a": ref.first, "b": ref.last},
    )
    s.execute(
        text(
            "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, size, "
            "mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'pushed', :z, :m, :r, :t)"
        ),
        {
            "n": ref.name,
            "o": origin,
            "a": ref.first,
            "b": ref.last,
            "z": ref.size,
            "m": ref.mtime_ns,
            "r": f"sha256:{digest}" if digest else "",
            "t": now(),
        },
    )


def read_ops(s: Session, where: str, params: dict[str, Any]) -> list[Op]:
    """Operations of the op-log by a `sync_op` condition, in sequence order."""
    rows = s.execute(
        text(f"SELECT {SYNC_OP_COLUMNS} FROM sync_op WHERE {where} ORDER BY origin_seq"), params
    ).all()
    return [Op.from_row(r) for r in rows]


def ops_rows(s: Session, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """`read_ops` in the wire form (what a segment carries)."""
    rows = s.execute(
        text(f"SELECT {SYNC_OP_COLUMNS} FROM sync_op WHERE {where} ORDER BY origin_seq"), params
    ).all()
    return [row_to_wire(r) for r in rows]


def next_run(s: Session, own: str, after: int, base: int) -> list[Op]:
    """The next run of the outbox to publish as one segment: contiguous sequence numbers, at
    most SEGMENT_MAX_OPS, never across the baseline end. Read one segment's worth at a time
    (issue 18: the first push after `store create` never holds the op-log in memory)."""
    rows = s.execute(
        text(
            f"SELECT {SYNC_OP_COLUMNS} FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0 AND "
            "origin_seq > :a ORDER BY origin_seq LIMIT :n"
        ),
        {"o": own, "a": after, "n": SEGMENT_MAX_OPS},
    ).all()
    run = list(rows[:1])
    for r in rows[1:]:
        if r[2] != run[-1][2] + 1 or (r[2] <= base) != (run[-1][2] <= base):
            break
        run.append(r)
    return [Op.from_row(r) for r in run]


def publish(
    db: Database,
    hub: Hub,
    keys: Keys,
    hub_id: str,
    origin: str,
    ops: list[Op],
    deps: dict[str, int],
    roster: dict[str, list[str]] | None = None,
    baseline: bool = False,
) -> tuple[SegmentRef, str]:
    """Publish one segment; returns its ref and SHA-256. If a file already has the name (a
    crash after the rename, or a damaged earlier attempt), adopt it when it holds exactly
    these operations, otherwise publish under the next attempt name; never overwrite."""
    first, last = ops[0].seq, ops[-1].seq
    header: dict[str, Any] = {
        "hub": hub_id,
        "o": origin,
        "a": first,
        "b": last,
        "d": deps,
        "c": len(ops),
    }
    reviews = [review_entry(op) for op in ops if op.entity == "review_event"]
    if baseline:  # history: its review steps are judged by derivation, not by signer
        header["bl"] = 1
    elif reviews:  # plaintext list of review steps: the team server demands their facts
        header["r"] = reviews
    data = seal(header, [op.to_wire() for op in ops], keys)
    ids = [op.id for op in ops]
    for attempt in range(1, 10):
        name = segment_name(origin, first, last, attempt)
        try:
            hub.push(origin, first, last, data, attempt)
            return SegmentRef(name, origin, first, last, len(data)), hashlib.sha256(
                data
            ).hexdigest()
        except FileExistsError:
            try:
                existing = hub.read(name)
                _, theirs = open_ops(existing, keys.team_keys, roster or {}, hub_id)
                if [op.id for op in theirs] == ids:
                    return (
                        SegmentRef(name, origin, first, last, len(existing)),
                        hashlib.sha256(existing).hexdigest(),
                    )
            except (OSError, SegmentError):
                pass
            if roster is None:  # cannot judge the existing file: do not guess
                raise
    raise OSError(f"geen vrije naam voor segment {first}-{last}")


def review_entry(op: Op) -> tuple[Any, ...]:
    """How a review step is listed in the plaintext segment header (a JSON list; checked by
    every replica against the encrypted operation, and by the team server against its
    review facts)."""
    p = op.payload
    return (
        op.id,
        p.get("kind"),
        p.get("subject_type"),
        p.get("subject_id"),
        p.get("content_hash"),
    )
