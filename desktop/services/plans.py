"""Kwaliteitsplannen with their verbeterparagraaf per locatie, and the plan assessment form.

Inkoopkader 2020 §4.2.2 (seed 001): the provider draws up a kwaliteitsplan "uiterlijk 31
december" with, per location, wat de zorgaanbieder gaat doen, wat het resultaat is, wat
hiervoor nodig is en op welke wijze interne monitoring plaatsvindt. §4.2.6: submission from
1 September until 31 December of the year before. The assessment is the declarative form
forms/plan_assessment/<version>.yaml (checks KP, MB, PS, OI, TS of DOMAIN.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

import forms
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import (
    AppUser,
    Location,
    LocationImprovementItem,
    PlanAssessment,
    Provider,
    QualityPlan,
)
from db.repo import UnitOfWork
from desktop.services.validation import iso_date, required_text

FORM_ID = "plan_assessment"
MAX_IMPROVEMENT_POINTS = 3  # CZ practice, S4 §2.3: "van toetsing plan naar drie verbeterpunten"


@dataclass(frozen=True)
class ImprovementItem:
    id: str
    location_id: str
    location_name: str
    theme_code: str | None
    what: str
    intended_result: str
    needed: str
    monitoring: str


@dataclass(frozen=True)
class AssessmentInfo:
    id: str
    form_id: str
    form_version: str
    status: str  # DRAFT / COMPLETED
    answers: dict[str, Any]
    author_id: str
    author_name: str


@dataclass(frozen=True)
class PlanInfo:
    id: str
    provider_id: str
    provider_name: str
    year: int
    received_date: date | None
    title: str
    consent_nursing_council: bool
    on_time: bool | None  # §4.2.6 window 1 Sep .. 31 Dec of year-1; None without a date
    items: tuple[ImprovementItem, ...]
    assessments: tuple[AssessmentInfo, ...]


def submission_window(year: int) -> tuple[date, date]:
    """S1 §4.2.6 / §4.2.14: "Vanaf 1 september - tot 31 december" of the year before."""
    return date(year - 1, 9, 1), date(year - 1, 12, 31)


def _info(s, plan: QualityPlan) -> PlanInfo:  # type: ignore[no-untyped-def]
    return _infos(s, [plan], [plan.id])[0]


def _infos(s, plans: list[QualityPlan], plan_ids) -> list[PlanInfo]:  # type: ignore[no-untyped-def]
    """PlanInfo of `plans` in a fixed number of queries, whatever their number (issue 18: no
    per-plan lookups). `plan_ids`: their ids, a list or a select of QualityPlan.id."""
    if not plans:
        return []
    in_plans = plan_ids
    providers = dict(
        s.exec(
            select(Provider.id, Provider.name).where(
                Provider.id.in_(
                    select(QualityPlan.provider_id).where(  # type: ignore[attr-defined]
                        QualityPlan.id.in_(in_plans)
                    )
                )
            )
        ).all()
    )  # type: ignore[attr-defined]
    items: dict[str, list[ImprovementItem]] = {}
    for i, lname in s.exec(
        select(LocationImprovementItem, Location.name)
        .join(Location, Location.id == LocationImprovementItem.location_id)  # type: ignore[arg-type]
        .where(
            LocationImprovementItem.quality_plan_id.in_(in_plans),  # type: ignore[attr-defined]
            LocationImprovementItem.deleted_at == None,  # noqa: E711
        )
        .order_by(Location.name, LocationImprovementItem.created_at)
    ).all():  # type: ignore[arg-type]
        items.setdefault(i.quality_plan_id, []).append(
            ImprovementItem(
                i.id,
                i.location_id,
                lname,
                i.theme_code,
                i.what,
                i.intended_result,
                i.needed,
                i.monitoring,
            )
        )
    rows = s.exec(
        select(PlanAssessment, AppUser.name)
        .join(AppUser, AppUser.id == PlanAssessment.author_id, isouter=True)  # type: ignore[arg-type]
        .where(
            PlanAssessment.quality_plan_id.in_(in_plans),  # type: ignore[attr-defined]
            PlanAssessment.deleted_at == None,  # noqa: E711
        )
        .order_by(PlanAssessment.created_at)
    ).all()  # type: ignore[arg-type]
    assessments: dict[str, list[AssessmentInfo]] = {}
    for a, author in rows:
        assessments.setdefault(a.quality_plan_id, []).append(
            AssessmentInfo(
                a.id,
                a.form_id,
                a.form_version,
                a.status,
                dict(a.answers),
                a.author_id,
                author or "?",
            )
        )
    out = []
    for plan in plans:
        on_time = None
        if plan.received_date is not None:
            start, end = submission_window(plan.year)
            on_time = plan.received_date <= end
        out.append(
            PlanInfo(
                plan.id,
                plan.provider_id,
                providers.get(plan.provider_id, "?"),
                plan.year,
                plan.received_date,
                plan.title,
                plan.consent_nursing_council,
                on_time,
                tuple(items.get(plan.id, ())),
                tuple(assessments.get(plan.id, ())),
            )
        )
    return out


def _actor(s, by: str) -> AppUser:  # type: ignore[no-untyped-def]
    user = s.get(AppUser, by)
    if user is None or user.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return user


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
    errors: list[ValidationError] = []
    try:
        y = int(str(year).strip())
        if not 2015 <= y <= 2100:
            raise ValueError
    except ValueError:
        errors.append(ValidationError("year", f"Jaar '{year}' is geen geldig jaartal."))
        y = 0
    received = None
    if received_date not in (None, ""):
        try:
            received = iso_date(received_date, "received_date", "Ontvangstdatum")
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _actor(s, by)
        if s.get(Provider, provider_id) is None:
            raise ValidationError("provider_id", "Kies een bestaande zorgaanbieder.")
        dup = s.exec(
            select(QualityPlan).where(
                QualityPlan.provider_id == provider_id,
                QualityPlan.year == y,
                QualityPlan.deleted_at == None,  # noqa: E711
            )
        ).first()
        if dup is not None:
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
        return _info(s, plan)


class PlanRow(NamedTuple):
    """One line of the Kwaliteitsplannen list (the detail is read with get_plan). A NamedTuple:
    ten times cheaper to build than a frozen dataclass (issue 18)."""

    id: str
    provider_id: str
    provider_name: str
    year: int
    received_date: date | None
    on_time: bool | None
    item_count: int
    last_status: str  # status of the latest assessment, "" without one


def list_plan_rows(db: Database) -> list[PlanRow]:
    """The Kwaliteitsplannen list in one query (issue 18: it read every plan's items,
    assessments with their answers and all users per plan). Both counts come from the covering
    partial indexes of db/models LIST_INDEXES, never from the (large) rows themselves."""
    with db.read_session() as s:
        # the DB-API cursor: plain tuples, without SQLAlchemy's row processing (issue 18)
        cur = s.connection().connection.cursor()
        try:
            rows = cur.execute(
                "SELECT p.id, p.provider_id, COALESCE(pr.name, '?'), p.year, p.received_date, "
                "(SELECT COUNT(*) FROM location_improvement_item i WHERE i.quality_plan_id = p.id "
                " AND i.deleted_at IS NULL), "
                "COALESCE((SELECT a.status FROM plan_assessment a WHERE a.quality_plan_id = p.id "
                " AND a.deleted_at IS NULL ORDER BY a.created_at DESC LIMIT 1), '') "
                "FROM quality_plan p LEFT JOIN provider pr ON pr.id = p.provider_id "
                "WHERE p.deleted_at IS NULL ORDER BY p.year DESC"
            ).fetchall()
        finally:
            cur.close()
    # 12,813 rows at 3x: the window end once per year, PlanRow without its Python-level __new__
    window_end: dict[int, date] = {}
    parse = date.fromisoformat
    new_row = tuple.__new__
    out = []
    for pid, prov_id, prov_name, year, received, items, status in rows:
        if received:
            received_date: date | None = parse(received)
            end = window_end.get(year)
            if end is None:
                end = window_end[year] = submission_window(year)[1]
            on_time: bool | None = received_date <= end  # type: ignore[operator]
        else:
            received_date = on_time = None
        out.append(
            new_row(PlanRow, (pid, prov_id, prov_name, year, received_date, on_time, items, status))
        )
    return out


def get_plan(db: Database, plan_id: str) -> PlanInfo:
    with db.read_session() as s:
        return plan_in(s, plan_id)


def plan_in(s: Session, plan_id: str) -> PlanInfo:
    """`get_plan` inside the caller's session."""
    plan = s.get(QualityPlan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise NotFound("Dit kwaliteitsplan bestaat niet (meer).")
    return _info(s, plan)


def list_plans(
    db: Database, *, year: int | None = None, provider_id: str | None = None
) -> list[PlanInfo]:
    with db.read_session() as s:
        q = select(QualityPlan).where(QualityPlan.deleted_at == None)  # noqa: E711
        if year is not None:
            q = q.where(QualityPlan.year == year)
        if provider_id is not None:
            q = q.where(QualityPlan.provider_id == provider_id)
        plans = list(s.exec(q.order_by(QualityPlan.year.desc())).all())  # type: ignore[attr-defined]
        return _infos(s, plans, q.with_only_columns(col(QualityPlan.id)).order_by(None))


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
        _actor(s, by)
        plan = s.get(QualityPlan, plan_id)
        if plan is None or plan.deleted_at is not None:
            raise NotFound("Dit kwaliteitsplan bestaat niet (meer).")
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
        return _info(s, plan)


# -- the assessment form -----------------------------------------------------------------------


def assessment_form(version: str | None = None):  # type: ignore[no-untyped-def]
    return forms.load_form(FORM_ID, version)


def check_answers(answers: dict[str, Any], version: str | None = None) -> dict[str, str]:
    """{path: Dutch message} for the answers as they stand (live feedback)."""
    form = assessment_form(version)
    msgs = dict(forms.evaluate(form, answers).messages())
    points = answers.get("improvement_points") or []
    if len(points) > MAX_IMPROVEMENT_POINTS:
        msgs.setdefault("improvement_points", "Hoogstens drie verbeterpunten.")
    return msgs


def save_assessment(
    db: Database,
    plan_id: str,
    by: str,
    answers: dict[str, Any],
    *,
    complete: bool = False,
    assessment_id: str | None = None,
) -> AssessmentInfo:
    """Save a draft (any answers) or complete it (all checks judged and reasoned, at most three
    verbeterpunten). A completed assessment is not changed any more."""
    form = assessment_form()
    if complete:
        msgs = check_answers(answers, form.version)
        if msgs:
            raise ValidationErrors([ValidationError(path, msg) for path, msg in msgs.items()])
        stored = forms.finalize(form, answers)
    else:
        points = answers.get("improvement_points") or []
        if len(points) > MAX_IMPROVEMENT_POINTS:
            raise ValidationError("improvement_points", "Hoogstens drie verbeterpunten.")
        stored = answers
    with UnitOfWork(db, by) as uow:
        s = uow.session
        user = _actor(s, by)
        plan = s.get(QualityPlan, plan_id)
        if plan is None or plan.deleted_at is not None:
            raise NotFound("Dit kwaliteitsplan bestaat niet (meer).")
        status = "COMPLETED" if complete else "DRAFT"
        if assessment_id is None:
            row = uow.add(
                PlanAssessment(
                    quality_plan_id=plan.id,
                    form_id=FORM_ID,
                    form_version=form.version,
                    answers=stored,
                    status=status,
                    author_id=by,
                )
            )
        else:
            found = s.get(PlanAssessment, assessment_id)
            if found is None or found.quality_plan_id != plan.id:
                raise NotFound("Deze beoordeling bestaat niet.")
            row = found
            if row.status == "COMPLETED":
                raise RuleViolation("Een afgeronde beoordeling kan niet meer worden gewijzigd.")
            uow.update(row, answers=stored, status=status)
        if complete:
            uow.audit("completed", row)
        return AssessmentInfo(
            row.id,
            row.form_id,
            row.form_version,
            row.status,
            dict(row.answers),
            row.author_id,
            user.name,
        )


@dataclass(frozen=True)
class LocationChoice:
    id: str
    name: str


def provider_locations(db: Database, provider_id: str) -> list[LocationChoice]:
    with db.read_session() as s:
        rows = s.exec(
            select(Location.id, Location.name)
            .where(Location.provider_id == provider_id, Location.deleted_at == None)  # noqa: E711
            .order_by(Location.name)
        ).all()
    return [LocationChoice(i, n) for i, n in rows]
