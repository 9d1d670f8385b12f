"""Completing a visit: validated with its own form version, then read-only, with its follow-up
actions (a revision carries over the actions of the visit it corrects)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models.enums import ActionOwner, VisitStatus
from db.types import utcnow
from desktop.services.visits.buffer import _clear_buffer, _read_buffer
from desktop.services.visits.model import VisitInfo, _date_of, _form
from desktop.services.visits.reading import _live_visit, get_visit

if TYPE_CHECKING:
    from db.models import SiteVisit
    from db.repo import UnitOfWork


def complete_visit(
    db: Any,
    visit_id: str,
    answers: Mapping[str, Any] | None = None,
    *,
    actor_id: str,
    today: date | None = None,
) -> VisitInfo:
    """Validate with the visit's own form version; on success store the final answers,
    mark COMPLETED (read-only) and create the follow-up actions. Raises ValidationErrors
    (field = answer path, Dutch message) and writes nothing when the form is not valid."""
    from db.models import SiteVisit
    from db.repo import UnitOfWork
    from forms import evaluate, finalize

    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation("Dit bezoek is al afgerond.")
        form = _form(v.form_id, v.form_version)
        if answers is None:
            buffered = _read_buffer(uow.session, v.id)
            newer = buffered is not None and (
                v.autosaved_at is None or buffered[1] > v.autosaved_at
            )
            answers = buffered[0] if newer and buffered else (v.answers or {})
        data = dict(answers)
        state = evaluate(form, data, today)
        if state.issues:
            raise ValidationErrors([ValidationError(i.path, i.message) for i in state.issues])
        final = finalize(form, data, today)
        uow.update(
            v,
            answers=final,
            visit_date=_date_of(final),
            status=VisitStatus.COMPLETED,
            completed_at=utcnow(),
            completed_by_id=actor_id,
        )
        _clear_buffer(uow, v.id)
        prev = uow.get(SiteVisit, v.revision_of_id) if v.revision_of_id else None
        _sync_actions(uow, v, final, prev, actor_id)
        uow.audit("complete", v, revision_of=v.revision_of_id or "")
    return get_visit(db, visit_id)


def _sync_actions(
    uow: UnitOfWork,
    visit: SiteVisit,
    answers: Mapping[str, Any],
    prev: SiteVisit | None,
    actor_id: str,
) -> None:
    """Follow-up actions from the answers. For a revision, actions of the previous visit
    with the same description and owner move over (keeping done/who/when); the others
    of the previous visit that are still open are withdrawn (soft-deleted)."""
    from db.models import FollowUpAction

    listed = answers.get("actions")
    rows: list[Any] = listed if isinstance(listed, list) else []
    old: list[FollowUpAction] = []
    if prev is not None:
        old = list(
            uow.exec(
                select(FollowUpAction).where(
                    FollowUpAction.visit_id == prev.id, col(FollowUpAction.deleted_at).is_(None)
                )
            ).all()
        )
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        desc = str(row.get("action_description") or "").strip()
        if not desc:
            continue
        given = row.get("action_owner")
        owner = str(given) if given in ActionOwner.__members__ else str(ActionOwner.PROVIDER)
        due = None
        if row.get("action_due_date"):
            try:
                due = date.fromisoformat(str(row["action_due_date"]))
            except ValueError:
                due = None
        match = next((a for a in old if a.description == desc and a.owner == owner), None)
        if match is not None:
            old.remove(match)
            uow.update(match, visit_id=visit.id, due_date=due)
        else:
            uow.add(
                FollowUpAction(
                    location_id=visit.location_id,
                    visit_id=visit.id,
                    description=desc[:2000],
                    owner=owner,
                    responsible_user_id=actor_id,
                    due_date=due,
                )
            )
    for a in old:
        if a.status != "DONE":
            uow.delete(a)
