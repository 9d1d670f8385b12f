"""Fork detection: a laptop database restored from a backup reuses sequence numbers its
earlier self already published. The restored operations move to a new origin; an own push
whose acknowledgement was lost in a crash is adopted."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from db.sync.folder_hub import Listing, SegmentRef
from db.sync.incoming import open_ref, seen_segments
from db.sync.oplog import get_meta, set_meta
from db.sync.published import mark_pushed
from db.sync.report import Round


def check_fork(rnd: Round, listing: Listing) -> None:
    db, report = rnd.db, rnd.report
    with db.read_session() as s:
        own = get_meta(s, "origin_id")
        seen = seen_segments(s)
    if own is None:
        return
    mine = [r for r in listing.segments if r.origin == own and r.name not in seen]
    if not mine:
        return
    with db.read_session() as s:
        local = {
            r[0]: r[1]
            for r in s.execute(
                text("SELECT origin_seq, op_id FROM sync_op WHERE origin_id = :o"), {"o": own}
            ).all()
        }
    fork_at: int | None = None
    adopt: list[SegmentRef] = []
    for ref in mine:
        opened = open_ref(rnd, ref)
        if opened is None:
            continue
        _, ops = opened
        mismatch = [op.seq for op in ops if local.get(op.seq) != op.id]
        if mismatch:
            fork_at = min(mismatch) if fork_at is None else min(fork_at, min(mismatch))
        else:
            adopt.append(ref)  # our own push whose acknowledgement was lost in a crash
    with db.write_session() as s, s.begin():
        for ref in adopt:
            mark_pushed(s, own, ref)
        if fork_at is not None:
            new_origin = str(uuid.uuid4())
            moved = s.execute(
                text(
                    "SELECT op_id FROM sync_op WHERE origin_id = :o AND origin_seq >= :f "
                    "ORDER BY origin_seq"
                ),
                {"o": own, "f": fork_at},
            ).all()
            for i, (op_id,) in enumerate(moved, start=1):
                s.execute(
                    text(
                        "UPDATE sync_op SET origin_id = :n, origin_seq = :i, pushed = 0 "
                        "WHERE op_id = :id"
                    ),
                    {"n": new_origin, "i": i, "id": op_id},
                )
            s.execute(
                text("UPDATE sync_vv SET seq = :f WHERE origin_id = :o AND seq >= :f"),
                {"o": own, "f": fork_at - 1},
            )
            s.execute(
                text("INSERT OR REPLACE INTO sync_vv (origin_id, seq) VALUES (:n, :k)"),
                {"n": new_origin, "k": len(moved)},
            )
            set_meta(s, "origin_id", new_origin)
            set_meta(s, "next_seq", str(len(moved) + 1))
            set_meta(s, f"fork:{own}", new_origin)
            report.fork = True
            report.problems.append(
                "Deze database is teruggezet uit een reservekopie (vertakking gevonden). Beide "
                "versies blijven bewaard; deze laptop werkt verder onder een nieuwe bron-id."
            )
