"""The diagnosis of one location in one read: per theme the current and previous rating, the
trend, the notes and the last visit's signal, what changed since that visit, the top three."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db.errors import NotFound
from desktop.services.diagnosis.from_visits import disagreement, visit_theme_signals
from desktop.services.diagnosis.notes import _NOTE_COLS, NoteInfo, _note_from_row
from desktop.services.reference import themes
from desktop.services.themes import (
    _ASSESSMENT_COLS,
    AssessmentInfo,
    assessment_from_row,
    connect_ro,
    rating_info,
)


@dataclass(frozen=True)
class VisitRef:
    id: str
    visit_date: date | None
    signals: dict[str, tuple[str | None, str | None, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeItem:
    on: date
    theme_code: str | None
    text: str  # Dutch, ready to show


@dataclass(frozen=True)
class ThemeDiagnosis:
    code: str
    name: str
    group: str
    current: AssessmentInfo | None
    previous: AssessmentInfo | None
    trend: tuple[tuple[int, str], ...]  # (year, rating) oldest first, last rating of each year
    history: tuple[AssessmentInfo, ...]
    notes: tuple[NoteInfo, ...]
    visit_signal: str | None
    visit_rating: str | None
    visit_observation: str
    disagreement: str | None

    @property
    def direction(self) -> int:
        """+1 improved, -1 worsened, 0 same/unknown compared with the previous assessment."""
        if self.current is None or self.previous is None:
            return 0
        a, b = rating_info(self.previous.rating), rating_info(self.current.rating)
        if a is None or b is None:
            return 0
        return (a.severity > b.severity) - (a.severity < b.severity)


@dataclass(frozen=True)
class LocationDiagnosis:
    location_id: str
    location_name: str
    place: str
    provider_id: str
    provider_name: str
    region_name: str
    themes: tuple[ThemeDiagnosis, ...]
    top_three: tuple[NoteInfo, ...]
    general_notes: tuple[NoteInfo, ...]  # notes without a theme
    provider_notes: tuple[NoteInfo, ...]  # provider-wide notes (live)
    deleted_notes: tuple[NoteInfo, ...]
    last_visit: VisitRef | None
    changes: tuple[ChangeItem, ...]


def _trend(history: list[AssessmentInfo]) -> tuple[tuple[int, str], ...]:
    per_year: dict[int, str] = {}
    for a in reversed(history):  # oldest first -> the last of each year wins
        per_year[a.period_year] = a.rating
    return tuple(sorted(per_year.items()))


def location_diagnosis(db: Any, location_id: str) -> LocationDiagnosis:
    conn = connect_ro(db)
    try:
        head = conn.execute(
            """SELECT l.name, l.place, p.id, p.name, r.name FROM location l
               JOIN provider p ON p.id = l.provider_id JOIN region r ON r.id = l.region_id
               WHERE l.id = ?""",
            (location_id,),
        ).fetchone()
        if head is None:
            raise NotFound("Deze locatie bestaat niet (meer).")
        rows = conn.execute(
            f"""SELECT {_ASSESSMENT_COLS} FROM theme_assessment a
                LEFT JOIN app_user u ON u.id = a.author_id
                WHERE a.location_id = ? AND a.deleted_at IS NULL
                ORDER BY a.period_year DESC, a.assessed_on DESC, a.created_at DESC""",
            (location_id,),
        ).fetchall()
        notes = [
            _note_from_row(r)
            for r in conn.execute(
                f"""SELECT {_NOTE_COLS} FROM diagnosis_note n LEFT JOIN app_user u ON u.id = n.author_id
                WHERE n.location_id = ?
                UNION ALL
                SELECT {_NOTE_COLS} FROM diagnosis_note n LEFT JOIN app_user u ON u.id = n.author_id
                WHERE n.provider_id = ? AND n.location_id IS NULL""",
                (location_id, head[2]),
            )
        ]
        # newest first (sorted here: UNION ALL keeps both halves on their index)
        notes.sort(key=lambda n: n.noted_on, reverse=True)
        visit_row = conn.execute(
            """SELECT id, visit_date, answers FROM site_visit
               WHERE location_id = ? AND status = 'COMPLETED' AND deleted_at IS NULL
               ORDER BY visit_date DESC, completed_at DESC LIMIT 1""",
            (location_id,),
        ).fetchone()
    finally:
        conn.close()
    history: dict[str, list[AssessmentInfo]] = {}
    for r in rows:
        a = assessment_from_row(r)
        history.setdefault(a.theme_code, []).append(a)
    last_visit = None
    if visit_row:
        last_visit = VisitRef(
            id=visit_row[0],
            visit_date=date.fromisoformat(visit_row[1]) if visit_row[1] else None,
            signals=visit_theme_signals(json.loads(visit_row[2] or "{}")),
        )
    own = [n for n in notes if n.location_id == location_id]
    live = [n for n in own if n.deleted_at is None]
    out_themes = []
    for t in themes():
        h = history.get(t.code, [])
        cur = h[0] if h else None
        sig, vr, obs = (
            last_visit.signals.get(t.code, (None, None, "")) if last_visit else (None, None, "")
        )
        out_themes.append(
            ThemeDiagnosis(
                code=t.code,
                name=t.name_nl,
                group=t.group,
                current=cur,
                previous=h[1] if len(h) > 1 else None,
                trend=_trend(h),
                history=tuple(h),
                notes=tuple(n for n in live if t.code in n.theme_codes),
                visit_signal=sig,
                visit_rating=vr,
                visit_observation=obs,
                disagreement=disagreement(cur.rating if cur else None, sig, vr),
            )
        )
    changes: list[ChangeItem] = []
    if last_visit and last_visit.visit_date:
        since = last_visit.visit_date
        for code, h in history.items():
            for a in h:
                if a.assessed_on > since:
                    prev = next((p for p in h if p.id == a.supersedes_id), None)
                    was = f" (was {prev.rating_label.lower()})" if prev else ""
                    changes.append(
                        ChangeItem(
                            a.assessed_on, code, f"Nieuw oordeel {a.rating_label.lower()}{was}"
                        )
                    )
        for n in own:
            if n.noted_on > since and n.deleted_at is None:
                changes.append(
                    ChangeItem(
                        n.noted_on,
                        n.theme_codes[0] if n.theme_codes else None,
                        f"Nieuw {n.kind_label.lower()}: {_short(n.text)}",
                    )
                )
            if n.deleted_at is not None and n.deleted_at.date() > since:
                changes.append(
                    ChangeItem(
                        n.deleted_at.date(),
                        n.theme_codes[0] if n.theme_codes else None,
                        f"Verwijderd {n.kind_label.lower()}: {_short(n.text)}",
                    )
                )
        changes.sort(key=lambda c: c.on, reverse=True)
    return LocationDiagnosis(
        location_id=location_id,
        location_name=head[0],
        place=head[1] or "",
        provider_id=head[2],
        provider_name=head[3],
        region_name=head[4],
        themes=tuple(out_themes),
        top_three=tuple(
            sorted((n for n in live if n.top_priority), key=lambda n: n.top_priority or 0)
        ),
        general_notes=tuple(n for n in live if not n.theme_codes),
        provider_notes=tuple(n for n in notes if n.location_id is None and n.deleted_at is None),
        deleted_notes=tuple(n for n in own if n.deleted_at is not None),
        last_visit=last_visit,
        changes=tuple(changes),
    )


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
