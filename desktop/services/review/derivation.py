"""Derived, never stored: the state of a subject's review and whether its current version
carries a valid approval (see the package docstring for the rule)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound
from db.models import AppUser, ReviewEvent
from db.models.enums import ReviewKind
from db.sync import trust
from desktop.services.review.facts import (
    _STATE_LABELS,
    Approval,
    OpFact,
    ReviewStatus,
    _content_ops,
    _editors,
    _events,
    _step,
    _user,
    facts_many,
    has_role,
)
from desktop.services.review.hashing import _hash_in, hash_content
from desktop.services.review.rules import _held, _step_ops, _verdicts, refused_steps
from desktop.services.review.subjects import SubjectSpec, spec_of

T = TypeVar("T")


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
    def facts() -> tuple[list[OpFact], set[str]]:
        watched = spec.watched(session, subject_id)
        ops = _content_ops(session, spec, subject_id, watched)
        return ops, _editors(session, spec, subject_id, ops, watched)

    return _approval_from(
        current,
        events,
        lambda user_id: _user(session, user_id),
        lambda user_id: has_role(session, user_id),
        facts,
        lambda: spec.still_valid is None or spec.still_valid(session, subject_id),
    )


def _approval_from(
    current: str,
    events: list[tuple[ReviewEvent, str]],
    user: Callable[[str], AppUser | None],
    is_lead: Callable[[str], bool],
    facts: Callable[[], tuple[list[OpFact], set[str]]],
    still_valid: Callable[[], bool],
) -> Approval | None:
    """The vier-ogen rule on the facts read: the last valid step approves the current version,
    after a submission of it, by a live teamleider who never edited the subject, with no
    content change after it, and the subject's own rules still hold."""
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
    approver = user(last_ev.actor_id)
    if approver is None or not is_lead(approver.id):
        return None
    ops, editors = facts()
    if last_ev.actor_id in editors:
        return None
    # Any content change after the approval voids it, even one that was later undone.
    if last_hlc and any(op.hlc > last_hlc for op in ops):
        return None
    if not still_valid():
        return None
    return Approval(approver.id, approver.name, last_ev.at, last_ev.content_hash, last_ev.comment)


def _known(value: T) -> Callable[[], T]:
    return lambda: value


def approvals_in(
    session: Session, subject_type: str, subject_ids: list[str], *, honour_refusals: bool = True
) -> dict[str, Approval | None]:
    """`approval_in` of many subjects of one type at once, {id: approval or None}: the same
    rule on the same facts, read with one query per kind of fact for all subjects (issue 18:
    the Brieven list's 60 decisions at 3x took ~6 ms each). NotFound when a subject is gone."""
    spec = spec_of(subject_type)
    ids = list(dict.fromkeys(subject_ids))
    if not ids:
        return {}
    contents = spec.contents_of(session, ids)
    missing = [i for i in ids if i not in contents]
    if missing:
        raise NotFound("Dit dossier bestaat niet.")
    auth = trust.authority(session)
    facts = facts_many(session, subject_type, ids, auth)
    users = {u.id: u for u in session.exec(select(AppUser)).all() if u.deleted_at is None}
    lead: dict[str, bool] = {}

    def is_lead(user_id: str) -> bool:
        if user_id not in lead:
            lead[user_id] = has_role(session, user_id)
        return lead[user_id]

    refused: dict[str, dict[str, str]] = {}
    if honour_refusals:
        step_ops = _step_ops(session, [ev.id for i in ids for ev, _ in facts[i].events])
        held = _held(session, auth, False)
        for i in ids:
            if facts[i].events:
                refused[i] = _verdicts(
                    facts[i].events, step_ops, auth, held, _known(facts[i].editors), is_lead
                )
    # Phase one: every rule but the subject's own (still_valid), which is asked only of the
    # subjects that pass the rest, together.
    passed: dict[str, Approval] = {}
    for i in ids:
        f = facts[i]
        events = [(ev, h) for ev, h in f.events if ev.id not in refused.get(i, {})]
        found = _approval_from(
            hash_content(contents[i]),
            events,
            users.get,
            is_lead,
            _known((f.ops, f.editors)),
            lambda: True,
        )
        if found is not None:
            passed[i] = found
    valid = spec.valid_of(session, list(passed))
    return {i: passed[i] if valid.get(i) else None for i in ids}


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
