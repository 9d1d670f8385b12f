"""Reading segments from the hub: what this replica has seen, its version vector, and opening
a listed segment (verified against the roster; a bad one is quarantined, never applied)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.engine import Database
from db.sync.folder_hub import SegmentRef
from db.sync.hub_protocol import Hub
from db.sync.op import Op
from db.sync.report import Round, SyncReport, now
from db.sync.segment import SegmentError, open_ops


def seen_segments(session: Session) -> dict[str, tuple[str, int, int]]:
    return {
        r[0]: (r[1], r[2], r[3])
        for r in session.execute(
            text("SELECT name, status, size, mtime_ns FROM sync_segment")
        ).all()
    }


def is_new(seen: dict[str, tuple[str, int, int]], name: str, size: int, mtime_ns: int) -> bool:
    """Never seen, or quarantined and since replaced (OneDrive finished the download)."""
    prev = seen.get(name)
    return prev is None or (prev[0] == "quarantined" and (prev[1], prev[2]) != (size, mtime_ns))


def version_vector(session: Session) -> dict[str, int]:
    return {r[0]: r[1] for r in session.execute(text("SELECT origin_id, seq FROM sync_vv")).all()}


def quarantine(
    db: Database,
    name: str,
    size: int,
    reason: str,
    report: SyncReport,
    ref: SegmentRef | None = None,
    mtime_ns: int = 0,
) -> None:
    with db.write_session() as s, s.begin():
        s.execute(
            text(
                "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
                "size, mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'quarantined', :z, :m, :r, :t)"
            ),
            {
                "n": name,
                "o": ref.origin if ref else "",
                "a": ref.first if ref else 0,
                "b": ref.last if ref else 0,
                "z": ref.size if ref else size,
                "m": ref.mtime_ns if ref else mtime_ns,
                "r": reason,
                "t": now(),
            },
        )
    report.quarantined += 1
    report.problems.append(f"In quarantaine: {name}: {reason}")


def read_segment(hub: Hub, ref: SegmentRef, report: SyncReport) -> bytes | None:
    cached = report.bundle.pop(ref.name, None)
    if cached is not None:
        return cached
    try:
        return hub.read(ref.name)
    except FileNotFoundError:
        report.skipped += 1  # stale listing: it will be there next time, or never was
    except OSError as exc:
        report.skipped += 1
        report.problems.append(
            f"Nu niet leesbaar, volgende keer opnieuw: {ref.name} ({exc.strerror or exc})"
        )
    return None


def open_ref(rnd: Round, ref: SegmentRef) -> tuple[dict[str, Any], list[Op]] | None:
    """Read and verify a listed segment; a bad one is quarantined (None)."""
    db, hub, keys, hub_id, roster, report = rnd.parts()
    data = read_segment(hub, ref, report)
    if data is None:
        return None
    try:
        header, ops = open_ops(data, keys.team_keys, roster, hub_id)
        if (header.get("o"), header.get("a"), header.get("b")) != (ref.origin, ref.first, ref.last):
            raise SegmentError(
                "name", "bestandsnaam past niet bij de inhoud (verwisseld of herhaald segment)"
            )
    except SegmentError as exc:
        quarantine(db, ref.name, len(data), exc.message, report, ref)
        return None
    return header, ops
