"""One sync round against a hub: check the store identity, detect a fork, push, pull.

Order and guarantees (SYNC-NOTES.md §8, §9):
* the store identity is checked before anything is written (empty / foreign / re-pointed
  store: refuse, change nothing);
* a segment is marked pushed only after it was published and read back;
* each pulled segment is applied in one local transaction together with the record that it
  was seen, so a crash at any point either applied it completely or not at all;
* a segment is applied only when everything it depends on is applied (per-origin contiguous
  sequences and the pusher's version vector), so late or reordered files are never skipped;
* bad segments are quarantined: reported, never applied, never deleted.

The round is cut along its steps, each in its own module below this one: db.sync.identity
(store identity, roster, roles), db.sync.fork, db.sync.push (with db.sync.published),
db.sync.snapshot and db.sync.pull (with db.sync.incoming); db.sync.report holds what a round
reports. The old names stay importable from here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session

from db.engine import Database
from db.sync import guard, image
from db.sync.folder_hub import HubError
from db.sync.fork import check_fork
from db.sync.hub_protocol import Hub
from db.sync.identity import APP_VERSION, FORMAT, check_identity, roster_of, save_team
from db.sync.oplog import set_meta
from db.sync.published import SEGMENT_MAX_OPS, ops_rows
from db.sync.pull import pull
from db.sync.push import push
from db.sync.report import Progress, Round, SyncReport, now
from db.sync.segment import Keys
from db.sync.snapshot import SNAP_MAGIC, put_snapshot
from db.sync.snapshot import _load_snapshot as load_snapshot

# The engine's names, importable from here as before the split.
__all__ = [
    "APP_VERSION",
    "CONFLICT_SQL",
    "FORMAT",
    "SEGMENT_MAX_OPS",
    "SNAP_MAGIC",
    "Progress",
    "SyncReport",
    "check_identity",
    "count_conflicts",
    "put_snapshot",
    "roster_of",
    "save_team",
    "sync",
]
_ops_rows = ops_rows  # older callers; db.sync.published.ops_rows is the seam


# -- the round --------------------------------------------------------------------------------
def sync(
    db: Database,
    hub: Hub,
    keys: Keys,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    judge: guard.Judge | None = None,
) -> SyncReport:
    """One round. `judge`: the review rules (desktop.services.review), so this laptop holds
    back a review step the team would not count (guard.self_check)."""
    started = time.perf_counter()
    report = SyncReport()
    cancelled = cancelled or (lambda: False)
    with db.read_session() as s:
        identity, roster = check_identity(s, hub)
        team = s.info.pop("kd_team", None)
        hub_id = identity["hub_id"]
        if identity.get("team_key_id") not in keys.team_keys:
            raise HubError(
                "De teamsleutel van deze gedeelde opslag staat niet in uw "
                "sleutelbos. Sluit opnieuw aan met een uitnodiging."
            )
    save_team(db, team)
    clean = getattr(hub, "clean_tmp", None)
    if clean is not None:
        report.cleaned_tmp = clean()
    listing = hub.list_segments()
    rnd = Round(db, hub, keys, hub_id, roster, report)
    check_fork(rnd, listing)
    if not cancelled():
        guard.republish_own(rnd, listing)
        push(rnd, progress, judge)
    if not cancelled():
        image.join_from_image(rnd, identity, listing)  # a new laptop: one file, then the rest
        load_snapshot(rnd, listing)
        pull(rnd, identity, listing, progress, cancelled)
    report.cancelled = cancelled()
    with db.read_session() as s:
        report.conflicts = count_conflicts(s)
        report.quarantined_total = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status = 'quarantined'")
        ).scalar_one()
    with db.write_session() as s, s.begin():
        set_meta(s, "last_sync", now())
        set_meta(s, "last_sync_store", str(hub.root))
    report.seconds = time.perf_counter() - started
    return report


# -- conflicts --------------------------------------------------------------------------------
# -- conflicts --------------------------------------------------------------------------------
CONFLICT_SQL = (
    "SELECT entity, entity_id, field FROM sync_conflict ORDER BY entity, entity_id, field"
)


def count_conflicts(session: Session) -> int:
    fields = session.execute(text(f"SELECT COUNT(*) FROM ({CONFLICT_SQL})")).scalar_one()
    flags = session.execute(text("SELECT COUNT(*) FROM sync_flag")).scalar_one()
    return int(fields) + int(flags)
