"""Status of the budget-year milestones R11-R17 for one provider (done, due, late), for the
budget calendar (desktop.services.calendar), from the data this package records."""

from __future__ import annotations

from datetime import date

from sqlmodel import col, select

from db.engine import Database
from db.models.budget_year import FinalSettlement, ReallocationProposal, ReallocationRound
from desktop.services import review
from desktop.services.budget_year.advances import MONTHS_NL, first_month
from desktop.services.budget_year.agreements import agreements_in, approved_rounds
from desktop.services.budget_year.realisation import Period, reports_in
from desktop.services.formatting import money, short_date

DUE_SOON_DAYS = 14


def _open(due: date, today: date) -> str:
    if today > due:
        return "OVERDUE"
    return "DUE_SOON" if (due - today).days <= DUE_SOON_DAYS else "OPEN"


def _done(done: date, due: date) -> str:
    return "DONE_LATE" if done > due else "DONE"


def provider_statuses(
    db: Database, provider_id: str, year: int, today: date, dues: dict[str, date]
) -> dict[str, tuple[str, date | None, str]]:
    """Milestone code -> (status, done on, note) for R11, R12.1-3, R13-R17. `dues`: the
    milestone dates of the calendar. Empty when the provider has no agreed budget in `year`."""
    with db.read_session() as s:
        agreed = agreements_in(s, year, provider_id=provider_id)
        if not agreed:
            return {}
        a = agreed[0]
        reps = {r.period: r for r in reports_in(s, year, [provider_id]).get(provider_id, [])}
        rounds = s.exec(
            select(ReallocationRound.id)
            .join(ReallocationProposal, col(ReallocationProposal.round_id) == ReallocationRound.id)
            .where(
                ReallocationProposal.budget_request_id == a.request_id,
                ReallocationRound.deleted_at == None,  # noqa: E711
            )
        ).all()
        approved = set(approved_rounds(s, year, a.care_office_id))
        settlement = s.exec(
            select(FinalSettlement).where(
                FinalSettlement.budget_request_id == a.request_id,
                FinalSettlement.deleted_at == None,  # noqa: E711
            )
        ).first()
        settled = (
            settlement is not None
            and review.status_in(s, "final_settlement", settlement.id, with_names=False).state
            == "APPROVED"
        )
    out: dict[str, tuple[str, date | None, str]] = {}
    start = first_month(year, a.decided_on)
    if "R11" in dues:
        if start == 1:
            out["R11"] = (
                "DONE",
                a.decided_on,
                "Voorschot vanaf januari (met terugwerkende kracht).",
            )
        elif start:
            out["R11"] = (
                "DONE_LATE",
                a.decided_on,
                f"Afspraak na 1 april: voorschot vanaf {MONTHS_NL[start - 1]}.",
            )
    for code, period in (
        ("R12.1", Period.MAY),
        ("R12.2", Period.JUL),
        ("R12.3", Period.OCT),
        ("R14", Period.YEAR),
        ("R15", Period.AUDIT),
    ):
        if code not in dues:
            continue
        due = period.due(year)
        r = reps.get(period.value)
        out[code] = (
            (
                _done(r.received_date, due),
                r.received_date,
                f"Ontvangen {short_date(r.received_date)}.",
            )
            if r
            else (_open(due, today), None, "")
        )
    if "R13" in dues:
        if any(r in approved for r in rounds):
            out["R13"] = (
                "DONE",
                None,
                "Herschikking goedgekeurd."
                + (f" Nieuwe afspraak {money(a.agreed_total)}." if a.reallocated else ""),
            )
        elif rounds:
            out["R13"] = (_open(dues["R13"], today), None, "Ronde geopend, nog niet goedgekeurd.")
    if "R16" in dues:
        if settled and settlement is not None:
            out["R16"] = (
                _done(settlement.settled_on, dues["R16"]) if settlement.settled_on else "DONE",
                settlement.settled_on,
                "Nacalculatie goedgekeurd.",
            )
        elif settlement is not None:
            out["R16"] = (_open(dues["R16"], today), None, "Vastgelegd; wacht op vier-ogen.")
    if "R17" in dues and settlement is not None:
        if settlement.extra_reimbursement:
            out["R17"] = (
                "DONE",
                settlement.settled_on,
                f"Extra vergoeding {money(settlement.extra_reimbursement)}.",
            )
        elif settled:
            out["R17"] = ("NOT_APPLICABLE", None, "Geen extra vergoeding.")
    return out
