"""Voorschot (advance) on the agreed kwaliteitsbudget (Inkoopkader 2020 §4.2.9, DOMAIN.md R11).

"Als de afspraken over het kwaliteitsbudget tijdig zijn overeengekomen, ontvangen zorgaanbieders
een voorschot op zijn vroegst beginnend 1 januari. Het voorschot bedraagt 75% van het bedrag dat
op maandbasis voor een zorgaanbieder afgesproken is. [...] Het voorschot wordt indien nodig en
na overleg tussentijds aangepast in lijn met de daadwerkelijke realisatie. Wanneer het plan
wordt goedgekeurd (uiterlijk 1 april) worden de voorschotten met terugwerkende kracht tot
1 januari uitgekeerd." (S1 §4.2.9)

Rules as built:
* agreed by 1 April t: advance for all twelve months; the months before the agreement are paid
  retroactively on the agreement date;
* agreed later: advance from the first month that starts on or after the agreement date;
* the advance of the months covered is 75% x agreed total x months/12, rounded half up to the
  cent once, then spread in whole cents (the first months get the remainder cents), so the
  months add up to the cent;
* an approved AdvanceAdjustment (vier-ogen) sets the monthly amount from its month on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session, col, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import AppUser, BudgetRequest, Provider
from db.models.budget_year import AdvanceAdjustment
from db.models.enums import Role
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.budget_year.agreements import Agreement, agreements_in, cents, euros
from desktop.services.letters.cycle import ADVANCE_PERCENT

SUBJECT = "advance_adjustment"
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


# -- pure arithmetic ---------------------------------------------------------------------------


def first_month(year: int, decided_on: date | None) -> int | None:
    """First month with an advance: 1 when agreed by 1 April t (retroactive), else the first
    month starting on or after the agreement; None when not agreed or agreed after the year."""
    if decided_on is None:
        return None
    if decided_on <= date(year, 4, 1):
        return 1
    if decided_on.year > year:
        return None
    month = decided_on.month if decided_on.day == 1 else decided_on.month + 1
    return month if month <= 12 else None


def spread(total_cents: int, n: int) -> list[int]:
    """`total_cents` over n months in whole cents; the first months take the remainder."""
    if n <= 0:
        return []
    base, rest = divmod(total_cents, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def monthly_cents(
    agreed_cents: int,
    year: int,
    decided_on: date | None,
    adjustments: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """The advance of each month Jan..Dec in cents. `adjustments`: (from_month, monthly cents)
    in the order they apply (a later one overrides an earlier one from its month on)."""
    out = [0] * 12
    start = first_month(year, decided_on)
    if start is None:
        return out
    n = 13 - start
    share = Decimal(agreed_cents) * ADVANCE_PERCENT * n / (100 * 12)
    total = int(share.to_integral_value(rounding=ROUND_HALF_UP))
    out[start - 1 :] = spread(total, n)
    for from_month, amount in adjustments:
        for m in range(max(from_month, start), 13):
            out[m - 1] = amount
    return out


def with_reallocation(
    months: list[int], year: int, decided_on: date | None, new_cents: int
) -> list[int]:
    """A herschikking (1 November, R13) takes effect on the December advance: it brings the
    year's advance to 75% of the new agreement (for the months the advance covers); never
    below zero -- what was paid too much is settled in the nacalculatie. The months already
    paid stay as they were."""
    start = first_month(year, decided_on)
    if start is None:
        return months
    n = 13 - start
    target = int(
        (Decimal(new_cents) * ADVANCE_PERCENT * n / (100 * 12)).to_integral_value(
            rounding=ROUND_HALF_UP
        )
    )
    out = list(months)
    out[11] = max(target - sum(out[:11]), 0)
    return out


def pay_date(year: int, month: int, decided_on: date) -> date:
    """When month `month`'s advance is paid: the first of the month, retroactive months on the
    agreement date."""
    return max(date(year, month, 1), decided_on)


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderAdvance:
    request_id: str
    provider_id: str
    provider_name: str
    care_office_name: str
    region_name: str
    agreed_total: Decimal
    decided_on: date | None
    retroactive: bool  # agreed by 1 April: months before the agreement paid on that date
    months: tuple[Decimal, ...]  # Jan..Dec
    adjusted_from: int | None  # month of the last approved adjustment

    @property
    def total(self) -> Decimal:
        return sum(self.months, Decimal("0.00"))

    def paid_by(self, day: date, year: int) -> Decimal:
        if self.decided_on is None:
            return Decimal("0.00")
        return sum(
            (
                a
                for m, a in enumerate(self.months, start=1)
                if a and pay_date(year, m, self.decided_on) <= day
            ),
            Decimal("0.00"),
        )


@dataclass(frozen=True)
class AdvanceSchedule:
    year: int
    rows: tuple[ProviderAdvance, ...]
    by_region: tuple[tuple[str, tuple[Decimal, ...]], ...]  # region -> month totals
    by_care_office: tuple[tuple[str, tuple[Decimal, ...]], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "providers": [
                {
                    "request_id": r.request_id,
                    "provider_id": r.provider_id,
                    "provider": r.provider_name,
                    "care_office": r.care_office_name,
                    "region": r.region_name,
                    "agreed_total": str(r.agreed_total),
                    "decided_on": r.decided_on.isoformat() if r.decided_on else None,
                    "retroactive": r.retroactive,
                    "adjusted_from_month": r.adjusted_from,
                    "months": [str(a) for a in r.months],
                    "total": str(r.total),
                }
                for r in self.rows
            ],
            "regions": {name: [str(a) for a in m] for name, m in self.by_region},
            "care_offices": {name: [str(a) for a in m] for name, m in self.by_care_office},
        }


def approved_adjustments(
    s: Session, year: int, request_ids: list[str] | None = None
) -> dict[str, list[tuple[int, int]]]:
    """request id -> [(from_month, monthly cents)] of the adjustments with a valid approval."""
    q = select(AdvanceAdjustment).where(
        AdvanceAdjustment.year == year,
        AdvanceAdjustment.deleted_at == None,  # noqa: E711
    )
    rows = s.exec(q).all()
    out: dict[str, list[tuple[int, int]]] = {}
    for adj in sorted(rows, key=lambda a: a.created_at):
        if request_ids is not None and adj.budget_request_id not in request_ids:
            continue
        if review.approval_in(s, SUBJECT, adj.id, honour_refusals=False):
            out.setdefault(adj.budget_request_id, []).append(
                (adj.from_month, cents(adj.monthly_amount))
            )
    return out


def provider_advance(a: Agreement, adjustments: list[tuple[int, int]]) -> ProviderAdvance:
    """The schedule of one agreement: from the decided amount; an approved herschikking
    changes the December advance (with_reallocation)."""
    months = monthly_cents(cents(a.decided_total), a.year, a.decided_on, adjustments)
    if a.reallocated:
        months = with_reallocation(months, a.year, a.decided_on, cents(a.agreed_total))
    return ProviderAdvance(
        a.request_id,
        a.provider_id,
        a.provider_name,
        a.care_office_name,
        a.region_name,
        a.agreed_total,
        a.decided_on,
        first_month(a.year, a.decided_on) == 1,
        tuple(euros(c) for c in months),
        adjustments[-1][0] if adjustments else None,
    )


def schedule_in(
    s: Session, year: int, *, care_office_id: str | None = None, region_id: str | None = None
) -> AdvanceSchedule:
    agreed = agreements_in(s, year, care_office_id=care_office_id, region_id=region_id)
    adjustments = approved_adjustments(s, year)
    rows = tuple(provider_advance(a, adjustments.get(a.request_id, [])) for a in agreed)

    def totals(key) -> tuple[tuple[str, tuple[Decimal, ...]], ...]:  # type: ignore[no-untyped-def]
        acc: dict[str, list[Decimal]] = {}
        for r in rows:
            month_sums = acc.setdefault(key(r), [Decimal("0.00")] * 12)
            for i, amount in enumerate(r.months):
                month_sums[i] += amount
        return tuple((k, tuple(v)) for k, v in sorted(acc.items()))

    return AdvanceSchedule(
        year, rows, totals(lambda r: r.region_name), totals(lambda r: r.care_office_name)
    )


def advance_schedule(
    db: Database, year: int, *, care_office_id: str | None = None, region_id: str | None = None
) -> AdvanceSchedule:
    """The voorschot schedule of `year`: per provider and month, with totals per region and
    care office."""
    with db.read_session() as s:
        return schedule_in(s, year, care_office_id=care_office_id, region_id=region_id)


# -- adjustment (vier-ogen subject) ------------------------------------------------------------


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
        user = uow.get(AppUser, by)
        if user is None or user.deleted_at is not None:
            raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
        req = uow.get(BudgetRequest, request_id)
        if req is None or req.deleted_at is not None:
            raise NotFound("Deze aanvraag bestaat niet.")
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


# -- export for the payment department ---------------------------------------------------------

_HEAD = (
    [
        "Zorgaanbieder",
        "Zorgkantoor",
        "Regio",
        "Afgesproken budget",
        "Datum afspraak",
        "Terugwerkend",
    ]
    + [m.capitalize() for m in MONTHS_NL]
    + ["Totaal voorschot"]
)


def schedule_rows(sch: AdvanceSchedule) -> list[list[Any]]:
    out: list[list[Any]] = [_HEAD]
    for r in sch.rows:
        out.append(
            [
                r.provider_name,
                r.care_office_name,
                r.region_name,
                r.agreed_total,
                r.decided_on.strftime("%d-%m-%Y") if r.decided_on else "",
                "ja" if r.retroactive else "nee",
                *r.months,
                r.total,
            ]
        )
    for name, months in sch.by_region:
        out.append([f"Totaal regio {name}", "", name, "", "", "", *months, sum(months, Decimal(0))])
    for name, months in sch.by_care_office:
        out.append(
            [f"Totaal zorgkantoor {name}", name, "", "", "", "", *months, sum(months, Decimal(0))]
        )
    return out
