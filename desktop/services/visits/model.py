"""What the visit services hand out (VisitInfo, Observation), the form a visit is filled in
with and the constants of the locatiebezoek form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from db.models.enums import VisitStatus

if TYPE_CHECKING:  # forms loads lazily, on the first form a visit needs
    from forms.model import FormDefinition

DEFAULT_FORM_ID = "locatiebezoek"

THEME_CODES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")

# Visit signal -> kind of diagnosis note
SIGNAL_NOTE_KIND = {
    "POSITIEF": "STRENGTH",
    "AANDACHTSPUNT": "IMPROVEMENT_POINT",
    "ZORG": "VULNERABILITY",
}


@dataclass(frozen=True)
class VisitInfo:
    id: str
    location_id: str
    location_name: str
    provider_id: str
    provider_name: str
    form_id: str
    form_version: str
    status: str
    visit_date: date | None
    author_id: str
    author_name: str
    completed_at: datetime | None
    completed_by_name: str
    revision_of_id: str | None
    revision_reason: str
    autosaved_at: datetime | None
    updated_at: datetime
    answers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    revised_by_id: str | None = None  # newer revision of this visit, if any

    @property
    def is_draft(self) -> bool:
        return self.status == VisitStatus.DRAFT

    @property
    def is_completed(self) -> bool:
        return self.status == VisitStatus.COMPLETED

    @property
    def status_label(self) -> str:
        if self.revised_by_id and self.is_completed:
            return "Gecorrigeerd"
        return (
            VisitStatus(self.status).label
            if self.status in VisitStatus.__members__
            else self.status
        )

    @property
    def visit_type(self) -> str:
        return str(self.answers.get("visit_type") or "")


@dataclass(frozen=True)
class Observation:
    """One filled-in theme observation of a visit, with the diagnosis note made from it."""

    theme_code: str  # "T3"
    theme_label: str
    text: str
    signal: str | None
    rating: str | None
    sources: tuple[str, ...]
    source_ref: str  # "visit:<id>#T3"
    note_id: str | None


def _form(form_id: str, version: str | None = None) -> FormDefinition:
    from forms import load_form

    return load_form(form_id, version)


def _date_of(answers: Mapping[str, Any]) -> date | None:
    raw = answers.get("visit_date") if isinstance(answers, Mapping) else None
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None
