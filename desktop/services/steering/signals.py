"""Signals that suggest where to start an intervention: a theme matig or worse for two periods
in a row while money was invested, an agreement missed, an agreement past its deadline.
Suggestions only: the zorginkoper decides (seed 004 Tabel 1 (d): "de meest effectieve
interventie(s)")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.formatting import long_date
from desktop.services.reference import themes
from desktop.services.steering.agreements import list_agreements
from desktop.services.steering.allocation import APPROVED
from desktop.services.steering.effect import ProviderEffect
from desktop.services.themes import connect_ro, rating_label, severity

KIND_LABELS = {
    "PERSISTENT": "Twee perioden matig of slechter, met geld",
    "MISSED": "Afspraak niet behaald",
    "OVERDUE": "Afspraak over de termijn",
}


@dataclass(frozen=True)
class Signal:
    kind: str
    provider_id: str
    provider_name: str
    location_id: str | None
    location_name: str
    theme_codes: tuple[str, ...]
    agreement_id: str | None
    text: str  # Dutch, ready to show
    weight: int  # higher first
    has_open_intervention: bool
    suggested_step: str  # an InterventionStep

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def signals(
    db: Any,
    *,
    provider_id: str | None = None,
    today: date | None = None,
    effect: ProviderEffect | None = None,
) -> list[Signal]:
    """Newest evidence first by weight. `effect` (of `provider_id`) saves re-reading its
    ratings and agreements (the effect view has them already)."""
    today = today or date.today()
    names = {t.code: t.name_nl for t in themes()}
    where, args = ("l.provider_id = ?", [provider_id]) if provider_id else ("1 = 1", [])
    conn = connect_ro(db)
    out: list[Signal] = []
    try:
        locs = {
            r[0]: (r[1], r[2], r[3])
            for r in conn.execute(
                f"""SELECT l.id, l.name, p.id, p.name FROM location l JOIN provider p ON p.id = l.provider_id
                WHERE l.deleted_at IS NULL AND {where}""",
                args,
            )
        }
        invested = {
            (pid, y)
            for pid, y in conn.execute(
                f"""SELECT provider_id, budget_year FROM budget_request WHERE deleted_at IS NULL
                AND decision IN {APPROVED} AND state != 'WITHDRAWN'"""
                + (" AND provider_id = ?" if provider_id else ""),
                args,
            )
        }
        open_iv = {
            r[0]
            for r in conn.execute(
                "SELECT DISTINCT provider_id FROM intervention WHERE status = 'OPEN' AND deleted_at IS NULL"
            )
        }
        if effect is not None and effect.provider_id == provider_id:
            trends: Any = {
                (x.location_id, t.code): dict(x.trend) for t in effect.themes for x in t.locations
            }.items()
        else:
            trends = _last_two_years(conn, where, args)
        for (loc_id, code), trend in trends:
            if loc_id not in locs:
                continue
            loc_name, pid, pname = locs[loc_id]
            years = sorted(trend)
            if len(years) < 2:
                continue
            y1, y2 = years[-2], years[-1]
            s1, s2 = severity(trend[y1]) or 0, severity(trend[y2]) or 0
            if s1 < 2 or s2 < 2 or not ({(pid, y1), (pid, y2)} & invested):
                continue
            out.append(
                Signal(
                    "PERSISTENT",
                    pid,
                    pname,
                    loc_id,
                    loc_name,
                    (code,),
                    None,
                    f"{code} {names[code]} bij {loc_name}: {rating_label(trend[y1]).lower()} in {y1}, "
                    f"{rating_label(trend[y2]).lower()} in {y2}, terwijl er kwaliteitsbudget is toegekend.",
                    s1 + s2,
                    pid in open_iv,
                    "VERBETERPLAN" if s2 >= 3 else "GESPREK",
                )
            )
    finally:
        conn.close()
    agreements = (
        effect.agreements
        if effect is not None and effect.provider_id == provider_id
        else list_agreements(db, provider_id=provider_id, today=today)
    )
    for a in agreements:
        if a.status == "MISSED":
            kind, weight, step = "MISSED", 7, "VERBETERPLAN"
            text = (
                f"Afspraak niet behaald ({', '.join(a.theme_codes)}): {a.result_text}, "
                f"termijn {long_date(a.due_date)}."
            )
        elif a.overdue:
            kind, weight, step = "OVERDUE", 5, "GESPREK"
            text = (
                f"Afspraak over de termijn van {long_date(a.due_date)} en nog niet getoetst "
                f"({', '.join(a.theme_codes)}): {a.result_text}."
            )
        else:
            continue
        out.append(
            Signal(
                kind,
                a.provider_id,
                a.provider_name,
                a.location_ids[0] if a.location_ids else None,
                ", ".join(a.location_names) or "alle locaties",
                a.theme_codes,
                a.id,
                text,
                weight,
                a.provider_id in open_iv,
                step,
            )
        )
    out.sort(
        key=lambda s: (
            s.has_open_intervention,
            -s.weight,
            s.provider_name.casefold(),
            s.location_name.casefold(),
            s.theme_codes,
        )
    )
    return out


def _last_two_years(
    conn: Any, where: str, args: list[Any]
) -> Iterator[tuple[tuple[str, str], dict[int, str]]]:
    """((location, theme), {year: last rating of that year}) for the last two years with a
    rating, streamed in index order (ix_theme_assessment_loc_theme_period). Issue 18: the
    whole history as one dict per location x theme was ~40 MiB at national scale."""
    key: tuple[str, str] | None = None
    years: dict[int, str] = {}
    for loc, code, year, rating in conn.execute(
        f"""SELECT a.location_id, a.theme_code, a.period_year, a.rating FROM theme_assessment a
                WHERE a.deleted_at IS NULL AND a.location_id IN (SELECT l.id FROM location l WHERE {where})
                ORDER BY a.location_id, a.theme_code, a.period_year, a.assessed_on""",
        args,
    ):
        if (loc, code) != key:
            if key is not None:
                yield key, years
            key, years = (loc, code), {}
        years[year] = rating  # ordered by assessed_on: the last one of the year wins
        if len(years) > 2:
            del years[next(iter(years))]  # years ascend: drop the oldest
    if key is not None:
        yield key, years
