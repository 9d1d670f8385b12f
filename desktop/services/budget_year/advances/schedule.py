"""The voorschot schedule: per provider and month (approved adjustments applied), totals per
region and care office, and the rows for the payment department."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from db.engine import Database
from db.models.budget_year import AdvanceAdjustment
from desktop.services import review
from desktop.services.budget_year.advances.arithmetic import (
    MONTHS_NL,
    first_month,
    monthly_cents,
    pay_date,
    with_reallocation,
)
from desktop.services.budget_year.agreements import Agreement, agreements_in, cents, euros

SUBJECT = "advance_adjustment"


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

    def totals(
        key: Callable[[ProviderAdvance], str],
    ) -> tuple[tuple[str, tuple[Decimal, ...]], ...]:
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
