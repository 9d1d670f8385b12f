"""All tables, each module loaded on first use (issue 18: the database usable within 0.8 s
of the start; creating the 44 table classes of every module took ~0.12 s of it, while opening
the database needs only a few). `from db.models import Provider` imports the module that
defines Provider, as before; `load_all()` registers every table, index and trigger on
SQLModel.metadata (creating a database, the migrations and their checks), and `ENTITIES`
(entity name -> table class, for the op-log) loads them all on first use."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.models.base import Record, new_id
    from db.models.budget import (
        BudgetCeiling,
        BudgetRequest,
        Clarification,
        CriterionJudgement,
        DeviationRequest,
        LocationImprovementItem,
        PlanAssessment,
        QualityPlan,
    )
    from db.models.budget_year import (
        AdvanceAdjustment,
        FinalSettlement,
        RealisationReport,
        ReallocationProposal,
        ReallocationRound,
    )
    from db.models.directory import (
        AppUser,
        CareOffice,
        Location,
        Provider,
        Region,
        RegionAssignment,
        Theme,
    )
    from db.models.documents import Document, DocumentBlob
    from db.models.local import LocalSetting
    from db.models.quality import DiagnosisNote, FollowUpAction, SiteVisit, ThemeAssessment
    from db.models.review_latest import LATEST_TABLE  # noqa: F401
    from db.models.steering import AgreementCheck, CustomAgreement, DecisionTarget, Intervention
    from db.models.toetspunten import CustomCriterion
    from db.models.workflow import AuditEvent, Letter, ReviewEvent

__all__ = [
    "AdvanceAdjustment",
    "FinalSettlement",
    "RealisationReport",
    "ReallocationProposal",
    "ReallocationRound",
    "AppUser",
    "AuditEvent",
    "BudgetCeiling",
    "BudgetRequest",
    "CareOffice",
    "Clarification",
    "CriterionJudgement",
    "DeviationRequest",
    "DiagnosisNote",
    "FollowUpAction",
    "Letter",
    "LocalSetting",
    "Location",
    "LocationImprovementItem",
    "PlanAssessment",
    "Provider",
    "QualityPlan",
    "Record",
    "Region",
    "RegionAssignment",
    "ReviewEvent",
    "SiteVisit",
    "Theme",
    "ThemeAssessment",
    "new_id",
    "CustomCriterion",
    "AgreementCheck",
    "CustomAgreement",
    "DecisionTarget",
    "Intervention",
]
__all__ += ["Document", "DocumentBlob"]  # issue 20 (Stukken)

# Where each name lives.
_HOME: dict[str, str] = {
    "Record": "base",
    "new_id": "base",
    "BudgetCeiling": "budget",
    "BudgetRequest": "budget",
    "Clarification": "budget",
    "CriterionJudgement": "budget",
    "DeviationRequest": "budget",
    "LocationImprovementItem": "budget",
    "PlanAssessment": "budget",
    "QualityPlan": "budget",
    "AdvanceAdjustment": "budget_year",
    "FinalSettlement": "budget_year",
    "RealisationReport": "budget_year",
    "ReallocationProposal": "budget_year",
    "ReallocationRound": "budget_year",
    "AppUser": "directory",
    "CareOffice": "directory",
    "Location": "directory",
    "Provider": "directory",
    "Region": "directory",
    "RegionAssignment": "directory",
    "Theme": "directory",
    "Document": "documents",
    "DocumentBlob": "documents",
    "LocalSetting": "local",
    "DiagnosisNote": "quality",
    "FollowUpAction": "quality",
    "SiteVisit": "quality",
    "ThemeAssessment": "quality",
    "LATEST_TABLE": "review_latest",
    "AgreementCheck": "steering",
    "CustomAgreement": "steering",
    "DecisionTarget": "steering",
    "Intervention": "steering",
    "CustomCriterion": "toetspunten",
    "AuditEvent": "workflow",
    "Letter": "workflow",
    "ReviewEvent": "workflow",
}

# Entity name (as used in the op-log and audit trail) -> table class, in this order (parents
# before children); built by load_all.
_ENTITY_CLASSES = (
    "CareOffice",
    "Region",
    "RegionAssignment",
    "Provider",
    "Location",
    "AppUser",
    "Theme",
    "ThemeAssessment",
    "SiteVisit",
    "FollowUpAction",
    "DiagnosisNote",
    "QualityPlan",
    "LocationImprovementItem",
    "PlanAssessment",
    "BudgetRequest",
    "DeviationRequest",
    "CriterionJudgement",
    "Clarification",
    "BudgetCeiling",
    "ReviewEvent",
    "Letter",
    "AuditEvent",
    "CustomCriterion",
    "DecisionTarget",
    "CustomAgreement",
    "AgreementCheck",
    "Intervention",
    "Document",
    "AdvanceAdjustment",
    "RealisationReport",
    "ReallocationRound",
    "ReallocationProposal",
    "FinalSettlement",
)


def load_all() -> None:
    """Import every table module (review_latest registers its DDL, quality and documents their
    FTS tables), register the extra indexes and build ENTITIES; once."""
    if "ENTITIES" in globals():
        return
    for module in dict.fromkeys(_HOME.values()):
        importlib.import_module(f"db.models.{module}")
    _fk_child_indexes()
    _list_indexes()
    globals()["ENTITIES"] = {
        cls.__tablename__: cls for cls in (__getattr__(name) for name in _ENTITY_CLASSES)
    }


def __getattr__(name: str) -> Any:
    """PEP 562: a table class (or helper) is imported from its module when first asked for."""
    if name == "ENTITIES":
        load_all()
        return globals()["ENTITIES"]
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'db.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"db.models.{module}"), name)
    globals()[name] = value
    return value


# Child columns of foreign keys get an index (issue 18): inserting (or deleting) a parent row
# while deferred foreign-key checks are pending makes SQLite look for its children, a full scan
# of the child table without an index. A new laptop's join inserted 1,500 visits at 12 ms each,
# every one scanning 86,000 assessments. Partial: most of these columns are NULL.
# Revision 0009 adds them to existing databases (same names, same definitions).
FK_CHILD_INDEXES: tuple[tuple[str, str], ...] = (
    ("theme_assessment", "linked_visit_id"),
    ("diagnosis_note", "source_visit_id"),
    ("diagnosis_note", "locked_by_request_id"),
    ("agreement_check", "visit_id"),
    ("site_visit", "revision_of_id"),
    ("budget_request", "quality_plan_id"),
    ("reallocation_proposal", "provider_id"),
    ("intervention", "follow_up_action_id"),
    ("intervention", "escalated_from_id"),
)


def _fk_child_indexes() -> None:
    from sqlalchemy import Index
    from sqlmodel import SQLModel

    for table_name, column in FK_CHILD_INDEXES:
        col = SQLModel.metadata.tables[table_name].c[column]
        Index(f"ix_{table_name}_{column}_fk", col, sqlite_where=col.isnot(None))


# Covering partial indexes for the lists (issue 18 item 4, revision 0010 adds them to existing
# databases with the same names and definitions). Each list reads the latest live row per parent
# from the index alone: a plan assessment row carries its form answers (~3.6 kB), a visit its
# answers (~2.4 kB), and reading those rows only to rank them cost more than the list's budget.
LIST_INDEXES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    # Kwaliteitsplannen: each plan's latest assessment status
    (
        "ix_plan_assessment_live_latest",
        "plan_assessment",
        ("quality_plan_id", "created_at", "status"),
        "deleted_at IS NULL",
    ),
    # Kwaliteitsplannen: each plan's count of improvement items
    (
        "ix_location_improvement_item_live",
        "location_improvement_item",
        ("quality_plan_id",),
        "deleted_at IS NULL",
    ),
    # region heatmap: each location's latest completed visit
    (
        "ix_site_visit_completed_latest",
        "site_visit",
        ("location_id", "visit_date", "completed_at"),
        "status = 'COMPLETED' AND deleted_at IS NULL",
    ),
    # the budget ceiling sums (budget.check_ceiling), which every derived vier-ogen approval of a
    # request checks again: the Brieven list at 3x read ~1,200 whole requests per sum (1.7 s)
    (
        "ix_budget_request_ceiling_sums",
        "budget_request",
        (
            "care_office_id",
            "budget_year",
            "state",
            "region_id",
            "decision",
            "approved_total",
            "requested_total",
            "id",
        ),
        "deleted_at IS NULL",
    ),
)


def _list_indexes() -> None:
    from sqlalchemy import Index, text
    from sqlmodel import SQLModel

    for name, table_name, columns, where in LIST_INDEXES:
        table = SQLModel.metadata.tables[table_name]
        Index(name, *(table.c[c] for c in columns), sqlite_where=text(where))
