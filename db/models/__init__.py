"""All tables. Importing this package registers every table on SQLModel.metadata."""

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
from db.models.steering import AgreementCheck, CustomAgreement, DecisionTarget, Intervention
from db.models.toetspunten import CustomCriterion
from db.models.workflow import AuditEvent, Letter, ReviewEvent

__all__ = [
    "AdvanceAdjustment", "FinalSettlement", "RealisationReport", "ReallocationProposal",
    "ReallocationRound",
    "AppUser", "AuditEvent", "BudgetCeiling", "BudgetRequest", "CareOffice", "Clarification",
    "CriterionJudgement", "DeviationRequest", "DiagnosisNote", "FollowUpAction", "Letter",
    "LocalSetting", "Location", "LocationImprovementItem", "PlanAssessment", "Provider",
    "QualityPlan", "Record", "Region", "RegionAssignment", "ReviewEvent", "SiteVisit", "Theme",
    "ThemeAssessment", "new_id",
    "CustomCriterion",
    "AgreementCheck", "CustomAgreement", "DecisionTarget", "Intervention",
]
__all__ += ["Document", "DocumentBlob"]  # issue 20 (Stukken)

# Entity name (as used in the op-log and audit trail) -> table class.
ENTITIES = {
    cls.__tablename__: cls
    for cls in (
        CareOffice, Region, RegionAssignment, Provider, Location, AppUser, Theme,
        ThemeAssessment, SiteVisit, FollowUpAction, DiagnosisNote, QualityPlan,
        LocationImprovementItem, PlanAssessment, BudgetRequest, DeviationRequest,
        CriterionJudgement, Clarification, BudgetCeiling, ReviewEvent, Letter, AuditEvent,
        CustomCriterion,
        DecisionTarget, CustomAgreement, AgreementCheck, Intervention,
        Document,
        AdvanceAdjustment, RealisationReport, ReallocationRound, ReallocationProposal,
        FinalSettlement,
    )
}

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


_fk_child_indexes()
