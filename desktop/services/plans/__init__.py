"""Kwaliteitsplannen with their verbeterparagraaf per locatie, and the plan assessment form.

Inkoopkader 2020 §4.2.2 (seed 001): the provider draws up a kwaliteitsplan "uiterlijk 31
december" with, per location, wat de zorgaanbieder gaat doen, wat het resultaat is, wat
hiervoor nodig is en op welke wijze interne monitoring plaatsvindt. §4.2.6: submission from
1 September until 31 December of the year before. The assessment is the declarative form
forms/plan_assessment/<version>.yaml (checks KP, MB, PS, OI, TS of DOMAIN.md §5).

A package since issue 19: model (value objects), queries, editing, assessment (the form and
what its field names mean: `requirement_checks_in`). Every name stays importable from here.
"""

from desktop.services.plans.assessment import (
    JUDGEMENTS,
    RequirementCheck,
    RequirementChecks,
    assessment_form,
    check_answers,
    requirement_checks,
    requirement_checks_in,
    save_assessment,
)
from desktop.services.plans.editing import actor, add_improvement_item, create_plan
from desktop.services.plans.model import (
    FORM_ID,
    MAX_IMPROVEMENT_POINTS,
    AssessmentInfo,
    ImprovementItem,
    LocationChoice,
    PlanInfo,
    PlanRow,
    submission_window,
)
from desktop.services.plans.queries import (
    get_plan,
    list_plan_rows,
    list_plans,
    plan_in,
    plan_info,
    plan_infos,
    plan_of_year,
    plan_years,
    provider_locations,
)

_actor = actor
_info = plan_info
_infos = plan_infos

__all__ = [
    "FORM_ID",
    "JUDGEMENTS",
    "MAX_IMPROVEMENT_POINTS",
    "AssessmentInfo",
    "ImprovementItem",
    "LocationChoice",
    "PlanInfo",
    "PlanRow",
    "RequirementCheck",
    "RequirementChecks",
    "actor",
    "add_improvement_item",
    "assessment_form",
    "check_answers",
    "create_plan",
    "get_plan",
    "list_plan_rows",
    "plan_years",
    "list_plans",
    "plan_in",
    "plan_info",
    "plan_infos",
    "plan_of_year",
    "provider_locations",
    "requirement_checks",
    "requirement_checks_in",
    "save_assessment",
    "submission_window",
]
