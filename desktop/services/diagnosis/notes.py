"""Diagnosis notes (diagnosenotities) as the services hand them out, and reading them: per
location, or the provider-wide notes of a provider (raw sqlite3, on the <= 50 ms path)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models.enums import NoteKind
from desktop.services.themes import connect_ro

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
