"""The agreed kwaliteitsbudget per provider and year: the decided budget request, replaced by
the amounts of an approved herschikking round when there is one (S1 §4.2.10-4.2.11).

This is the one reader of decisions for the budget year, so a change in the decision model
(new outcomes, amounts per part) is absorbed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from db.models import BudgetRequest, CareOffice, Provider, Region
from db.models.budget_year import ReallocationProposal, ReallocationRound
from db.models.enums import Decision, RequestState

CENT = Decimal("0.01")
# A decision counts once it is decided (approved under vier-ogen) and not a rejection.
COUNTING_STATES = (
    str(RequestState.DECIDED),
    str(RequestState.LETTER_SENT),
    str(RequestState.ADDENDUM_SIGNED),
)


def cents(value: Decimal | None) -> int:
    return 0 if value is None else int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))


def euros(value: int) -> Decimal:
    """Integer cents as euros with two decimals (exact: 7500000 -> 75000.00)."""
    return Decimal(value).scaleb(-2)


@dataclass(frozen=True)
class Agreement:
    request_id: str
    provider_id: str
    provider_name: str
    care_office_id: str
    care_office_name: str
    region_id: str
    region_name: str
    year: int
    decided_on: date | None  # the agreement date (R8); by 1 April: retroactive advance (R11)
    requested_total: Decimal  # the approved request's begroting: the herschikking cap (§4.2.11)
    requested_staff: Decimal
    requested_other: Decimal
    decided_total: Decimal  # as decided
    agreed_total: Decimal  # as decided, or as herschikt
    agreed_staff: Decimal
    agreed_other: Decimal
    reallocated: bool  # an approved herschikking changed it

    @property
    def other_share(self) -> Decimal:
        """Agreed share of other investments, 0..1."""
        return self.agreed_other / self.agreed_total if self.agreed_total else Decimal(0)


def parts(
    total: Decimal,
    staff: Decimal | None,
    other: Decimal | None,
    req_staff: Decimal,
    req_total: Decimal,
) -> tuple[Decimal, Decimal]:
    """(staff, other) of an approved total. Recorded parts win; otherwise the requested ratio
    is applied (staff rounded half up, other = total - staff: exact to the cent)."""
    if staff is not None and other is not None and staff + other == total:
        return staff, other
    if req_total <= 0:
        return total, Decimal("0.00")
    s = (total * req_staff / req_total).quantize(CENT, rounding=ROUND_HALF_UP)
    return s, total - s


def approved_parts(req: Any) -> tuple[Decimal, Decimal]:
    """`parts` of a budget request's approved total (no total yet counts as 0), from its
    recorded approved parts and requested amounts: a BudgetRequest or a row with its columns."""
    return parts(
        req.approved_total or Decimal("0.00"),
        req.approved_staff_amount,
        req.approved_other_amount,
        req.requested_staff_amount,
        req.requested_total,
    )


def approved_rounds(s: Session, year: int, care_office_id: str | None = None) -> list[str]:
    """Ids of herschikking rounds of `year` with a valid vier-ogen approval, oldest first."""
    from desktop.services import review

    q = select(ReallocationRound).where(
        ReallocationRound.year == year,
        ReallocationRound.deleted_at == None,  # noqa: E711
    )
    if care_office_id:
        q = q.where(ReallocationRound.care_office_id == care_office_id)
    out = []
    for rnd in sorted(s.exec(q).all(), key=lambda r: r.created_at):
        if review.approval_in(s, "reallocation_round", rnd.id, honour_refusals=False):
            out.append(rnd.id)
    return out


def agreements_in(
    s: Session,
    year: int,
    *,
    care_office_id: str | None = None,
    region_id: str | None = None,
    provider_id: str | None = None,
    with_reallocation: bool = True,
) -> list[Agreement]:
    B = BudgetRequest  # noqa: N806 - columns, not ORM objects: the monitoring reads hundreds
    q = (
        select(
            B.id,
            B.provider_id,
            B.care_office_id,
            B.region_id,
            B.decided_on,  # type: ignore[call-overload]
            B.requested_total,
            B.requested_staff_amount,
            B.requested_other_amount,
            B.approved_total,
            B.approved_staff_amount,
            B.approved_other_amount,
            col(Provider.name).label("pname"),
            CareOffice.short_name,
            col(Region.name).label("rname"),
        )
        .join(Provider, Provider.id == BudgetRequest.provider_id)
        .join(CareOffice, CareOffice.id == BudgetRequest.care_office_id)
        .join(Region, Region.id == BudgetRequest.region_id)
        .where(
            BudgetRequest.budget_year == year,
            BudgetRequest.deleted_at == None,  # noqa: E711
            BudgetRequest.state.in_(COUNTING_STATES),  # type: ignore[attr-defined]
            BudgetRequest.decision != str(Decision.REJECTED),
            BudgetRequest.approved_total != None,  # noqa: E711
        )
    )
    if care_office_id:
        q = q.where(BudgetRequest.care_office_id == care_office_id)
    if region_id:
        q = q.where(BudgetRequest.region_id == region_id)
    if provider_id:
        q = q.where(BudgetRequest.provider_id == provider_id)
    rows = s.exec(q).all()
    changed: dict[str, ReallocationProposal] = {}
    if with_reallocation and rows:
        for round_id in approved_rounds(s, year, care_office_id):
            for p in s.exec(
                select(ReallocationProposal).where(
                    ReallocationProposal.round_id == round_id,
                    ReallocationProposal.deleted_at == None,  # noqa: E711
                )
            ).all():
                changed[p.budget_request_id] = p
    out = []
    for req in rows:
        pname, oname, rname = req.pname, req.short_name, req.rname
        total = req.approved_total or Decimal("0.00")
        staff, other = approved_parts(req)
        proposal = changed.get(req.id)
        if proposal is not None:
            staff, other = proposal.new_staff, proposal.new_other
        out.append(
            Agreement(
                req.id,
                req.provider_id,
                pname,
                req.care_office_id,
                oname,
                req.region_id,
                rname,
                year,
                req.decided_on,
                req.requested_total,
                req.requested_staff_amount,
                req.requested_other_amount,
                total,
                staff + other,
                staff,
                other,
                proposal is not None,
            )
        )
    out.sort(key=lambda a: (a.region_name, a.provider_name))
    return out
