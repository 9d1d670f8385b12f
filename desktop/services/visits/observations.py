"""Observations -> notes: the theme observations of a completed visit, each of which can become
one diagnosis note (kwaliteitsdiagnose) that remembers the visit it came from."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from db.errors import NotFound, RuleViolation
from desktop.services.visits.model import SIGNAL_NOTE_KIND, THEME_CODES, Observation, _form
from desktop.services.visits.reading import get_visit


def observations(db: Any, visit_id: str) -> list[Observation]:
    """Filled-in theme observations of a visit (T1..T8) with the note made from each."""
    from db.models import DiagnosisNote

    info = get_visit(db, visit_id)
    form = _form(info.form_id, info.form_version)
    a = info.answers
    with db.read_session() as s:
        notes = {
            ref: nid
            for nid, ref in s.exec(
                select(DiagnosisNote.id, DiagnosisNote.source_ref).where(
                    DiagnosisNote.source_visit_id == visit_id,
                    col(DiagnosisNote.deleted_at).is_(None),
                )
            ).all()
        }
    out = []
    for code in THEME_CODES:
        n = code[1:]
        text = a.get(f"t{n}_observation")
        if not isinstance(text, str) or not text.strip():
            continue
        group = f"theme_t{n}"
        label = form.field(group).label if form.has_field(group) else code
        src = a.get(f"t{n}_source")
        ref = f"visit:{visit_id}#{code}"
        out.append(
            Observation(
                theme_code=code,
                theme_label=label,
                text=text.strip(),
                signal=a.get(f"t{n}_signal") or None,
                rating=a.get(f"t{n}_rating") or None,
                sources=tuple(src) if isinstance(src, list) else (),
                source_ref=ref,
                note_id=notes.get(ref),
            )
        )
    return out


def observation_to_note(
    db: Any, visit_id: str, theme_code: str, *, actor_id: str, kind: str | None = None
) -> str:
    """Turn one observation of a completed visit into a diagnosis note (once). Returns the
    note id. The note records `source_visit_id` and `source_ref` ("visit:<id>#T3")."""
    from desktop.services import diagnosis

    info = get_visit(db, visit_id)
    if not info.is_completed:
        raise RuleViolation("Rond het bezoek eerst af; daarna kunt u waarnemingen overnemen.")
    obs = {o.theme_code: o for o in observations(db, visit_id)}
    o = obs.get(theme_code)
    if o is None:
        raise NotFound("Bij dit thema staat geen waarneming.")
    if o.note_id:
        raise RuleViolation("Deze waarneming staat al in de kwaliteitsdiagnose.")
    note_kind = kind or SIGNAL_NOTE_KIND.get(o.signal or "", "IMPROVEMENT_POINT")
    from desktop.services.formatting import short_date

    source = f"Locatiebezoek {short_date(info.visit_date)}" if info.visit_date else "Locatiebezoek"
    note = diagnosis.add_note(
        db,
        provider_id=info.provider_id,
        location_id=info.location_id,
        kind=note_kind,
        text=o.text,
        actor_id=actor_id,
        theme_codes=[theme_code],
        source=source,
        noted_on=info.visit_date.isoformat() if info.visit_date else None,
        source_visit_id=visit_id,
        source_ref=o.source_ref,
    )
    return note.id
