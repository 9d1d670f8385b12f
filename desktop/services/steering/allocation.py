"""The diagnosis beside the money: per provider and location in a region, urgency (from the
kwaliteitsdiagnose, via the regional heatmap) against the kwaliteitsbudget per client (from
approved decisions), classified in four quadrants.

Seed 004 §2.3 (Vervolg): "wend het geld dáár aan waar het het meest nodig is en waar het
kansrijk is om de kwaliteit van zorg in de regio te verbeteren."

Money per client: the kwaliteitsbudget is granted per provider, not per location, so the
amount is divided by the places (`location.capacity`) of all the provider's locations; every
location of a provider shows the same amount per client. Locations without a capacity count
with the provider's average.

Realisation: the budget year's realisation reports (issue 16) are registered below as the
source of the realised amount per provider; `register_realisation_source(fn)` takes further
sources `fn(db, year) -> {provider_id: Decimal}`.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from desktop.services.regional import find_region, heatmap
from desktop.services.themes import connect_ro

APPROVED = ("APPROVED", "APPROVED_ADJUSTED")

# Quadrants. The two that matter for next year's money come first.
URGENT_LOW = "URGENT_LOW"
GOOD_HIGH = "GOOD_HIGH"
URGENT_HIGH = "URGENT_HIGH"
GOOD_LOW = "GOOD_LOW"
NO_DATA = "NO_DATA"
QUADRANTS = (URGENT_LOW, GOOD_HIGH, URGENT_HIGH, GOOD_LOW, NO_DATA)
QUADRANT_LABELS = {
    URGENT_LOW: "Urgent, weinig geïnvesteerd",
    GOOD_HIGH: "Veel geïnvesteerd, al goed",
    URGENT_HIGH: "Urgent, veel geïnvesteerd",
    GOOD_LOW: "Op orde, weinig geïnvesteerd",
    NO_DATA: "Onvoldoende gegevens",
}
QUADRANT_SHORT = {  # for narrow table columns
    URGENT_LOW: "Urgent, weinig €",
    GOOD_HIGH: "Veel €, al goed",
    URGENT_HIGH: "Urgent, veel €",
    GOOD_LOW: "Op orde, weinig €",
    NO_DATA: "Onbekend",
}
QUADRANT_ADVICE = {
    URGENT_LOW: "Hier is geld het meest nodig: bespreek extra inzet op de zwakke thema's.",
    GOOD_HIGH: "Veel geld bij een locatie die al goed scoort: is die inzet elders kansrijker?",
    URGENT_HIGH: "Veel geld en toch urgent: bewaak het effect en overweeg een interventie.",
    GOOD_LOW: "Op orde tegen lage kosten: geen actie nodig, mogelijk voorbeeld voor anderen.",
    NO_DATA: "Geen oordelen of geen toegekend budget: eerst de diagnose of het besluit vastleggen.",
}
HIGHLIGHTED = (URGENT_LOW, GOOD_HIGH)

_realisation_sources: list[Callable[[Any, int], dict[str, Decimal]]] = []


def register_realisation_source(fn: Callable[[Any, int], dict[str, Decimal]]) -> None:
    """Hook for issue 16: `fn(db, year) -> {provider_id: realised amount}`."""
    if fn not in _realisation_sources:
        _realisation_sources.append(fn)


_COST_PERIODS = ("MAY", "JUL", "OCT", "YEAR")  # cumulative from 1 January; AUDIT has no costs


def _budget_year_realisation(db: Any, year: int) -> dict[str, Decimal]:
    """The budget year's realisation reports (issue 16): per provider the realised staff plus
    other costs of its latest report of `year` (reports are cumulative from 1 January)."""
    conn = connect_ro(db)
    try:
        rows = conn.execute(
            "SELECT provider_id, period, staff_costs + other_costs FROM realisation_report "
            "WHERE year = ? AND deleted_at IS NULL AND period IN ('MAY','JUL','OCT','YEAR')",
            (year,),
        ).fetchall()
    finally:
        conn.close()
    latest: dict[str, tuple[int, int]] = {}
    for pid, period, cents in rows:
        rank = _COST_PERIODS.index(period)
        if pid not in latest or rank > latest[pid][0]:
            latest[pid] = (rank, cents)
    return {pid: Decimal(cents) / 100 for pid, (_, cents) in latest.items()}  # integer cents


register_realisation_source(_budget_year_realisation)

# What the latest cost report of a year covers (reports are cumulative from 1 January).
REALISED_UNTIL = {
    "MAY": "t/m april",
    "JUL": "t/m juni",
    "OCT": "t/m september",
    "YEAR": "heel jaar",
}


def provider_realisation(conn: Any, provider_id: str) -> dict[int, tuple[Decimal, str]]:
    """Per budget year the provider's realised staff plus other costs from its latest
    realisation report of that year, with the period it covers (a `REALISED_UNTIL` key).
    One indexed read on an open connection, for the effect view and the kwaliteitsmonitor."""
    latest: dict[int, tuple[int, int, str]] = {}
    for year, period, cents in conn.execute(
        "SELECT year, period, staff_costs + other_costs FROM realisation_report "
        "WHERE provider_id = ? AND deleted_at IS NULL AND period IN ('MAY','JUL','OCT','YEAR')",
        (provider_id,),
    ):
        rank = _COST_PERIODS.index(period)
        if year not in latest or rank > latest[year][0]:
            latest[year] = (rank, cents, period)
    return {y: (Decimal(cents) / 100, period) for y, (_, cents, period) in latest.items()}


def realised_amounts(db: Any, year: int) -> dict[str, Decimal] | None:
    """Realised kwaliteitsbudget per provider, or None while no source is registered."""
    if not _realisation_sources:
        return None
    out: dict[str, Decimal] = {}
    for fn in _realisation_sources:
        out.update(fn(db, year))
    return out


def is_urgent(concerns: int, insufficient: int) -> bool:
    """Urgent: at least one theme onvoldoende, or two or more themes matig or worse."""
    return insufficient >= 1 or concerns >= 2


def classify(urgent: bool | None, per_client: Decimal | None, threshold: Decimal | None) -> str:
    """Quadrant of one location: urgency (None: not assessed) x money per client against the
    regional median (`threshold`)."""
    if urgent is None or per_client is None or threshold is None:
        return NO_DATA
    high = per_client > threshold
    if urgent:
        return URGENT_HIGH if high else URGENT_LOW
    return GOOD_HIGH if high else GOOD_LOW


@dataclass(frozen=True, slots=True)
class AllocationRow:
    location_id: str
    location_name: str
    place: str
    provider_id: str
    provider_name: str
    capacity: int | None
    concerns: int  # themes matig or onvoldoende
    insufficient: int
    worsened: int
    assessed: int  # themes with a rating
    urgency: int  # concerns + insufficient (0..16), higher is more urgent
    approved: Decimal | None  # the provider's approved kwaliteitsbudget in the year
    realised: Decimal | None  # the provider's realised amount (issue 16 hook), else None
    per_client: Decimal | None
    quadrant: str
    weak_themes: tuple[str, ...]  # theme codes rated matig or onvoldoende
    targeted_themes: tuple[str, ...]  # themes the provider's decision(s) name

    @property
    def quadrant_label(self) -> str:
        return QUADRANT_LABELS[self.quadrant]

    @property
    def highlighted(self) -> bool:
        return self.quadrant in HIGHLIGHTED


@dataclass(frozen=True)
class Allocation:
    region_id: str
    region_name: str
    year: int
    threshold: Decimal | None  # median money per client over the region's providers
    rows: tuple[AllocationRow, ...]
    total_approved: Decimal
    realisation_available: bool

    def count(self, quadrant: str) -> int:
        return sum(1 for r in self.rows if r.quadrant == quadrant)


def regions_with_locations(db: Any) -> list[Any]:
    """The regions that have locations (RegionRef), by name."""
    from desktop.services.regional import list_regions

    conn = connect_ro(db)
    try:
        used = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT region_id FROM location WHERE deleted_at IS NULL"
            )
        }
    finally:
        conn.close()
    return [r for r in list_regions(db) if r.id in used]


def latest_decision_year(db: Any, today: date | None = None) -> int:
    """The most recent budget year up to this year with an approved decision."""
    today = today or date.today()
    conn = connect_ro(db)
    try:
        row = conn.execute(
            f"""SELECT max(budget_year) FROM budget_request WHERE deleted_at IS NULL
                AND decision IN {APPROVED} AND budget_year <= ?""",
            (today.year,),
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]) if row and row[0] else today.year


def approved_amounts(
    conn: Any, year: int, provider_ids: list[str] | None = None
) -> dict[str, Decimal]:
    """Approved kwaliteitsbudget per provider in `year` (approved_total, integer cents)."""
    sql = f"""SELECT provider_id, sum(approved_total) FROM budget_request
              WHERE deleted_at IS NULL AND decision IN {APPROVED} AND state != 'WITHDRAWN'
              AND budget_year = ? AND approved_total IS NOT NULL"""
    args: list[Any] = [year]
    if provider_ids is not None:
        sql += f" AND provider_id IN ({','.join('?' * len(provider_ids))})"
        args += provider_ids
    return {
        pid: Decimal(cents) / 100
        for pid, cents in conn.execute(sql + " GROUP BY provider_id", args)
    }


def targeted_themes(
    conn: Any, year: int | None, provider_ids: list[str] | None = None
) -> dict[str, set[str]]:
    """Theme codes named by the providers' decisions (all years, or one budget year)."""
    import json

    sql = """SELECT r.provider_id, t.theme_codes FROM decision_target t
             JOIN budget_request r ON r.id = t.budget_request_id
             WHERE t.deleted_at IS NULL AND r.deleted_at IS NULL"""
    args: list[Any] = []
    if year is not None:
        sql += " AND r.budget_year = ?"
        args.append(year)
    if provider_ids is not None:
        sql += f" AND r.provider_id IN ({','.join('?' * len(provider_ids))})"
        args += provider_ids
    out: dict[str, set[str]] = {}
    for pid, codes in conn.execute(sql, args):
        out.setdefault(pid, set()).update(json.loads(codes or "[]"))
    return out


_CENT = Decimal("0.01")


def allocation(
    db: Any,
    *,
    region_id: str | None = None,
    region_name: str | None = None,
    year: int | None = None,
    today: date | None = None,
) -> Allocation:
    """Urgency x money per client for every location in the region (≤ 100 ms at 1,000
    locations: one heatmap read plus two grouped queries)."""
    today = today or date.today()
    if region_id is None:
        ref = find_region(db, region_name or "")
        region_id, rname = ref.id, ref.name
    else:
        rname = ""
    year = year or latest_decision_year(db, today)
    hm = heatmap(db, region_id=region_id, today=today)
    provider_ids = sorted({r.provider_id for r in hm.rows})
    conn = connect_ro(db)
    try:
        if not rname:
            got = conn.execute("SELECT name FROM region WHERE id = ?", (region_id,)).fetchone()
            rname = got[0] if got else ""
        approved = approved_amounts(conn, year, provider_ids) if provider_ids else {}
        places: dict[str, tuple[int, int]] = {}  # provider -> (sum capacity, locations)
        capacity: dict[str, int | None] = {}
        if provider_ids:
            marks = ",".join("?" * len(provider_ids))
            for loc_id, pid, cap in conn.execute(
                f"SELECT id, provider_id, capacity FROM location WHERE deleted_at IS NULL "
                f"AND provider_id IN ({marks})",
                provider_ids,
            ):
                capacity[loc_id] = cap
                total, n = places.get(pid, (0, 0))
                places[pid] = (total + (cap or 0), n + 1)
        targets = targeted_themes(conn, year, provider_ids) if provider_ids else {}
    finally:
        conn.close()
    realised = realised_amounts(db, year)
    per_client: dict[str, Decimal] = {}
    for pid, amount in approved.items():
        total, n = places.get(pid, (0, 0))
        if total > 0:
            basis = realised.get(pid, amount) if realised is not None else amount
            per_client[pid] = (basis / total).quantize(_CENT, ROUND_HALF_UP)
    threshold = (
        Decimal(statistics.median(per_client.values())).quantize(_CENT, ROUND_HALF_UP)
        if per_client
        else None
    )
    rows = []
    for r in hm.rows:
        assessed = sum(1 for c in r.cells if c.severity is not None)
        urgent = is_urgent(r.concerns, r.insufficient) if assessed else None
        pc = per_client.get(r.provider_id)
        rows.append(
            AllocationRow(
                location_id=r.location_id,
                location_name=r.location_name,
                place=r.place,
                provider_id=r.provider_id,
                provider_name=r.provider_name,
                capacity=capacity.get(r.location_id),
                concerns=r.concerns,
                insufficient=r.insufficient,
                worsened=r.worsened,
                assessed=assessed,
                urgency=r.concerns + r.insufficient,
                approved=approved.get(r.provider_id),
                realised=realised.get(r.provider_id) if realised is not None else None,
                per_client=pc,
                quadrant=classify(urgent, pc, threshold),
                weak_themes=tuple(c.theme_code for c in r.cells if (c.severity or 0) >= 2),
                targeted_themes=tuple(sorted(targets.get(r.provider_id, ()))),
            )
        )
    order = {q: i for i, q in enumerate(QUADRANTS)}
    rows.sort(
        key=lambda x: (
            order[x.quadrant],
            -x.urgency,
            -(x.per_client or 0) if x.quadrant == GOOD_HIGH else (x.per_client or 0),
            x.location_name.casefold(),
        )
    )
    return Allocation(
        region_id=region_id,
        region_name=rname,
        year=year,
        threshold=threshold,
        rows=tuple(rows),
        total_approved=sum(approved.values(), Decimal(0)),
        realisation_available=realised is not None,
    )


def allocation_to_dict(a: Allocation) -> dict[str, Any]:
    def money(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {
        "region": a.region_name,
        "region_id": a.region_id,
        "year": a.year,
        "median_per_client": money(a.threshold),
        "total_approved": money(a.total_approved),
        "realisation_available": a.realisation_available,
        "quadrants": {q: {"label": QUADRANT_LABELS[q], "locations": a.count(q)} for q in QUADRANTS},
        "locations": [
            {
                "location_id": r.location_id,
                "location": r.location_name,
                "place": r.place,
                "provider_id": r.provider_id,
                "provider": r.provider_name,
                "capacity": r.capacity,
                "urgency": r.urgency,
                "themes_matig_or_worse": r.concerns,
                "themes_onvoldoende": r.insufficient,
                "themes_worsened": r.worsened,
                "themes_assessed": r.assessed,
                "weak_themes": list(r.weak_themes),
                "targeted_themes": list(r.targeted_themes),
                "approved": money(r.approved),
                "realised": money(r.realised),
                "per_client": money(r.per_client),
                "quadrant": r.quadrant,
                "quadrant_label": r.quadrant_label,
                "highlighted": r.highlighted,
            }
            for r in a.rows
        ],
    }
