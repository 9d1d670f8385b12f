"""Kwaliteitsplannen, budget requests, afwijkingsverzoeken and budget ceilings (S1 §4.2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import Field

from db.models.base import Record
from db.types import JSONText, Money


class QualityPlan(Record, table=True):
    __tablename__ = "quality_plan"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    year: int = Field(index=True)
    received_date: date | None = None
    title: str = Field(default="", max_length=200)
    consent_nursing_council: bool = False  # (V)VAR instemming (S2 §8)
    author_id: str | None = Field(default=None, foreign_key="app_user.id")


class LocationImprovementItem(Record, table=True):
    """One item of a location's verbeterparagraaf (S1 §4.2.2: wat / resultaat / nodig / monitoring)."""

    __tablename__ = "location_improvement_item"

    quality_plan_id: str = Field(foreign_key="quality_plan.id", index=True)
    location_id: str = Field(foreign_key="location.id", index=True)
    theme_code: str | None = Field(default=None, max_length=8)
    what: str
    intended_result: str = ""
    needed: str = ""
    monitoring: str = ""


class PlanAssessment(Record, table=True):
    """Assessment of a quality plan on the declarative checks form (DOMAIN.md §5)."""

    __tablename__ = "plan_assessment"

    quality_plan_id: str = Field(foreign_key="quality_plan.id", index=True)
    form_id: str = Field(max_length=60)
    form_version: str = Field(max_length=20)
    answers: dict = Field(default_factory=dict, sa_type=JSONText)
    status: str = Field(default="DRAFT", max_length=12)
    author_id: str = Field(foreign_key="app_user.id")


class BudgetRequest(Record, table=True):
    """Aanvraag kwaliteitsbudget for one provider and year. `requested_other_amount` above
    15% of the total makes it an afwijkingsverzoek (S1 §4.2.7)."""

    __tablename__ = "budget_request"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    care_office_id: str = Field(foreign_key="care_office.id", index=True)
    region_id: str = Field(foreign_key="region.id", index=True)
    quality_plan_id: str | None = Field(default=None, foreign_key="quality_plan.id")
    budget_year: int = Field(index=True)
    external_reference: str = Field(default="", max_length=50)  # the provider's "uw kenmerk"
    received_date: date
    letter_date: date | None = None  # the provider's "uw brief van"
    initial_reserved_amount: Decimal = Field(sa_type=Money)
    requested_total: Decimal = Field(sa_type=Money)
    requested_staff_amount: Decimal = Field(sa_type=Money)
    requested_other_amount: Decimal = Field(sa_type=Money)
    justification: str = ""
    has_special_circumstances: bool = False
    state: str = Field(default="RECEIVED", max_length=30, index=True)  # RequestState
    decision: str | None = Field(default=None, max_length=30)  # Decision
    approved_total: Decimal | None = Field(default=None, sa_type=Money)
    approved_staff_amount: Decimal | None = Field(default=None, sa_type=Money)
    approved_other_amount: Decimal | None = Field(default=None, sa_type=Money)
    decision_rationale: str = ""
    custom_agreements: str = ""  # maatwerkafspraken
    improvement_points: list = Field(default_factory=list, sa_type=JSONText)  # max 3
    author_id: str = Field(foreign_key="app_user.id")
    decided_on: date | None = None
    letter_sent_on: date | None = None
    addendum_signed_on: date | None = None
    mediation: dict = Field(default_factory=dict, sa_type=JSONText)
    # Issue 15: why an approval accepts a point that does "Voldoet niet":
    # {point code: {"basis": "MAATWERK" | "CONDITION", "text": "..."}} (desktop.services.decisions)
    accepted_points: dict = Field(default_factory=dict, sa_type=JSONText)


class DeviationRequest(Record, table=True):
    """The afwijkingsverzoek part of a budget request (DOMAIN.md §6.2)."""

    __tablename__ = "deviation_request"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True, unique=True)
    client_group_profile: str = ""
    support_evidence: dict = Field(default_factory=dict, sa_type=JSONText)
    innovation_description: str = ""
    scaling_vision: str = ""
    shares_learning_in_region: bool = False
    business_case_reference: str = ""


class CriterionJudgement(Record, table=True):
    """Judgement + reasoning for one of the ten criteria C1..C10 (S1 §4.2.7)."""

    __tablename__ = "criterion_judgement"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True)
    criterion: str = Field(max_length=40)  # "C1_FRAMEWORK_GOALS"
    judgement: str = Field(max_length=20)  # Judgement
    reasoning: str
    author_id: str = Field(foreign_key="app_user.id")


class Clarification(Record, table=True):
    """A clarification round (overleg): pauses nothing, but is recorded (S1 §4.2.7)."""

    __tablename__ = "clarification"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True)
    question: str
    asked_on: date
    answer: str = ""
    answered_on: date | None = None


class BudgetCeiling(Record, table=True):
    """Kwaliteitsbudget ceiling per care office (and optionally region) per year (S1 §4.2.10)."""

    __tablename__ = "budget_ceiling"

    care_office_id: str = Field(foreign_key="care_office.id", index=True)
    region_id: str | None = Field(default=None, foreign_key="region.id")
    year: int
    amount: Decimal = Field(sa_type=Money)
