"""Writing diagnosis notes: add, edit, delete (soft), the top three verbeterpunten, and the
lock that freezes the notes an approved decision rested on."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models.enums import NoteKind
from desktop.services.diagnosis.notes import MAX_TOP, NoteInfo, _note_info
from desktop.services.guards import live
from desktop.services.themes import theme_codes


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
        live(uow, Provider, provider_id, "Deze zorgaanbieder bestaat niet (meer).")
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
