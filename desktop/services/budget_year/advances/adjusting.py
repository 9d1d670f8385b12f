"""An adjustment of the monthly voorschot ("tussentijds aangepast [...] na overleg"): proposed,
then effective once approved under the vier-ogen rule (subject "advance_adjustment")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import AppUser, BudgetRequest, Provider
from db.models.budget_year import AdvanceAdjustment
from db.models.enums import Role
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.budget_year.advances.arithmetic import MONTHS_NL
from desktop.services.budget_year.advances.schedule import SUBJECT
from desktop.services.budget_year.agreements import agreements_in
from desktop.services.guards import acting_user, live


def propose_adjustment(
    db: Database,
    request_id: str,
    by: str,
    *,
    from_month: object,
    monthly_amount: object,
    reason: str,
) -> str:
    """Record an adjustment of the monthly advance (not effective until approved)."""
    from desktop.services.validation import amount, positive_int

    errors: list[ValidationError] = []
    month = None
    try:
        month = positive_int(from_month, "from_month", "Vanaf maand", allow_empty=False)
        if month is not None and not 1 <= month <= 12:
            errors.append(ValidationError("from_month", "Vanaf maand moet tussen 1 en 12 liggen."))
    except ValidationError as exc:
        errors.append(exc)
    value = None
    try:
        value = amount(monthly_amount, "monthly_amount", "Nieuw maandvoorschot")
    except ValidationError as exc:
        errors.append(exc)
    reason = (reason or "").strip()
    if len(reason) < 10:
        errors.append(
            ValidationError(
                "reason",
                "Leg vast waarom het voorschot wordt aangepast "
                "(het overleg met de zorgaanbieder), minstens 10 tekens.",
            )
        )
    if errors:
        raise ValidationErrors(errors)
    assert month is not None and value is not None  # both parsed without error
    with UnitOfWork(db, by) as uow:
        acting_user(uow, by)
        req = live(uow, BudgetRequest, request_id, "Deze aanvraag bestaat niet.")
        agreed = agreements_in(uow.session, req.budget_year, provider_id=req.provider_id)
        agreement = next((a for a in agreed if a.request_id == request_id), None)
        if agreement is None:
            raise RuleViolation(
                "Er is nog geen afgesproken kwaliteitsbudget voor deze aanvraag; "
                "een voorschot kan pas na het besluit worden aangepast."
            )
        monthly_agreed = agreement.agreed_total / 12
        if value is not None and value > monthly_agreed.quantize(Decimal("0.01")):
            raise ValidationError(
                "monthly_amount",
                "Het maandvoorschot kan niet hoger zijn dan het afgesproken bedrag per maand.",
            )
        adj = uow.add(
            AdvanceAdjustment(
                budget_request_id=request_id,
                provider_id=req.provider_id,
                year=req.budget_year,
                from_month=month,
                monthly_amount=value,
                reason=reason,
                author_id=by,
            )
        )
        return adj.id


def _describe(s: Session, adj_id: str) -> str:
    adj = s.get(AdvanceAdjustment, adj_id)
    if adj is None:
        return "?"
    prov = s.get(Provider, adj.provider_id)
    from desktop.services.formatting import money

    return (
        f"{prov.name if prov else '?'} – voorschot {adj.year} vanaf "
        f"{MONTHS_NL[adj.from_month - 1]}: {money(adj.monthly_amount)} per maand"
    )


def _content(s: Session, adj_id: str) -> dict[str, Any]:
    adj = s.get(AdvanceAdjustment, adj_id)
    if adj is None:
        raise NotFound("Deze voorschotaanpassing bestaat niet.")
    return {
        "budget_request_id": adj.budget_request_id,
        "year": adj.year,
        "from_month": adj.from_month,
        "monthly_amount": adj.monthly_amount,
        "reason": adj.reason,
        "deleted": adj.deleted_at is not None,
    }


_FIELDS = frozenset({"budget_request_id", "year", "from_month", "monthly_amount", "reason"})


def _author(s: Session, adj_id: str) -> str | None:
    adj = s.get(AdvanceAdjustment, adj_id)
    return adj.author_id if adj else None


def _still_valid(s: Session, adj_id: str) -> bool:
    adj = s.get(AdvanceAdjustment, adj_id)
    return adj is not None and adj.deleted_at is None


review.register_subject(
    SUBJECT,
    review.SubjectSpec(
        content=_content,
        watched=lambda s, i: [(SUBJECT, i, _FIELDS)],
        author=_author,
        describe=_describe,
        still_valid=_still_valid,
    ),
)


@dataclass(frozen=True)
class AdjustmentRow:
    id: str
    provider_name: str
    from_month: int
    monthly_amount: Decimal
    reason: str
    review_state: str
    review_label: str


def adjustments(db: Database, year: int, care_office_id: str | None = None) -> list[AdjustmentRow]:
    """The voorschot adjustments of `year` with their vier-ogen state (newest first)."""
    with db.read_session() as s:
        q = (
            select(AdvanceAdjustment, Provider.name, BudgetRequest.care_office_id)
            .join(Provider, col(Provider.id) == AdvanceAdjustment.provider_id)
            .join(BudgetRequest, col(BudgetRequest.id) == AdvanceAdjustment.budget_request_id)
            .where(AdvanceAdjustment.year == year, AdvanceAdjustment.deleted_at == None)  # noqa: E711
        )
        out = []
        for adj, name, office in sorted(
            s.exec(q).all(), key=lambda t: t[0].created_at, reverse=True
        ):
            if care_office_id and office != care_office_id:
                continue
            st = review.status_in(s, SUBJECT, adj.id, with_names=False)
            out.append(
                AdjustmentRow(
                    adj.id, name, adj.from_month, adj.monthly_amount, adj.reason, st.state, st.label
                )
            )
        return out


def may_review(db: Database, user_id: str) -> bool:
    with db.read_session() as s:
        u = s.get(AppUser, user_id)
        return u is not None and Role.TEAM_LEAD in u.roles
