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

The records are effect_model.py, the reads effect_sources.py, the region regional_effect.py;
this module keeps their public names importable.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from desktop.services.guards import provider_name
from desktop.services.reference import themes
from desktop.services.steering.agreements import list_agreements
from desktop.services.steering.allocation import (
    provider_realisation,
    realised_amounts,
)
from desktop.services.steering.effect_model import (
    CAVEATS,
    EFFECTS,
    Investment,
    LocationThemeEffect,
    ProviderEffect,
    RegionalEffect,
    RegionalThemeEffect,
    ThemeEffect,
)
from desktop.services.steering.effect_sources import (
    before_after,
    investments,
    ratings_by_year,
    visit_effects,
)
from desktop.services.steering.regional_effect import regional_effect
from desktop.services.themes import connect_ro

__all__ = [
    "CAVEATS",
    "EFFECTS",
    "Investment",
    "LocationThemeEffect",
    "ProviderEffect",
    "RegionalEffect",
    "RegionalThemeEffect",
    "ThemeEffect",
    "effect_to_dict",
    "provider_effect",
    "regional_effect",
]


def provider_effect(db: Any, provider_id: str, today: date | None = None) -> ProviderEffect:
    """The effect view of one provider (≤ 50 ms)."""
    today = today or date.today()
    conn = connect_ro(db)
    try:
        name = provider_name(conn, provider_id)
        locs = conn.execute(
            "SELECT id, name FROM location WHERE provider_id = ? AND deleted_at IS NULL "
            "ORDER BY name",
            (provider_id,),
        ).fetchall()
        trends = ratings_by_year(conn, "l.provider_id = ?", [provider_id])
        invest = investments(conn, [provider_id]).get(provider_id, [])
        realised_by_year = provider_realisation(conn, provider_id)
        effects, judged, unlinked = visit_effects(conn, provider_id)
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
            before, after = before_after(trend, t0)
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
        provider_name=name,
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
