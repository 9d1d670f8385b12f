"""Full-text search over diagnosis notes, assessment rationales and visit observations.

The FTS5 index `search_fts` and its sync triggers are created with the schema
(db/models/quality.py); "remove_diacritics 2" makes 'clientenraad' find 'cliëntenraad'.
Target: <= 50 ms over 200,000 notes (ARCHITECTURE.md).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop.services.fts import (
    HL_END,
    HL_START,
    fts_search,
    plain_snippet,
    rebuild_derived,
)
from desktop.services.themes import rating_label

SOURCE_LABELS = {
    "note": "Notitie",
    "assessment": "Onderbouwing oordeel",
    "visit": "Locatiebezoek",
    "document": "Stuk",
}


@dataclass(frozen=True)
class SearchHit:
    source: str  # note | assessment | visit
    ref_id: str
    location_id: str | None
    location_name: str
    provider_id: str | None
    provider_name: str
    theme_codes: tuple[str, ...]
    kind: str  # note kind, rating (assessment) or visit status
    dated: date | None
    snippet: str  # with HL_START / HL_END around the matched words
    title: str = ""  # document hits (issue 20): file name and page
    page: int = 0

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    @property
    def kind_label(self) -> str:
        if self.source == "note":
            from db.models.enums import NoteKind

            return NoteKind(self.kind).label if self.kind in NoteKind.__members__ else self.kind
        if self.source == "assessment":
            return rating_label(self.kind)
        if self.source == "document":
            from desktop.services.documents.service import DOC_TYPES

            return DOC_TYPES.get(self.kind, self.kind)
        return {"COMPLETED": "Afgerond", "DRAFT": "Concept"}.get(self.kind, self.kind)

    @property
    def snippet_html(self) -> str:
        return (
            html.escape(self.snippet)
            .replace(HL_START, "<b style='background:#fff3a0'>")
            .replace(HL_END, "</b>")
        )

    @property
    def snippet_plain(self) -> str:
        """Matches between [ and ] (CLI, JSON)."""
        return plain_snippet(self.snippet)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    more: bool  # more hits than `limit`


def _notes_sql(where: str) -> str:
    return f"""
        SELECT f.source, f.ref_id, f.location_id, COALESCE(l.name, ''), f.provider_id,
               COALESCE(p.name, ''), f.theme_codes, f.note_kind, f.dated, f.snip
        FROM (SELECT source, ref_id, location_id, provider_id, theme_codes, note_kind, dated,
                     snippet(search_fts, 0, '{HL_START}', '{HL_END}', '…', 14) AS snip
              FROM search_fts f WHERE {where}
              ORDER BY rowid DESC LIMIT ?) f
        LEFT JOIN location l ON l.id = f.location_id
        LEFT JOIN provider p ON p.id = f.provider_id
    """


def search(
    db: Any,
    query: str,
    *,
    region_id: str | None = None,
    theme_code: str | None = None,
    kind: str | None = None,
    source: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    provider_id: str | None = None,
    limit: int = 50,
) -> SearchResult:
    rows = fts_search(
        db,
        query,
        "search_fts MATCH ?",
        [
            ("instr(f.theme_codes, ?) > 0", theme_code and f" {theme_code} "),
            ("f.note_kind = ?", kind),
            ("f.source = ?", source),
            ("f.dated >= ?", date_from),
            ("f.dated <= ?", date_to),
            ("f.provider_id = ?", provider_id),
            # provider-wide notes count for a region when the provider has a location there
            (
                """(f.location_id IN (SELECT id FROM location WHERE region_id = ?)
                         OR (f.location_id IS NULL AND f.provider_id IN
                             (SELECT provider_id FROM location WHERE region_id = ?)))""",
                region_id and (region_id, region_id),
            ),
        ],
        _notes_sql,
        limit,
    )
    if rows is None:  # no words, or a pathological query text: no hits, not a crash
        return SearchResult(query, (), False)
    # Newest first. Ranking by bm25 would score every match (0.5 s for a common word over
    # 200,000 notes); walking the index in rowid order stops after `limit` hits.
    hits = [
        SearchHit(
            source=r[0],
            ref_id=r[1],
            location_id=r[2],
            location_name=r[3],
            provider_id=r[4],
            provider_name=r[5],
            theme_codes=tuple((r[6] or "").split()),
            kind=r[7] or "",
            dated=date.fromisoformat(r[8]) if r[8] else None,
            snippet=r[9] or "",
        )
        for r in rows[:limit]
    ]
    more = len(rows) > limit
    if source in (None, "document") and not theme_code and not kind:
        docs = _document_hits(db, query, region_id, provider_id, date_from, date_to, limit)
        hits += docs.hits
        more = more or docs.more or len(hits) > limit
    ordered = sorted(hits, key=lambda h: h.dated or date.min, reverse=True)[:limit]
    return SearchResult(query, tuple(ordered), more)


def _document_hits(
    db: Any,
    query: str,
    region_id: str | None,
    provider_id: str | None,
    date_from: date | None,
    date_to: date | None,
    limit: int,
) -> SearchResult:
    """The text of PDF and DOCX documents (Stukken, issue 20) as search hits."""
    from desktop.services.documents.search import search_documents

    found = search_documents(
        db,
        query,
        region_id=region_id,
        provider_id=provider_id,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
    )
    return SearchResult(
        query,
        tuple(
            SearchHit(
                source="document",
                ref_id=h.document_id,
                location_id=h.location_id,
                location_name=h.location_name,
                provider_id=h.provider_id,
                provider_name=h.provider_name,
                theme_codes=(),
                kind=h.doc_type,
                dated=h.received_on,
                snippet=h.snippet,
                title=h.title,
                page=h.page,
            )
            for h in found.hits
        ),
        found.more,
    )


def rebuild_index(db: Any) -> int:
    """Rebuild the search index from the tables (after a bulk import or restore)."""
    from db.models.quality import SEARCH_DDL, SEARCH_REBUILD_SQL

    return rebuild_derived(db, SEARCH_DDL, SEARCH_REBUILD_SQL, "search_fts")
