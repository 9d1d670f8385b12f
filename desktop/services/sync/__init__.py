"""Sync use cases: the shared store ("gedeelde opslag"), a sync round, status and conflicts.

The store is a folder on a file share; see db/sync/folder_hub.py. The teamleider creates it
(store identity + team key), invites colleagues with a one-time passphrase, and everyone syncs
with `sync_now`. Keys live in the OS keyring (desktop/services/keys.py).

A package cut along the use cases: model (what they return), store (setup, keys, status),
membership (invite, join), conflicts, held (changes kept local); the round lives here. Every name stays importable from `desktop.services.sync`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common.progress import Progress, Report, as_progress, callbacks
from db.engine import Database
from db.sync import engine
from desktop.services.sync.conflicts import list_conflicts, resolve_edit_delete, resolve_field
from desktop.services.sync.held import HeldChange, held_changes, held_overview, withdraw_held
from desktop.services.sync.membership import invite_member, join_store
from desktop.services.sync.model import (
    ENTITY_LABELS,
    ConflictInfo,
    ConflictVersion,
    StoreStatus,
    StoreUnavailable,
    SyncSummary,
)
from desktop.services.sync.store import (
    _pinned,
    _store_ref,
    choose_store,
    create_store,
    find_user,
    load_keys,
    open_hub,
    quarantine_report,
    review_facts,
    share_errors,
    status,
    team_users,
)

__all__ = [
    "ENTITY_LABELS",
    "ConflictInfo",
    "ConflictVersion",
    "HeldChange",
    "StoreStatus",
    "StoreUnavailable",
    "SyncSummary",
    "choose_store",
    "create_store",
    "find_user",
    "held_changes",
    "held_overview",
    "invite_member",
    "join_store",
    "list_conflicts",
    "load_keys",
    "make_image",
    "make_snapshot",
    "open_hub",
    "quarantine_report",
    "resolve_edit_delete",
    "resolve_field",
    "review_facts",
    "status",
    "sync_now",
    "team_users",
    "withdraw_held",
]

log = logging.getLogger(__name__)


# -- sync -------------------------------------------------------------------------------------
def sync_now(
    db: Database,
    store: Path | str | None = None,
    progress: Progress | Report | None = None,
    cancelled: Callable[[], bool] | None = None,
    hub: Any = None,
) -> SyncSummary:
    """One sync round with the shared store: a folder, or a team server (`postgresql://`).
    `progress`: a common.progress.Progress (or the older `(done, total, text)` callback with
    `cancelled()`); cancelling stops between segments."""
    report_to, is_cancelled = callbacks(as_progress(progress, cancelled))
    pinned = _pinned(db)
    if not pinned["store_path"] and store is None:
        raise StoreUnavailable("Er is nog geen gedeelde opslag gekozen.")
    ref = _store_ref(store) if store else str(pinned["store_path"])
    keys = load_keys(db)
    with share_errors():
        if hub is None:
            hub = open_hub(ref, db=db, team_keys=keys.team_keys)
        from desktop.services.review import push_judge

        report = engine.sync(db, hub, keys, report_to, is_cancelled, judge=push_judge)
    return SyncSummary(
        held=tuple(report.held),
        refused_ops=report.refused_ops,
        waiting_detail=tuple(report.waiting_detail),
        republished=report.republished,
        pushed=report.pushed_ops,
        pulled=report.pulled_ops,
        conflicts=report.conflicts,
        quarantined=report.quarantined,
        quarantined_total=report.quarantined_total,
        waiting=report.waiting,
        skipped=report.skipped,
        fork=report.fork,
        problems=tuple(report.problems),
        cancelled=report.cancelled,
        seconds=round(report.seconds, 3),
        from_snapshot=report.from_snapshot,
        from_image=report.from_image,
    )


def make_snapshot(db: Database) -> str | None:
    """Bundle the segments this database knows into one snapshot file (for joining)."""
    pinned = _pinned(db)
    if not pinned["store_path"]:
        raise StoreUnavailable("Er is nog geen gedeelde opslag gekozen.")
    hub = open_hub(str(pinned["store_path"]))
    with share_errors("De momentopname kon niet worden geschreven"):
        with db.read_session() as s:
            engine.check_identity(s, hub)
        return engine.put_snapshot(db, hub, load_keys(db))


def refresh_join_image(db: Database) -> str | None:
    """After the owner invites a colleague: a join image that covers everything so far, so the
    new laptop takes one file (`make_image`; no new file when the newest one already covers
    the same). None for a team server without images (schema before v0004)."""
    return _publish_image(db, required=False)


def make_image(db: Database) -> str:
    """The store's owner: publish a join image (db/sync/image.py), a signed, encrypted copy of
    this database that a new laptop applies in one go, in the shared folder or on the team
    server. Syncs first, so the copy holds nothing the store does not."""
    name = _publish_image(db, required=True)
    assert name is not None  # required: a store without images refuses with a Dutch message
    return name


def _publish_image(db: Database, *, required: bool) -> str | None:
    from db.errors import RuleViolation
    from db.sync.folder_hub import HubRefused
    from db.sync.image import ImageRefused
    from db.sync.image_make import put_image

    pinned = _pinned(db)
    if not pinned["store_path"]:
        if not required:
            return None
        raise StoreUnavailable("Er is nog geen gedeelde opslag gekozen.")
    keys = load_keys(db)
    with share_errors("Het aansluitbestand kon niet worden geschreven"):
        hub = open_hub(str(pinned["store_path"]), db=db, team_keys=keys.team_keys)
        try:
            if not required and not hub.images_available():
                return None
            sync_now(db)
            with db.read_session() as s:
                identity, _roster = engine.check_identity(s, hub)
            return put_image(db, hub, keys, identity)
        except (ImageRefused, HubRefused) as exc:
            raise RuleViolation(exc.message) from exc
        finally:
            _close(hub)


def _close(hub: Any) -> None:
    close = getattr(hub, "close", None)  # a team server's connection
    if close is not None:
        close()
