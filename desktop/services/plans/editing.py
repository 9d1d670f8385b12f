"""Recording kwaliteitsplannen: a new plan and the items of its verbeterparagraaf per locatie."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from db.engine import Database
from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models import AppUser, Location, LocationImprovementItem, Provider, QualityPlan
from db.repo import UnitOfWork
from desktop.services.guards import acting_user, live
from desktop.services.plans.model import PlanInfo
from desktop.services.plans.queries import plan_info, plan_of_year
from desktop.services.validation import date_or_error, required_text, year_or_error


def actor(s: Session, by: str) -> AppUser:
    """The user recording a plan change (refused when unknown or removed)."""
    return acting_user(s, by)


def _year_and_received(year: int | str, received_date: object) -> tuple[int, date | None]:
    """The plan's year and receipt date, checked; every error at once (ValidationErrors)."""
    errors: list[ValidationError] = []
    y = year_or_error(year, "year", "Jaar", errors)
    received = None
    if received_date not in (None, ""):
        received = date_or_error(received_date, "received_date", "Ontvangstdatum", errors)
    if errors:
        raise ValidationErrors(errors)
    return y, received


def create_plan(
    db: Database,
    *,
    by: str,
    provider_id: str,
    year: int | str,
    received_date: object = None,
    title: str = "",
    consent_nursing_council: bool = False,
) -> PlanInfo:
    y, received = _year_and_received(year, received_date)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        actor(s, by)
        if s.get(Provider, provider_id) is None:
            raise ValidationError("provider_id", "Kies een bestaande zorgaanbieder.")
        if plan_of_year(s, provider_id, y) is not None:
            raise RuleViolation(f"Er is al een kwaliteitsplan {y} voor deze zorgaanbieder.")
        plan = uow.add(
            QualityPlan(
                provider_id=provider_id,
                year=y,
                received_date=received,
                title=(title or "").strip() or f"Kwaliteitsplan {y}",
                consent_nursing_council=bool(consent_nursing_council),
                author_id=by,
            )
        )
        return plan_info(s, plan)


def add_improvement_item(
    db: Database,
    plan_id: str,
    by: str,
    *,
    location_id: str,
    what: str,
    intended_result: str = "",
    needed: str = "",
    monitoring: str = "",
    theme_code: str | None = None,
) -> PlanInfo:
    """One item of the verbeterparagraaf of a location of the plan's provider."""
    what = required_text(what, "what", "Wat gaat de zorgaanbieder doen")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        actor(s, by)
        plan = live(s, QualityPlan, plan_id, "Dit kwaliteitsplan bestaat niet (meer).")
        loc = s.get(Location, location_id)
        if loc is None or loc.provider_id != plan.provider_id:
            raise ValidationError("location_id", "Kies een locatie van deze zorgaanbieder.")
        if theme_code and theme_code not in {f"T{i}" for i in range(1, 9)}:
            raise ValidationError("theme_code", f"Onbekend thema '{theme_code}'.")
        uow.add(
            LocationImprovementItem(
                quality_plan_id=plan.id,
                location_id=loc.id,
                theme_code=theme_code or None,
                what=what,
                intended_result=(intended_result or "").strip(),
                needed=(needed or "").strip(),
                monitoring=(monitoring or "").strip(),
            )
        )
        return plan_info(s, plan)
