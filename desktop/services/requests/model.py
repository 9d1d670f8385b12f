"""What the budget-request services hand out (frozen data, no ORM objects) and the reference
texts they rest on: the ten criteria of S1 §4.2.7 (criteria.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from db.models.enums import Decision, RequestState
from desktop.services import decisions
from desktop.services.review import HistoryEntry, ReviewStatus

SUBJECT = "budget_request"

# -- reference: the ten criteria ---------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    number: int
    short_nl: str
    text_nl: str


@cache
def criteria() -> tuple[Criterion, ...]:
    """C1..C10 with the Dutch texts of S1 §4.2.7 (resources/reference/criteria.yaml)."""
    raw = (
        resources.files("resources.reference").joinpath("criteria.yaml").read_text(encoding="utf-8")
    )
    data = yaml.safe_load(raw)
    return tuple(
        Criterion(c["code"], int(c["number"]), c["short_nl"], c["text_nl"])
        for c in data["criteria"]
    )


def _criterion_map() -> dict[str, Criterion]:
    return {c.code: c for c in criteria()}


SUPPORT_PARTIES = {
    "clients": "Cliënten (cliëntenraad)",
    "staff": "Medewerkers (OR, (V)VAR)",
    "board": "Bestuur",
    "supervisory_board": "Raad van Toezicht",
}
_DEV_FIELDS = (
    "client_group_profile",
    "support_evidence",
    "innovation_description",
    "scaling_vision",
    "shares_learning_in_region",
    "business_case_reference",
)
# What a user may edit on a registered request (update_request). Each is part of the version
# the vier-ogen approval signs (subject._RQ_FIELDS), so any edit voids that approval.
EDITABLE_FIELDS = frozenset(
    {
        "external_reference",
        "letter_date",
        "received_date",
        "initial_reserved_amount",
        "requested_total",
        "requested_staff_amount",
        "requested_other_amount",
        "justification",
        "has_special_circumstances",
        "custom_agreements",
        "improvement_points",
        "quality_plan_id",
    }
)
_STATE_LABELS = {s.value: s.label for s in RequestState}
_DECISION_LABELS = {d.value: d.label for d in Decision}


# -- data returned to UI / CLI / letters -------------------------------------------------------


@dataclass(frozen=True)
class CriterionInfo:
    code: str
    number: int
    short_nl: str
    text_nl: str
    judgement: str | None  # Judgement code or None (not judged yet)
    judgement_label: str
    reasoning: str


@dataclass(frozen=True)
class ClarificationInfo:
    id: str
    question: str
    asked_on: date
    answer: str
    answered_on: date | None


@dataclass(frozen=True)
class RequestDetail:
    id: str
    provider_id: str
    provider_name: str
    provider_street: str
    provider_house_number: str
    provider_postcode: str
    provider_place: str
    attention_of: str  # addressee line "t.a.v. ..."
    salutation: str  # "Geachte mevrouw De Vries,"
    care_office_id: str
    care_office_name: str
    region_id: str
    region_name: str
    quality_plan_id: str | None
    budget_year: int
    external_reference: str  # "Uw kenmerk"
    letter_date: date | None  # "Uw brief van"
    received_date: date
    initial_reserved_amount: Decimal
    requested_total: Decimal
    requested_staff_amount: Decimal
    requested_other_amount: Decimal
    requested_split: str  # "80%/20%"
    requested_staff_pct: Decimal
    requested_other_pct: Decimal
    is_deviation: bool  # other share above 15%: afwijkingsverzoek
    split_kind: str  # STANDARD / DEVIATION / MORE_STAFF
    justification: str
    has_special_circumstances: bool
    deadline: date
    deadline_status: str  # ON_TRACK / AT_RISK / OVERDUE / DONE
    deadline_label: str
    state: str
    state_label: str
    decision: str | None
    decision_label: str
    approved_total: Decimal | None
    approved_staff_amount: Decimal | None
    approved_other_amount: Decimal | None
    approved_split: str
    decision_rationale: str
    custom_agreements: str
    improvement_points: tuple[str, ...]
    criteria: tuple[CriterionInfo, ...]  # C1..C10, then the own toetspunten (numbers 11, ...)
    clarifications: tuple[ClarificationInfo, ...]
    deviation: dict[str, Any]  # client_group_profile, support_evidence, ...
    mediation: dict[str, Any]
    author_id: str
    author_name: str
    author_function: str
    decided_on: date | None
    letter_sent_on: date | None
    addendum_signed_on: date | None
    # Issue 15: the decision checked against the assessment (desktop.services.decisions).
    check: decisions.DecisionCheck | None = None
    accepted_points: dict[str, Any] | None = None  # {code: {"basis", "text"}} as stored


class RequestRow(NamedTuple):
    """One line of the request list. Amounts are kept as integer cents (cheap for 5,000 rows)
    and read as Decimal euros through the properties. A NamedTuple, not a frozen dataclass:
    12,813 rows at national scale cost ~36 ms in the frozen dataclass's __init__ (issue 18)."""

    id: str
    provider_name: str
    budget_year: int
    received_date: date
    state: str
    state_label: str
    deadline: date
    deadline_status: str
    deadline_label: str
    requested_total_cents: int
    requested_staff_cents: int
    requested_other_cents: int
    split_label: str
    is_deviation: bool
    decision: str | None
    approved_total_cents: int | None

    @property
    def requested_total(self) -> Decimal:
        return _cents(self.requested_total_cents)

    @property
    def requested_staff_amount(self) -> Decimal:
        return _cents(self.requested_staff_cents)

    @property
    def requested_other_amount(self) -> Decimal:
        return _cents(self.requested_other_cents)

    @property
    def approved_total(self) -> Decimal | None:
        return None if self.approved_total_cents is None else _cents(self.approved_total_cents)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "provider": self.provider_name,
            "year": self.budget_year,
            "received": self.received_date.isoformat(),
            "state": self.state,
            "state_label": self.state_label,
            "deadline": self.deadline.isoformat(),
            "deadline_status": self.deadline_status,
            "deadline_label": self.deadline_label,
            "requested_total": str(self.requested_total),
            "requested_staff": str(self.requested_staff_amount),
            "requested_other": str(self.requested_other_amount),
            "split": self.split_label,
            "deviation": self.is_deviation,
            "decision": self.decision,
            "approved_total": None if self.approved_total is None else str(self.approved_total),
        }


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


@dataclass(frozen=True)
class ProviderChoice:
    id: str
    name: str


@dataclass(frozen=True)
class RequestBundle:
    """What the request editor and the review queue show about one request."""

    detail: RequestDetail
    review: ReviewStatus
    ceiling: Any  # desktop.services.ceiling.CeilingSummary (care office level)
    region_ceiling: Any  # the same for the request's region
    history: tuple[HistoryEntry, ...]
    editors: tuple[str, ...]  # user ids who wrote or edited this version (may not approve)
