"""The kwaliteitsbudget cycle R1..R18 for a budget year t as dated milestones (DOMAIN.md §7).

The rules live in resources/reference/budget_cycle.yaml (from Inkoopkader 2020 §4.2.14), read
by desktop.services.budget_cycle (Milestone and cycle stay importable from here).
Per provider the milestones the app can check (plan received, decision, agreement, addendum)
get a status from the provider's quality plan and budget request of that year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from db.engine import Database
from db.models import BudgetRequest, Provider, QualityPlan
from db.models.enums import RequestState
from desktop.services.budget import deadline
from desktop.services.budget_cycle import Milestone, cycle

STATUS_LABELS = {
    "DONE": "Gereed",
    "DONE_LATE": "Gereed (te laat)",
    "OPEN": "Open",
    "DUE_SOON": "Binnenkort",
    "OVERDUE": "Verlopen",
    "PLANNED": "Gepland",
    "RUNNING": "Loopt",
    "PAST": "Voorbij",
    "NOT_APPLICABLE": "N.v.t.",
}
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class MilestoneStatus:
    milestone: Milestone
    due: date | None  # for per-request rules: this provider's deadline
    status: str
    status_label: str
    done_on: date | None
    note: str


@dataclass(frozen=True)
class DueItem:
    due: date
    code: str
    title: str
    provider_name: str  # "" for general milestones
    request_id: str | None
    overdue: bool


def _by_date(m: Milestone, due: date | None, today: date) -> str:
    if due is None:
        return "PLANNED"
    if m.start is not None and m.start <= today <= due:
        return "RUNNING"
    if today > due:
        return "PAST"
    return "PLANNED"


def _open(due: date | None, today: date) -> str:
    if due is None:
        return "OPEN"
    if today > due:
        return "OVERDUE"
    if (due - today).days <= DUE_SOON_DAYS:
        return "DUE_SOON"
    return "OPEN"


def provider_cycle(
    db: Database, provider_id: str, year: int, today: date | None = None
) -> list[MilestoneStatus]:
    """The milestones of year `year` with their status for one provider."""
    today = today or date.today()
    with db.read_session() as s:
        plan = s.exec(
            select(QualityPlan).where(
                QualityPlan.provider_id == provider_id,
                QualityPlan.year == year,
                QualityPlan.deleted_at == None,  # noqa: E711
            )
        ).first()
        req = s.exec(
            select(BudgetRequest)
            .where(
                BudgetRequest.provider_id == provider_id,
                BudgetRequest.budget_year == year,
                BudgetRequest.deleted_at == None,  # noqa: E711
                BudgetRequest.state != str(RequestState.WITHDRAWN),
            )
            .order_by(col(BudgetRequest.received_date))
        ).first()
    received = (plan.received_date if plan and plan.received_date else None) or (
        req.received_date if req else None
    )
    out = []
    for m in cycle(year):
        due, done, note = m.end, None, ""
        status = _by_date(m, due, today)
        if m.track == "plan_received":
            done = received
            status = _done(done, due) if done else _open(due, today)
        elif m.track == "discussed":
            if received is None or received >= date(year - 1, 11, 1):
                status, note = "NOT_APPLICABLE", "Alleen voor plannen ingediend vóór 1 november."
            else:
                started = req is not None and req.state != RequestState.RECEIVED
                done = req.decided_on if req and req.decided_on else None
                status = (
                    _done(done, due)
                    if done
                    else ("DONE" if started and today <= (due or today) else _open(due, today))
                )
        elif m.track == "decision":
            if req is None:
                status, note = "NOT_APPLICABLE", "Nog geen aanvraag ontvangen."
                due = None
            else:
                due = deadline(req.received_date, req.has_special_circumstances)
                done = req.decided_on
                status = _done(done, due) if done else _open(due, today)
                if req.has_special_circumstances:
                    note = "Drie maanden: er spelen bijzonderheden."
        elif m.track == "agreement":
            done = req.decided_on if req else None
            status = _done(done, due) if done else _open(due, today)
        elif m.track == "addendum":
            done = req.addendum_signed_on if req else None
            status = _done(done, due) if done else _open(due, today)
        out.append(MilestoneStatus(m, due, status, STATUS_LABELS[status], done, note))
    # R11-R17 from the budget year's own records (voorschot, realisatie, herschikking, ...).
    from desktop.services.budget_year.cycle_status import provider_statuses

    after = provider_statuses(
        db, provider_id, year, today, {ms.milestone.code: ms.due for ms in out if ms.due}
    )
    return [
        MilestoneStatus(
            ms.milestone, ms.due, after[c][0], STATUS_LABELS[after[c][0]], after[c][1], after[c][2]
        )
        if (c := ms.milestone.code) in after
        else ms
        for ms in out
    ]


def _done(done: date, due: date | None) -> str:
    return "DONE_LATE" if due is not None and done > due else "DONE"


def due_soon(
    db: Database, today: date | None = None, weeks: int = 4, year: int | None = None
) -> list[DueItem]:
    """What is due in the coming `weeks`: general milestones of the cycle(s) running now, and
    per request its decision deadline (open ones, including overdue) and its addendum date."""
    today = today or date.today()
    horizon = today + timedelta(weeks=weeks)
    years = [year] if year else [today.year, today.year + 1, today.year - 1]
    items: list[DueItem] = []
    for y in years:
        for m in cycle(y):
            if m.end is not None and today <= m.end <= horizon:
                items.append(DueItem(m.end, m.code, f"{m.title} ({y})", "", None, False))
    closed = {
        RequestState.DECIDED,
        RequestState.LETTER_SENT,
        RequestState.ADDENDUM_SIGNED,
        RequestState.WITHDRAWN,
    }
    with db.read_session() as s:
        q = (
            sa_select(
                col(BudgetRequest.id),
                col(BudgetRequest.received_date),
                col(BudgetRequest.has_special_circumstances),
                col(BudgetRequest.state),
                col(BudgetRequest.budget_year),
                col(Provider.name),
            )
            .join(Provider, col(Provider.id) == BudgetRequest.provider_id)
            .where(col(BudgetRequest.deleted_at).is_(None))
        )
        if year:
            q = q.where(col(BudgetRequest.budget_year) == year)
        rows = s.execute(q).all()
    for rid, received, special, state, y, pname in rows:
        if state in closed:
            continue
        due = deadline(received, special)
        if due <= horizon:
            items.append(DueItem(due, "R7", f"Besluit over aanvraag {y}", pname, rid, due < today))
    items.sort(key=lambda i: (i.due, i.provider_name))
    return items
