"""Attach, list, remove and read documents (Stukken).

Metadata is a syncable `document` record written through UnitOfWork; the bytes go to the
content-addressed BlobStore beside the database. Removing is a tombstone (the bytes stay: the
same content may be attached elsewhere, and a colleague may still have the record).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from db.engine import Database
from db.errors import NotFound, ValidationError
from db.models.documents import Document
from db.repo import UnitOfWork
from desktop.services import formatting
from desktop.services.documents.store import BlobStore, DocumentUnavailable, check_sha
from desktop.services.documents.targets import TARGET_KINDS, TargetKind, resolve_kind
from desktop.services.guards import live
from desktop.services.validation import readable_file

MAX_BYTES = 50 * 1024 * 1024  # per file

DOC_TYPES: dict[str, str] = {
    "QUALITY_PLAN": "Kwaliteitsplan",
    "BUDGET": "Begroting",
    "REPORT": "Verslag",
    "LETTER": "Brief",
    "OTHER": "Overig",
}

# Extension -> (media type, magic bytes or None). PDF, Word, Excel and images (issue 20).
_ZIP = b"PK\x03\x04"
ALLOWED: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".doc": ("application/msword", b"\xd0\xcf\x11\xe0"),
    ".xls": ("application/vnd.ms-excel", b"\xd0\xcf\x11\xe0"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".gif": ("image/gif", b"GIF8"),
    ".bmp": ("image/bmp", b"BM"),
    ".tif": ("image/tiff", None),
    ".tiff": ("image/tiff", None),
}
PREVIEWABLE = ("application/pdf", "image/")


def type_code(value: str | None) -> str:
    """A document type from a code or its Dutch label (case-insensitive); default 'OTHER'."""
    if not value:
        return "OTHER"
    key = value.strip()
    for code, label in DOC_TYPES.items():
        if key.upper() == code or key.lower() == label.lower():
            return code
    raise ValidationError(
        "doc_type",
        "Onbekend soort stuk. Kies uit: " + ", ".join(v.lower() for v in DOC_TYPES.values()) + ".",
    )


class DocumentLabels:
    """The Dutch labels of a document's type and of what it hangs on: shared by a listed
    document and a search hit."""

    doc_type: str
    target_kind: str

    @property
    def type_label(self) -> str:
        return DOC_TYPES.get(self.doc_type, self.doc_type)

    @property
    def kind_label(self) -> str:
        spec = TARGET_KINDS.get(self.target_kind)
        return spec.label if spec else self.target_kind


@dataclass(frozen=True)
class DocumentInfo(DocumentLabels):
    id: str
    target_kind: str
    target_id: str
    target_label: str
    provider_id: str | None
    doc_type: str
    title: str
    media_type: str
    size: int
    sha256: str
    received_on: date | None
    added_by: str
    added_at: datetime
    state: str  # local | not_downloaded | refused | missing (was here, file gone)
    problem: str
    text_status: str  # "" (to do), done, none, failed
    pages: int

    @property
    def size_label(self) -> str:
        return size_label(self.size)

    @property
    def state_label(self) -> str:
        return {
            "local": "Op deze computer",
            "not_downloaded": "Nog niet gedownload",
            "refused": "Geweigerd (beschadigd)",
            "missing": "Ontbreekt",
        }.get(self.state, self.state)

    @property
    def previewable(self) -> bool:
        return self.media_type.startswith(PREVIEWABLE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "to": f"{self.target_kind}:{self.target_id}",
            "target": self.target_label,
            "type": self.doc_type,
            "type_label": self.type_label,
            "title": self.title,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "received_on": self.received_on.isoformat() if self.received_on else None,
            "added_by": self.added_by,
            "added_at": self.added_at.isoformat(),
            "state": self.state,
            "problem": self.problem,
            "text_status": self.text_status,
            "pages": self.pages,
        }


def size_label(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{formatting.number(round(size / 1024))} kB"
    return f"{formatting.number(Decimal(str(round(size / (1024 * 1024), 1))), 1)} MB"


def _target_provider(session: Any, spec: TargetKind, target_id: str) -> str:
    row = session.execute(text(spec.provider_sql), {"id": target_id}).first()
    if row is None:
        raise NotFound(f"{spec.label} {target_id} bestaat niet (of is verwijderd).")
    return str(row[0])


def _too_big(name: str, size: int) -> str:
    return (
        f"'{name}' is {size_label(size)}; per bestand is maximaal {size_label(MAX_BYTES)} "
        "toegestaan. Verklein het bestand (bijvoorbeeld opnieuw opslaan als PDF) of splits "
        "het."
    )


def check_file(name: str, data: bytes) -> str:
    """The media type of an acceptable file; ValidationError('file', ...) otherwise."""
    ext = Path(name).suffix.lower()
    if ext not in ALLOWED:
        raise ValidationError(
            "file",
            f"'{name}' kan niet worden toegevoegd: alleen PDF, Word "
            "(.docx), Excel (.xlsx) en afbeeldingen (.png, .jpg, .tif) "
            "zijn toegestaan.",
        )
    if len(data) > MAX_BYTES:
        raise ValidationError("file", _too_big(name, len(data)))
    if not data:
        raise ValidationError("file", f"'{name}' is leeg.")
    media, magic = ALLOWED[ext]
    if magic is not None and not data.startswith(magic):
        raise ValidationError(
            "file",
            f"'{name}' heeft de extensie {ext}, maar de inhoud past "
            "daar niet bij. Het bestand is niet toegevoegd.",
        )
    return media or mimetypes.guess_type(name)[0] or "application/octet-stream"


def add_document(
    db: Database,
    actor_id: str | None,
    target_kind: str,
    target_id: str,
    name: str,
    data: bytes,
    *,
    doc_type: str | None = None,
    received_on: date | None = None,
    note: str = "",
) -> DocumentInfo:
    """Attach the bytes `data` (file name `name`) to a record. The bytes are stored once per
    content; the metadata syncs like every record."""
    spec = resolve_kind(target_kind)
    code = type_code(doc_type)
    title = Path(name).name.strip()
    if not title:
        raise ValidationError("file", "Het bestand heeft geen naam.")
    media = check_file(title, data)
    if received_on is not None and received_on > date.today():
        raise ValidationError("received_on", "De datum van ontvangst ligt in de toekomst.")
    with db.read_session() as s:
        provider_id = _target_provider(s, spec, target_id)
    sha = BlobStore.for_db(db).put(data)
    with UnitOfWork(db, actor_id) as uow:
        doc = uow.add(
            Document(
                target_kind=spec.kind,
                target_id=target_id,
                provider_id=provider_id,
                doc_type=code,
                title=title[:255],
                media_type=media,
                size=len(data),
                sha256=sha,
                received_on=received_on or date.today(),
                added_by_id=actor_id,
                note=note,
            )
        )
        uow.session.execute(
            text(
                "INSERT INTO document_blob (sha256, upload_pending, problem, text_status, pages) "
                "VALUES (:s, 1, '', '', 0) ON CONFLICT (sha256) DO UPDATE SET "
                "upload_pending = (document_blob.uploaded_at IS NULL), problem = '', problem_at = NULL"
            ),
            {"s": sha},
        )
        doc_id = doc.id
    return get_document(db, doc_id)


def add_file(
    db: Database,
    actor_id: str | None,
    target_kind: str,
    target_id: str,
    path: Path | str,
    **kw: Any,
) -> DocumentInfo:
    path = Path(path)
    with readable_file(path):
        size = path.stat().st_size
    if size > MAX_BYTES:  # refused before a huge file is read into memory
        raise ValidationError("file", _too_big(path.name, size))
    return add_document(db, actor_id, target_kind, target_id, path.name, path.read_bytes(), **kw)


_SELECT = """
SELECT d.id, d.target_kind, d.target_id, d.provider_id, d.doc_type, d.title, d.media_type,
       d.size, d.sha256, d.received_on, COALESCE(u.name, ''), d.created_at,
       b.problem, b.text_status, b.pages, b.sha256 IS NOT NULL
FROM document d
LEFT JOIN app_user u ON u.id = d.added_by_id
LEFT JOIN document_blob b ON b.sha256 = d.sha256
"""


def _infos(db: Database, where: str, params: dict[str, Any]) -> list[DocumentInfo]:
    from db.types import UTCDateTime

    store = BlobStore.for_db(db)
    with db.read_session() as s:
        rows = s.execute(
            text(f"{_SELECT} WHERE {where} ORDER BY d.received_on DESC, d.created_at DESC"), params
        ).all()
        labels: dict[tuple[str, str], str] = {}
        for r in rows:
            key = (r[1], r[2])
            if key not in labels:
                spec = TARGET_KINDS.get(r[1])
                row = s.execute(text(spec.name_sql), {"id": r[2]}).first() if spec else None
                labels[key] = str(row[0]) if row and row[0] else r[2]
    conv = UTCDateTime().process_result_value
    out = []
    for r in rows:
        local = store.has(r[8])
        state = (
            "local" if local else "refused" if r[12] else "missing" if r[15] else "not_downloaded"
        )
        out.append(
            DocumentInfo(
                id=r[0],
                target_kind=r[1],
                target_id=r[2],
                target_label=labels[(r[1], r[2])],
                provider_id=r[3],
                doc_type=r[4],
                title=r[5],
                media_type=r[6],
                size=int(r[7]),
                sha256=r[8],
                received_on=date.fromisoformat(str(r[9])) if r[9] else None,
                added_by=r[10],
                added_at=conv(r[11], None),  # type: ignore[arg-type]
                state=state,
                problem=r[12] or "",
                text_status=r[13] or "",
                pages=int(r[14] or 0),
            )
        )
    return out


def list_documents(
    db: Database,
    target_kind: str | None = None,
    target_id: str | None = None,
    *,
    provider_id: str | None = None,
) -> list[DocumentInfo]:
    where, params = ["d.deleted_at IS NULL"], {}
    if target_kind:
        where.append("d.target_kind = :k")
        params["k"] = resolve_kind(target_kind).kind
    if target_id:
        where.append("d.target_id = :t")
        params["t"] = target_id
    if provider_id:
        where.append("d.provider_id = :p")
        params["p"] = provider_id
    return _infos(db, " AND ".join(where), params)


def get_document(db: Database, document_id: str) -> DocumentInfo:
    found = _infos(db, "d.id = :i AND d.deleted_at IS NULL", {"i": document_id})
    if not found:
        raise NotFound("Dit stuk bestaat niet (meer).")
    return found[0]


def remove_document(db: Database, actor_id: str | None, document_id: str) -> None:
    """A tombstone; the bytes stay in the store."""
    with UnitOfWork(db, actor_id) as uow:
        uow.delete(live(uow, Document, document_id, "Dit stuk bestaat niet (meer)."))


def read_bytes(db: Database, sha: str) -> bytes:
    """The bytes of a referenced document, hash checked. DocumentUnavailable when they are not
    on this laptop (not downloaded yet, refused, missing or damaged)."""
    sha = check_sha(sha)
    with db.read_session() as s:
        row = s.execute(
            text(
                "SELECT d.title, b.problem, b.sha256 FROM document d LEFT JOIN document_blob b ON "
                "b.sha256 = d.sha256 WHERE d.sha256 = :s ORDER BY d.deleted_at IS NOT NULL LIMIT 1"
            ),
            {"s": sha},
        ).first()
    if row is None:
        raise NotFound(f"Geen stuk met SHA-256 {sha} in deze database.")
    store = BlobStore.for_db(db)
    local = store.has(sha)
    if not local and row[1]:
        raise DocumentUnavailable("refused", f"Het stuk '{row[0]}' is niet gedownload: {row[1]}")
    if not local and row[2] is None:  # never on this laptop (a missing file: store.read says so)
        raise DocumentUnavailable(
            "not_downloaded",
            f"Het stuk '{row[0]}' is nog niet naar deze computer gedownload. "
            "Maak verbinding met de gedeelde opslag of de teamserver en kies 'Downloaden' "
            "(of synchroniseer); daarna kunt u het ook zonder verbinding openen.",
        )
    return store.read(sha, row[0])
