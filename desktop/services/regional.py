"""Regional overview: a heatmap of locations x the eight themes, sorted by urgency, with the
places where the latest locatiebezoek and the adviser's rating disagree; and the regional
distribution of ratings per theme per year (trends).

Plain SQL with the stdlib sqlite3 module: 1,000 locations x 8 themes in <= 100 ms.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from common.gc_pause import collector_paused
from db.errors import NotFound
from db.models.quality import ratings_columns
from desktop.services.diagnosis import disagreement
from desktop.services.fts import rebuild_derived, sql_where
from desktop.services.reference import themes
from desktop.services.themes import connect_ro, ratings, theme_codes

SORT_KEYS = ("urgency", "name", "provider", "oldest")


@dataclass(frozen=True)
class RegionRef:
    id: str
    number: int
    name: str


class HeatCell(NamedTuple):
    """One cell of the heatmap. A NamedTuple, not a dataclass: 8,000 of them are built per
    heatmap and tuple construction is several times cheaper (budget: 100 ms in total)."""

    theme_code: str
    rating: str | None
    previous_rating: str | None
    assessed_on: date | None
    visit_signal: str | None
    visit_rating: str | None
    disagreement: str | None
    severity: int | None  # 0 goed .. 3 onvoldoende; None: not assessed
    direction: int  # +1 better than the previous assessment, -1 worse, 0 same/unknown


@dataclass(frozen=True, slots=True)
class HeatRow:
    location_id: str
    location_name: str
    place: str
    provider_id: str
    provider_name: str
    region_name: str
    cells: tuple[HeatCell, ...]
    last_visit: date | None
    concerns: int  # themes rated matig or onvoldoende
    insufficient: int
    worsened: int
    disagreements: int
    oldest_assessment: date | None

    def urgency_key(self) -> tuple:
        """Most matig/onvoldoende first, then worsening trend, then the oldest assessment
        (never assessed counts as oldest)."""
        oldest = self.oldest_assessment
        return (
            -self.concerns,
            -self.insufficient,
            -self.worsened,
            oldest.toordinal() if oldest else 0,
            self.location_name,
        )


@dataclass(frozen=True)
class Heatmap:
    title: str
    theme_codes: tuple[str, ...]
    theme_names: tuple[str, ...]
    rows: tuple[HeatRow, ...]

    def counts(self) -> dict[str, int]:
        out = {r.code: 0 for r in ratings()}
        out["NONE"] = 0
        for row in self.rows:
            for c in row.cells:
                out[c.rating or "NONE"] = out.get(c.rating or "NONE", 0) + 1
        return out


def _fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold().strip()


def list_regions(db: Any) -> list[RegionRef]:
    conn = connect_ro(db)
    try:
        return [
            RegionRef(*r)
            for r in conn.execute(
                "SELECT id, number, name FROM region WHERE deleted_at IS NULL ORDER BY name"
            )
        ]
    finally:
        conn.close()


def find_region(db: Any, name: str) -> RegionRef:
    """A region by name, alias or number (case and diacritics do not matter)."""

    want = _fold(name)
    conn = connect_ro(db)
    try:
        rows = conn.execute(
            "SELECT id, number, name, aliases FROM region WHERE deleted_at IS NULL"
        ).fetchall()
    finally:
        conn.close()
    for rid, number, rname, aliases in rows:
        names = [rname, str(number), *json.loads(aliases or "[]")]
        if any(_fold(n) == want for n in names):
            return RegionRef(rid, number, rname)
    partial = [r for r in rows if want and want in _fold(r[2])]
    if len(partial) == 1:
        return RegionRef(partial[0][0], partial[0][1], partial[0][2])
    raise NotFound(
        f"Regio '{name}' bestaat niet. Gebruik de naam of het nummer van een zorgkantoorregio."
    )


def _scope(
    region_id: str | None, care_office_id: str | None, provider_id: str | None, today: date
) -> tuple[str, list[Any]]:
    return sql_where(
        ("l.deleted_at IS NULL", True),
        ("l.region_id = ?", region_id),
        (
            """l.region_id IN (SELECT region_id FROM region_assignment
                        WHERE care_office_id = ? AND deleted_at IS NULL AND valid_from <= ?
                        AND (valid_to IS NULL OR valid_to >= ?))""",
            care_office_id and (care_office_id, today, today),
        ),
        ("l.provider_id = ?", provider_id),
    )


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def heatmap(
    db: Any,
    *,
    region_id: str | None = None,
    care_office_id: str | None = None,
    provider_id: str | None = None,
    theme_filter: tuple[str, ...] | list[str] | None = None,
    only_rating_at_least: int | None = None,
    sort: str = "urgency",
    today: date | None = None,
    title: str = "",
) -> Heatmap:
    """Locations x themes with the current rating per cell.

    `theme_filter` limits the columns; `only_rating_at_least` (severity 2 = matig) keeps the
    locations that have at least one such rating in the shown themes.
    """
    today = today or date.today()
    codes = tuple(c for c in theme_codes() if not theme_filter or c in theme_filter)
    where, args = _scope(region_id, care_office_id, provider_id, today)
    # One json_extract with all paths parses the visit's answers once and returns an array.
    signal_paths = ", ".join(f"'$.t{c[1:]}_signal', '$.t{c[1:]}_rating'" for c in codes)
    signal_col = f"json_extract(v.answers, {signal_paths})" if codes else "NULL"
    cell_cols = "".join(f", c.{r}, c.{o}, c.{p}" for r, o, p in map(ratings_columns, codes))
    conn = connect_ro(db)
    try:
        # One row per location with its cells side by side: location_ratings is theme_current
        # (db/models/quality.py, both kept by triggers) with one row per location, read here by
        # primary key (issue 18: eight theme_current lookups per location cost more).
        # The latest completed visit comes from the covering partial index
        # ix_site_visit_completed_latest (db/models LIST_INDEXES), one seek per location; only
        # the winner's (large) answers are read.
        locs = conn.execute(
            f"""SELECT l.id, l.name, l.place, p.id, p.name, r.name, v.visit_date,
                       {signal_col}{cell_cols}
                FROM location l JOIN provider p ON p.id = l.provider_id
                JOIN region r ON r.id = l.region_id
                LEFT JOIN site_visit v ON v.id = (
                    SELECT s.id FROM site_visit s WHERE s.location_id = l.id
                    AND s.status = 'COMPLETED' AND s.deleted_at IS NULL
                    ORDER BY s.visit_date DESC, s.completed_at DESC LIMIT 1)
                LEFT JOIN location_ratings c ON c.location_id = l.id
                WHERE {where}""",
            args,
        ).fetchall()
    finally:
        conn.close()
    # Hot loop (3,000 x 8 cells at national scale): everything that depends only on a cell's
    # (rating, previous rating) or (rating, signal, visit rating) is worked out once.
    loads = json.loads
    sev = {r.code: r.severity for r in ratings()}
    # (rating, previous) -> (severity, direction, concern, insufficient, worsened)
    trend: dict[tuple, tuple[int | None, int, int, int, int]] = {}
    dates: dict[str, date] = {}
    parse = date.fromisoformat
    indexed = tuple((i, code, 8 + 3 * i) for i, code in enumerate(codes))
    memo: dict[tuple, str | None] = {}
    new_cell = tuple.__new__  # HeatCell without the NamedTuple's Python-level __new__
    rows = []
    for loc in locs:
        visit_date, signals = loc[6], loc[7]
        # json_extract gives an array of the visit's (signal, rating) per theme
        v = loads(signals) if signals is not None else None
        cells = []
        concerns = insufficient = worsened = disagreements = 0
        oldest: str | None = None
        for i, code, k in indexed:
            rating, on, before = loc[k], loc[k + 1], loc[k + 2]
            t = trend.get((rating, before))
            if t is None:
                t = trend[(rating, before)] = _trend(sev.get(rating), sev.get(before))
            s_now, direction = t[0], t[1]
            concerns += t[2]
            insufficient += t[3]
            worsened += t[4]
            if v is not None:
                sig, vr = v[2 * i], v[2 * i + 1]
                dis = None
                if (sig or vr) and rating:
                    key = (rating, sig, vr)
                    dis = memo[key] if key in memo else memo.setdefault(key, disagreement(*key))
                    disagreements += dis is not None
            else:
                sig = vr = dis = None
            when = None
            if on:
                when = dates.get(on)
                if when is None:
                    when = dates[on] = parse(on)
                if oldest is None or on < oldest:  # ISO dates: text order is date order
                    oldest = on
            cells.append(
                new_cell(HeatCell, (code, rating, before, when, sig, vr, dis, s_now, direction))
            )
        if only_rating_at_least is not None and not any(
            (c.severity if c.severity is not None else -1) >= only_rating_at_least for c in cells
        ):
            continue
        rows.append(
            HeatRow(
                loc[0],
                loc[1],
                loc[2] or "",
                loc[3],
                loc[4],
                loc[5],
                tuple(cells),
                parse(visit_date) if visit_date else None,
                concerns,
                insufficient,
                worsened,
                disagreements,
                dates[oldest] if oldest is not None else None,
            )
        )
    rows.sort(key=_sorter(sort))
    names = {t.code: t.name_nl for t in themes()}
    return Heatmap(
        title=title, theme_codes=codes, theme_names=tuple(names[c] for c in codes), rows=tuple(rows)
    )


def _trend(s_now: int | None, s_before: int | None) -> tuple[int | None, int, int, int, int]:
    """A cell's severity, direction (+1 better than before, -1 worse) and what it adds to the
    row's concerns, insufficient and worsened counts."""
    direction = 0
    if s_now is not None and s_before is not None:
        direction = (s_before > s_now) - (s_before < s_now)
    concern = s_now is not None and s_now >= 2
    return s_now, direction, int(concern), int(concern and s_now == 3), int(direction < 0)


def _sorter(sort: str):  # type: ignore[no-untyped-def]
    if sort == "name":
        return lambda r: (r.location_name.casefold(), r.place)
    if sort == "provider":
        return lambda r: (r.provider_name.casefold(), r.location_name.casefold())
    if sort == "oldest":
        return lambda r: (r.oldest_assessment or date.min, r.location_name)
    return HeatRow.urgency_key


@dataclass(frozen=True)
class YearDistribution:
    theme_code: str
    theme_name: str
    years: tuple[tuple[int, tuple[tuple[str, int], ...]], ...]  # (year, ((rating, n), ...))


def distribution(
    db: Any,
    *,
    region_id: str | None = None,
    care_office_id: str | None = None,
    provider_id: str | None = None,
    today: date | None = None,
) -> tuple[YearDistribution, ...]:
    """Per theme per year: how many locations had each rating (the last rating of that year)."""
    where, args = _scope(region_id, care_office_id, provider_id, today or date.today())
    conn = connect_ro(db)
    try:
        rows = conn.execute(
            f"""SELECT theme_code, period_year, rating, count(*) FROM (
                  SELECT a.theme_code, a.period_year, a.rating, ROW_NUMBER() OVER (
                    PARTITION BY a.location_id, a.theme_code, a.period_year
                    ORDER BY a.assessed_on DESC, a.created_at DESC) AS rn
                  FROM theme_assessment a JOIN location l ON l.id = a.location_id
                  WHERE {where} AND a.deleted_at IS NULL)
                WHERE rn = 1 GROUP BY theme_code, period_year, rating""",
            args,
        ).fetchall()
    finally:
        conn.close()
    data: dict[str, dict[int, dict[str, int]]] = {}
    for code, year, rating, n in rows:
        data.setdefault(code, {}).setdefault(year, {})[rating] = n
    order = [r.code for r in ratings()]
    out = []
    for t in themes():
        years = data.get(t.code, {})
        out.append(
            YearDistribution(
                t.code,
                t.name_nl,
                tuple((y, tuple((r, years[y].get(r, 0)) for r in order)) for y in sorted(years)),
            )
        )
    return tuple(out)


def rebuild_current(db: Any) -> int:
    """Rebuild the derived current-rating table (after a bulk import or restore)."""
    from db.models.quality import CURRENT_DDL, CURRENT_REBUILD_SQL

    return rebuild_derived(db, CURRENT_DDL, CURRENT_REBUILD_SQL, "theme_current")
