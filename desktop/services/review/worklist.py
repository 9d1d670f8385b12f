"""The teamleider's "Te beoordelen": every subject whose latest valid step is a submission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from common.gc_pause import collector_paused
from db.engine import Database
from db.models import AppUser, ReviewEvent
from db.models.enums import ReviewKind
from db.sync import trust
from db.sync.models import SyncOp
from desktop.services.review.facts import changes_many, created_op, has_role
from desktop.services.review.hashing import hash_content
from desktop.services.review.subjects import spec_of


@dataclass(frozen=True)
class QueueItem:
    subject_type: str
    subject_id: str
    title: str
    submitted_by_id: str
    submitted_by: str
    submitted_at: datetime
    stale: bool  # changed since it was submitted
    own_work: bool  # the viewer edited it (may not approve)


def _other_version(evs: list[tuple[str, str, Any]]) -> bool:
    """The last step decides on another version than the latest submission before it."""
    last = evs[-1][2]
    sub = next((e for _h, _a, e in reversed(evs[:-1]) if e.kind == ReviewKind.SUBMITTED), None)
    return sub is None or sub.content_hash != last.content_hash or sub.actor_id == last.actor_id


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def queue(
    db: Database, viewer_id: str | None = None, subject_types: Iterable[str] | None = None
) -> list[QueueItem]:
    """Everything whose latest step is a submission: the teamleider's "Te beoordelen"."""
    with db.read_session() as s:
        # Columns, not ORM objects: every review event ever made is read (issue 18).
        q = (
            sa_select(
                col(ReviewEvent.subject_type),
                col(ReviewEvent.subject_id),
                col(ReviewEvent.kind),
                col(ReviewEvent.actor_id),
                col(ReviewEvent.at),
                col(ReviewEvent.content_hash),
                col(SyncOp.hlc),
            )
            .join(SyncOp, created_op(), isouter=True)
            .where(col(ReviewEvent.deleted_at).is_(None))
        )
        if subject_types is not None:
            q = q.where(col(ReviewEvent.subject_type).in_(list(subject_types)))
        q = q.order_by(col(ReviewEvent.subject_type), col(ReviewEvent.subject_id))
        latest: dict[tuple[str, str], tuple[str, Any]] = {}
        lead: dict[str, bool] = {}  # per actor, not per event (issue 18: 7,413 role checks)

        def is_lead(actor_id: str) -> bool:
            if actor_id not in lead:
                lead[actor_id] = has_role(s, actor_id)
            return lead[actor_id]

        def settle(key: tuple[str, str], evs: list[tuple[str, str, Any]]) -> None:
            evs.sort(key=lambda t: (t[0], t[1]))
            # A decision by someone without a granted teamleider role counts for nothing
            # (refused_steps): it does not take the submission out of the queue.
            while (
                len(evs) > 1
                and evs[-1][2].kind in (ReviewKind.APPROVED, ReviewKind.REJECTED)
                and (not is_lead(evs[-1][2].actor_id) or _other_version(evs))
            ):
                evs.pop()
            if evs[-1][2].kind == ReviewKind.SUBMITTED:
                latest[key] = (evs[-1][0], evs[-1][2])

        # Streamed one subject at a time (Core rows, read as they come): issue 18, every event
        # ever made held at once peaked at ~45 MiB at national scale.
        key: tuple[str, str] | None = None
        evs: list[tuple[str, str, Any]] = []
        for ev in s.connection().execute(q):
            if (ev.subject_type, ev.subject_id) != key:
                if key is not None:
                    settle(key, evs)
                key, evs = (ev.subject_type, ev.subject_id), []
            evs.append((ev.hlc or "", ev.at.isoformat(), ev))
        if key is not None:
            settle(key, evs)
        names = {u.id: u.name for u in s.exec(select(AppUser)).all()}
        # The current version and the editors of every queued subject, read per kind of fact
        # for all subjects of a type at once (issue 18), not per subject.
        by_type: dict[str, list[str]] = {}
        for stype, sid in latest:
            by_type.setdefault(stype, []).append(sid)
        current_of: dict[tuple[str, str], str] = {}
        editors: dict[tuple[str, str], set[str]] = {}
        auth = trust.authority(s) if viewer_id else None
        for stype, sids in by_type.items():
            contents = spec_of(stype).contents_of(s, sids)
            current_of.update(((stype, i), hash_content(c)) for i, c in contents.items())
            if auth is not None:
                changes = changes_many(s, stype, list(contents), auth)
                editors.update(((stype, i), e) for i, (_, e) in changes.items())
        items = []
        for (stype, sid), (_, ev) in latest.items():
            if ev.kind != ReviewKind.SUBMITTED:
                continue
            spec = spec_of(stype)
            current = current_of.get((stype, sid))
            if current is None:
                continue  # the subject is gone
            own = bool(viewer_id) and viewer_id in editors[(stype, sid)]
            items.append(
                QueueItem(
                    stype,
                    sid,
                    spec.describe(s, sid),
                    ev.actor_id,
                    names.get(ev.actor_id, "?"),
                    ev.at,
                    current != ev.content_hash,
                    own,
                )
            )
    items.sort(key=lambda i: i.submitted_at)
    return items
