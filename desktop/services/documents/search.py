"""Full-text search in the text of PDF and DOCX documents (FTS5 `document_text_fts`, one row
per page), with the hit in context and its page number. Same query language and highlight
markers as desktop/services/search.py (notes, assessments, visits)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.documents.service import DocumentLabels
from desktop.services.fts import (
    HL_END,
    HL_START,
    fts_search,
    plain_snippet,
)


@dataclass(frozen=True)
class DocumentHit(DocumentLabels):
    document_id: str
    title: str
    doc_type: str
    target_kind: str
    target_id: str
    provider_id: str | None
    provider_name: str
    received_on: date | None
    sha256: str
    page: int
    snippet: str  # with HL_START / HL_END around the matched words
    location_id: str | None = None  # when attached to a location
    location_name: str = ""

    @property
    def snippet_plain(self) -> str:
        return plain_snippet(self.snippet)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": "document",
            "id": self.document_id,
            "title": self.title,
            "type": self.doc_type,
            "to": f"{self.target_kind}:{self.target_id}",
            "provider": self.provider_name,
            "page": self.page,
            "sha256": self.sha256,
            "date": self.received_on.isoformat() if self.received_on else None,
            "snippet": self.snippet_plain,
        }


@dataclass(frozen=True)
class DocumentSearchResult:
    query: str
    hits: tuple[DocumentHit, ...]
    more: bool


def _hits_sql(where: str) -> str:
    return f"""
        SELECT f.rowid, f.page, d.id, d.title, d.doc_type, d.target_kind, d.target_id,
               d.provider_id, COALESCE(p.name, ''), d.received_on, d.sha256, l.id,
               COALESCE(l.name, ''),
               snippet(document_text_fts, 0, '{HL_START}', '{HL_END}', '…', 16)
        FROM document_text_fts f
        JOIN document d ON d.sha256 = f.sha256
        LEFT JOIN provider p ON p.id = d.provider_id
        LEFT JOIN location l ON d.target_kind = 'location' AND l.id = d.target_id
        WHERE {where}
        ORDER BY f.rowid DESC LIMIT ?"""


def search_documents(
    db: Any,
    query: str,
    *,
    region_id: str | None = None,
    provider_id: str | None = None,
    target: tuple[str, str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 50,
) -> DocumentSearchResult:
    # Newest text first; the index is walked in rowid order and stops after `limit` rows, and
    # snippet() is computed only for the rows returned (re-matching per row costs far more).
    rows = fts_search(
        db,
        query,
        "document_text_fts MATCH ?",
        [
            ("d.deleted_at IS NULL", True),
            ("d.provider_id = ?", provider_id),
            ("d.provider_id IN (SELECT provider_id FROM location WHERE region_id = ?)", region_id),
            ("d.target_kind = ? AND d.target_id = ?", target and tuple(target)),
            ("d.received_on >= ?", date_from),
            ("d.received_on <= ?", date_to),
        ],
        _hits_sql,
        limit,
    )
    if rows is None:  # no words, or a pathological query text: no hits, not a crash
        return DocumentSearchResult(query, (), False)
    hits = tuple(
        DocumentHit(
            document_id=r[2],
            title=r[3],
            doc_type=r[4],
            target_kind=r[5],
            target_id=r[6],
            provider_id=r[7],
            provider_name=r[8],
            received_on=date.fromisoformat(str(r[9])) if r[9] else None,
            sha256=r[10],
            page=int(r[1]),
            snippet=r[13] or "",
            location_id=r[11],
            location_name=r[12],
        )
        for r in rows[:limit]
    )
    return DocumentSearchResult(query, hits, len(rows) > limit)
