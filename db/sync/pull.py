"""Pull: apply the colleagues' segments in dependency order, each in one local transaction
together with the record that it was applied; what still waits is explained (db.sync.guard)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from sqlalchemy import text

from db.engine import Database
from db.sync import bulk, faults, guard, trust
from db.sync.folder_hub import Listing, SegmentRef
from db.sync.hub_protocol import Hub
from db.sync.incoming import is_new, open_ref, quarantine, seen_segments, version_vector
from db.sync.op import Op
from db.sync.oplog import get_meta
from db.sync.reducer import advance_vv, apply_ops
from db.sync.report import Progress, Round, SyncReport, now
from db.sync.segment import SegmentError, read_header


def pull(
    rnd: Round,
    identity: dict[str, Any],
    listing: Listing,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> None:
    db, hub, report = rnd.db, rnd.hub, rnd.report
    owner = identity["owner"]["user_id"]
    bulk.restore_derived(db)  # a first pull killed half-way left the derived tables stale
    with db.read_session() as s:
        seen = seen_segments(s)
        vv = version_vector(s)
        own = get_meta(s, "origin_id")
    for name, size in listing.foreign:
        if is_new(seen, name, size, 0):
            quarantine(
                db,
                name,
                size,
                "vreemde bestandsnaam (kopie, conflictkopie of ander bestand); niet gebruikt",
                report,
            )
    pending = [
        r for r in listing.segments if r.origin != own and is_new(seen, r.name, r.size, r.mtime_ns)
    ]
    total = len(pending)
    # A replica that has applied nothing from the store yet (a new laptop joining) applies in
    # bulk (db/sync/bulk.py): same checks, derived tables rebuilt once at the end.
    fresh = not any(status == "applied" for status, _, _ in seen.values())
    with ExitStack() as stack:
        target = (
            stack.enter_context(bulk.first_pull(db))
            if fresh and total >= bulk.BULK_FROM_SEGMENTS
            else db
        )
        pending = apply_pending(rnd, target, owner, pending, vv, progress, cancelled, total)
    vv = vv_fresh(db)
    report.waiting = len(pending)
    if pending and not cancelled():
        with db.read_session() as s:
            report.waiting_detail = guard.waiting_reasons(
                s, pending, vv, lambda name: header_of(hub, name)
            )
        report.problems.extend(d["message"] for d in report.waiting_detail)


def apply_pending(
    rnd: Round,
    target: Database,
    owner: str,
    pending: list[SegmentRef],
    vv: dict[str, int],
    progress: Progress | None,
    cancelled: Callable[[], bool],
    total: int,
) -> list[SegmentRef]:
    """Apply the pending segments in dependency order (to `target`: the round's database
    itself, or its bulk connection on a first pull); returns those still waiting."""
    report = rnd.report
    done = 0
    verified: set[str] = set()
    progressed = True
    while pending and progressed and not cancelled():
        progressed = False
        waiting: list[SegmentRef] = []
        for ref in pending:
            if cancelled():
                waiting.append(ref)
                continue
            if vv.get(ref.origin, 0) < ref.first - 1:
                # Not applicable yet; still verify it now, so tampering is reported at once.
                if ref.name not in verified:
                    if open_ref(rnd, ref) is None:
                        continue
                    verified.add(ref.name)
                waiting.append(ref)
                continue
            opened = open_ref(rnd, ref)
            if opened is None:
                continue
            header, ops = opened
            deps = header.get("d") or {}
            if any(vv.get(o, 0) < q for o, q in deps.items() if o != ref.origin):
                waiting.append(ref)
                continue
            apply_segment(target, ref, header, ops, report, owner)
            vv = vv_fresh(target)
            progressed = True
            done += 1
            if progress:
                progress(done, total, "Wijzigingen van collega's verwerken")
            faults.point("apply_after_commit")
        pending = waiting
    return pending


def header_of(hub: Hub, name: str) -> dict[str, Any] | None:
    try:
        return read_header(hub.read(name))[0]
    except (OSError, SegmentError):
        return None


def vv_fresh(db: Database) -> dict[str, int]:
    with db.read_session() as s:
        return version_vector(s)


def apply_segment(
    db: Database,
    ref: SegmentRef,
    header: dict[str, Any],
    ops: list[Op],
    report: SyncReport,
    owner: str,
) -> None:
    """Apply the operations the team accepts (guard.judge_segment); each refused one is
    recorded (status 'refused', op by op) and its sequence number passed, so nothing after
    it waits."""
    with db.write_session() as s, s.begin():
        # Rows of one segment may reference each other in any order: check at commit.
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        verdict = guard.judge_segment(s, header, ops, owner)
        result = apply_ops(s, verdict.good)
        advance_vv(s, {ref.origin: [op.seq for op in ops]})
        for op, reason in verdict.refused:
            trust.record_status(s, f"{ref.name}#{op.id}", ref.origin, op.seq, "refused", reason)
        if verdict.baseline:
            trust.add_baseline(s, ref.origin, ref.last)
        faults.point("apply_mid")
        s.execute(
            text(
                "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
                "size, mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'applied', :z, :m, '', :t)"
            ),
            {
                "n": ref.name,
                "o": ref.origin,
                "a": ref.first,
                "b": ref.last,
                "z": ref.size,
                "m": ref.mtime_ns,
                "t": now(),
            },
        )
    report.pulled_segments += 1
    report.refused_ops += len(verdict.refused)
    for op, reason in verdict.refused:
        report.problems.append(f"Geweigerd uit {ref.name}: {op.entity} {op.entity_id}: {reason}.")
    if verdict.role_claims:
        report.problems.append(
            f"{len(verdict.role_claims)} rolwijziging(en) uit {ref.name} "
            "genegeerd: rollen worden alleen door een teamleider toegekend "
            "(Extra › Team…)."
        )
    report.pulled_ops += result.new
    report.duplicate_ops += result.duplicate
    for o in sorted(result.skewed_origins):
        if o not in report.skewed_origins:
            report.skewed_origins.append(o)
