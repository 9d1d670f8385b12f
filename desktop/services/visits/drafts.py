"""Writing a draft visit: start one (prefilled), the two tiers of saving it (crash buffer and
autosave), discard it, and start a correction of a completed visit (a new draft revision)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from db.errors import RuleViolation, ValidationError
from db.models.enums import VisitStatus
from db.types import utcnow
from desktop.services.guards import live
from desktop.services.visits.buffer import _clear_buffer, _write_buffer
from desktop.services.visits.model import DEFAULT_FORM_ID, VisitInfo, _date_of, _form
from desktop.services.visits.reading import _live_visit, get_visit

if TYPE_CHECKING:
    from db.models import Location, SiteVisit
    from db.repo import UnitOfWork
    from forms.model import FormDefinition


def _prefill(
    uow: UnitOfWork, loc: Location, actor_id: str, form: FormDefinition, today: date
) -> dict[str, Any]:
    from db.models import AppUser, LocationImprovementItem, QualityPlan

    answers: dict[str, Any] = {}
    if form.has_field("location_name"):
        answers["location_name"] = loc.name + (f", {loc.place}" if loc.place else "")
    if form.has_field("visit_date"):
        answers["visit_date"] = today.isoformat()
    user = uow.get(AppUser, actor_id)
    if user is not None and form.has_field("visitors"):
        answers["visitors"] = user.name + (
            f" ({user.function_title})" if user.function_title else ""
        )
    if form.has_field("plan_progress") and form.has_field("progress_item"):
        # the items of the location's most recent verbeterparagraaf
        plan_id = uow.exec(
            select(QualityPlan.id)
            .join(
                LocationImprovementItem,
                col(LocationImprovementItem.quality_plan_id) == QualityPlan.id,
            )
            .where(
                LocationImprovementItem.location_id == loc.id,
                col(LocationImprovementItem.deleted_at).is_(None),
                col(QualityPlan.deleted_at).is_(None),
            )
            .order_by(col(QualityPlan.year).desc())
        ).first()
        if plan_id:
            items = uow.exec(
                select(LocationImprovementItem.what)
                .where(
                    LocationImprovementItem.quality_plan_id == plan_id,
                    LocationImprovementItem.location_id == loc.id,
                    col(LocationImprovementItem.deleted_at).is_(None),
                )
                .order_by(
                    col(LocationImprovementItem.theme_code), col(LocationImprovementItem.what)
                )
            ).all()
            if items:
                answers["plan_progress"] = [{"progress_item": w[:500]} for w in items]
    return answers


def create_visit(
    db: Any,
    location_id: str,
    *,
    actor_id: str,
    form_id: str = DEFAULT_FORM_ID,
    form_version: str | None = None,
    today: date | None = None,
) -> VisitInfo:
    """A new draft visit on the latest (or given) version of the form, prefilled with the
    location, today's date, the visitor and the verbeterparagraaf items."""
    from db.models import Location, SiteVisit
    from db.repo import UnitOfWork

    form = _form(form_id, form_version)
    today = today or date.today()
    with UnitOfWork(db, actor_id) as uow:
        loc = live(uow, Location, location_id, "Deze locatie bestaat niet (meer).")
        answers = _prefill(uow, loc, actor_id, form, today)
        visit = uow.add(
            SiteVisit(
                location_id=location_id,
                form_id=form.form_id,
                form_version=form.version,
                status=VisitStatus.DRAFT,
                visit_date=_date_of(answers),
                answers=answers,
                author_id=actor_id,
                autosaved_at=utcnow(),
            )
        )
        uow.audit("create", visit, form=f"{form.form_id}/{form.version}")
        visit_id = visit.id
    return get_visit(db, visit_id)


def _draft_data(answers: Any) -> dict[str, Any]:
    if not isinstance(answers, Mapping):
        raise ValidationError("answers", "Ongeldige antwoorden.")
    return dict(answers)


def _live_draft(uow: UnitOfWork, visit_id: str) -> SiteVisit:
    """The draft to save into; a completed visit is read-only (a correction is a new draft)."""
    v = _live_visit(uow, visit_id)
    if v.status != VisitStatus.DRAFT:
        raise RuleViolation("Een afgerond bezoek kan niet meer worden gewijzigd; kies Corrigeren.")
    return v


def buffer_answers(
    db: Any, visit_id: str, answers: Mapping[str, Any], *, actor_id: str
) -> datetime:
    """Crash buffer, every few seconds while typing: the answers in this laptop's local
    (never synced) settings. One short transaction, no op-log entry, no validation.
    Refuses a completed visit. Returns the time of the save."""
    from db.repo import UnitOfWork

    data = _draft_data(answers)
    now = utcnow()
    with UnitOfWork(db, actor_id) as uow:
        _live_draft(uow, visit_id)
        _write_buffer(uow, visit_id, data, now)
    return now


def autosave(db: Any, visit_id: str, answers: Mapping[str, Any], *, actor_id: str) -> datetime:
    """Store the draft's answers in the synced visit record (no validation) and clear the
    local buffer, in one short transaction. Refuses a completed visit. Returns the time."""
    from db.repo import UnitOfWork

    data = _draft_data(answers)
    now = utcnow()
    with UnitOfWork(db, actor_id) as uow:
        v = _live_draft(uow, visit_id)
        uow.update(v, answers=data, visit_date=_date_of(data), autosaved_at=now)
        _clear_buffer(uow, visit_id)
    return now


def discard_draft(db: Any, visit_id: str, *, actor_id: str) -> None:
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation("Alleen een concept kan worden verwijderd.")
        uow.delete(v)
        _clear_buffer(uow, visit_id)
        uow.audit("discard", v)


def start_correction(db: Any, visit_id: str, reason: str, *, actor_id: str) -> VisitInfo:
    """A new draft revision of a completed visit, same form version, answers copied."""
    from db.models import SiteVisit
    from db.repo import UnitOfWork

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "Geef de reden van de correctie.")
    if len(reason) > 1000:
        raise ValidationError("reason", "De reden mag hoogstens 1000 tekens lang zijn.")
    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.COMPLETED:
            raise RuleViolation("Alleen een afgerond bezoek kan worden gecorrigeerd.")
        newer = uow.exec(
            select(SiteVisit.id).where(
                SiteVisit.revision_of_id == v.id, col(SiteVisit.deleted_at).is_(None)
            )
        ).first()
        if newer:
            raise RuleViolation(
                "Dit bezoek is al gecorrigeerd; corrigeer de nieuwste versie (of rond het concept af)."
            )
        rev = uow.add(
            SiteVisit(
                location_id=v.location_id,
                form_id=v.form_id,
                form_version=v.form_version,
                status=VisitStatus.DRAFT,
                visit_date=v.visit_date,
                answers=dict(v.answers or {}),
                author_id=actor_id,
                revision_of_id=v.id,
                revision_reason=reason,
                autosaved_at=utcnow(),
            )
        )
        uow.audit("correct", rev, revision_of=v.id, reason=reason)
        rev_id = rev.id
    return get_visit(db, rev_id)
