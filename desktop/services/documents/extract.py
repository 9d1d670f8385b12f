"""Text of PDF and DOCX documents, per page, into the FTS5 index `document_text_fts`.

Extracted once per content (keyed by SHA-256), after a document is added or downloaded, off
the GUI thread (the app runs `extract_pending` through ctx.run; pdfium is not thread safe and
that single worker thread is also where previews are rendered). Derived data: never synced.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from db.engine import Database
from desktop.services.documents.store import BlobStore, DocumentUnavailable

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTRACTABLE = (PDF, DOCX)


def pdf_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            tp = page.get_textpage()
            try:
                out.append(tp.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            finally:
                tp.close()
                page.close()
        return out
    finally:
        doc.close()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_pages(data: bytes) -> list[str]:
    """Paragraphs and table cells in document order; a new page at each explicit page break
    or each break Word recorded when it last laid the document out (lastRenderedPageBreak)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    pages: list[list[str]] = [[]]
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            paragraphs = [block]
        elif block.tag == f"{_W}tbl":
            paragraphs = list(block.iter(f"{_W}p"))
        else:
            continue
        for p in paragraphs:
            line: list[str] = []
            for node in p.iter():
                if node.tag == f"{_W}t" and node.text:
                    line.append(node.text)
                elif node.tag == f"{_W}tab":
                    line.append("\t")
                elif (
                    node.tag == f"{_W}br" and node.get(f"{_W}type") == "page"
                ) or node.tag == f"{_W}lastRenderedPageBreak":
                    if line or pages[-1]:
                        pages[-1].append("".join(line))
                        line = []
                        pages.append([])
            pages[-1].append("".join(line))
    return ["\n".join(p).strip() for p in pages]


def extract(media_type: str, data: bytes) -> list[str] | None:
    """Text per page, or None for a type without text (images, spreadsheets)."""
    if media_type == PDF:
        return pdf_pages(data)
    if media_type == DOCX:
        return docx_pages(data)
    return None


def extract_pending(
    db: Database,
    progress: Any = None,
    limit: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Extract the text of every local blob not done yet; returns the number indexed."""
    store = BlobStore.for_db(db)
    with db.read_session() as s:
        rows = s.execute(
            text(
                "SELECT b.sha256, (SELECT d.media_type FROM document d WHERE d.sha256 = b.sha256 "
                "ORDER BY d.deleted_at IS NOT NULL LIMIT 1) FROM document_blob b "
                "WHERE b.text_status = ''"
            )
        ).all()
    todo = [(sha, media) for sha, media in rows if media and store.has(sha)]
    if limit is not None:
        todo = todo[:limit]
    done = 0
    for n, (sha, media) in enumerate(todo):
        if cancelled is not None and cancelled():
            break
        if progress is not None:
            progress.report(n, len(todo), f"Tekst uit stuk {n + 1} van {len(todo)} halen")
        status, pages = "none", []
        if media in EXTRACTABLE:
            try:
                found = extract(media, store.read(sha))
                pages, status = found or [], "done"
            except DocumentUnavailable:
                continue  # reported when someone opens it
            except Exception:  # noqa: BLE001 - a malformed file must not stop the others
                log.exception("text extraction failed for %s", sha)
                status = "failed"
        with db.write_session() as s, s.begin():
            s.execute(text("DELETE FROM document_text_fts WHERE sha256 = :s"), {"s": sha})
            rows_ = [
                {"b": body, "s": sha, "p": i + 1} for i, body in enumerate(pages) if body.strip()
            ]
            if rows_:
                s.execute(
                    text("INSERT INTO document_text_fts (body, sha256, page) VALUES (:b, :s, :p)"),
                    rows_,
                )
            s.execute(
                text("UPDATE document_blob SET text_status = :t, pages = :n WHERE sha256 = :s"),
                {"t": status, "n": len(pages), "s": sha},
            )
        done += status == "done"
    if progress is not None and todo:
        progress.report(len(todo), len(todo), "Klaar")
    return done
