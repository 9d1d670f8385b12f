"""Vier-ogen review events, letters and the audit trail: append-only facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field

from db.models.base import Record
from db.types import JSONText, UTCDateTime, utcnow


class ReviewEvent(Record, table=True):
    """submitted / approved / rejected / withdrawn. Never updated; "approved" is derived
    from these facts and the content hash of the current version (ARCHITECTURE.md)."""

    __tablename__ = "review_event"

    subject_type: str = Field(max_length=40)  # "budget_request", "letter", ...
    subject_id: str = Field(index=True, max_length=36)
    kind: str = Field(max_length=12)  # ReviewKind
    actor_id: str = Field(foreign_key="app_user.id")
    content_hash: str = Field(max_length=64)
    comment: str = ""
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Letter(Record, table=True):
    """Beoordelingsbrief. Once definitive: kenmerk and PDF bytes are immutable (SHA-256 kept)."""

    __tablename__ = "letter"
    __table_args__ = (UniqueConstraint("care_office_id", "year", "sequence"),)

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True)
    care_office_id: str = Field(foreign_key="care_office.id")
    year: int
    sequence: int | None = None
    kenmerk: str | None = Field(default=None, max_length=40, unique=True)
    status: str = Field(default="DRAFT", max_length=12)  # LetterStatus
    letter_date: date | None = None
    addressee: dict = Field(default_factory=dict, sa_type=JSONText)
    your_reference: str = Field(default="", max_length=50)
    your_letter_date: date | None = None
    subject: str = Field(default="", max_length=200)
    template_id: str = Field(default="", max_length=60)
    template_version: str = Field(default="", max_length=60)  # "2026112301" or "...+ZK-..."
    decision: str = Field(default="", max_length=30)  # Decision the letter states (snapshot)
    maker_id: str | None = Field(default=None, foreign_key="app_user.id")
    approver_id: str | None = Field(default=None, foreign_key="app_user.id")
    pdf: bytes | None = Field(default=None, sa_type=LargeBinary)
    sha256: str | None = Field(default=None, max_length=64)
    sent_on: date | None = None
    definitive_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEvent(Record, table=True):
    """Who did what when. Append-only; written by the UnitOfWork for every change."""

    __tablename__ = "audit_event"

    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor_id: str | None = Field(default=None, max_length=36)
    entity: str = Field(max_length=40, index=True)
    entity_id: str = Field(max_length=36, index=True)
    action: str = Field(max_length=20)  # create / update / delete / review / ...
    details: dict = Field(default_factory=dict, sa_type=JSONText)
