"""The diagnosis of a provider: per theme how its locations are rated, the provider-wide notes
and its top three."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.services.diagnosis.notes import _NOTE_COLS, NoteInfo, _note_from_row
from desktop.services.guards import provider_name
from desktop.services.reference import themes
from desktop.services.themes import connect_ro, theme_codes


@dataclass(frozen=True)
class ProviderLocationRow:
    location_id: str
    name: str
    place: str
    ratings: tuple[str | None, ...]  # per theme in theme order


@dataclass(frozen=True)
class ProviderTheme:
    code: str
    name: str
    distribution: tuple[tuple[str, int], ...]  # (rating code, number of locations), best first
    not_assessed: int
    notes: tuple[NoteInfo, ...]


@dataclass(frozen=True)
class ProviderDiagnosis:
    provider_id: str
    provider_name: str
    locations: tuple[ProviderLocationRow, ...]
    themes: tuple[ProviderTheme, ...]
    top_three: tuple[NoteInfo, ...]
    notes: tuple[NoteInfo, ...]  # provider-wide notes (live)


def provider_diagnosis(db: Any, provider_id: str) -> ProviderDiagnosis:
    from desktop.services.themes import ratings

    conn = connect_ro(db)
    try:
        name = provider_name(conn, provider_id)
        locs = conn.execute(
            "SELECT id, name, place FROM location WHERE provider_id = ? AND deleted_at IS NULL "
            "ORDER BY name",
            (provider_id,),
        ).fetchall()
        current: dict[tuple[str, str], str] = {}
        for loc_id, code, rating in conn.execute(
            """SELECT a.location_id, a.theme_code, a.rating FROM theme_assessment a
               JOIN location l ON l.id = a.location_id
               WHERE l.provider_id = ? AND a.deleted_at IS NULL
               ORDER BY a.period_year, a.assessed_on, a.created_at""",
            (provider_id,),
        ):
            current[(loc_id, code)] = rating
        notes = [
            _note_from_row(r)
            for r in conn.execute(
                f"""SELECT {_NOTE_COLS} FROM diagnosis_note n LEFT JOIN app_user u ON u.id = n.author_id
                WHERE n.provider_id = ? AND n.deleted_at IS NULL
                ORDER BY n.noted_on DESC, n.created_at DESC""",
                (provider_id,),
            )
        ]
    finally:
        conn.close()
    codes = theme_codes()
    rows = tuple(
        ProviderLocationRow(
            loc[0], loc[1], loc[2] or "", tuple(current.get((loc[0], c)) for c in codes)
        )
        for loc in locs
    )
    pthemes = []
    for i, t in enumerate(themes()):
        vals = [r.ratings[i] for r in rows]
        pthemes.append(
            ProviderTheme(
                code=t.code,
                name=t.name_nl,
                distribution=tuple((r.code, vals.count(r.code)) for r in ratings()),
                not_assessed=vals.count(None),
                notes=tuple(n for n in notes if t.code in n.theme_codes),
            )
        )
    wide = [n for n in notes if n.location_id is None]
    return ProviderDiagnosis(
        provider_id=provider_id,
        provider_name=name,
        locations=rows,
        themes=tuple(pthemes),
        top_three=tuple(
            sorted((n for n in wide if n.top_priority), key=lambda n: n.top_priority or 0)
        ),
        notes=tuple(wide),
    )
