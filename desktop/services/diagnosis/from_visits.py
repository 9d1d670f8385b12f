"""What the diagnosis reads from locatiebezoeken: the theme signals of a visit's answers, where
they disagree with the adviser's rating, and the visits an assessment can link to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.themes import connect_ro, rating_info, theme_codes

SIGNAL_LABELS = {"POSITIEF": "Positief", "AANDACHTSPUNT": "Aandachtspunt", "ZORG": "Zorg"}


def _flatten(answers: Any) -> dict[str, Any]:
    """Visit answers may be flat or grouped; field names are unique in the form."""
    out: dict[str, Any] = {}
    stack = [answers]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if isinstance(v, dict):
                    stack.append(v)
                else:
                    out.setdefault(k, v)
    return out


def visit_theme_signals(answers: Any) -> dict[str, tuple[str | None, str | None, str]]:
    """Per theme (T1..T8): (signal, rating, observation) from a locatiebezoek's answers
    (field names t1_signal, t1_rating, t1_observation of form 2026112301)."""
    flat = _flatten(answers or {})
    out = {}
    for code in theme_codes():
        n = code[1:].lower()
        signal = flat.get(f"t{n}_signal") or None
        rating = flat.get(f"t{n}_rating") or None
        obs = flat.get(f"t{n}_observation") or ""
        if signal or rating or obs:
            out[code] = (signal, rating, str(obs))
    return out


def disagreement(
    adviser_rating: str | None, signal: str | None, visit_rating: str | None
) -> str | None:
    """Dutch description when the visit's signal/rating and the adviser's rating point in
    different directions (good side: goed/voldoende; bad side: matig/onvoldoende)."""
    adv = rating_info(adviser_rating)
    if adv is None:
        return None
    visit = rating_info(visit_rating)
    if visit is not None:
        visit_bad = visit.severity >= 2
        what = f"bezoekoordeel {visit.label.lower()}"
    elif signal in ("ZORG", "POSITIEF"):
        visit_bad = signal == "ZORG"
        what = f"bezoeksignaal {SIGNAL_LABELS[signal].lower()}"
    else:
        return None
    adv_bad = adv.severity >= 2
    if visit_bad == adv_bad:
        return None
    return f"Oordeel adviseur {adv.label.lower()}, {what}"


@dataclass(frozen=True)
class VisitChoice:
    id: str
    visit_date: date | None
    status: str

    @property
    def label(self) -> str:
        from desktop.services.formatting import long_date

        when = long_date(self.visit_date) if self.visit_date else "datum onbekend"
        return f"Locatiebezoek {when}" + ("" if self.status == "COMPLETED" else " (concept)")


def visits_for(db: Any, location_id: str) -> list[VisitChoice]:
    """The location's visits (newest first), to link an assessment to."""
    conn = connect_ro(db)
    try:
        return [
            VisitChoice(r[0], date.fromisoformat(r[1]) if r[1] else None, r[2])
            for r in conn.execute(
                """SELECT id, visit_date, status FROM site_visit
                       WHERE location_id = ? AND deleted_at IS NULL
                       ORDER BY visit_date DESC, created_at DESC""",
                (location_id,),
            )
        ]
    finally:
        conn.close()
