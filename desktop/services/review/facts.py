"""The facts the vier-ogen rule reads: the review steps of a subject in causal order, the
op-log operations that changed its content, who edited it, and who holds the teamleider role
(as the team grants it). Plus the plain data the review hands out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, type_coerce
from sqlalchemy import select as sa_select
from sqlalchemy.types import NullType
from sqlmodel import Session, col, select

from db.models import AppUser, AuditEvent, ReviewEvent
from db.models.enums import ReviewKind, Role
from db.sync import stored, trust
from db.sync.models import SyncOp
from desktop.services.review.subjects import SubjectSpec, Watched, spec_of


@dataclass(frozen=True)
class Approval:
    approver_id: str
    approver_name: str
    approved_at: datetime
    content_hash: str
    comment: str


@dataclass(frozen=True)
class ReviewStep:
    kind: str  # ReviewKind
    kind_label: str
    actor_id: str
    actor_name: str
    at: datetime
    content_hash: str
    comment: str
    refused: str = ""  # Dutch: why this step counts for nothing (shown in the history)


@dataclass(frozen=True)
class ReviewStatus:
    """Derived state. `state`: NONE / SUBMITTED / APPROVED / REJECTED / WITHDRAWN / VOID."""

    state: str
    label: str
    current_hash: str
    approval: Approval | None
    last_step: ReviewStep | None
    rejection_comment: str  # shown to the author
    stale: bool  # the subject changed since the last step
    steps: tuple[ReviewStep, ...] = field(default=())


_STATE_LABELS = {
    "NONE": "Niet aangeboden",
    "SUBMITTED": "Ter vier-ogen",
    "APPROVED": "Goedgekeurd",
    "REJECTED": "Afgekeurd",
    "WITHDRAWN": "Teruggetrokken",
    "VOID": "Goedkeuring vervallen na wijziging",
}


def created_op() -> ColumnElement[bool]:
    """Join condition: the op-log entry that created a review event (its HLC orders the steps)."""
    return (
        (col(SyncOp.entity) == "review_event")
        & (col(SyncOp.entity_id) == col(ReviewEvent.id))
        & (col(SyncOp.kind) == "create")
    )


def _events(session: Session, subject_type: str, subject_id: str) -> list[tuple[ReviewEvent, str]]:
    """Review events in causal order (HLC of their op-log entry, then timestamp)."""
    rows = session.exec(
        select(ReviewEvent, SyncOp.hlc)
        .join(SyncOp, created_op(), isouter=True)
        .where(
            ReviewEvent.subject_type == subject_type,
            ReviewEvent.subject_id == subject_id,
            col(ReviewEvent.deleted_at).is_(None),
        )
    ).all()
    return _causal(rows)


def _causal(rows: Iterable[tuple[ReviewEvent, str | None]]) -> list[tuple[ReviewEvent, str]]:
    out = [(ev, hlc or "") for ev, hlc in rows]
    out.sort(key=lambda t: (t[1] or "", t[0].at))
    return out


def _events_many(
    session: Session, subject_type: str, ids: list[str]
) -> dict[str, list[tuple[ReviewEvent, str]]]:
    """`_events` of many subjects of one type, one query per 500 subjects."""
    rows: dict[str, list[tuple[ReviewEvent, str | None]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        for ev, hlc in session.exec(
            select(ReviewEvent, SyncOp.hlc)
            .join(SyncOp, created_op(), isouter=True)
            .where(
                ReviewEvent.subject_type == subject_type,
                col(ReviewEvent.subject_id).in_(chunk),
                col(ReviewEvent.deleted_at).is_(None),
            )
        ).all():
            rows[ev.subject_id].append((ev, hlc))
    return {i: _causal(r) for i, r in rows.items()}


def _content_ops(
    session: Session, spec: SubjectSpec, subject_id: str, watched: list[Watched] | None = None
) -> list[OpFact]:
    """Op-log operations that changed a hashed field of the subject or its related records."""
    watched = spec.watched(session, subject_id) if watched is None else watched
    return _changes_of(watched, _ops_on(session, [rid for _, rid, _ in watched]))


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


class OpFact(NamedTuple):
    """What the vier-ogen rule reads of an op-log operation: its columns, no ORM object (a list
    of decisions reads ~1,000), the payload parsed only where its fields are asked."""

    op_id: str
    entity: str
    entity_id: str
    kind: str
    hlc: str
    origin_id: str
    origin_seq: int
    author_id: str | None
    payload: str | bytes  # as stored (db/sync/stored.py: compressed, or JSON text)

    def fields(self) -> set[str]:
        return set(stored.loads(self.payload))


def op_facts(session: Session, *where: ColumnElement[bool]) -> list[OpFact]:
    """The op-log operations that match `where`, as OpFacts."""
    q = sa_select(
        col(SyncOp.op_id),
        col(SyncOp.entity),
        col(SyncOp.entity_id),
        col(SyncOp.kind),
        col(SyncOp.hlc),
        col(SyncOp.origin_id),
        col(SyncOp.origin_seq),
        col(SyncOp.author_id),
        type_coerce(col(SyncOp.payload), NullType()),  # as stored, unpacked on demand
    ).where(*where)
    return [OpFact(*row) for row in session.execute(q)]


def _ops_on(session: Session, ids: list[str]) -> list[OpFact]:
    """Every op-log operation on these record ids (one query per 500 ids)."""
    ops: list[OpFact] = []
    for chunk in _chunks(ids):
        ops.extend(op_facts(session, col(SyncOp.entity_id).in_(chunk)))
    return ops


def _changes_of(watched: list[Watched], ops: list[OpFact]) -> list[OpFact]:
    """Of `ops`, those that changed a hashed field of a watched record, in HLC order."""
    by_id = {(ent, rid): fields for ent, rid, fields in watched}
    out = []
    for op in ops:
        key = (op.entity, op.entity_id)
        if key not in by_id:
            continue
        fields = by_id[key]
        if op.kind == "create" or fields is None or op.fields() & (fields | {"deleted_at"}):
            out.append(op)
    out.sort(key=lambda o: o.hlc)
    return out


def _editors(
    session: Session,
    spec: SubjectSpec,
    subject_id: str,
    ops: list[OpFact] | None = None,
    watched: list[Watched] | None = None,
) -> set[str]:
    """Everyone who wrote or edited any version: the author, the authors of content-changing
    operations, and actors of explicit create/update/edit audit events on those records."""
    watched = spec.watched(session, subject_id) if watched is None else watched
    ops = _content_ops(session, spec, subject_id, watched) if ops is None else ops
    ids = [rid for _, rid, _ in watched]
    actors = _audit_actors(session, ids)
    return _editors_from(
        trust.authority(session),
        ops,
        spec.author(session, subject_id),
        [actors.get(i, []) for i in ids],
    )


def _audit_actors(session: Session, ids: list[str]) -> dict[str, list[str | None]]:
    """Record id -> actors of its explicit create/update/edit audit events (one query per 500)."""
    out: dict[str, list[str | None]] = {}
    for chunk in _chunks(ids):
        for rid, actor in session.exec(
            select(AuditEvent.entity_id, AuditEvent.actor_id).where(
                col(AuditEvent.entity_id).in_(chunk),
                col(AuditEvent.action).in_(("create", "update", "edit")),
            )
        ).all():
            out.setdefault(rid, []).append(actor)
    return out


def _editors_from(
    auth: trust.OpAuthority,
    ops: list[OpFact],
    author: str | None,
    audit_actors: Iterable[Iterable[str | None]],
) -> set[str]:
    """The editors from the facts read: authors of the content operations, the author, and the
    actors of audit events on the watched records."""
    # Authenticated authors only: an own operation after the store exists is this laptop's
    # user whatever its author field says; colleagues' operations were checked on arrival.
    editors = {a for op in ops if (a := auth.author(op.origin_id, op.origin_seq, op.author_id))}
    if author:
        editors.add(author)
    for actors in audit_actors:
        editors.update(a for a in actors if a)
    return editors


@dataclass(frozen=True)
class SubjectFacts:
    """The facts of one subject as `facts_many` read them for many subjects at once: what
    `_events`, `_content_ops` and `_editors` return for it alone."""

    events: list[tuple[ReviewEvent, str]]
    ops: list[OpFact]
    editors: set[str]


def facts_many(
    session: Session, subject_type: str, ids: list[str], auth: trust.OpAuthority
) -> dict[str, SubjectFacts]:
    """The review steps, content operations and editors of many subjects of one type, with one
    query per kind of fact for all of them (issue 18: a list of 60 decisions read them per
    subject, ~35 queries each). Derived from the same facts by the same functions as for one
    subject; nothing is cached between calls."""
    events = _events_many(session, subject_type, ids)
    changes = changes_many(session, subject_type, ids, auth)
    return {i: SubjectFacts(events[i], *changes[i]) for i in ids}


def changes_many(
    session: Session, subject_type: str, ids: list[str], auth: trust.OpAuthority
) -> dict[str, tuple[list[OpFact], set[str]]]:
    """The content operations and editors of many subjects of one type (`_content_ops` and
    `_editors` of each), one query per kind of fact for all of them."""
    spec = spec_of(subject_type)
    watched = spec.watched_of(session, ids)
    record_ids = list(dict.fromkeys(rid for i in ids for _, rid, _ in watched[i]))
    ops_by_record: dict[str, list[OpFact]] = {}
    for op in _ops_on(session, record_ids):
        ops_by_record.setdefault(op.entity_id, []).append(op)
    actors = _audit_actors(session, record_ids)
    authors = spec.authors_of(session, ids)
    out = {}
    for i in ids:
        rids = [rid for _, rid, _ in watched[i]]
        ops = _changes_of(
            watched[i], [op for rid in dict.fromkeys(rids) for op in ops_by_record.get(rid, [])]
        )
        out[i] = (ops, _editors_from(auth, ops, authors[i], [actors.get(r, []) for r in rids]))
    return out


def editors_of(session: Session, subject_type: str, subject_id: str) -> set[str]:
    """Everyone who edited the subject (the vier-ogen rule's editors), for one session. The
    team server's review facts take this (db.sync.pg_hub.EditorsOf; injected by
    desktop.services.sync.review_facts, since db never imports desktop)."""
    return _editors(session, spec_of(subject_type), subject_id)


def _user(session: Session, user_id: str) -> AppUser | None:
    u = session.get(AppUser, user_id)
    return u if u is not None and u.deleted_at is None else None


def _step(ev: ReviewEvent, names: dict[str, str], refused: str = "") -> ReviewStep:
    return ReviewStep(
        ev.kind,
        ReviewKind(ev.kind).label,
        ev.actor_id,
        names.get(ev.actor_id, "?"),
        ev.at,
        ev.content_hash,
        ev.comment,
        refused,
    )


def has_role(session: Session, user_id: str | None, role: str = Role.TEAM_LEAD) -> bool:
    """The role as the team grants it (signed grants once a store exists; the local profile
    before that): the one role check of the vier-ogen rule."""
    user = _user(session, user_id) if user_id else None
    return user is not None and str(role) in trust.effective_roles(session, user.id, user.roles)
