"""Issue 15: a decision follows the assessment (desktop.services.decisions via requests)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    approved_amounts,
    complete_plan_assessment,
    db,
    db_path,
    deviation_request,
    record_accepted,
    record_adjusted,
    users,
    world,
)

from db.errors import RuleViolation, ValidationErrors
from desktop.services import plans
from desktop.services import requests as rq

RATIONALE = "In overleg beoordeeld."


def _decide(db, users, r, decision: str, **amounts):  # type: ignore[no-untyped-def]
    """The zorginkoper records `decision` on request `r`, with RATIONALE."""
    return rq.record_decision(
        db, r.id, users["purchaser"].id, decision=decision, rationale=RATIONALE, **amounts
    )


def _failing_c4(db, users, world, **overrides):  # type: ignore[no-untyped-def]
    r = deviation_request(db, users, world, **overrides)
    judged = all_criteria()
    judged["C4_REGION_CHARACTERISTICS"] = ("DOES_NOT_MEET", "De regio-analyse ontbreekt.")
    rq.judge_criteria(db, r.id, users["purchaser"].id, judged)
    return r


def _plan_with(db, users, world, failing: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    plan = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    complete_plan_assessment(
        db, users, plan.id, "Zo staat het in het plan.", "Beoordeeld.", judgements=failing
    )
    return plan.id


def test_approval_with_a_failing_criterion_is_refused_with_the_list(db, users, world):
    r = _failing_c4(db, users, world)
    with pytest.raises(ValidationErrors) as exc:
        _decide(db, users, r, "APPROVED")
    msg = exc.value.by_field["accepted_points"]
    assert "toetsingspunt 4: De kenmerken van de betreffende regio" in msg
    assert "maatwerkafspraak of voorwaarde" in msg
    assert rq.get_request(db, r.id).decision is None  # nothing written
    # A rejection needs no explanation.
    d = _decide(db, users, r, "REJECTED")
    assert d.decision == "REJECTED" and d.approved_total is None


def test_an_explained_failing_point_is_accepted_and_kept_on_the_decision(db, users, world):
    r = _failing_c4(db, users, world)
    with pytest.raises(ValidationErrors) as exc:  # an explanation needs a basis and a text
        record_accepted(
            db, users, r.id, {"C4_REGION_CHARACTERISTICS": {"basis": "", "text": "x"}}, RATIONALE
        )
    assert "maatwerkafspraak of een voorwaarde" in exc.value.message
    accepted = {
        "C4_REGION_CHARACTERISTICS": ("CONDITION", "De regio-analyse volgt vóór 1 april."),
        "C9_SCALING_CONTINUATION": ("MAATWERK", "niet nodig"),
    }
    d = record_accepted(db, users, r.id, accepted, RATIONALE)
    assert d.check is not None and d.check.ok and not d.check.unexplained
    assert [(p.code, a.basis_label) for p, a in d.check.accepted] == [
        ("C4_REGION_CHARACTERISTICS", "voorwaarde")
    ]
    assert set(d.accepted_points) == {"C4_REGION_CHARACTERISTICS"}  # only what fails is kept
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    assert rq.get_request(db, r.id).state == "DECIDED"


def test_a_criterion_that_fails_after_the_decision_blocks_submission(db, users, world):
    r = deviation_request(db, users, world)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    _decide(db, users, r, "APPROVED")
    rq.judge_criteria(
        db,
        r.id,
        users["purchaser"].id,
        {"C8_SUPPORT": ("DOES_NOT_MEET", "De RvT is niet gehoord.")},
    )
    with pytest.raises(RuleViolation, match="toetsingspunt 8"):
        rq.submit(db, r.id, users["purchaser"].id)


def test_failing_plan_requirement_counts_for_every_approval(db, users, world):
    plan_id = _plan_with(db, users, world, {"kp_03": "DOES_NOT_MEET"})
    r = deviation_request(db, users, world, quality_plan_id=plan_id)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    with pytest.raises(ValidationErrors) as exc:
        record_adjusted(
            db, users, r.id, ("1.000.000,00", "850.000,00", "150.000,00"), rationale=RATIONALE
        )
    assert (
        "eis 4.2.2, KP-03: Per locatie staat wat de zorgaanbieder gaat doen." in exc.value.message
    )
    d = record_adjusted(
        db,
        users,
        r.id,
        ("1.000.000,00", "850.000,00", "150.000,00"),
        rationale=RATIONALE,
        accepted_points={"KP-03": ("MAATWERK", "Per locatie een actieplan vóór 1 maart.")},
    )
    assert d.check.ok and d.check.accepted[0][0].kind == "REQUIREMENT"


def test_adjusted_back_to_85_15_does_not_approve_the_failing_deviation(db, users, world):
    r = _failing_c4(db, users, world)
    d = record_adjusted(
        db, users, r.id, ("1.000.000,00", "850.000,00", "150.000,00"), rationale=RATIONALE
    )
    assert d.approved_split == "85%/15%" and d.check.failing == ()
    # ... but an adjusted approval that still deviates does.
    with pytest.raises(ValidationErrors, match="toetsingspunt 4"):
        record_adjusted(
            db, users, r.id, ("1.000.000,00", "820.000,00", "180.000,00"), rationale=RATIONALE
        )


def test_the_approved_split_is_tested_against_85_15_like_the_requested(db, users, world):
    r = deviation_request(
        db,
        users,
        world,
        requested_total="1.000.000,00",
        requested_staff_amount="850.000,00",
        requested_other_amount="150.000,00",
    )
    with pytest.raises(ValidationErrors) as exc:
        record_adjusted(
            db, users, r.id, ("850.000,00", "700.000,00", "150.000,00"), rationale=RATIONALE
        )
    assert "toegekende verhouding (82,4%/17,6%)" in exc.value.by_field["criteria"]
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    d = record_adjusted(
        db, users, r.id, ("850.000,00", "700.000,00", "150.000,00"), rationale=RATIONALE
    )
    assert d.approved_split == "82,4%/17,6%"


def test_amount_rules_per_part_rejection_and_early_application(db, users, world):
    r = deviation_request(db, users, world)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    with pytest.raises(ValidationErrors) as exc:  # staff part above its request
        record_adjusted(
            db, users, r.id, ("1.100.000,00", "1.000.000,00", "100.000,00"), rationale=RATIONALE
        )
    assert "meer dan aangevraagd (€ 960.000,00)" in exc.value.by_field["approved_staff_amount"]
    with pytest.raises(ValidationErrors) as exc:  # a rejection carries no amounts
        _decide(db, users, r, "REJECTED", approved_total="0,01")
    assert "geen toegekende bedragen" in exc.value.message
    with pytest.raises(ValidationErrors, match="vóór 1 november"):
        _decide(db, users, r, "APPROVED_UP_TO_RESERVED")


def test_early_application_is_agreed_up_to_its_reserved_budget(db, users, world):
    r = deviation_request(db, users, world, received_date="2026-10-15")
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    with pytest.raises(ValidationErrors) as exc:
        _decide(db, users, r, "APPROVED")
    assert "gereserveerde budget van € 1.000.000,00" in exc.value.message
    d = _decide(db, users, r, "APPROVED_UP_TO_RESERVED")
    assert d.decision_label == "Akkoord tot het gereserveerde budget"
    assert (d.approved_total, d.approved_staff_amount, d.approved_other_amount) == (
        Decimal("1000000.00"),
        Decimal("800000.00"),
        Decimal("200000.00"),
    )
    assert d.check.early
    with pytest.raises(ValidationErrors, match="gereserveerde budget"):
        above = approved_amounts("1.100.000,00", "880.000,00", "220.000,00")
        _decide(db, users, r, "APPROVED_UP_TO_RESERVED", **above)


def test_cli_decide_refuses_with_the_failing_points(db, users, world, db_path, capsys):
    from desktop.cli import main

    r = _failing_c4(db, users, world)
    db.dispose()
    decide = ["requests", "decide", r.id, "--as", "AdV", "--decision", "akkoord"]
    decide += ["--rationale", RATIONALE, "--db", str(db_path)]
    code = main(decide)
    err = capsys.readouterr().err
    assert code == 1 and "toetsingspunt 4: De kenmerken van de betreffende regio" in err
    accept = "C4_REGION_CHARACTERISTICS=voorwaarde:Regio-analyse vóór 1 april."
    code = main([*decide, "--accept", accept, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert '"C4_REGION_CHARACTERISTICS"' in out.out and '"CONDITION"' in out.out


@pytest.mark.parametrize(
    "decision,requested,refusal",
    [
        pytest.param(
            dict(
                decision="APPROVED_ADJUSTED",
                approved_total="1.100.000,00",
                approved_staff_amount="880.000,00",
                approved_other_amount="220.000,00",
            ),
            ("1.000.000,00", "800.000,00", "200.000,00"),
            "meer dan aangevraagd",
            id="adjusted-then-requested-less",
        ),
        pytest.param(
            dict(decision="APPROVED"),
            ("1.300.000,00", "1.040.000,00", "260.000,00"),
            "opnieuw vast",
            id="approved-then-requested-more",
        ),
    ],
)
def test_request_edited_after_the_decision_cannot_be_submitted_with_old_amounts(
    db, users, world, decision, requested, refusal
):
    r = deviation_request(db, users, world)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    _decide(db, users, r, **decision)
    total, staff, other = requested
    rq.update_request(
        db,
        r.id,
        users["purchaser"].id,
        requested_total=total,
        requested_staff_amount=staff,
        requested_other_amount=other,
    )
    with pytest.raises(RuleViolation, match=refusal):
        rq.submit(db, r.id, users["purchaser"].id)
