"""Quality plans, verbeterparagraaf items and the plan assessment form."""

from __future__ import annotations

import pytest
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

import forms
from db.errors import RuleViolation, ValidationError, ValidationErrors
from desktop.services import plans


def _complete_answers() -> dict:
    form = plans.assessment_form()
    answers: dict = {}
    for fd in form.walk():
        if fd.name.endswith("_judgement"):
            answers[fd.name] = "MEETS"
        elif fd.name.endswith("_reasoning"):
            answers[fd.name] = "Staat in het plan, paragraaf 3."
    answers["kp_08_judgement"] = "NOT_APPLICABLE"
    answers.pop("kp_08_reasoning")
    answers["improvement_points"] = [{"improvement_point": "SMART-doelen per locatie"}]
    answers["overall_conclusion"] = "Het plan voldoet op hoofdlijnen."
    return answers


def test_form_lints_clean_and_has_all_checks():
    issues = [
        i for i in forms.lint() if i.file.startswith("plan_assessment") and i.severity == "error"
    ]
    assert issues == []
    names = {fd.name for fd in plans.assessment_form().walk()}
    for check in ("kp_01", "kp_09", "mb_07", "ps_06", "oi_06", "ts_01"):
        assert f"{check}_judgement" in names and f"{check}_reasoning" in names
    assert plans.assessment_form().choice_label("judgement", "PARTLY") == "Voldoet deels"


def test_plan_with_location_items(db, users, world):
    p = plans.create_plan(
        db,
        by=users["advisor"].id,
        provider_id=world.provider_id,
        year=2027,
        received_date="15-12-2026",
        consent_nursing_council=True,
    )
    assert p.on_time is True and p.title == "Kwaliteitsplan 2027"
    p = plans.add_improvement_item(
        db,
        p.id,
        users["advisor"].id,
        location_id=world.location_id,
        what="Inzet van een extra verpleegkundige in de nacht",
        intended_result="Minder valincidenten",
        needed="1,2 fte",
        monitoring="Maandelijkse incidentenrapportage",
        theme_code="T3",
    )
    assert p.items[0].location_name == "Huize De Linde" and p.items[0].theme_code == "T3"
    with pytest.raises(ValidationError) as exc:
        plans.add_improvement_item(
            db, p.id, users["advisor"].id, location_id=world.location_id, what=" "
        )
    assert exc.value.field == "what"
    with pytest.raises(RuleViolation, match="al een kwaliteitsplan 2027"):
        plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    late = plans.create_plan(
        db,
        by=users["advisor"].id,
        provider_id=world.provider_id,
        year=2026,
        received_date="2026-01-15",
    )
    assert late.on_time is False


def test_assessment_draft_then_complete(db, users, world):
    p = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    draft = plans.save_assessment(db, p.id, users["advisor"].id, {"kp_01_judgement": "PARTLY"})
    assert draft.status == "DRAFT" and draft.form_version == "2026112301"
    with pytest.raises(ValidationErrors) as exc:
        plans.save_assessment(
            db,
            p.id,
            users["advisor"].id,
            {"kp_01_judgement": "PARTLY"},
            complete=True,
            assessment_id=draft.id,
        )
    msgs = exc.value.by_field
    assert msgs["kp_01_reasoning"] == "Geef een onderbouwing bij KP-01."
    assert msgs["mb_01_judgement"] == "Kies een oordeel bij MB-01."
    assert plans.get_plan(db, p.id).assessments[0].status == "DRAFT"  # nothing half-saved
    done = plans.save_assessment(
        db, p.id, users["advisor"].id, _complete_answers(), complete=True, assessment_id=draft.id
    )
    assert done.status == "COMPLETED" and done.answers["improvement_count"] == 1
    with pytest.raises(RuleViolation, match="afgeronde"):
        plans.save_assessment(db, p.id, users["advisor"].id, {}, assessment_id=draft.id)


def test_at_most_three_improvement_points(db, users, world):
    p = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    answers = _complete_answers()
    answers["improvement_points"] = [{"improvement_point": f"Punt {i}"} for i in range(4)]
    msgs = plans.check_answers(answers)
    assert "Hoogstens drie verbeterpunten." in msgs.values()
    with pytest.raises(ValidationErrors):
        plans.save_assessment(db, p.id, users["advisor"].id, answers, complete=True)
    with pytest.raises(ValidationError):
        plans.save_assessment(db, p.id, users["advisor"].id, answers)


def test_request_links_the_plan_of_its_year(db, users, world):
    from test_requests_helpers import deviation_request

    p = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    r = deviation_request(db, users, world)
    assert r.quality_plan_id == p.id


def test_the_plan_list_rows_say_what_the_full_plans_say(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 18: the list reads one query; its lines agree with the plans read in full."""
    from desktop.services.demo import generate_demo
    from desktop.services.plans import list_plan_rows, list_plans

    generate_demo(db, "small", seed=3)
    full = list_plans(db)
    rows = list_plan_rows(db)
    assert full and any(p.assessments for p in full) and any(p.items for p in full)
    assert sorted(
        (r.id, r.provider_name, r.year, r.received_date, r.on_time, r.item_count, r.last_status)
        for r in rows
    ) == sorted(
        (
            p.id,
            p.provider_name,
            p.year,
            p.received_date,
            p.on_time,
            len(p.items),
            p.assessments[-1].status if p.assessments else "",
        )
        for p in full
    )
