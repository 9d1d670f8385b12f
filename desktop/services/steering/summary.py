"""A compact diagnosis summary of a provider and its locations (themes, trend, top three, open
actions), shown beside the money on the aanvraag and plan assessment screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.diagnosis import NoteInfo, provider_diagnosis
from desktop.services.regional import heatmap
from desktop.services.themes import connect_ro


@dataclass(frozen=True)
class LocationSummary:
    location_id: str
    name: str
    ratings: tuple[str | None, ...]  # per theme, theme order
    directions: tuple[int, ...]  # +1 better than the previous rating, -1 worse, 0 same/unknown
    concerns: int


@dataclass(frozen=True)
class DiagnosisSummary:
    provider_id: str
    provider_name: str
    theme_codes: tuple[str, ...]
    locations: tuple[LocationSummary, ...]
    top_three: tuple[NoteInfo, ...]  # the provider's; else the locations' first items
    open_actions: int
    overdue_actions: int
    worsened: int  # location x theme cells worse than the previous rating
    improved: int


def diagnosis_summary(db: Any, provider_id: str, today: date | None = None) -> DiagnosisSummary:
    today = today or date.today()
    pd = provider_diagnosis(db, provider_id)
    hm = heatmap(db, provider_id=provider_id, sort="name", today=today)
    locs = tuple(
        LocationSummary(
            r.location_id,
            r.location_name,
            tuple(c.rating for c in r.cells),
            tuple(c.direction for c in r.cells),
            r.concerns,
        )
        for r in hm.rows
    )
    top = pd.top_three
    if not top:  # no provider-wide top three: the locations' first verbeterpunten
        from desktop.services.diagnosis import _NOTE_COLS, _note_from_row

        conn = connect_ro(db)
        try:
            top = tuple(
                _note_from_row(r)
                for r in conn.execute(
                    f"""SELECT {_NOTE_COLS} FROM diagnosis_note n
                    LEFT JOIN app_user u ON u.id = n.author_id
                    JOIN location l ON l.id = n.location_id
                    WHERE l.provider_id = ? AND n.top_priority IS NOT NULL
                      AND n.deleted_at IS NULL
                    ORDER BY n.top_priority, n.noted_on DESC LIMIT 3""",
                    (provider_id,),
                )
            )
        finally:
            conn.close()
    conn = connect_ro(db)
    try:
        dues = [
            r[0]
            for r in conn.execute(
                """SELECT a.due_date FROM follow_up_action a JOIN location l ON l.id = a.location_id
               WHERE l.provider_id = ? AND a.status = 'OPEN' AND a.deleted_at IS NULL""",
                (provider_id,),
            )
        ]
    finally:
        conn.close()
    return DiagnosisSummary(
        provider_id=provider_id,
        provider_name=pd.provider_name,
        theme_codes=hm.theme_codes,
        locations=locs,
        top_three=top,
        open_actions=len(dues),
        overdue_actions=sum(1 for d in dues if d and date.fromisoformat(d) < today),
        worsened=sum(r.worsened for r in hm.rows),
        improved=sum(1 for r in hm.rows for c in r.cells if c.direction > 0),
    )
