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
