"""What the effect view reads: ratings per location, theme and year; the approved investments
with the themes their decision names; the visits' effect judgements per theme."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from desktop.services.steering.allocation import (
    APPROVED,
)
from desktop.services.steering.effect_model import EFFECTS, Investment


def ratings_by_year(
    conn: Any, where: str, args: list[Any]
) -> dict[tuple[str, str], dict[int, str]]:
    """{(location, theme): {year: last rating of that year}}, years ascending. Read in the order
    of ix_theme_assessment_loc_theme_period, so SQLite needs no sort."""
    out: dict[tuple[str, str], dict[int, str]] = {}
    for loc, code, year, rating in conn.execute(
        f"""SELECT a.location_id, a.theme_code, a.period_year, a.rating FROM theme_assessment a
                WHERE a.deleted_at IS NULL AND a.location_id IN (SELECT l.id FROM location l WHERE {where})
                ORDER BY a.location_id, a.theme_code, a.period_year, a.assessed_on""",
        args,
    ):
        out.setdefault((loc, code), {})[year] = rating
    return out


def investments(conn: Any, provider_ids: list[str]) -> dict[str, list[Investment]]:
    marks = ",".join("?" * len(provider_ids))
    out: dict[str, list[Investment]] = {}
    for rid, pid, year, cents, codes in conn.execute(
        f"""SELECT r.id, r.provider_id, r.budget_year, r.approved_total, t.theme_codes
                FROM budget_request r LEFT JOIN decision_target t
                  ON t.budget_request_id = r.id AND t.deleted_at IS NULL
                WHERE r.deleted_at IS NULL AND r.decision IN {APPROVED} AND r.state != 'WITHDRAWN'
                  AND r.approved_total IS NOT NULL AND r.provider_id IN ({marks})
                ORDER BY r.budget_year""",
        provider_ids,
    ):
        out.setdefault(pid, []).append(
            Investment(rid, year, Decimal(cents) / 100, tuple(json.loads(codes or "[]")))
        )
    return out


def before_after(
    trend: dict[int, str], t0: int | None
) -> tuple[tuple[int, str] | None, tuple[int, str] | None]:
    """Last rating before t0 and latest from t0 on (`trend` holds its years ascending)."""
    if t0 is None:
        return None, None
    before = after = None
    for y, r in trend.items():
        if y < t0:
            before = (y, r)
        else:
            after = (y, r)
    return before, after


def visit_effects(
    conn: Any, provider_id: str
) -> tuple[dict[str, dict[str, int]], dict[str, int], int]:
    """merkbaar/meetbaar/voelbaar per theme from the completed visits' plan_progress rows; an
    item's theme comes from the matching verbeterparagraaf item of that location."""
    items: dict[tuple[str, str], str] = {}
    for loc, what, code in conn.execute(
        """SELECT i.location_id, i.what, i.theme_code FROM location_improvement_item i
               JOIN location l ON l.id = i.location_id
               WHERE l.provider_id = ? AND i.deleted_at IS NULL AND i.theme_code IS NOT NULL""",
        (provider_id,),
    ):
        items[(loc, what.strip().casefold()[:500])] = code
    effects: dict[str, dict[str, int]] = {}
    judged: dict[str, int] = {}
    unlinked = 0
    for loc, progress in conn.execute(
        """SELECT v.location_id, json_extract(v.answers, '$.plan_progress') FROM site_visit v
               JOIN location l ON l.id = v.location_id
               WHERE l.provider_id = ? AND v.status = 'COMPLETED' AND v.deleted_at IS NULL""",
        (provider_id,),
    ):
        for row in json.loads(progress or "[]"):
            if not isinstance(row, dict):
                continue
            code = items.get((loc, str(row.get("progress_item", "")).strip().casefold()[:500]))
            if code is None:
                unlinked += 1
                continue
            judged[code] = judged.get(code, 0) + 1
            bucket = effects.setdefault(code, dict.fromkeys(EFFECTS, 0))
            for e in row.get("progress_effect") or ():
                if e in bucket:
                    bucket[e] += 1
    return effects, judged, unlinked
