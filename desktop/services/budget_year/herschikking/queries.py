"""The herschikking read from the database: a round with its proposals and ceilings."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound
from db.models import BudgetCeiling, CareOffice, Provider
from db.models.budget_year import ReallocationProposal, ReallocationRound
from desktop.services import review
from desktop.services.budget_year.agreements import agreements_in
from desktop.services.budget_year.herschikking.model import SUBJECT, ZERO, ProposalRow, RoundDetail


def ceilings_in(s: Session, care_office_id: str, year: int) -> dict[str | None, Decimal]:
    """None -> the care-office ceiling; region id -> a regional ceiling."""
    out: dict[str | None, Decimal] = {}
    for c in s.exec(
        select(BudgetCeiling).where(
            BudgetCeiling.care_office_id == care_office_id,
            BudgetCeiling.year == year,
            BudgetCeiling.deleted_at == None,  # noqa: E711
        )
    ).all():
        out[c.region_id] = out.get(c.region_id, ZERO) + c.amount
    return out


def rows_in(s: Session, round_id: str) -> list[ProposalRow]:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    agreed = {
        a.request_id: a
        for a in agreements_in(
            s, rnd.year, care_office_id=rnd.care_office_id, with_reallocation=False
        )
    }
    out = []
    for p in s.exec(
        select(ReallocationProposal).where(
            ReallocationProposal.round_id == round_id,
            ReallocationProposal.deleted_at == None,  # noqa: E711
        )
    ).all():
        a = agreed.get(p.budget_request_id)
        prov = s.get(Provider, p.provider_id)
        out.append(
            ProposalRow(
                p.id,
                p.budget_request_id,
                p.provider_id,
                prov.name if prov else "?",
                a.region_id if a else "",
                a.region_name if a else "",
                p.previous_total,
                p.new_staff,
                p.new_other,
                max(a.requested_total, a.agreed_total) if a else p.previous_total,
                max(a.requested_staff, a.agreed_staff) if a else p.new_staff,
                max(a.requested_other, a.agreed_other) if a else p.new_other,
                p.reason,
                p.signal,
                a.agreed_staff if a else ZERO,
                a.agreed_other if a else ZERO,
            )
        )
    out.sort(key=lambda r: (r.region_name, r.provider_name))
    return out


def detail_in(s: Session, round_id: str, with_review: bool = True) -> RoundDetail:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    office = s.get(CareOffice, rnd.care_office_id)
    state, label = "", ""
    if with_review:
        st = review.status_in(s, SUBJECT, round_id, with_names=False)
        state, label = st.state, st.label
    return RoundDetail(
        rnd.id,
        rnd.care_office_id,
        office.short_name if office else "?",
        rnd.year,
        rnd.note,
        rnd.author_id,
        tuple(rows_in(s, round_id)),
        ceilings_in(s, rnd.care_office_id, rnd.year).get(None),
        state,
        label,
    )


def get_round(db: Database, round_id: str) -> RoundDetail:
    with db.read_session() as s:
        return detail_in(s, round_id)


def find_round(db: Database, care_office_id: str, year: int) -> RoundDetail | None:
    with db.read_session() as s:
        rnd = s.exec(
            select(ReallocationRound).where(
                ReallocationRound.care_office_id == care_office_id,
                ReallocationRound.year == year,
                ReallocationRound.deleted_at == None,  # noqa: E711
            )
        ).first()
        return detail_in(s, rnd.id) if rnd else None


def rounds(db: Database, year: int) -> list[RoundDetail]:
    with db.read_session() as s:
        ids = s.exec(
            select(ReallocationRound.id).where(
                ReallocationRound.year == year,
                ReallocationRound.deleted_at == None,  # noqa: E711
            )
        ).all()
        return sorted((detail_in(s, i) for i in ids), key=lambda r: r.care_office_name)
