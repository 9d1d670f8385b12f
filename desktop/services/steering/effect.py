"""Effect: did the money make care better? Per provider, location and theme: the ratings before
and after the money (investment years marked), the visits' merkbaar / meetbaar / voelbaar
judgements per verbeterpunt, and the agreements met or missed; and a regional summary.

Seed 004 §2.4: Zilveren Kruis "draait een interessante pilot met het in beeld brengen van de
resultaten van de kwaliteitsinvesteringen ('is het effect merkbaar, meetbaar, voelbaar')";
§3: "hebben de interventies daadwerkelijk geleid tot de benodigde kwaliteitsverbetering?".

Before/after for one location and theme: the first budget year whose decision names the theme
(for themes no decision names: the first year with an approved decision) is t0; "before"
is the last rating of a period before t0, "after" the latest rating from t0 on. The view is
honest about what this cannot tell (see `CAVEATS` and the per-provider notes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from db.errors import NotFound
from desktop.services.reference import themes
from desktop.services.steering.agreements import AgreementInfo, list_agreements
from desktop.services.steering.allocation import (
    APPROVED,
    REALISED_UNTIL,
    provider_realisation,
    realised_amounts,
)
from desktop.services.themes import connect_ro, severity

EFFECTS = ("MERKBAAR", "MEETBAAR", "VOELBAAR")
CAVEATS = (
    "De oordelen zijn van de eigen adviseurs; er is geen vergelijkingsgroep, dus een verbetering "
    "is niet zonder meer aan het geld toe te schrijven.",
    "Het kwaliteitsbudget wordt per zorgaanbieder toegekend, niet per locatie of thema.",
    "Merkbaar, meetbaar en voelbaar zijn indrukken uit locatiebezoeken, geen metingen.",
)


@dataclass(frozen=True)
class Investment:
    request_id: str
    year: int
    approved: Decimal
    theme_codes: tuple[str, ...]
    realised: Decimal | None = None  # the year's latest realisation report (issue 16)
    realised_period: str = ""  # allocation.REALISED_UNTIL key of that report

    @property
    def realised_text(self) -> str:
        """Dutch: "€ 812.400,00 (t/m september)" or "nog niet gemeld"."""
        from desktop.services.formatting import money

        if self.realised is None:
            return "nog niet gemeld"
        return f"{money(self.realised)} ({REALISED_UNTIL.get(self.realised_period, self.realised_period)})"


@dataclass(frozen=True)
class LocationThemeEffect:
    location_id: str
    location_name: str
    trend: tuple[tuple[int, str], ...]  # (year, rating), oldest first
    before: tuple[int, str] | None
    after: tuple[int, str] | None

    @property
    def change(self) -> int | None:
        """+n improved by n steps, -n worsened, 0 same; None without before and after."""
        if self.before is None or self.after is None:
            return None
        return (severity(self.before[1]) or 0) - (severity(self.after[1]) or 0)


@dataclass(frozen=True)
class ThemeEffect:
    code: str
    name: str
    targeted: bool
    invest_years: tuple[int, ...]  # the years whose decisions name this theme
    locations: tuple[LocationThemeEffect, ...]
    effects: dict[str, int]  # MERKBAAR/MEETBAAR/VOELBAAR -> number of verbeterpunten
    items_judged: int  # verbeterpunten on this theme seen at visits
    agreements_met: int
    agreements_missed: int
    agreements_open: int

    def count(self, sign: int) -> int:
        return sum(
            1
            for x in self.locations
            if x.change is not None and (x.change > 0) - (x.change < 0) == sign
        )

    @property
    def change_text(self) -> str:
        """'2 beter · 1 gelijk · 1 onbekend' (only the parts that occur)."""
        return (
            " · ".join(
                f"{n} {w}"
                for n, w in (
                    (self.count(1), "beter"),
                    (self.count(0), "gelijk"),
                    (self.count(-1), "slechter"),
                    (self.unknown, "onbekend"),
                )
                if n
            )
            or "–"
        )

    @property
    def agreements_text(self) -> str:
        return (
            ", ".join(
                f"{n} {w}"
                for n, w in (
                    (self.agreements_met, "behaald"),
                    (self.agreements_missed, "niet behaald"),
                    (self.agreements_open, "lopend"),
                )
                if n
            )
            or "–"
        )

    @property
    def unknown(self) -> int:
        return sum(1 for x in self.locations if x.change is None)

    @property
    def verdict(self) -> str:
        known = len(self.locations) - self.unknown
        if not known:
            return "Niet te zeggen: geen oordeel vóór én na het geld."
        up, down = self.count(1), self.count(-1)
        text = f"Verbeterd op {up} van {known} locaties"
        if down:
            text += f", verslechterd op {down}"
        return text + "."


@dataclass(frozen=True)
class ProviderEffect:
    provider_id: str
    provider_name: str
    investments: tuple[Investment, ...]
    themes: tuple[ThemeEffect, ...]
    agreements: tuple[AgreementInfo, ...]
    unlinked_items: int  # verbeterpunten at visits that match no plan item (no theme known)
    realised: Decimal | None  # total realised (issue 16 hook), None when unknown
    notes: tuple[str, ...]  # honest remarks specific to this provider

    @property
    def total_approved(self) -> Decimal:
        return sum((i.approved for i in self.investments), Decimal(0))

    @property
    def total_realised(self) -> Decimal | None:
        """Realised over the budget years with a realisation report; None when none has one."""
        known = [i.realised for i in self.investments if i.realised is not None]
        return sum(known, Decimal(0)) if known else None

    def theme(self, code: str) -> ThemeEffect:
        return next(t for t in self.themes if t.code == code)


def _ratings_by_year(
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


def _investments(conn: Any, provider_ids: list[str]) -> dict[str, list[Investment]]:
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


def _split(
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


def _visit_effects(
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


def provider_effect(db: Any, provider_id: str, today: date | None = None) -> ProviderEffect:
    """The effect view of one provider (≤ 50 ms)."""
    today = today or date.today()
    conn = connect_ro(db)
    try:
        prov = conn.execute("SELECT name FROM provider WHERE id = ?", (provider_id,)).fetchone()
        if prov is None:
            raise NotFound("Deze zorgaanbieder bestaat niet (meer).")
        locs = conn.execute(
            "SELECT id, name FROM location WHERE provider_id = ? AND deleted_at IS NULL "
            "ORDER BY name",
            (provider_id,),
        ).fetchall()
        trends = _ratings_by_year(conn, "l.provider_id = ?", [provider_id])
        invest = _investments(conn, [provider_id]).get(provider_id, [])
        realised_by_year = provider_realisation(conn, provider_id)
        effects, judged, unlinked = _visit_effects(conn, provider_id)
    finally:
        conn.close()
    agreements = list_agreements(db, provider_id=provider_id, today=today)
    invest = [
        replace(
            i, realised=realised_by_year[i.year][0], realised_period=realised_by_year[i.year][1]
        )
        if i.year in realised_by_year
        else i
        for i in invest
    ]
    named = any(i.theme_codes for i in invest)
    first_any = min((i.year for i in invest), default=None)
    first_named = min((i.year for i in invest if i.theme_codes), default=None)
    out = []
    for t in themes():
        years = tuple(sorted({i.year for i in invest if t.code in i.theme_codes}))
        # Themes no decision names are compared over the same period as the targeted ones
        # (from the first targeted year): the nearest thing to a comparison group we have.
        # Without any named targets: from the first year with money.
        t0 = years[0] if years else (first_named if named else first_any)
        rows = []
        for loc_id, loc_name in locs:
            trend = trends.get((loc_id, t.code), {})
            before, after = _split(trend, t0)
            rows.append(LocationThemeEffect(loc_id, loc_name, tuple(trend.items()), before, after))
        mine = [a for a in agreements if t.code in a.theme_codes]
        out.append(
            ThemeEffect(
                code=t.code,
                name=t.name_nl,
                targeted=bool(years),
                invest_years=years,
                locations=tuple(rows),
                effects=effects.get(t.code, dict.fromkeys(EFFECTS, 0)),
                items_judged=judged.get(t.code, 0),
                agreements_met=sum(1 for a in mine if a.status == "MET"),
                agreements_missed=sum(1 for a in mine if a.status == "MISSED"),
                agreements_open=sum(1 for a in mine if a.status in ("OPEN", "PARTLY")),
            )
        )
    notes = []
    if not invest:
        notes.append(
            "Er is geen toegekend kwaliteitsbudget vastgelegd: voor en na zijn niet te onderscheiden."
        )
    elif named:
        notes.append(
            f"Thema's zonder doel zijn over dezelfde periode vergeleken (vanaf {first_named}), "
            "als grove vergelijking met de doelthema's."
        )
    else:
        notes.append(
            "Geen besluit noemt doelthema's: voor en na zijn gemeten vanaf het eerste "
            f"budgetjaar ({first_any}), voor alle thema's."
        )
    if unlinked:
        notes.append(
            f"{unlinked} verbeterpunten uit bezoeken zijn niet aan een thema te koppelen "
            "en tellen niet mee in merkbaar/meetbaar/voelbaar."
        )
    realised = realised_amounts(db, today.year)
    if realised is None:
        notes.append("De realisatie is nog niet beschikbaar: bedragen zijn toegekende bedragen.")
    return ProviderEffect(
        provider_id=provider_id,
        provider_name=prov[0],
        investments=tuple(invest),
        themes=tuple(out),
        agreements=tuple(agreements),
        unlinked_items=unlinked,
        realised=(realised or {}).get(provider_id) if realised is not None else None,
        notes=tuple(notes),
    )


def effect_to_dict(e: ProviderEffect) -> dict[str, Any]:
    def pair(p: tuple[int, str] | None) -> dict[str, Any] | None:
        return None if p is None else {"year": p[0], "rating": p[1]}

    return {
        "provider_id": e.provider_id,
        "provider": e.provider_name,
        "investments": [
            {
                "year": i.year,
                "approved": str(i.approved),
                "themes": list(i.theme_codes),
                "realised": None if i.realised is None else str(i.realised),
                "realised_period": i.realised_period or None,
                "request_id": i.request_id,
            }
            for i in e.investments
        ],
        "total_approved": str(e.total_approved),
        "realised": None if e.realised is None else str(e.realised),
        "themes": [
            {
                "code": t.code,
                "name": t.name,
                "targeted": t.targeted,
                "invest_years": list(t.invest_years),
                "improved": t.count(1),
                "same": t.count(0),
                "worsened": t.count(-1),
                "unknown": t.unknown,
                "verdict": t.verdict,
                "merkbaar": t.effects["MERKBAAR"],
                "meetbaar": t.effects["MEETBAAR"],
                "voelbaar": t.effects["VOELBAAR"],
                "items_judged": t.items_judged,
                "agreements_met": t.agreements_met,
                "agreements_missed": t.agreements_missed,
                "agreements_open": t.agreements_open,
                "locations": [
                    {
                        "location_id": x.location_id,
                        "location": x.location_name,
                        "before": pair(x.before),
                        "after": pair(x.after),
                        "change": x.change,
                    }
                    for x in t.locations
                ],
            }
            for t in e.themes
        ],
        "agreements": {
            "met": sum(1 for a in e.agreements if a.status == "MET"),
            "missed": sum(1 for a in e.agreements if a.status == "MISSED"),
            "open": sum(1 for a in e.agreements if a.status in ("OPEN", "PARTLY")),
        },
        "notes": list(e.notes),
        "caveats": list(CAVEATS),
    }


@dataclass(frozen=True)
class RegionalThemeEffect:
    code: str
    name: str
    providers: int  # invested providers whose decision names this theme
    improved: int  # locations
    same: int
    worsened: int
    unknown: int


@dataclass(frozen=True)
class RegionalEffect:
    region_name: str
    year: int
    invested: Decimal
    providers: int
    themes: tuple[RegionalThemeEffect, ...]
    untargeted: RegionalThemeEffect  # all themes no decision named, for comparison


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
        invest = _investments(conn, pids) if pids else {}
        trends = _ratings_by_year(conn, "l.region_id = ?", [region_id])
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
            before, after = _split(trends.get((loc, t.code), {}), year)
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
