"""Kwaliteitsdiagnose: notes per provider or location, the top three verbeterpunten and the
diagnosis view per location and per provider.

The NZa found that knowledge about quality stays "in de hoofden" and is not brought together
in a coherent kwaliteitsdiagnose per location (seed 004); this module brings the ratings,
notes and visit signals of one location together in one read (<= 50 ms).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models.enums import NoteKind
from desktop.services.reference import themes
from desktop.services.themes import (
    _ASSESSMENT_COLS,
    AssessmentInfo,
    assessment_from_row,
    connect_ro,
    rating_info,
    theme_codes,
)

MAX_TOP = 3


@dataclass(frozen=True)
class NoteInfo:
    id: str
    provider_id: str
    location_id: str | None
    kind: str
    theme_codes: tuple[str, ...]
    text: str
    source: str
    noted_on: date
    author_id: str
    author_name: str
    source_visit_id: str | None
    top_priority: int | None
    locked: bool
    deleted_at: datetime | None

    @property
    def kind_label(self) -> str:
        return NoteKind(self.kind).label if self.kind in NoteKind.__members__ else self.kind

    @property
    def editable(self) -> bool:
        return not self.locked and self.deleted_at is None


_NOTE_COLS = """n.id, n.provider_id, n.location_id, n.kind, n.theme_codes, n.text, n.source,
    n.noted_on, n.author_id, COALESCE(u.name, ''), n.source_visit_id, n.top_priority,
    n.locked_by_request_id, n.deleted_at"""


def _note_from_row(r: tuple) -> NoteInfo:
    return NoteInfo(
        id=r[0],
        provider_id=r[1],
        location_id=r[2],
        kind=r[3],
        theme_codes=tuple(json.loads(r[4] or "[]")),
        text=r[5],
        source=r[6] or "",
        noted_on=date.fromisoformat(r[7]),
        author_id=r[8],
        author_name=r[9],
        source_visit_id=r[10],
        top_priority=r[11],
        locked=r[12] is not None,
        deleted_at=datetime.fromisoformat(r[13]) if r[13] else None,
    )


def _note_info(n: Any, author_name: str = "") -> NoteInfo:
    return NoteInfo(
        id=n.id,
        provider_id=n.provider_id,
        location_id=n.location_id,
        kind=n.kind,
        theme_codes=tuple(n.theme_codes or ()),
        text=n.text,
        source=n.source,
        noted_on=n.noted_on,
        author_id=n.author_id,
        author_name=author_name,
        source_visit_id=n.source_visit_id,
        top_priority=n.top_priority,
        locked=n.locked_by_request_id is not None,
        deleted_at=n.deleted_at,
    )


# --- writing notes ----------------------------------------------------------------------------


def _validate_note(
    kind: str, codes: list[str] | tuple[str, ...], text: str, source: str, noted_on: object
) -> tuple[str, list[str], str, date]:
    from desktop.services.validation import optional_past_date

    errors: list[ValidationError] = []
    if kind not in NoteKind.__members__:
        errors.append(
            ValidationError(
                "kind",
                "Kies het soort notitie: sterk punt, kwetsbaarheid, verbeterpunt of signaal.",
            )
        )
    bad = [c for c in codes if c not in theme_codes()]
    if bad:
        errors.append(ValidationError("theme_codes", f"Onbekend thema '{bad[0]}'."))
    body = (text or "").strip()
    if not body:
        errors.append(ValidationError("text", "Tekst is verplicht: wat is er gezien of besproken?"))
    elif len(body) > 4000:
        errors.append(ValidationError("text", "Tekst mag hoogstens 4000 tekens lang zijn."))
    src = (source or "").strip()
    if len(src) > 200:
        errors.append(ValidationError("source", "Bron mag hoogstens 200 tekens lang zijn."))
    when = optional_past_date(
        noted_on, "noted_on", "Datum", errors, "De datum ligt in de toekomst."
    )
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    ordered = [c for c in theme_codes() if c in set(codes)]
    return kind, ordered, body, when if isinstance(when, date) else date.today()


def add_note(
    db: Any,
    *,
    provider_id: str,
    kind: str,
    text: str,
    actor_id: str,
    location_id: str | None = None,
    theme_codes: list[str] | tuple[str, ...] = (),
    source: str = "",
    noted_on: object = None,
    source_visit_id: str | None = None,
    source_ref: str = "",
) -> NoteInfo:
    from db.models import AppUser, DiagnosisNote, Location, Provider
    from db.repo import UnitOfWork

    kind, codes, body, when = _validate_note(kind, theme_codes, text, source, noted_on)
    with UnitOfWork(db, actor_id) as uow:
        prov = uow.get(Provider, provider_id)
        if prov is None or prov.deleted_at is not None:
            raise NotFound("Deze zorgaanbieder bestaat niet (meer).")
        if location_id:
            loc = uow.get(Location, location_id)
            if loc is None or loc.provider_id != provider_id:
                raise ValidationError(
                    "location_id", "Deze locatie hoort niet bij de zorgaanbieder."
                )
        note = uow.add(
            DiagnosisNote(
                provider_id=provider_id,
                location_id=location_id or None,
                kind=kind,
                theme_codes=codes,
                text=body,
                source=(source or "").strip(),
                noted_on=when,
                author_id=actor_id,
                source_visit_id=source_visit_id,
                source_ref=source_ref,
            )
        )
        author = uow.get(AppUser, actor_id)
        return _note_info(note, author.name if author else "")


def _editable(uow: Any, note_id: str) -> Any:
    from db.models import DiagnosisNote

    note = uow.get(DiagnosisNote, note_id)
    if note is None:
        raise NotFound("Deze notitie bestaat niet.")
    if note.deleted_at is not None:
        raise RuleViolation("Deze notitie is verwijderd en kan niet meer worden gewijzigd.")
    if note.locked_by_request_id is not None:
        raise RuleViolation(
            "Deze notitie is onderdeel van een goedgekeurd besluit en kan niet meer worden "
            "gewijzigd. Voeg een nieuwe notitie toe."
        )
    return note


def edit_note(
    db: Any,
    note_id: str,
    *,
    actor_id: str,
    kind: str,
    text: str,
    theme_codes: list[str] | tuple[str, ...] = (),
    source: str = "",
    noted_on: object = None,
) -> NoteInfo:
    from db.models import AppUser
    from db.repo import UnitOfWork

    kind, codes, body, when = _validate_note(kind, theme_codes, text, source, noted_on)
    with UnitOfWork(db, actor_id) as uow:
        note = _editable(uow, note_id)
        changes: dict[str, Any] = dict(
            kind=kind, theme_codes=codes, text=body, source=(source or "").strip(), noted_on=when
        )
        if kind != NoteKind.IMPROVEMENT_POINT and note.top_priority is not None:
            changes["top_priority"] = None
        uow.update(note, **changes)
        author = uow.get(AppUser, note.author_id)
        return _note_info(note, author.name if author else "")


def delete_note(db: Any, note_id: str, *, actor_id: str) -> None:
    """Soft delete: the note stays visible (struck through) in the history."""
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        note = _editable(uow, note_id)
        if note.top_priority is not None:
            uow.update(note, top_priority=None)
        uow.delete(note)


def lock_notes(db: Any, note_ids: list[str], *, request_id: str, actor_id: str | None) -> int:
    """Called when a decision is approved: the notes it rests on can no longer change."""
    from db.models import DiagnosisNote
    from db.repo import UnitOfWork

    done = 0
    with UnitOfWork(db, actor_id) as uow:
        for nid in note_ids:
            note = uow.get(DiagnosisNote, nid)
            if note is not None and note.locked_by_request_id is None:
                uow.update(note, locked_by_request_id=request_id)
                done += 1
    return done


def lock_provider_notes_in(uow: Any, provider_id: str, request_id: str) -> int:
    """Inside the approval's own UnitOfWork: lock every live note of the provider and its
    locations, so the diagnosis a decision rested on cannot change afterwards."""
    from sqlmodel import col, select

    from db.models import DiagnosisNote

    done = 0
    for note in uow.exec(
        select(DiagnosisNote).where(
            DiagnosisNote.provider_id == provider_id,
            col(DiagnosisNote.deleted_at).is_(None),
            col(DiagnosisNote.locked_by_request_id).is_(None),
        )
    ):
        uow.update(note, locked_by_request_id=request_id)
        done += 1
    return done


def set_top_priorities(
    db: Any,
    note_ids: list[str],
    *,
    actor_id: str,
    location_id: str | None = None,
    provider_id: str | None = None,
) -> list[NoteInfo]:
    """Choose (in order) at most three verbeterpunten for a location, or for a provider
    (provider-wide notes). Replaces the previous choice in that scope."""
    from sqlmodel import col, select

    from db.models import DiagnosisNote
    from db.repo import UnitOfWork

    if not location_id and not provider_id:
        raise ValueError("location_id or provider_id is required")
    ids = list(dict.fromkeys(note_ids))
    if len(ids) > MAX_TOP:
        raise ValidationError("top_priority", "Kies hoogstens drie verbeterpunten.")
    with UnitOfWork(db, actor_id) as uow:
        q = select(DiagnosisNote).where(col(DiagnosisNote.deleted_at).is_(None))
        if location_id:
            q = q.where(DiagnosisNote.location_id == location_id)
        else:
            q = q.where(
                DiagnosisNote.provider_id == provider_id, col(DiagnosisNote.location_id).is_(None)
            )
        scope = {n.id: n for n in uow.exec(q)}
        for nid in ids:
            n = scope.get(nid)
            if n is None:
                raise ValidationError("top_priority", "Deze notitie hoort niet bij deze diagnose.")
            if n.kind != NoteKind.IMPROVEMENT_POINT:
                raise ValidationError(
                    "top_priority", "Alleen verbeterpunten kunnen in de top drie staan."
                )
        wanted = {nid: i for i, nid in enumerate(ids, start=1)}
        for n in scope.values():
            new = wanted.get(n.id)
            if n.top_priority != new:
                if n.locked_by_request_id is not None:
                    raise RuleViolation(
                        "De top drie bevat een verbeterpunt uit een goedgekeurd besluit; "
                        "die volgorde kan niet meer worden gewijzigd."
                    )
                uow.update(n, top_priority=new)
        return sorted((_note_info(scope[i]) for i in ids), key=lambda x: x.top_priority or 0)


def notes_for(
    db: Any,
    *,
    location_id: str | None = None,
    provider_id: str | None = None,
    include_deleted: bool = True,
) -> list[NoteInfo]:
    """Notes of a location (or provider-wide notes of a provider), newest first; deleted notes
    are included for the history unless asked otherwise."""
    conn = connect_ro(db)
    try:
        sql = f"SELECT {_NOTE_COLS} FROM diagnosis_note n LEFT JOIN app_user u ON u.id = n.author_id WHERE "
        if location_id:
            sql += "n.location_id = ?"
            args: list[Any] = [location_id]
        else:
            sql += "n.provider_id = ? AND n.location_id IS NULL"
            args = [provider_id]
        if not include_deleted:
            sql += " AND n.deleted_at IS NULL"
        sql += " ORDER BY n.noted_on DESC, n.created_at DESC"
        return [_note_from_row(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


# --- the diagnosis view ---------------------------------------------------------------------

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
        prov = conn.execute("SELECT name FROM provider WHERE id = ?", (provider_id,)).fetchone()
        if prov is None:
            raise NotFound("Deze zorgaanbieder bestaat niet (meer).")
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
        provider_name=prov[0],
        locations=rows,
        themes=tuple(pthemes),
        top_three=tuple(
            sorted((n for n in wide if n.top_priority), key=lambda n: n.top_priority or 0)
        ),
        notes=tuple(wide),
    )


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
