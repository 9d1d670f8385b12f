"""Theme assessments, site visits, follow-up actions and diagnosis notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from db.models.base import Record
from db.types import JSONText, UTCDateTime


class ThemeAssessment(Record, table=True):
    """Rating of one location on one theme for one period. Never overwritten: a new
    assessment supersedes the previous one (`supersedes_id`), so history stays visible."""

    __tablename__ = "theme_assessment"

    location_id: str = Field(foreign_key="location.id", index=True)
    theme_code: str = Field(max_length=8, index=True)  # "T1".."T8"
    framework_version: str = Field(default="KK2017", max_length=10)
    period_year: int = Field(index=True)
    rating: str = Field(max_length=20)  # Rating
    rationale: str
    sources: list = Field(default_factory=list, sa_type=JSONText)
    subtheme_ratings: dict = Field(default_factory=dict, sa_type=JSONText)  # {"T1.1": "GOOD"}
    linked_visit_id: str | None = Field(default=None, foreign_key="site_visit.id")
    assessed_on: date
    author_id: str = Field(foreign_key="app_user.id")
    supersedes_id: str | None = Field(default=None, foreign_key="theme_assessment.id")


class SiteVisit(Record, table=True):
    """Locatiebezoek: answers to one immutable form version (`form_id`, `form_version`)."""

    __tablename__ = "site_visit"

    location_id: str = Field(foreign_key="location.id", index=True)
    form_id: str = Field(max_length=60)
    form_version: str = Field(max_length=20)
    status: str = Field(default="DRAFT", max_length=12)  # VisitStatus
    visit_date: date | None = Field(default=None, index=True)
    answers: dict = Field(default_factory=dict, sa_type=JSONText)
    author_id: str = Field(foreign_key="app_user.id")
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    completed_by_id: str | None = Field(default=None, foreign_key="app_user.id")
    revision_of_id: str | None = Field(default=None, foreign_key="site_visit.id")
    revision_reason: str = ""
    autosaved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FollowUpAction(Record, table=True):
    __tablename__ = "follow_up_action"

    location_id: str = Field(foreign_key="location.id", index=True)
    visit_id: str | None = Field(default=None, foreign_key="site_visit.id", index=True)
    description: str
    owner: str = Field(max_length=12)  # ActionOwner
    responsible_user_id: str | None = Field(default=None, foreign_key="app_user.id")
    due_date: date | None = Field(default=None, index=True)
    status: str = Field(default="OPEN", max_length=8)  # ActionStatus
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_by_id: str | None = Field(default=None, foreign_key="app_user.id")


class DiagnosisNote(Record, table=True):
    """Kwaliteitsdiagnose note on a provider or one of its locations (S4 §2.2)."""

    __tablename__ = "diagnosis_note"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    location_id: str | None = Field(default=None, foreign_key="location.id", index=True)
    kind: str = Field(max_length=20)  # NoteKind
    theme_codes: list = Field(default_factory=list, sa_type=JSONText)
    text: str
    source: str = Field(default="", max_length=200)
    noted_on: date
    author_id: str = Field(foreign_key="app_user.id")
    source_visit_id: str | None = Field(default=None, foreign_key="site_visit.id")
    source_ref: str = Field(default="", max_length=200)  # e.g. "visit:<id>#T3" (observation)
    top_priority: int | None = None  # 1..3: chosen as one of the top three verbeterpunten
    locked_by_request_id: str | None = Field(default=None, foreign_key="budget_request.id")
