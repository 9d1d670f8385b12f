"""The monitoring's records: a provider's row with its signals, region totals, the whole
monitor; the signal codes with symbol and word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

UNDERSPEND_BELOW = Decimal("0.90")
SPLIT_DRIFT_POINTS = Decimal(5)
ZERO = Decimal("0.00")
MONTHS_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

SIGNALS: dict[str, tuple[str, str]] = {
    "UNDERSPEND": ("▼", "Onderbesteding"),
    "OVERSPEND": ("▲", "Overschrijding"),
    "SPLIT_DRIFT": ("⇄", "Verhouding wijkt af"),
    "LATE": ("◔", "Te laat"),
    "MISSING": ("✗", "Ontbreekt"),
}


@dataclass(frozen=True)
class Signal:
    code: str
    detail: str

    @property
    def symbol(self) -> str:
        return SIGNALS[self.code][0]

    @property
    def label(self) -> str:
        return SIGNALS[self.code][1]

    @property
    def text(self) -> str:
        return f"{self.symbol} {self.label}"


@dataclass(frozen=True)
class ReportState:
    period: str
    label: str
    due: date
    received: date | None
    status: str  # ON_TIME / LATE / MISSING / OPEN


@dataclass(frozen=True)
class ProviderMonitor:
    request_id: str
    provider_id: str
    provider_name: str
    region_name: str
    care_office_name: str
    agreed_total: Decimal
    agreed_staff: Decimal
    agreed_other: Decimal
    requested_total: Decimal
    advanced: Decimal  # paid up to the as-of date
    realised_staff: Decimal
    realised_other: Decimal
    realised_months: int  # months the latest realisation covers (0: none yet)
    projected: Decimal | None
    projection_note: str
    extra_fte: Decimal | None
    fte_per_client: Decimal | None
    planned_fte_per_client: Decimal | None
    reports: tuple[ReportState, ...]
    signals: tuple[Signal, ...]
    advances_by_month: tuple[Decimal, ...]
    realised_points: tuple[tuple[int, Decimal], ...]  # (month covered, cumulative total)

    @property
    def realised(self) -> Decimal:
        return self.realised_staff + self.realised_other

    @property
    def projected_pct(self) -> Decimal | None:
        if self.projected is None or not self.agreed_total:
            return None
        return (self.projected * 100 / self.agreed_total).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )

    @property
    def agreed_other_pct(self) -> Decimal:
        return pct(self.agreed_other, self.agreed_total)

    @property
    def realised_other_pct(self) -> Decimal | None:
        return pct(self.realised_other, self.realised) if self.realised else None

    @property
    def signal_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.signals)

    def as_json(self) -> dict[str, Any]:
        def s(x: Any) -> Any:
            return None if x is None else str(x)

        return {
            "request_id": self.request_id,
            "provider_id": self.provider_id,
            "provider": self.provider_name,
            "region": self.region_name,
            "care_office": self.care_office_name,
            "agreed": str(self.agreed_total),
            "agreed_staff": str(self.agreed_staff),
            "agreed_other": str(self.agreed_other),
            "advanced": str(self.advanced),
            "realised": str(self.realised),
            "realised_staff": str(self.realised_staff),
            "realised_other": str(self.realised_other),
            "realised_months": self.realised_months,
            "projected": s(self.projected),
            "projected_pct": s(self.projected_pct),
            "projection": self.projection_note,
            "split": {
                "agreed_other_pct": s(self.agreed_other_pct),
                "realised_other_pct": s(self.realised_other_pct),
            },
            "extra_fte": s(self.extra_fte),
            "fte_per_client": s(self.fte_per_client),
            "planned_fte_per_client": s(self.planned_fte_per_client),
            "reports": [
                {
                    "period": r.period,
                    "due": r.due.isoformat(),
                    "status": r.status,
                    "received": r.received.isoformat() if r.received else None,
                }
                for r in self.reports
            ],
            "signals": [
                {"code": g.code, "label": g.label, "detail": g.detail} for g in self.signals
            ],
        }


@dataclass(frozen=True)
class RegionTotal:
    region_name: str
    providers: int
    agreed: Decimal
    advanced: Decimal
    realised: Decimal
    projected: Decimal
    signals: dict[str, int]


@dataclass(frozen=True)
class Monitor:
    year: int
    as_of: date
    rows: tuple[ProviderMonitor, ...]
    regions: tuple[RegionTotal, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "as_of": self.as_of.isoformat(),
            "providers": [r.as_json() for r in self.rows],
            "regions": [
                {
                    "region": t.region_name,
                    "providers": t.providers,
                    "agreed": str(t.agreed),
                    "advanced": str(t.advanced),
                    "realised": str(t.realised),
                    "projected": str(t.projected),
                    "signals": t.signals,
                }
                for t in self.regions
            ],
        }


def pct(part: Decimal, total: Decimal) -> Decimal:
    if not total:
        return Decimal(0)
    return (part * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def pct_text(value: Decimal) -> str:
    """Dutch percentage text: 69%, 15,5% (0..100 with at most one decimal: no Babel needed)."""
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value:.1f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class RealisedMoney:
    staff: Decimal
    other: Decimal
    period: str  # the report it comes from: MAY / JUL / OCT / YEAR
    months: int  # months of the year it covers
    received_date: date

    @property
    def total(self) -> Decimal:
        return self.staff + self.other
