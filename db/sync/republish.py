"""This laptop's own published segments, checked every sync: one the store no longer lists or
whose bytes changed is published again under the next attempt name (db.sync.published)."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from db.sync import trust
from db.sync.folder_hub import Listing
from db.sync.oplog import get_meta
from db.sync.published import mark_pushed, publish, read_ops
from db.sync.report import Round
from db.sync.segment import SegmentError, open_segment


def republish_own(rnd: Round, listing: Listing) -> None:
    """Check this laptop's published segments: one the store no longer lists (store rolled
    back to an older copy) or whose bytes changed (bit rot, a bad OneDrive sync: size, date
    or SHA-256 differ from what was published) is published again, under the next attempt
    name; readers take the repaired copy."""
    db, hub, keys, roster, report = rnd.db, rnd.hub, rnd.keys, rnd.roster, rnd.report
    present = {r.name: r for r in listing.segments}
    with db.read_session() as s:
        own = get_meta(s, "origin_id")
        hub_id = get_meta(s, "hub_id")
        rows = s.execute(
            text(
                "SELECT name, origin_id, first_seq, last_seq, size, mtime_ns, reason FROM "
                "sync_segment WHERE status = 'pushed' AND origin_id = :o"
            ),
            {"o": own},
        ).all()
    gone: list[tuple[str, str, int, int]] = []
    damaged: list[tuple[str, str, int, int]] = []
    seen_mtime: list[tuple[str, int]] = []
    for name, origin, first, last, size, mtime, reason in rows:
        ref = present.get(name)
        if ref is None:
            gone.append((name, origin, first, last))
            continue
        if ref.size == size and (not ref.mtime_ns or ref.mtime_ns == mtime):
            continue
        try:
            data = hub.read(name)
        except OSError:
            continue
        digest = hashlib.sha256(data).hexdigest()
        if reason.startswith("sha256:") and reason[7:] == digest:
            seen_mtime.append((name, ref.mtime_ns))  # first look at a fresh push: remember
            continue
        try:
            open_segment(data, keys.team_keys, roster, str(hub_id))
            if reason.startswith("sha256:"):
                raise SegmentError("hash", "andere inhoud dan verstuurd")
            seen_mtime.append((name, ref.mtime_ns))
        except SegmentError:
            damaged.append((name, origin, first, last))
    if seen_mtime:
        with db.write_session() as s, s.begin():
            for name, mtime in seen_mtime:
                s.execute(
                    text("UPDATE sync_segment SET mtime_ns = :m WHERE name = :n"),
                    {"m": mtime, "n": name},
                )
    if gone and not listing.segments:
        # An empty listing is more likely a disconnected share than a rollback.
        report.problems.append("De gedeelde opslag lijkt leeg; er is niets opnieuw verstuurd.")
        gone = []
    for name, origin, first, last in gone + damaged:
        with db.read_session() as s:
            ops = read_ops(
                s,
                "origin_id = :o AND origin_seq BETWEEN :a AND :b",
                {"o": origin, "a": first, "b": last},
            )
            base = trust.baselines(s).get(origin, 0)
        if len(ops) != last - first + 1:
            continue
        try:
            ref, digest = publish(
                db, hub, keys, str(hub_id), origin, ops, {}, roster, baseline=last <= base
            )
        except OSError:
            continue
        report.republished += 1
        if (name, origin, first, last) in damaged:
            with db.write_session() as s, s.begin():
                s.execute(
                    text(
                        "UPDATE sync_segment SET status = 'replaced', reason = :r WHERE name = :n"
                    ),
                    {"n": name, "r": f"beschadigd; opnieuw verstuurd als {ref.name}"},
                )
                mark_pushed(s, origin, ref, digest)
            report.problems.append(
                f"Uw segment {name} was beschadigd in de gedeelde opslag; "
                f"het is opnieuw verstuurd ({ref.name})."
            )
