"""Derived, never stored: the state of a subject's review and whether its current version
carries a valid approval (see the package docstring for the rule)."""

from __future__ import annotations

from sqlmodel import Session, select

from db.engine import Database
from db.models import AppUser, ReviewEvent
from db.models.enums import ReviewKind
from desktop.services.review.facts import (
    _STATE_LABELS,
    Approval,
    ReviewStatus,
    _content_ops,
    _editors,
    _events,
    _step,
    _user,
    has_role,
)
from desktop.services.review.hashing import _hash_in
from desktop.services.review.rules import refused_steps
from desktop.services.review.subjects import SubjectSpec, spec_of


def _derive(
    session: Session, subject_type: str, subject_id: str, with_names: bool = True
) -> ReviewStatus:
    spec = spec_of(subject_type)
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
    spec = spec_of(subject_type)
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
