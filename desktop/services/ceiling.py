"""The regional budget ceiling (plafond): what is committed against it, and the check every
approval and every derived vier-ogen approval makes (moved out of desktop/services/budget.py;
that module re-exports these names)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import BigInteger, func
from sqlmodel import Session, col, select

from db.engine import Database
from db.models import BudgetCeiling, BudgetRequest, CareOffice, Region
from db.models.enums import Decision, RequestState
from db.types import to_cents
from desktop.services.formatting import money

_COUNTING = (RequestState.DECIDED, RequestState.LETTER_SENT, RequestState.ADDENDUM_SIGNED)


@dataclass(frozen=True)
class CeilingSummary:
    care_office_id: str
    care_office_name: str
    region_id: str | None
    region_name: str
    year: int
    allocated: Decimal | None  # None: no ceiling recorded
    requested: Decimal
    approved: Decimal
    headroom: Decimal | None

    @property
    def label(self) -> str:
        where = f"{self.care_office_name}" + (
            f", regio {self.region_name}" if self.region_name else ""
        )
        return f"{where} {self.year}"


def _ceiling_rows(
    s: Session, care_office_id: str, region_id: str | None, year: int
) -> list[BudgetCeiling]:
    """The live ceilings of exactly this scope: the care office's own (region None) or the
    region's."""
    q = select(BudgetCeiling).where(
        BudgetCeiling.care_office_id == care_office_id,
        BudgetCeiling.year == year,
        BudgetCeiling.deleted_at == None,  # noqa: E711
    )
    return [r for r in s.exec(q).all() if r.region_id == region_id]


def _sum(
    s: Session,
    column,
    care_office_id: str,
    region_id: str | None,
    year: int,  # type: ignore[no-untyped-def]
    states,
    exclude_id: str | None = None,
    approved_only: bool = False,
) -> Decimal:
    q = select(func.coalesce(func.sum(column), 0, type_=BigInteger)).where(
        BudgetRequest.care_office_id == care_office_id,
        BudgetRequest.budget_year == year,
        BudgetRequest.deleted_at == None,  # noqa: E711
        col(BudgetRequest.state).in_([str(x) for x in states]),
    )
    if region_id is not None:
        q = q.where(BudgetRequest.region_id == region_id)
    if exclude_id is not None:
        q = q.where(BudgetRequest.id != exclude_id)
    if approved_only:
        q = q.where(BudgetRequest.decision != Decision.REJECTED)
    cents = s.exec(q).one()
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))


def _approved(
    s: Session, care_office_id: str, region_id: str | None, year: int, exclude_id: str | None = None
) -> Decimal:
    """Σ approved of the requests that count against a ceiling of this scope."""
    return _sum(
        s,
        BudgetRequest.approved_total,
        care_office_id,
        region_id,
        year,
        _COUNTING,
        exclude_id=exclude_id,
        approved_only=True,
    )


def summary_in(s: Session, care_office_id: str, region_id: str | None, year: int) -> CeilingSummary:
    office = s.get(CareOffice, care_office_id)
    region = s.get(Region, region_id) if region_id else None
    rows = _ceiling_rows(s, care_office_id, region_id, year)
    allocated = sum((r.amount for r in rows), Decimal("0.00")) if rows else None
    live = [st for st in RequestState if st != RequestState.WITHDRAWN]
    requested = _sum(s, BudgetRequest.requested_total, care_office_id, region_id, year, live)
    approved = _approved(s, care_office_id, region_id, year)
    return CeilingSummary(
        care_office_id,
        office.short_name if office else "?",
        region_id,
        region.name if region else "",
        year,
        allocated,
        requested,
        approved,
        None if allocated is None else allocated - approved,
    )


def ceiling_summary(
    db: Database, care_office_id: str, year: int, region_id: str | None = None
) -> CeilingSummary:
    """Allocated (the ceiling), requested, approved and headroom for a care office (or one of
    its regions) and year."""
    with db.read_session() as s:
        return summary_in(s, care_office_id, region_id, year)


def check_ceiling(s: Session, request: BudgetRequest) -> None:
    """Refuse an approval that would take the approved sum above a ceiling (care office level
    and, where one is recorded, region level). Σ approved ≤ regional budget (S1 §4.2.10)."""
    from db.errors import RuleViolation

    if request.decision == Decision.REJECTED or not request.approved_total:
        return
    for region_id in (None, request.region_id):
        rows = _ceiling_rows(s, request.care_office_id, region_id, request.budget_year)
        if not rows:
            continue
        allocated = sum((r.amount for r in rows), Decimal("0.00"))
        others = _approved(
            s, request.care_office_id, region_id, request.budget_year, exclude_id=request.id
        )
        over = others + request.approved_total - allocated
        if over > 0:
            scope = "het regionale plafond" if region_id else "het plafond van het zorgkantoor"
            raise RuleViolation(
                f"Deze toekenning past niet binnen {scope} voor {request.budget_year}: "
                f"{money(over)} boven het plafond (plafond {money(allocated)}, al toegekend "
                f"{money(others)}, deze aanvraag {money(request.approved_total)})."
            )


def ceiling_fits_many(s: Session, requests: list[BudgetRequest]) -> dict[str, bool]:
    """`check_ceiling` of many requests at once, request id -> True when it would pass: the
    same sums (Σ approved of the other counting requests of the scope) from one query for the
    ceilings and one for the sums of every scope (issue 18: the list of decisions re-checks
    the ceiling of each)."""
    out = {r.id: True for r in requests}
    asked = [r for r in requests if not (r.decision == Decision.REJECTED or not r.approved_total)]
    if not asked:
        return out
    offices = sorted({r.care_office_id for r in asked})
    years = sorted({r.budget_year for r in asked})
    ceilings: dict[tuple[str, str | None, int], list[Decimal]] = {}
    for c in s.exec(
        select(BudgetCeiling).where(
            col(BudgetCeiling.care_office_id).in_(offices),
            col(BudgetCeiling.year).in_(years),
            BudgetCeiling.deleted_at == None,  # noqa: E711
        )
    ).all():
        ceilings.setdefault((c.care_office_id, c.region_id, c.year), []).append(c.amount)
    counting = [str(x) for x in _COUNTING]
    regional: dict[tuple[str, str | None, int], int] = {}
    whole: dict[tuple[str, str | None, int], int] = {}  # the care office's own scope: all regions
    for office, year, region, summed in s.exec(
        select(
            BudgetRequest.care_office_id,
            BudgetRequest.budget_year,
            BudgetRequest.region_id,
            func.coalesce(func.sum(BudgetRequest.approved_total), 0, type_=BigInteger),
        )
        .where(
            col(BudgetRequest.care_office_id).in_(offices),
            col(BudgetRequest.budget_year).in_(years),
            BudgetRequest.deleted_at == None,  # noqa: E711
            col(BudgetRequest.state).in_(counting),
            BudgetRequest.decision != Decision.REJECTED,
        )
        .group_by(
            col(BudgetRequest.care_office_id),
            col(BudgetRequest.budget_year),
            col(BudgetRequest.region_id),
        )
    ).all():
        regional[(office, region, year)] = int(cast(Any, summed))
        whole[(office, None, year)] = whole.get((office, None, year), 0) + int(cast(Any, summed))
    for r in asked:
        amount = r.approved_total or Decimal("0.00")  # set: asked only
        # The request's own row, as the sums above counted it (check_ceiling excludes it).
        own = (
            to_cents(amount)
            if r.deleted_at is None
            and str(r.state) in counting
            and r.decision is not None
            and r.decision != Decision.REJECTED
            else 0
        )
        for region_id in (None, r.region_id):
            rows = ceilings.get((r.care_office_id, region_id, r.budget_year))
            if not rows:
                continue
            allocated = sum(rows, Decimal("0.00"))
            summed_cents = (whole if region_id is None else regional).get(
                (r.care_office_id, region_id, r.budget_year), 0
            )
            others = (Decimal(summed_cents - own) / 100).quantize(Decimal("0.01"))
            if others + amount - allocated > 0:
                out[r.id] = False
    return out


def set_ceiling(
    db: Database,
    care_office_id: str,
    year: int,
    amount: object,
    by: str | None,
    region_id: str | None = None,
) -> CeilingSummary:
    """Record (or change) the kwaliteitsbudget ceiling of a care office (or region) and year."""
    from db.errors import RuleViolation
    from db.repo import UnitOfWork
    from desktop.services.validation import amount as parse_amount

    value = parse_amount(amount, "amount", "Plafond")
    with UnitOfWork(db, by) as uow:
        from db.models import AppUser
        from db.models.enums import Role
        from desktop.services import review

        # DOMAIN.md §2: the teamleider guards that the regional budget is not exceeded.
        user = uow.session.get(AppUser, by) if by else None
        if user is None or not review.has_role(uow.session, user.id, Role.TEAM_LEAD):
            raise RuleViolation("Alleen een teamleider mag het kwaliteitsbudgetplafond vastleggen.")
        if uow.session.get(CareOffice, care_office_id) is None:
            raise RuleViolation("Onbekend zorgkantoor.")
        rows = _ceiling_rows(uow.session, care_office_id, region_id, year)
        approved = _approved(uow.session, care_office_id, region_id, year)
        if value < approved:
            raise RuleViolation(
                f"Het plafond kan niet lager zijn dan wat al is toegekend ({money(approved)})."
            )
        if rows:
            uow.update(rows[0], amount=value)
            for extra in rows[1:]:
                uow.delete(extra)
        else:
            uow.add(
                BudgetCeiling(
                    care_office_id=care_office_id, region_id=region_id, year=year, amount=value
                )
            )
    return ceiling_summary(db, care_office_id, year, region_id)
