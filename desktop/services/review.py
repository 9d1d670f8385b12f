"""Vier-ogen review: the ONE place of the four-eyes rule (ARCHITECTURE.md "Review").

Workflow steps are append-only `ReviewEvent` facts (submitted / approved / rejected /
withdrawn), never overwritten fields. An approval names the content hash of the exact version
it approves; "approved" is *derived* from those facts on every call:

* an APPROVED event exists whose `content_hash` equals the hash of the CURRENT version;
* its actor holds the TEAM_LEAD role and is neither the author nor any editor of the subject
  (editors = authors of the op-log operations that changed a hashed field, plus audit events);
* no content-changing operation happened after it (an edit voids the approval, even an edit
  that is later undone) and no rejection/withdrawal came after it.

DOMAIN.md §2 "Four-eyes rules": a deviation decision, an assessment letter and any change to
approved amounts need two distinct users; the reviewer holds TEAM_LEAD (NZa S4 §2.3).

Each subject type describes its content through a `SubjectSpec`; budget requests register
theirs in desktop.services.requests, plan assessments in desktop.services.plans. Other modules
(letters) call `register_subject(...)`. Unknown types fall back to hashing all columns of the
table with that name.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import ENTITIES, AppUser, AuditEvent, ReviewEvent
from db.models.enums import ReviewKind, Role
from db.repo import UnitOfWork
from db.sync import trust
from db.sync.models import SyncOp
from db.sync.oplog import decode_value

# -- subject specs -----------------------------------------------------------------------------

# (entity table name, record id, hashed field names or None for "every field")
Watched = tuple[str, str, frozenset[str] | None]

_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class SubjectSpec:
    """How one kind of subject is hashed, described and moved through its states.

    content(session, id) -> dict      the exact version (JSON-able after canonicalisation)
    watched(session, id) -> [Watched] the records (and fields) whose edits make a new version
    author(session, id) -> str|None   the author (always counts as an editor)
    describe(session, id) -> str      Dutch title for the queue ("Zorggroep X – aanvraag 2027")
    before(uow, id, kind, actor)      refuse (RuleViolation) or move the subject's state
    """

    content: Callable[[Session, str], dict[str, Any]]
    watched: Callable[[Session, str], list[Watched]]
    author: Callable[[Session, str], str | None] = lambda s, i: None
    describe: Callable[[Session, str], str] = lambda s, i: i
    before: Callable[[UnitOfWork, str, str, str], None] | None = None
    # Subject rules that must still hold for an approval to count (e.g. the budget ceiling),
    # so a crafted APPROVED fact cannot carry a version the service would have refused.
    still_valid: Callable[[Session, str], bool] | None = None


_SPECS: dict[str, SubjectSpec] = {}
# Modules that register specs for these subject types on import (lazy: no import cycle).
_SPEC_MODULES = {
    "budget_request": "desktop.services.requests",
    "plan_assessment": "desktop.services.plans",
    "advance_adjustment": "desktop.services.budget_year.advances",
    "reallocation_round": "desktop.services.budget_year.herschikking",
    "final_settlement": "desktop.services.budget_year.nacalculatie",
}


def register_subject(subject_type: str, spec: SubjectSpec) -> None:
    _SPECS[subject_type] = spec


def _generic_spec(subject_type: str) -> SubjectSpec:
    model = ENTITIES.get(subject_type)
    if model is None:
        raise NotFound(f"Onbekend soort beoordeling '{subject_type}'.")
    fields = frozenset(c.name for c in model.__table__.columns) - _BOOKKEEPING - {"status"}  # type: ignore[union-attr]

    def content(s: Session, sid: str) -> dict[str, Any]:
        obj = s.get(model, sid)
        if obj is None:
            raise NotFound("Dit dossier bestaat niet.")
        return {f: getattr(obj, f) for f in sorted(fields)}

    def author(s: Session, sid: str) -> str | None:
        obj = s.get(model, sid)
        for name in ("author_id", "maker_id"):
            if obj is not None and getattr(obj, name, None):
                return getattr(obj, name)
        return None

    return SubjectSpec(
        content=content, watched=lambda s, sid: [(subject_type, sid, fields)], author=author
    )


def _spec(subject_type: str) -> SubjectSpec:
    if subject_type not in _SPECS and subject_type in _SPEC_MODULES:
        importlib.import_module(_SPEC_MODULES[subject_type])
    return _SPECS.get(subject_type) or _generic_spec(subject_type)


# -- hashing -----------------------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def hash_content(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no whitespace, exact cents)."""
    text = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_in(session: Session, subject_type: str, subject_id: str) -> str:
    return hash_content(_spec(subject_type).content(session, subject_id))


def content_hash_in(session: Session, subject_type: str, subject_id: str) -> str:
    """`content_hash` inside the caller's session (a subject's service compares the version
    before and after its own edit in one unit of work)."""
    return _hash_in(session, subject_type, subject_id)


def content_hash(db: Database, subject_type: str, subject_id: str) -> str:
    """Hash of the current version of a subject (its fields + criterion judgements...)."""
    with db.read_session() as s:
        return _hash_in(s, subject_type, subject_id)


# -- facts -------------------------------------------------------------------------------------


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


def _hlc_time(hlc: str | None) -> datetime | None:
    if not hlc:
        return None
    return datetime.fromtimestamp(int(hlc.split(".")[0]) / 1000, tz=UTC)


def _events(session: Session, subject_type: str, subject_id: str) -> list[tuple[ReviewEvent, str]]:
    """Review events in causal order (HLC of their op-log entry, then timestamp)."""
    rows = session.exec(
        select(ReviewEvent, SyncOp.hlc)
        .join(
            SyncOp,
            (SyncOp.entity == "review_event")
            & (SyncOp.entity_id == ReviewEvent.id)
            & (SyncOp.kind == "create"),
            isouter=True,
        )  # type: ignore[arg-type]
        .where(
            ReviewEvent.subject_type == subject_type,
            ReviewEvent.subject_id == subject_id,
            ReviewEvent.deleted_at == None,  # noqa: E711
        )
    ).all()
    out = [(ev, hlc or "") for ev, hlc in rows]
    out.sort(key=lambda t: (t[1] or "", t[0].at))
    return out


def _content_ops(
    session: Session, spec: SubjectSpec, subject_id: str, watched: list[Watched] | None = None
) -> list[SyncOp]:
    """Op-log operations that changed a hashed field of the subject or its related records."""
    watched = spec.watched(session, subject_id) if watched is None else watched
    by_id = {(ent, rid): fields for ent, rid, fields in watched}
    ids = [rid for _, rid, _ in watched]
    ops: list[SyncOp] = []
    for chunk in range(0, len(ids), 500):
        ops.extend(
            session.exec(select(SyncOp).where(SyncOp.entity_id.in_(ids[chunk : chunk + 500]))).all()
        )  # type: ignore[attr-defined]
    out = []
    for op in ops:
        key = (op.entity, op.entity_id)
        if key not in by_id:
            continue
        fields = by_id[key]
        if op.kind == "create" or fields is None or set(op.payload) & (fields | {"deleted_at"}):
            out.append(op)
    out.sort(key=lambda o: o.hlc)
    return out


def _editors(
    session: Session,
    spec: SubjectSpec,
    subject_id: str,
    ops: list[SyncOp] | None = None,
    watched: list[Watched] | None = None,
) -> set[str]:
    """Everyone who wrote or edited any version: the author, the authors of content-changing
    operations, and actors of explicit create/update/edit audit events on those records."""
    watched = spec.watched(session, subject_id) if watched is None else watched
    ops = _content_ops(session, spec, subject_id, watched) if ops is None else ops
    auth = trust.authority(session)
    # Authenticated authors only: an own operation after the store exists is this laptop's
    # user whatever its author field says; colleagues' operations were checked on arrival.
    editors = {a for op in ops if (a := auth.author(op.origin_id, op.origin_seq, op.author_id))}
    author = spec.author(session, subject_id)
    if author:
        editors.add(author)
    ids = [rid for _, rid, _ in watched]
    if ids:
        for actor in session.exec(
            select(AuditEvent.actor_id).where(
                AuditEvent.entity_id.in_(ids),  # type: ignore[attr-defined]
                AuditEvent.action.in_(("create", "update", "edit")),
            )  # type: ignore[attr-defined]
        ).all():
            if actor:
                editors.add(actor)
    return editors


def editors_of(session: Session, subject_type: str, subject_id: str) -> set[str]:
    """Everyone who edited the subject (the vier-ogen rule's editors), for one session. The
    team server's review facts take this (db.sync.pg_hub.EditorsOf; injected by
    desktop.services.sync.review_facts, since db never imports desktop)."""
    return _editors(session, _spec(subject_type), subject_id)


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


def refused_steps(
    session: Session,
    spec: SubjectSpec,
    subject_id: str,
    events: list[tuple[ReviewEvent, str]],
    *,
    for_push: bool = False,
) -> dict[str, str]:
    """Review event id -> Dutch reason for steps that count for nothing (review_rules.py)."""
    from desktop.services.review_rules import refused_steps as rule

    return rule(session, spec, subject_id, events, for_push=for_push)


def push_judge(session: Session, ops: list[dict[str, Any]]) -> dict[str, str]:
    from desktop.services.review_rules import push_judge as judge

    return judge(session, ops)


def _derive(
    session: Session, subject_type: str, subject_id: str, with_names: bool = True
) -> ReviewStatus:
    spec = _spec(subject_type)
    current = _hash_in(session, subject_type, subject_id)
    all_events = _events(session, subject_type, subject_id)
    refused = refused_steps(session, spec, subject_id, all_events)
    events = [(ev, h) for ev, h in all_events if ev.id not in refused]
    names = {u.id: u.name for u in session.exec(select(AppUser)).all()} if with_names else {}
    steps = tuple(_step(ev, names, refused.get(ev.id, "")) for ev, _ in all_events)
    approval = _valid_approval(session, spec, subject_id, current, events, names)
    valid_steps = [s for s in steps if not s.refused]
    last = valid_steps[-1] if valid_steps else None
    rejection = next(
        (s.comment for s in reversed(valid_steps) if s.kind == ReviewKind.REJECTED), ""
    )
    if approval is not None:
        state = "APPROVED"
    elif last is None:
        state = "NONE"
    elif last.kind == ReviewKind.APPROVED:
        state = "VOID"
    else:
        state = str(last.kind)
    stale = last is not None and last.content_hash != current
    if state == "SUBMITTED" and stale:
        state = "NONE"  # changed after submitting: must be offered again
    return ReviewStatus(
        state,
        _STATE_LABELS[state],
        current,
        approval,
        last,
        rejection if state in ("REJECTED", "NONE", "VOID") else "",
        stale,
        steps,
    )


def _valid_approval(
    session: Session,
    spec: SubjectSpec,
    subject_id: str,
    current: str,
    events: list[tuple[ReviewEvent, str]],
    names: dict[str, str],
) -> Approval | None:
    if not events:
        return None
    last_ev, last_hlc = events[-1]
    if last_ev.kind != ReviewKind.APPROVED or last_ev.content_hash != current:
        return None  # a later rejection / withdrawal / resubmission supersedes it
    # There must have been a submission of this very version before the approval.
    if not any(
        ev.kind == ReviewKind.SUBMITTED and ev.content_hash == current for ev, _ in events[:-1]
    ):
        return None
    approver = _user(session, last_ev.actor_id)
    if approver is None or not has_role(session, approver.id):
        return None
    watched = spec.watched(session, subject_id)
    ops = _content_ops(session, spec, subject_id, watched)
    if last_ev.actor_id in _editors(session, spec, subject_id, ops, watched):
        return None
    # Any content change after the approval voids it, even one that was later undone.
    if last_hlc and any(op.hlc > last_hlc for op in ops):
        return None
    if spec.still_valid is not None and not spec.still_valid(session, subject_id):
        return None
    return Approval(approver.id, approver.name, last_ev.at, last_ev.content_hash, last_ev.comment)


def approval_in(
    session: Session, subject_type: str, subject_id: str, *, honour_refusals: bool = True
) -> Approval | None:
    """`approval` inside the caller's session (a use case that checks the approval in the same
    transaction that acts on it, such as a definitive letter). `honour_refusals=False` counts
    the steps review_rules refuses as well (what the budget-year services have always done)."""
    spec = _spec(subject_type)
    current = _hash_in(session, subject_type, subject_id)
    events = _events(session, subject_type, subject_id)
    if honour_refusals:
        refused = refused_steps(session, spec, subject_id, events)
        events = [(ev, h) for ev, h in events if ev.id not in refused]
    return _valid_approval(session, spec, subject_id, current, events, {})


def approval(db: Database, subject_type: str, subject_id: str) -> Approval | None:
    """The valid approval of the CURRENT version, or None (see module docstring)."""
    with db.read_session() as s:
        return approval_in(s, subject_type, subject_id)


def status_in(
    session: Session, subject_type: str, subject_id: str, *, with_names: bool = True
) -> ReviewStatus:
    """`status` inside the caller's session (`with_names=False`: no user names, faster)."""
    return _derive(session, subject_type, subject_id, with_names)


def status(db: Database, subject_type: str, subject_id: str) -> ReviewStatus:
    with db.read_session() as s:
        return status_in(s, subject_type, subject_id)


# -- verbs -------------------------------------------------------------------------------------


def record_step(
    uow: UnitOfWork,
    subject_type: str,
    subject_id: str,
    kind: ReviewKind,
    by: str,
    digest: str,
    comment: str = "",
) -> ReviewEvent:
    """Append one workflow fact in the caller's unit of work, without the checks of the verbs
    below: for a subject's own service when its rules end a review (an edit after submitting
    withdraws the submission; a withdrawn request withdraws its review)."""
    return _record(uow, subject_type, subject_id, kind, by, digest, comment)


def _actor(uow: UnitOfWork, by: str) -> AppUser:
    user = _user(uow.session, by)
    if user is None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return user


def _record(
    uow: UnitOfWork,
    subject_type: str,
    subject_id: str,
    kind: ReviewKind,
    by: str,
    digest: str,
    comment: str,
) -> ReviewEvent:
    ev = uow.add(
        ReviewEvent(
            subject_type=subject_type,
            subject_id=subject_id,
            kind=str(kind),
            actor_id=by,
            content_hash=digest,
            comment=comment,
        )
    )
    return ev


def submit(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> ReviewStatus:
    """Offer the current version for the vier-ogen review (the teamleider's queue)."""
    spec = _spec(subject_type)
    with UnitOfWork(db, by) as uow:
        _actor(uow, by)
        st = _derive(uow.session, subject_type, subject_id)
        if st.state == "SUBMITTED":
            raise RuleViolation("Deze versie is al ter beoordeling aangeboden.")
        if st.state == "APPROVED":
            raise RuleViolation("Deze versie is al goedgekeurd; opnieuw aanbieden is niet nodig.")
        if st.state == "REJECTED" and not st.stale:
            raise RuleViolation(
                "Deze versie is afgekeurd. Pas het dossier eerst aan en bied het "
                "daarna opnieuw aan."
            )
        if spec.before:
            spec.before(uow, subject_id, ReviewKind.SUBMITTED, by)
        digest = _hash_in(uow.session, subject_type, subject_id)
        _record(uow, subject_type, subject_id, ReviewKind.SUBMITTED, by, digest, comment.strip())
    return status(db, subject_type, subject_id)


def _check_reviewer(
    uow: UnitOfWork, spec: SubjectSpec, subject_type: str, subject_id: str, by: str, verb: str
) -> ReviewStatus:
    user = _actor(uow, by)
    if not has_role(uow.session, user.id):
        raise RuleViolation(
            f"Alleen een teamleider mag {verb}. {user.name} heeft die rol niet "
            "(rollen worden toegekend door een teamleider: Extra › Team…)."
        )
    if by in _editors(uow.session, spec, subject_id):
        raise RuleViolation(
            f"U kunt uw eigen werk niet {verb}: u heeft dit dossier opgesteld of "
            "gewijzigd. Een andere teamleider moet het beoordelen (vier-ogenprincipe)."
        )
    st = _derive(uow.session, subject_type, subject_id, with_names=False)
    if st.state == "APPROVED":
        raise RuleViolation("Deze versie is al goedgekeurd.")
    if st.state == "REJECTED":
        raise RuleViolation(
            "Deze versie is afgekeurd. De opsteller moet een aangepaste versie opnieuw aanbieden."
        )
    if st.state == "VOID":
        raise RuleViolation(
            "De eerdere goedkeuring is vervallen door een wijziging. Het dossier "
            "moet opnieuw worden aangeboden."
        )
    if st.state != "SUBMITTED":
        if st.stale and st.last_step is not None and st.last_step.kind == ReviewKind.SUBMITTED:
            raise RuleViolation(
                "Het dossier is gewijzigd nadat het ter beoordeling is aangeboden. "
                "Het moet opnieuw worden aangeboden."
            )
        raise RuleViolation("Deze versie is niet ter beoordeling aangeboden.")
    return st


def approve(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> Approval:
    """Second signature by a teamleider who did not write or edit this version."""
    spec = _spec(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _check_reviewer(uow, spec, subject_type, subject_id, by, "goedkeuren")
        if spec.before:
            spec.before(uow, subject_id, ReviewKind.APPROVED, by)
        ev = _record(
            uow, subject_type, subject_id, ReviewKind.APPROVED, by, st.current_hash, comment.strip()
        )
        if subject_type == "budget_request":
            # The diagnosis notes a decision rested on are frozen with it (issue 4: notes are
            # "editable until included in an approved decision").
            from db.models import BudgetRequest
            from desktop.services.diagnosis import lock_provider_notes_in

            request = uow.get(BudgetRequest, subject_id)
            if request is not None:
                lock_provider_notes_in(uow, request.provider_id, subject_id)
        approver = _actor(uow, by)
        result = Approval(approver.id, approver.name, ev.at, ev.content_hash, ev.comment)
    return result


def reject(db: Database, subject_type: str, subject_id: str, by: str, comment: str) -> ReviewStatus:
    """Send back with a comment; the comment is shown to the author."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError("comment", "Geef bij afkeuren een toelichting voor de opsteller.")
    spec = _spec(subject_type)
    with UnitOfWork(db, by) as uow:
        st = _check_reviewer(uow, spec, subject_type, subject_id, by, "afkeuren")
        if spec.before:
            spec.before(uow, subject_id, ReviewKind.REJECTED, by)
        _record(uow, subject_type, subject_id, ReviewKind.REJECTED, by, st.current_hash, comment)
    return status(db, subject_type, subject_id)


def withdraw(
    db: Database, subject_type: str, subject_id: str, by: str, comment: str = ""
) -> ReviewStatus:
    """The author takes a pending submission back (e.g. to change it)."""
    spec = _spec(subject_type)
    with UnitOfWork(db, by) as uow:
        _actor(uow, by)
        st = _derive(uow.session, subject_type, subject_id)
        last = st.last_step
        if last is None or last.kind != ReviewKind.SUBMITTED:
            raise RuleViolation("Er is geen openstaande aanbieding om terug te trekken.")
        if by != last.actor_id and by not in _editors(uow.session, spec, subject_id):
            raise RuleViolation("Alleen de opsteller kan een aanbieding terugtrekken.")
        if spec.before:
            spec.before(uow, subject_id, ReviewKind.WITHDRAWN, by)
        _record(
            uow,
            subject_type,
            subject_id,
            ReviewKind.WITHDRAWN,
            by,
            st.current_hash,
            comment.strip(),
        )
    return status(db, subject_type, subject_id)


# -- queue and audit view ----------------------------------------------------------------------


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


def queue(
    db: Database, viewer_id: str | None = None, subject_types: Iterable[str] | None = None
) -> list[QueueItem]:
    """Everything whose latest step is a submission: the teamleider's "Te beoordelen"."""
    with db.read_session() as s:
        # Columns, not ORM objects: every review event ever made is read (issue 18).
        q = (
            sa_select(
                ReviewEvent.subject_type,
                ReviewEvent.subject_id,
                ReviewEvent.kind,  # type: ignore[call-overload]
                ReviewEvent.actor_id,
                ReviewEvent.at,
                ReviewEvent.content_hash,
                SyncOp.hlc,
            )
            .join(
                SyncOp,
                (SyncOp.entity == "review_event")
                & (SyncOp.entity_id == ReviewEvent.id)
                & (SyncOp.kind == "create"),
                isouter=True,
            )
            .where(ReviewEvent.deleted_at == None)  # noqa: E711
        )  # type: ignore[arg-type]
        if subject_types is not None:
            q = q.where(ReviewEvent.subject_type.in_(list(subject_types)))  # type: ignore[attr-defined]
        q = q.order_by(ReviewEvent.subject_type, ReviewEvent.subject_id)
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
        items = []
        for (stype, sid), (_, ev) in latest.items():
            if ev.kind != ReviewKind.SUBMITTED:
                continue
            spec = _spec(stype)
            try:
                current = _hash_in(s, stype, sid)
            except NotFound:
                continue
            own = bool(viewer_id) and viewer_id in _editors(s, spec, sid)
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


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor_id: str | None
    actor_name: str
    action: str  # Dutch: "Aangemaakt", "Gewijzigd", "Verwijderd", review labels
    entity: str
    changes: tuple[tuple[str, str], ...]  # (field, new value as text)
    comment: str = ""


_ACTIONS = {"create": "Aangemaakt", "update": "Gewijzigd", "delete": "Verwijderd"}
_ENTITY_LABELS = {
    "budget_request": "Aanvraag",
    "deviation_request": "Afwijkingsverzoek",
    "criterion_judgement": "Criterium",
    "clarification": "Toelichting",
    "plan_assessment": "Planbeoordeling",
    "quality_plan": "Kwaliteitsplan",
    "letter": "Brief",
}


_FIELD_LABELS = {
    "state": "status",
    "decision": "besluit",
    "judgement": "oordeel",
    "reasoning": "onderbouwing",
    "criterion": "criterium",
    "requested_total": "aangevraagd totaal",
    "requested_staff_amount": "zorgpersoneel",
    "requested_other_amount": "overige investeringen",
    "initial_reserved_amount": "initieel gereserveerd",
    "approved_total": "toegekend totaal",
    "approved_staff_amount": "toegekend zorgpersoneel",
    "approved_other_amount": "toegekend overige investeringen",
    "justification": "onderbouwing",
    "decision_rationale": "motivering",
    "custom_agreements": "maatwerkafspraken",
    "improvement_points": "verbeterpunten",
    "received_date": "ontvangen op",
    "letter_date": "brief van",
    "external_reference": "uw kenmerk",
    "decided_on": "besloten op",
    "has_special_circumstances": "bijzonderheden",
    "question": "vraag",
    "answer": "antwoord",
    "asked_on": "gevraagd op",
    "answered_on": "beantwoord op",
    "mediation": "mediation",
    "letter_sent_on": "brief verstuurd op",
    "addendum_signed_on": "addendum getekend op",
    "budget_year": "budgetjaar",
}
_HIDDEN_FIELDS = {
    "updated_at",
    "created_at",
    "deleted_at",
    "author_id",
    "budget_request_id",
    "provider_id",
    "care_office_id",
    "region_id",
    "quality_plan_id",
}


def _value_label(name: str, value: Any) -> str:
    from db.models.enums import Decision, Judgement, RequestState

    enum = {"state": RequestState, "decision": Decision, "judgement": Judgement}.get(name)
    if enum is not None and isinstance(value, str) and value in enum.__members__:
        return enum(value).label
    if name == "criterion" and isinstance(value, str):
        return value.split("_", 1)[0]
    if isinstance(value, date) and not isinstance(value, datetime):
        from desktop.services.formatting import long_date

        return long_date(value)
    return _text(value)


def _changes(payload: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (_FIELD_LABELS.get(k, k), _value_label(k, decode_value(v)))
        for k, v in sorted(payload.items())
        if k not in _HIDDEN_FIELDS
    )


def _text(value: Any) -> str:
    value = decode_value(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        from desktop.services.formatting import money

        return money(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def history(
    db: Database, subject_type: str, subject_id: str, extra: Iterable[tuple[str, str]] = ()
) -> list[HistoryEntry]:
    """Audit view: every change (op-log) of the subject and its related records, every audit
    event and every review step, with who and when, oldest first."""
    with db.read_session() as s:
        spec = _spec(subject_type)
        watched = {(e, i) for e, i, _ in spec.watched(s, subject_id)} | set(extra)
        ids = [i for _, i in watched]
        names = {u.id: u.name for u in s.exec(select(AppUser)).all()}
        entries: list[tuple[str, HistoryEntry]] = []
        ops = s.exec(select(SyncOp).where(SyncOp.entity_id.in_(ids))).all() if ids else []  # type: ignore[attr-defined]
        for op in ops:
            if (op.entity, op.entity_id) not in watched:
                continue
            changes = _changes(op.payload)
            label = _ENTITY_LABELS.get(op.entity, op.entity)
            entries.append(
                (
                    op.hlc,
                    HistoryEntry(
                        _hlc_time(op.hlc) or datetime.now(UTC),
                        op.author_id,
                        names.get(op.author_id or "", "systeem"),
                        f"{label}: {_ACTIONS.get(op.kind, op.kind)}",
                        op.entity,
                        changes,
                    ),
                )
            )
        audits = (
            s.exec(select(AuditEvent).where(AuditEvent.entity_id.in_(ids))).all() if ids else []
        )  # type: ignore[attr-defined]
        for au in audits:
            entries.append(
                (
                    f"{int(au.at.timestamp() * 1000):015d}.999999",
                    HistoryEntry(
                        au.at,
                        au.actor_id,
                        names.get(au.actor_id or "", "systeem"),
                        f"{_ENTITY_LABELS.get(au.entity, au.entity)}: {au.action}",
                        au.entity,
                        tuple((k, _text(v)) for k, v in sorted(au.details.items())),
                    ),
                )
            )
        events = _events(s, subject_type, subject_id)
        refused = refused_steps(s, spec, subject_id, events)
        for ev, hlc in events:
            why = refused.get(ev.id)
            label = f"Vier-ogen: {ReviewKind(ev.kind).label}"
            entries.append(
                (
                    hlc or f"{int(ev.at.timestamp() * 1000):015d}",
                    HistoryEntry(
                        ev.at,
                        ev.actor_id,
                        names.get(ev.actor_id, "?"),
                        f"{label} (geweigerd: {why})" if why else label,
                        "review_event",
                        (("versie", ev.content_hash[:12]),),
                        ev.comment,
                    ),
                )
            )
    # By the time shown; the HLC breaks ties (steps written in one transaction).
    entries.sort(key=lambda t: (t[1].at, t[0]))
    return [e for _, e in entries]
