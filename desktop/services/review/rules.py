"""The vier-ogen rule's verdict on each review step (issue 13): which steps count on every
replica, and which own steps the sync must hold back (`push_judge`, injected into the sync
engine as its db.sync.guard.Judge)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col

from db.errors import NotFound
from db.models import ReviewEvent
from db.models.enums import ReviewKind
from db.sync import trust
from db.sync.models import SyncOp
from desktop.services.review.facts import OpFact, _editors, _events, has_role, op_facts
from desktop.services.review.subjects import SubjectSpec, spec_of

log = logging.getLogger(__name__)


def refused_steps(
    session: Session,
    spec: SubjectSpec,
    subject_id: str,
    events: list[tuple[ReviewEvent, str]],
    *,
    for_push: bool = False,
) -> dict[str, str]:
    """Review event id -> Dutch reason, for steps that count for nothing on any replica: not
    recorded through the op-log under the actor's own (authenticated) name, a decision by
    someone without a granted teamleider role, by the submitter or an editor of the subject,
    or of another version than the one submitted. The same derivation runs on every replica
    and before pushing (`for_push`: this laptop's held steps are judged afresh)."""
    if not events:
        return {}
    auth = trust.authority(session)
    return _verdicts(
        events,
        _step_ops(session, [ev.id for ev, _ in events]),
        auth,
        _held(session, auth, for_push),
        lambda: _editors(session, spec, subject_id),
        lambda actor: has_role(session, actor),
        for_push=for_push,
    )


def _step_ops(session: Session, event_ids: list[str]) -> dict[str, OpFact]:
    """Review event id -> the op-log operation that created it (one query per 500 events)."""
    ops: dict[str, OpFact] = {}
    for chunk in range(0, len(event_ids), 500):
        for op in op_facts(
            session,
            col(SyncOp.entity) == "review_event",
            col(SyncOp.kind) == "create",
            col(SyncOp.entity_id).in_(event_ids[chunk : chunk + 500]),
        ):
            ops[op.entity_id] = op
    return ops


def _held(session: Session, auth: trust.OpAuthority, for_push: bool) -> dict[str, str]:
    """This laptop's held-back operations, op id -> why (not when judging for a push)."""
    if not auth.held or for_push:
        return {}
    return {
        r[0][5:]: r[1]
        for r in session.execute(
            text(
                "SELECT name, reason FROM sync_segment WHERE status IN ('held', 'refused_server', "
                "'withdrawn')"
            )
        )
    }


def _verdicts(
    events: list[tuple[ReviewEvent, str]],
    ops: dict[str, OpFact],
    auth: trust.OpAuthority,
    held: dict[str, str],
    editors_of: Callable[[], set[str]],
    is_lead: Callable[[str], bool],
    *,
    for_push: bool = False,
) -> dict[str, str]:
    """refused_steps from the facts read (one subject's steps, the operations that created
    them, the held operations, its editors and the role check)."""
    editors: set[str] | None = None
    reasons: dict[str, str] = {}
    submitted: ReviewEvent | None = None
    for ev, _ in events:
        op = ops.get(ev.id)
        why = ""
        if op is None:
            why = "niet via het programma vastgelegd"
        elif auth.in_baseline(op.origin_id, op.origin_seq):
            if op.author_id not in (None, ev.actor_id):
                why = "vastgelegd op naam van een ander"
        elif auth.author(op.origin_id, op.origin_seq, op.author_id) not in (None, ev.actor_id):
            # None: written by the system before a store existed (the demo generator)
            why = "vastgelegd op naam van een ander"
        if not why and not for_push and auth.held and op is not None and op.origin_id == auth.held:
            why = "niet gedeeld met het team: " + held.get(op.op_id, "tegengehouden")
        if not why and ev.kind in (ReviewKind.APPROVED, ReviewKind.REJECTED):
            if editors is None:
                editors = editors_of()
            if not is_lead(ev.actor_id):
                why = "geen teamleidersrol toegekend"
            elif ev.actor_id in editors or (
                submitted is not None and submitted.actor_id == ev.actor_id
            ):
                why = "de beoordelaar heeft dit dossier zelf opgesteld of bewerkt"
            elif submitted is None or submitted.content_hash != ev.content_hash:
                why = "een andere versie dan ter beoordeling is aangeboden"
        if why:
            reasons[ev.id] = why
        elif ev.kind == ReviewKind.SUBMITTED:
            submitted = ev
        elif ev.kind in (ReviewKind.REJECTED, ReviewKind.WITHDRAWN):
            submitted = None
    return reasons


def push_judge(session: Session, ops: list[dict[str, Any]]) -> dict[str, str]:
    """For the sync engine (db.sync.guard.Judge): own review-step operations the team's
    derivation would refuse, op id -> Dutch reason."""
    out: dict[str, str] = {}
    by_subject: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for op in ops:
        p = op.get("p", {})
        by_subject.setdefault(
            (str(p.get("subject_type", "")), str(p.get("subject_id", ""))), []
        ).append(op)
    for (stype, sid), subject_ops in by_subject.items():
        try:
            spec = spec_of(stype)
            events = _events(session, stype, sid)
            refused = refused_steps(session, spec, sid, events, for_push=True)
        except NotFound:
            continue
        except Exception:  # noqa: BLE001 - never let a derivation error stall the sync
            log.exception("review verdict for %s %s failed; pushed unjudged", stype, sid)
            continue
        for op in subject_ops:
            if op["i"] in refused:
                out[op["id"]] = refused[op["i"]]
    return out
