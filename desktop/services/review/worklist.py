"""The teamleider's "Te beoordelen": every subject whose latest valid step is a submission."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session, col, select

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


# A subject whose latest step (review_latest, db/models/review_latest.py: the causal order of
# the facts) is neither a submission nor a decision, or is a teamleider's decision on the version
# another actor submitted last, cannot be in the queue: `settle` below would stop at that step.
# A tie for the latest place has no defined order: such a subject stays a candidate. So the
# candidates are a superset of the queue; the rule itself is applied by `settle` alone. In
# (type, id) order, as the full computation met them: items submitted at the same moment keep it.
_CANDIDATES = """SELECT subject_type, subject_id FROM review_latest WHERE NOT (last_ties = 1 AND (
    last_kind NOT IN ('SUBMITTED', 'APPROVED', 'REJECTED')
    OR (last_kind IN ('APPROVED', 'REJECTED') AND last_actor_id IN (SELECT value FROM json_each(:leads))
        AND sub_ties = 1 AND sub_same_version AND sub_actor_id != last_actor_id)))
    ORDER BY subject_type, subject_id"""


def candidates(
    session: Session, leads: set[str], subject_types: Iterable[str] | None = None
) -> list[tuple[str, str]]:
    """The subjects that may be in "Te beoordelen" (a superset of `queue`): every subject but
    those whose latest step settles it. `leads`: who holds the teamleider role (has_role)."""
    rows = session.connection().execute(text(_CANDIDATES), {"leads": json.dumps(sorted(leads))})
    types = None if subject_types is None else set(subject_types)
    return [(t, i) for t, i in rows if types is None or t in types]


def _leads(session: Session) -> dict[str, bool]:
    """Whether each actor whose decision is a subject's latest step holds the teamleider role
    (the actors the prefilter asks about): `has_role` once per actor, not per user or step."""
    actors = session.connection().execute(
        text(
            "SELECT DISTINCT last_actor_id FROM review_latest "
            "WHERE last_kind IN ('APPROVED', 'REJECTED')"
        )
    )
    return {a: has_role(session, a) for (a,) in actors}


def _by_type(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for stype, sid in keys:
        out.setdefault(stype, []).append(sid)
    return out


def _chunks(ids: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def queue(
    db: Database, viewer_id: str | None = None, subject_types: Iterable[str] | None = None
) -> list[QueueItem]:
    """Everything whose latest step is a submission: the teamleider's "Te beoordelen"."""
    with db.read_session() as s:
        lead = _leads(s)  # per actor, not per step; settle asks about earlier deciders too

        def is_lead(actor_id: str) -> bool:
            if actor_id not in lead:
                lead[actor_id] = has_role(s, actor_id)
            return lead[actor_id]

        # Only the subjects the prefilter cannot rule out (issue 18: ~100 of 22,000 at 3x);
        # their steps are then settled here exactly as before.
        open_ = candidates(s, {a for a, y in lead.items() if y}, subject_types)
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
            .order_by(col(ReviewEvent.subject_type), col(ReviewEvent.subject_id))
        )
        latest: dict[tuple[str, str], tuple[str, Any]] = {}

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

        rows: list[Any] = []
        for stype, sids in _by_type(open_).items():
            for chunk in _chunks(sids):
                rows += s.connection().execute(
                    q.where(
                        col(ReviewEvent.subject_type) == stype,
                        col(ReviewEvent.subject_id).in_(chunk),
                    )
                )
        key: tuple[str, str] | None = None
        evs: list[tuple[str, str, Any]] = []
        for ev in rows:
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
        by_type = _by_type(latest)
        current_of: dict[tuple[str, str], str] = {}
        editors: dict[tuple[str, str], set[str]] = {}
        titles: dict[tuple[str, str], str] = {}
        auth = trust.authority(s) if viewer_id else None
        for stype, sids in by_type.items():
            contents = spec_of(stype).contents_of(s, sids)
            titles.update(
                ((stype, i), t) for i, t in spec_of(stype).titles_of(s, list(contents)).items()
            )
            current_of.update(((stype, i), hash_content(c)) for i, c in contents.items())
            if auth is not None:
                changes = changes_many(s, stype, list(contents), auth)
                editors.update(((stype, i), e) for i, (_, e) in changes.items())
        items = []
        for (stype, sid), (_, ev) in latest.items():
            if ev.kind != ReviewKind.SUBMITTED:
                continue
            current = current_of.get((stype, sid))
            if current is None:
                continue  # the subject is gone
            own = bool(viewer_id) and viewer_id in editors[(stype, sid)]
            items.append(
                QueueItem(
                    stype,
                    sid,
                    titles[(stype, sid)],
                    ev.actor_id,
                    names.get(ev.actor_id, "?"),
                    ev.at,
                    current != ev.content_hash,
                    own,
                )
            )
    items.sort(key=lambda i: i.submitted_at)
    return items
