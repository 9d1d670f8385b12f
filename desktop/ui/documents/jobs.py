"""Work of the Stukken panel on the database worker (no Qt): list, add, fetch, and the
background upload and text extraction after adding and after each sync."""

from __future__ import annotations

from datetime import date
from typing import Any


def list_for(db: Any, kind: str, target_id: str) -> list[Any]:
    from desktop.services.documents import service

    return service.list_documents(db, kind, target_id)


def add_many(
    db: Any,
    actor: str | None,
    kind: str,
    target_id: str,
    paths: list[str],
    doc_type: str,
    received: date | None,
) -> tuple[int, list[str]]:
    """Add each file; a refused file (too big, unreadable) is reported, the others go on."""
    from db.errors import UserFacingError
    from desktop.services.documents import service

    added, errors = 0, []
    for p in paths:
        try:
            service.add_file(db, actor, kind, target_id, p, doc_type=doc_type, received_on=received)
            added += 1
        except UserFacingError as exc:
            errors.append(exc.message)
    return added, errors


def fetch_and_read(db: Any, sha: str, progress: Any = None) -> bytes:
    from desktop.services.documents import transport

    return transport.fetch_and_read(db, sha, progress)


def background_upload_and_extract(db: Any) -> None:
    """After adding and after each sync: extract text, upload the queued blobs."""
    from desktop.services.documents import extract, transport

    extract.extract_pending(db)
    transport.upload_quietly(db)
