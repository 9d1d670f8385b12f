"""Monitoring of the kwaliteitsbudget through the year: per provider and region the agreed
budget, the advances paid, the realisation to date and a projection, with the signals a
zorginkoper acts on (NZa S4 §2.4 "Monitoring € / fte", "Sturing op € / fte").

Projection (explained on screen): the latest cumulative realisation, extended linearly to the
year: realised through month n x 12 / n. The year report (or later) is the realisation itself.

Signals, each with a symbol and a word so they read without colour:
* UNDERSPEND  projected below 90% of the agreement: candidate for a downward herschikking
  (S1 §4.2.11 "naar beneden bijgesteld als de middelen niet zijn besteed conform de aanvraag");
* OVERSPEND   projected above the agreement: only costs "tot een maximum van de afspraken
  worden vergoed" (S1 §4.2.12);
* SPLIT_DRIFT the realised share of other investments differs more than 5 points from the
  agreed share;
* LATE / MISSING  a report came in after its date, or its date passed without a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlmodel import Session

from db.engine import Database
from desktop.services.budget_year.advances import approved_adjustments, provider_advance
from desktop.services.budget_year.agreements import agreements_in
from desktop.services.budget_year.realisation import (
    PERIODS,
    Period,
    Report,
    latest_costs,
    reports_in,
)

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
        return _pct(self.agreed_other, self.agreed_total)

    @property
    def realised_other_pct(self) -> Decimal | None:
        return _pct(self.realised_other, self.realised) if self.realised else None

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


def _pct(part: Decimal, total: Decimal) -> Decimal:
    if not total:
        return Decimal(0)
    return (part * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_states(reps: list[Report], year: int, as_of: date) -> tuple[ReportState, ...]:
    by_period = {r.period: r for r in reps}
    out = []
    for p in Period:
        due = p.due(year)
        r = by_period.get(p.value)
        if r is not None:
            status = "LATE" if r.late else "ON_TIME"
        else:
            status = "MISSING" if as_of > due else "OPEN"
        out.append(ReportState(p.value, p.label, due, r.received_date if r else None, status))
    return tuple(out)


def project(latest: Report | None) -> tuple[Decimal | None, str]:
    if latest is None:
        return None, "Nog geen realisatie ontvangen: geen prognose."
    months = PERIODS[latest.period].months
    if months >= 12:
        return latest.total, "Realisatie van het hele jaar."
    projected = (latest.total * 12 / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return projected, (
        f"Lineair doorgetrokken: gerealiseerd t/m {MONTHS_SHORT[months - 1]} × 12/{months}."
    )


def _pt(value: Decimal) -> str:
    """Dutch percentage text: 69%, 15,5% (0..100 with at most one decimal: no Babel needed)."""
    if value == value.to_integral_value():
        return f"{int(value)}%"
    return f"{value:.1f}".replace(".", ",") + "%"


def _signals(row: dict[str, Any], states: tuple[ReportState, ...]) -> tuple[Signal, ...]:
    from desktop.services.formatting import money

    out: list[Signal] = []
    agreed, projected = row["agreed_total"], row["projected"]
    if projected is not None and agreed:
        if projected < agreed * UNDERSPEND_BELOW:
            out.append(
                Signal(
                    "UNDERSPEND",
                    f"Prognose {money(projected)} is "
                    f"{_pt(_pct(projected, agreed))} van de afspraak: kandidaat voor herschikking.",
                )
            )
        elif projected > agreed:
            out.append(
                Signal(
                    "OVERSPEND",
                    f"Prognose {money(projected - agreed)} boven de afspraak; "
                    "alleen vergoed tot het afgesproken maximum.",
                )
            )
    realised = row["realised_staff"] + row["realised_other"]
    if realised and agreed:
        drift = _pct(row["realised_other"], realised) - _pct(row["agreed_other"], agreed)
        if abs(drift) > SPLIT_DRIFT_POINTS:
            out.append(
                Signal(
                    "SPLIT_DRIFT",
                    f"Aandeel overige investeringen "
                    f"{_pt(_pct(row['realised_other'], realised))} tegen "
                    f"{_pt(_pct(row['agreed_other'], agreed))} afgesproken.",
                )
            )
    late = [s.label for s in states if s.status == "LATE"]
    missing = [s.label for s in states if s.status == "MISSING"]
    if missing:
        out.append(Signal("MISSING", "Niet ontvangen: " + ", ".join(missing) + "."))
    if late:
        out.append(Signal("LATE", "Te laat ontvangen: " + ", ".join(late) + "."))
    return tuple(out)


def monitor_in(
    s: Session,
    year: int,
    *,
    care_office_id: str | None = None,
    region_id: str | None = None,
    as_of: date | None = None,
    provider_id: str | None = None,
) -> Monitor:
    as_of = as_of or date.today()
    agreed = agreements_in(
        s, year, care_office_id=care_office_id, region_id=region_id, provider_id=provider_id
    )
    reps = reports_in(
        s,
        year,
        [a.provider_id for a in agreed] if (care_office_id or region_id or provider_id) else None,
    )
    adjustments = approved_adjustments(s, year)
    rows = []
    for a in agreed:
        own = reps.get(a.provider_id, [])
        latest = latest_costs(own)
        projected, note = project(latest)
        adv = provider_advance(a, adjustments.get(a.request_id, []))
        states = report_states(own, year, as_of)
        fte_rep = next((r for r in reversed(own) if r.fte_realised is not None), None)
        realised_staff = latest.staff_costs if latest else ZERO
        realised_other = latest.other_costs if latest else ZERO
        base = {
            "agreed_total": a.agreed_total,
            "agreed_other": a.agreed_other,
            "projected": projected,
            "realised_staff": realised_staff,
            "realised_other": realised_other,
        }
        rows.append(
            ProviderMonitor(
                a.request_id,
                a.provider_id,
                a.provider_name,
                a.region_name,
                a.care_office_name,
                a.agreed_total,
                a.agreed_staff,
                a.agreed_other,
                a.requested_total,
                adv.paid_by(as_of, year),
                realised_staff,
                realised_other,
                PERIODS[latest.period].months if latest else 0,
                projected,
                note,
                fte_rep.extra_fte if fte_rep else None,
                fte_rep.fte_per_client if fte_rep else None,
                fte_rep.planned_fte_per_client if fte_rep else None,
                states,
                _signals(base, states),
                adv.months,
                tuple((PERIODS[r.period].months, r.total) for r in own if r.period != "AUDIT"),
            )
        )
    regions: dict[str, list[ProviderMonitor]] = {}
    for r in rows:
        regions.setdefault(r.region_name, []).append(r)
    totals = []
    for name, items in sorted(regions.items()):
        counts: dict[str, int] = {}
        for r in items:
            for code in r.signal_codes:
                counts[code] = counts.get(code, 0) + 1
        totals.append(
            RegionTotal(
                name,
                len(items),
                sum((r.agreed_total for r in items), ZERO),
                sum((r.advanced for r in items), ZERO),
                sum((r.realised for r in items), ZERO),
                sum((r.projected if r.projected is not None else ZERO for r in items), ZERO),
                counts,
            )
        )
    return Monitor(year, as_of, tuple(rows), tuple(totals))


def monitor(
    db: Database,
    year: int,
    *,
    care_office_id: str | None = None,
    region_id: str | None = None,
    as_of: date | None = None,
) -> Monitor:
    """The monitoring of `year` for a care office (or region, or everything)."""
    with db.read_session() as s:
        return monitor_in(s, year, care_office_id=care_office_id, region_id=region_id, as_of=as_of)


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


def realised_by_provider(db: Database, year: int) -> dict[str, RealisedMoney]:
    """Provider id -> its latest realised money of `year` (cumulative from 1 January), for the
    outcomes and steering views. Providers without a report are absent."""
    with db.read_session() as s:
        reps = reports_in(s, year, None)
    out = {}
    for pid, items in reps.items():
        latest = latest_costs(items)
        if latest is not None:
            out[pid] = RealisedMoney(
                latest.staff_costs,
                latest.other_costs,
                latest.period,
                PERIODS[latest.period].months,
                latest.received_date,
            )
    return out


def provider_glance(
    db: Database, location_id: str, years: tuple[int, ...], as_of: date | None = None
) -> tuple[str, list[tuple[int, ProviderMonitor]]]:
    """(provider name, [(year, monitoring row)]) of the provider of a location: the year's money
    at a glance on the location page."""
    from db.models import Location, Provider

    with db.read_session() as s:
        loc = s.get(Location, location_id)
        if loc is None:
            return "", []
        prov = s.get(Provider, loc.provider_id)
        out = []
        for y in years:
            out += [(y, r) for r in monitor_in(s, y, provider_id=loc.provider_id, as_of=as_of).rows]
        return (prov.name if prov else ""), out


# -- export ------------------------------------------------------------------------------------


def monitor_rows(m: Monitor) -> list[list[Any]]:
    head = [
        "Zorgaanbieder",
        "Regio",
        "Afgesproken",
        "Voorschot betaald",
        "Gerealiseerd",
        "Realisatie t/m maand",
        "Prognose jaar",
        "Prognose % afspraak",
        "Overig afgesproken %",
        "Overig gerealiseerd %",
        "Extra fte",
        "Fte/cliënt",
        "Fte/cliënt begroot",
        "Signalen",
        "Toelichting",
    ]
    out: list[list[Any]] = [head]
    for r in m.rows:
        out.append(
            [
                r.provider_name,
                r.region_name,
                r.agreed_total,
                r.advanced,
                r.realised,
                MONTHS_SHORT[r.realised_months - 1] if r.realised_months else "",
                r.projected if r.projected is not None else "",
                r.projected_pct if r.projected_pct is not None else "",
                r.agreed_other_pct,
                r.realised_other_pct if r.realised_other_pct is not None else "",
                r.extra_fte if r.extra_fte is not None else "",
                r.fte_per_client if r.fte_per_client is not None else "",
                r.planned_fte_per_client if r.planned_fte_per_client is not None else "",
                ", ".join(g.text for g in r.signals),
                " ".join(g.detail for g in r.signals),
            ]
        )
    return out


def region_rows(m: Monitor) -> list[list[Any]]:
    out: list[list[Any]] = [
        ["Regio", "Aanbieders", "Afgesproken", "Voorschot betaald", "Gerealiseerd", "Prognose"]
        + [v[1] for v in SIGNALS.values()]
    ]
    for t in m.regions:
        out.append(
            [
                t.region_name,
                t.providers,
                t.agreed,
                t.advanced,
                t.realised,
                t.projected,
                *[t.signals.get(code, 0) for code in SIGNALS],
            ]
        )
    return out


def export_xlsx(m: Monitor, path: Any) -> Any:
    from desktop.services import exports
    from desktop.services.formatting import long_date

    title = f"Monitoring kwaliteitsbudget {m.year} (stand {long_date(m.as_of)})"
    legend = (
        [["Teken", "Signaal", "Betekenis"]]
        + [
            [sym, label, text]
            for (sym, label), text in zip(
                SIGNALS.values(),
                (
                    "Prognose onder 90% van de afspraak: kandidaat voor herschikking naar beneden.",
                    "Prognose boven de afspraak: alleen vergoed tot het afgesproken maximum (§4.2.12).",
                    "Aandeel overige investeringen wijkt meer dan 5 procentpunt af van de afspraak.",
                    "Realisatie na de uiterste datum ontvangen.",
                    "Uiterste datum verstreken zonder realisatie.",
                ),
                strict=True,
            )
        ]
        + [[], ["", "Prognose", "Laatste cumulatieve realisatie × 12 / aantal maanden."]]
    )
    return exports.rows_to_xlsx(
        [
            ("Zorgaanbieders", title, monitor_rows(m)),
            ("Regio's", title, region_rows(m)),
            ("Toelichting", "Toelichting signalen", legend),
        ],
        path,
    )
