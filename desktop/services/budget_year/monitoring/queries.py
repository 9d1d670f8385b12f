"""The monitoring read from the database: per provider and region (monitor), the latest
realised money per provider, and a provider's years at a glance."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from db.engine import Database
from desktop.services.budget_year.advances import approved_adjustments, provider_advance
from desktop.services.budget_year.agreements import agreements_in
from desktop.services.budget_year.monitoring.model import (
    ZERO,
    Monitor,
    ProviderMonitor,
    RealisedMoney,
    RegionTotal,
)
from desktop.services.budget_year.monitoring.signals import project, report_states, signals_of
from desktop.services.budget_year.realisation import (
    PERIODS,
    latest_costs,
    reports_in,
)


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
                signals_of(base, states),
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
