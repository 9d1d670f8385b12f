"""The value objects of kwaliteitsplannen: the plan, its verbeterparagraaf items, its
assessments and the list row; the submission window of §4.2.6."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

FORM_ID = "plan_assessment"
MAX_IMPROVEMENT_POINTS = 3  # CZ practice, S4 §2.3: "van toetsing plan naar drie verbeterpunten"


@dataclass(frozen=True)
class ImprovementItem:
    id: str
    location_id: str
    location_name: str
    theme_code: str | None
    what: str
    intended_result: str
    needed: str
    monitoring: str


@dataclass(frozen=True)
class AssessmentInfo:
    id: str
    form_id: str
    form_version: str
    status: str  # DRAFT / COMPLETED
    answers: dict[str, Any]
    author_id: str
    author_name: str


@dataclass(frozen=True)
class PlanInfo:
    id: str
    provider_id: str
    provider_name: str
    year: int
    received_date: date | None
    title: str
    consent_nursing_council: bool
    on_time: bool | None  # §4.2.6 window 1 Sep .. 31 Dec of year-1; None without a date
    items: tuple[ImprovementItem, ...]
    assessments: tuple[AssessmentInfo, ...]


def submission_window(year: int) -> tuple[date, date]:
    """S1 §4.2.6 / §4.2.14: "Vanaf 1 september - tot 31 december" of the year before."""
    return date(year - 1, 9, 1), date(year - 1, 12, 31)


class PlanRow(NamedTuple):
    """One line of the Kwaliteitsplannen list (the detail is read with get_plan). A NamedTuple:
    ten times cheaper to build than a frozen dataclass (issue 18)."""

    id: str
    provider_id: str
    provider_name: str
    year: int
    received_date: date | None
    on_time: bool | None
    item_count: int
    last_status: str  # status of the latest assessment, "" without one


@dataclass(frozen=True)
class LocationChoice:
    id: str
    name: str
