"""Stukken: documents the provider sent, kept with the work (issue 20).

`document` is a syncable record (metadata only; removing is a tombstone). The bytes live
content-addressed (SHA-256) in a folder beside the database, never inside it
(desktop/services/documents/store.py), and travel between laptops as write-once encrypted blobs
(desktop/services/documents/transport.py).

`document_blob` is per-laptop bookkeeping (never synced): which blobs still have to be
uploaded, which one the store refused, and whether the text has been extracted. The text of
PDF and DOCX documents is indexed per page in the FTS5 table `document_text_fts` (derived,
never synced, keyed by content hash: a file attached twice is extracted once). Its prefix
indexes keep a short typed word ("zorg" -> zorgkantoor, zorgplan, ...) fast over millions of
words of plan text (tests/bench/test_bench_documents.py).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DDL, Index, event
from sqlmodel import Field, SQLModel

from db.models.base import Record
from db.table import Table
from db.types import UTCDateTime


class Document(Record, table=True):
    __tablename__ = "document"
    __table_args__ = (Index("ix_document_target", "target_kind", "target_id"),)

    # What the document is attached to: an extensible list of target kinds
    # (desktop/services/documents/targets.py): provider, location, quality_plan,
    # budget_request, site_visit, ...
    target_kind: str = Field(max_length=40)
    target_id: str = Field(max_length=36)
    provider_id: str | None = Field(default=None, max_length=36, index=True)  # for filtering
    doc_type: str = Field(default="OTHER", max_length=20)  # DocumentType
    title: str = Field(max_length=255)  # the file name as the provider sent it
    media_type: str = Field(default="application/octet-stream", max_length=100)
    size: int = 0
    sha256: str = Field(max_length=64, index=True)
    received_on: date | None = None
    added_by_id: str | None = Field(default=None, foreign_key="app_user.id")
    note: str = ""


class DocumentBlob(Table, table=True):
    """Per-laptop state of one blob (content hash). Never synced."""

    __tablename__ = "document_blob"

    sha256: str = Field(primary_key=True, max_length=64)
    upload_pending: bool = Field(default=False, index=True)  # added here, not yet in the store
    uploaded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    problem: str = ""  # Dutch: why the store's copy was refused (tampered, wrong signer, ...)
    problem_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    text_status: str = Field(default="", max_length=10)  # "" (to do), done, none, failed
    pages: int = 0


DOCUMENT_FTS_TABLE = "document_text_fts"
DOCUMENT_DDL: tuple[str, ...] = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {DOCUMENT_FTS_TABLE} USING fts5(
        body, sha256 UNINDEXED, page UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2", prefix = '2 3 4 5')""",
)

for _ddl in DOCUMENT_DDL:
    event.listen(SQLModel.metadata, "after_create", DDL(_ddl.replace("%", "%%")))
