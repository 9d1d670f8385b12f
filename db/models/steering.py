"""Steering on outcomes (issue 17): the themes a budget decision aims at, maatwerkafspraken as
records with their checks over time, and the intervention register with its escalation ladder.

Seed 004 (NZa, §2.3/§3): the zorgkantoor "maakt concrete, resultaatgerichte afspraken met
zorgaanbieders ... op basis van de eigen kwaliteitsdiagnose", "monitort of de afspraken ...
worden nagekomen" and "past ... de meest effectieve interventie(s) toe" when a provider does
not improve. All three tables are additive: nothing existing changes shape.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from db.models.base import Record
from db.types import JSONText


class DecisionTarget(Record, table=True):
    """The themes (and optionally locations) a budget decision targets. Kept beside
    `budget_request` rather than in it so the decision rules stay untouched."""

    __tablename__ = "decision_target"

    budget_request_id: str = Field(foreign_key="budget_request.id", index=True, unique=True)
    theme_codes: list = Field(default_factory=list, sa_type=JSONText)  # ["T3", "T6"]
    location_ids: list = Field(default_factory=list, sa_type=JSONText)  # empty: all locations
    author_id: str | None = Field(default=None, foreign_key="app_user.id")


class CustomAgreement(Record, table=True):
    """A maatwerkafspraak: theme(s), location(s), the result aimed at, by when, how it is
    checked, and its status (the history of checks is in `agreement_check`)."""

    __tablename__ = "custom_agreement"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    budget_request_id: str | None = Field(default=None, foreign_key="budget_request.id", index=True)
    theme_codes: list = Field(default_factory=list, sa_type=JSONText)
    location_ids: list = Field(default_factory=list, sa_type=JSONText)  # empty: all locations
    target_rating: str | None = Field(default=None, max_length=20)  # Rating aimed at (at least)
    target_change: str = ""  # concrete, observable change
    due_date: date = Field(index=True)
    check_method: str = Field(max_length=12)  # AgreementCheckMethod
    status: str = Field(default="OPEN", max_length=12, index=True)  # AgreementStatus
    author_id: str | None = Field(default=None, foreign_key="app_user.id")


class AgreementCheck(Record, table=True):
    """One check of an agreement (from a visit, an indicator or a conversation, or by hand)."""

    __tablename__ = "agreement_check"

    agreement_id: str = Field(foreign_key="custom_agreement.id", index=True)
    checked_on: date
    outcome: str = Field(max_length=12)  # AgreementStatus (MET / PARTLY / MISSED / OPEN ...)
    visit_id: str | None = Field(default=None, foreign_key="site_visit.id")
    note: str = ""
    author_id: str | None = Field(default=None, foreign_key="app_user.id")


class Intervention(Record, table=True):
    """One step on the escalation ladder for a provider. Escalating adds a new step that
    points back at the previous one; each step is dated and owned."""

    __tablename__ = "intervention"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    step: str = Field(max_length=16)  # InterventionStep
    started_on: date
    owner_id: str | None = Field(default=None, foreign_key="app_user.id")
    description: str = ""
    deadline: date | None = None  # termijn (verbeterplan)
    follow_up_on: date | None = None
    theme_codes: list = Field(default_factory=list, sa_type=JSONText)
    agreement_ids: list = Field(default_factory=list, sa_type=JSONText)
    location_ids: list = Field(default_factory=list, sa_type=JSONText)
    escalated_from_id: str | None = Field(default=None, foreign_key="intervention.id")
    igj_reported_on: date | None = None  # melding aan de IGJ
    igj_note: str = ""
    status: str = Field(default="OPEN", max_length=12, index=True)  # OPEN / ESCALATED / CLOSED
    closed_on: date | None = None
    outcome: str = ""
    follow_up_action_id: str | None = Field(default=None, foreign_key="follow_up_action.id")
