"""Reading kwaliteitsplannen: queries that take a session (`plan_in`) and the use cases that
open one (`get_plan`, `list_plans`, the list rows, the locations to choose from)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from common.gc_pause import collector_paused
from db.engine import Database
from db.models import (
    AppUser,
    Location,
    LocationImprovementItem,
    PlanAssessment,
    Provider,
    QualityPlan,
)
from desktop.services.guards import live
from desktop.services.plans.model import (
    AssessmentInfo,
    ImprovementItem,
    LocationChoice,
    PlanInfo,
    PlanRow,
    submission_window,
)


def plan_info(s: Session, plan: QualityPlan) -> PlanInfo:
    return plan_infos(s, [plan], [plan.id])[0]


def plan_infos(s: Session, plans: list[QualityPlan], plan_ids: Any) -> list[PlanInfo]:
    """PlanInfo of `plans` in a fixed number of queries, whatever their number (issue 18: no
    per-plan lookups). `plan_ids`: their ids, a list or a select of QualityPlan.id."""
    if not plans:
        return []
    in_plans = plan_ids
    providers = dict(
        s.exec(
            select(Provider.id, Provider.name).where(
                col(Provider.id).in_(
                    select(QualityPlan.provider_id).where(col(QualityPlan.id).in_(in_plans))
                )
            )
        ).all()
    )
    items: dict[str, list[ImprovementItem]] = {}
    for i, lname in s.exec(
        select(LocationImprovementItem, Location.name)
        .join(Location, col(Location.id) == LocationImprovementItem.location_id)
        .where(
            col(LocationImprovementItem.quality_plan_id).in_(in_plans),
            LocationImprovementItem.deleted_at == None,  # noqa: E711
        )
        .order_by(col(Location.name), col(LocationImprovementItem.created_at))
    ).all():
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
        .join(AppUser, col(AppUser.id) == PlanAssessment.author_id, isouter=True)
        .where(
            col(PlanAssessment.quality_plan_id).in_(in_plans),
            PlanAssessment.deleted_at == None,  # noqa: E711
        )
        .order_by(col(PlanAssessment.created_at))
    ).all()
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


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def list_plan_rows(db: Database, year: int | None = None) -> list[PlanRow]:
    """The Kwaliteitsplannen list in one query (issue 18: it read every plan's items,
    assessments with their answers and all users per plan), of one year or all. Both counts
    come from the covering partial indexes of db/models LIST_INDEXES, never from the (large)
    rows themselves."""
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
                "WHERE p.deleted_at IS NULL AND (? IS NULL OR p.year = ?) ORDER BY p.year DESC",
                (year, year),
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
            day = parse(received)
            end = window_end.get(year)
            if end is None:
                end = window_end[year] = submission_window(year)[1]
            received_date: date | None = day
            on_time: bool | None = day <= end
        else:
            received_date = on_time = None
        out.append(
            new_row(PlanRow, (pid, prov_id, prov_name, year, received_date, on_time, items, status))
        )
    return out


def plan_years(db: Database) -> list[int]:
    """The years that have plans, newest first (the Kwaliteitsplannen year filter)."""
    with db.read_session() as s:
        cur = s.connection().connection.cursor()
        try:
            cur.execute(
                "SELECT DISTINCT year FROM quality_plan WHERE deleted_at IS NULL ORDER BY year DESC"
            )
            return [int(y) for (y,) in cur.fetchall()]
        finally:
            cur.close()


def get_plan(db: Database, plan_id: str) -> PlanInfo:
    with db.read_session() as s:
        return plan_in(s, plan_id)


def plan_in(s: Session, plan_id: str) -> PlanInfo:
    """`get_plan` inside the caller's session."""
    plan = live(s, QualityPlan, plan_id, "Dit kwaliteitsplan bestaat niet (meer).")
    return plan_info(s, plan)


def plan_of_year(s: Session, provider_id: str, year: int) -> QualityPlan | None:
    """The provider's live kwaliteitsplan of `year`, if one is registered."""
    return s.exec(
        select(QualityPlan).where(
            QualityPlan.provider_id == provider_id,
            QualityPlan.year == year,
            QualityPlan.deleted_at == None,  # noqa: E711
        )
    ).first()


def list_plans(
    db: Database, *, year: int | None = None, provider_id: str | None = None
) -> list[PlanInfo]:
    with db.read_session() as s:
        q = select(QualityPlan).where(QualityPlan.deleted_at == None)  # noqa: E711
        if year is not None:
            q = q.where(QualityPlan.year == year)
        if provider_id is not None:
            q = q.where(QualityPlan.provider_id == provider_id)
        plans = list(s.exec(q.order_by(col(QualityPlan.year).desc())).all())
        return plan_infos(s, plans, q.with_only_columns(col(QualityPlan.id)).order_by(None))


def provider_locations(db: Database, provider_id: str) -> list[LocationChoice]:
    with db.read_session() as s:
        rows = s.exec(
            select(Location.id, Location.name)
            .where(Location.provider_id == provider_id, Location.deleted_at == None)  # noqa: E711
            .order_by(Location.name)
        ).all()
    return [LocationChoice(i, n) for i, n in rows]
