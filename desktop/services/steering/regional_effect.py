"""The regional effect: "of the € X invested in region Y in year t, on which themes did care
measurably improve?" """

from __future__ import annotations

from decimal import Decimal
from typing import Any

from desktop.services.reference import themes
from desktop.services.steering.effect_model import RegionalEffect, RegionalThemeEffect
from desktop.services.steering.effect_sources import before_after, investments, ratings_by_year
from desktop.services.themes import connect_ro, severity


def regional_effect(db: Any, region_id: str, year: int) -> RegionalEffect:
    """ "Of the € X invested in region Y in year t, on which themes did care measurably
    improve?" Per theme the locations of providers whose year-t decision names it: the last
    rating before t against the latest from t on."""
    conn = connect_ro(db)
    try:
        rname = (
            conn.execute("SELECT name FROM region WHERE id = ?", (region_id,)).fetchone() or ("",)
        )[0]
        locs = conn.execute(
            "SELECT id, provider_id FROM location WHERE region_id = ? AND deleted_at IS NULL",
            (region_id,),
        ).fetchall()
        pids = sorted({p for _, p in locs})
        invest = investments(conn, pids) if pids else {}
        trends = ratings_by_year(conn, "l.region_id = ?", [region_id])
    finally:
        conn.close()
    this_year = {pid: [i for i in inv if i.year == year] for pid, inv in invest.items()}
    this_year = {pid: inv for pid, inv in this_year.items() if inv}
    total = sum((i.approved for inv in this_year.values() for i in inv), Decimal(0))
    out = []
    counts = {"untargeted": [0, 0, 0, 0]}
    prov_per_theme: dict[str, set[str]] = {}
    for loc, pid in locs:
        inv = this_year.get(pid)
        if not inv:
            continue
        named = {c for i in inv for c in i.theme_codes}
        for t in themes():
            before, after = before_after(trends.get((loc, t.code), {}), year)
            key = t.code if t.code in named else "untargeted"
            if key != "untargeted":
                prov_per_theme.setdefault(key, set()).add(pid)
            c = counts.setdefault(key, [0, 0, 0, 0])
            if before is None or after is None:
                c[3] += 1
            else:
                diff = (severity(before[1]) or 0) - (severity(after[1]) or 0)
                c[0 if diff > 0 else 1 if diff == 0 else 2] += 1
    for t in themes():
        c = counts.get(t.code, [0, 0, 0, 0])
        out.append(RegionalThemeEffect(t.code, t.name_nl, len(prov_per_theme.get(t.code, ())), *c))
    u = counts["untargeted"]
    return RegionalEffect(
        rname,
        year,
        total,
        len(this_year),
        tuple(out),
        RegionalThemeEffect("-", "Thema's zonder doel in het besluit", 0, *u),
    )
