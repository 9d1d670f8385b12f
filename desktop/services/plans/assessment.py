"""The plan assessment form (forms/plan_assessment/<version>.yaml, checks KP, MB, PS, OI, TS of
DOMAIN.md §5): live checks, saving a draft or a completed assessment, and what its field names
mean to others (issue 19: plans own their form's field names; letters ask, never parse)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

import forms
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import PlanAssessment, QualityPlan
from db.repo import UnitOfWork
from desktop.services.decisions import REQUIREMENT_GROUPS, flatten
from desktop.services.guards import live
from desktop.services.plans.editing import actor
from desktop.services.plans.model import FORM_ID, MAX_IMPROVEMENT_POINTS, AssessmentInfo
from desktop.services.plans.queries import plan_in


def assessment_form(version: str | None = None) -> forms.FormDefinition:
    return forms.load_form(FORM_ID, version)


def check_answers(answers: dict[str, Any], version: str | None = None) -> dict[str, str]:
    """{path: Dutch message} for the answers as they stand (live feedback)."""
    form = assessment_form(version)
    msgs = dict(forms.evaluate(form, answers).messages())
    points = answers.get("improvement_points") or []
    if len(points) > MAX_IMPROVEMENT_POINTS:
        msgs.setdefault("improvement_points", "Hoogstens drie verbeterpunten.")
    return msgs


def save_assessment(
    db: Database,
    plan_id: str,
    by: str,
    answers: dict[str, Any],
    *,
    complete: bool = False,
    assessment_id: str | None = None,
) -> AssessmentInfo:
    """Save a draft (any answers) or complete it (all checks judged and reasoned, at most three
    verbeterpunten). A completed assessment is not changed any more."""
    form = assessment_form()
    if complete:
        msgs = check_answers(answers, form.version)
        if msgs:
            raise ValidationErrors([ValidationError(path, msg) for path, msg in msgs.items()])
        stored = forms.finalize(form, answers)
    else:
        points = answers.get("improvement_points") or []
        if len(points) > MAX_IMPROVEMENT_POINTS:
            raise ValidationError("improvement_points", "Hoogstens drie verbeterpunten.")
        stored = answers
    with UnitOfWork(db, by) as uow:
        s = uow.session
        user = actor(s, by)
        plan = live(s, QualityPlan, plan_id, "Dit kwaliteitsplan bestaat niet (meer).")
        status = "COMPLETED" if complete else "DRAFT"
        if assessment_id is None:
            row = uow.add(
                PlanAssessment(
                    quality_plan_id=plan.id,
                    form_id=FORM_ID,
                    form_version=form.version,
                    answers=stored,
                    status=status,
                    author_id=by,
                )
            )
        else:
            found = s.get(PlanAssessment, assessment_id)
            if found is None or found.quality_plan_id != plan.id:
                raise NotFound("Deze beoordeling bestaat niet.")
            row = found
            if row.status == "COMPLETED":
                raise RuleViolation("Een afgeronde beoordeling kan niet meer worden gewijzigd.")
            uow.update(row, answers=stored, status=status)
        if complete:
            uow.audit("completed", row)
        return AssessmentInfo(
            row.id,
            row.form_id,
            row.form_version,
            row.status,
            dict(row.answers),
            row.author_id,
            user.name,
        )


# -- what the form's field names mean to the letters ---------------------------------------------

# The requirements of §4.2.2-4.2.5 and the field-name prefix of their checks in the form
# (`kp_03_judgement`, `kp_03_reasoning`): decisions.REQUIREMENT_GROUPS (prefix, §, code).
JUDGEMENTS = ("DOES_NOT_MEET", "PARTLY", "MEETS", "NOT_APPLICABLE")  # worst first


@dataclass(frozen=True)
class RequirementCheck:
    """One judged check of a requirement: "KP-03", "PARTLY", the assessor's reasoning."""

    code: str
    judgement: str  # one of JUDGEMENTS
    reasoning: str


@dataclass(frozen=True)
class RequirementChecks:
    """The judged checks of one requirement (§4.2.2-4.2.5) in a plan assessment."""

    code: str  # "REQ_4_2_2"
    number: str  # "4.2.2"
    checks: tuple[RequirementCheck, ...]


def requirement_checks(answers: Mapping[str, Any]) -> tuple[RequirementChecks, ...]:
    """The judged checks per requirement in the assessment's answers (groups flattened), in
    field-name order; requirements without a judged check are left out."""
    flat = flatten(answers)
    out = []
    for prefix, number, code in REQUIREMENT_GROUPS:
        names = sorted(k for k in flat if re.fullmatch(rf"{prefix}_\d+_judgement", k))
        checks = tuple(
            RequirementCheck(
                f"{prefix.upper()}-{name.split('_')[1]}",
                flat[name],
                str(flat.get(name.replace("_judgement", "_reasoning")) or ""),
            )
            for name in names
            if flat[name] in JUDGEMENTS
        )
        if checks:
            out.append(RequirementChecks(code, number, checks))
    return tuple(out)


def requirement_checks_in(s: Session, plan_id: str | None) -> tuple[RequirementChecks, ...]:
    """`requirement_checks` of the plan's latest completed assessment, in the caller's session;
    () without a plan, a completed assessment or a judged check."""
    if not plan_id:
        return ()
    try:
        plan = plan_in(s, plan_id)
    except NotFound:
        return ()
    done = [a for a in plan.assessments if a.status == "COMPLETED"]
    return requirement_checks(done[-1].answers) if done else ()
