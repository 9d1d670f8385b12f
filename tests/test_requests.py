"""Budget requests: from receipt to decision, bad input, ceiling, states, CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import func, select
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    db,
    db_path,
    decided_request,
    deviation_request,
    record_adjusted,
    users,
    world,
)

from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models import BudgetRequest, Clarification
from db.sync.models import SyncOp
from desktop.services import requests as rq
from desktop.services import review
from desktop.services.ceiling import ceiling_summary, set_ceiling


def _counts(db):  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return (
            s.exec(select(func.count()).select_from(BudgetRequest)).one(),
            s.exec(select(func.count()).select_from(SyncOp)).one(),
        )


def test_create_request_derives_split_deadline_and_office(db, users, world):
    r = deviation_request(db, users, world)
    assert r.requested_total == Decimal("1200000.00")
    assert r.requested_split == "80%/20%" and r.is_deviation
    assert r.deadline == date(2026, 12, 14)
    assert r.care_office_id == world.care_office_id and r.region_id == world.region_id
    assert r.state == "RECEIVED" and r.author_name == "Anna de Vries"
    assert [c.number for c in r.criteria] == list(range(1, 11))
    assert r.criteria[0].text_nl.startswith("De doelen uit het Kwaliteitskader")
    assert r.salutation == "Geachte mevrouw De Vries,"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("requested_total", "1.2OO.000", "geen geldig bedrag"),
        ("requested_staff_amount", "-5,00", "niet negatief"),
        ("requested_other_amount", "12,345", "geen geldig bedrag"),
        ("requested_other_amount", Decimal("12.345"), "2 cijfers achter de komma"),
        ("requested_total", "1.200.001,00", "maar het totaal is"),
        ("received_date", "31-02-2026", "geen geldige datum"),
        ("budget_year", "twintig", "geen geldig jaartal"),
        ("requested_total", "", "verplicht"),
    ],
)
def test_bad_input_is_refused_at_the_field_and_nothing_saved(
    db, users, world, field, value, message
):
    before = _counts(db)
    with pytest.raises(ValidationErrors) as exc:
        deviation_request(db, users, world, **{field: value})
    assert message in exc.value.by_field[field]
    assert _counts(db) == before


def test_letter_date_after_receipt_is_refused(db, users, world):
    with pytest.raises(ValidationErrors) as exc:
        deviation_request(db, users, world, letter_date="2026-11-05")
    assert "letter_date" in exc.value.by_field


def test_decision_needs_all_ten_criteria(db, users, world):
    r = deviation_request(db, users, world)
    partial = dict(list(all_criteria().items())[:9])
    rq.judge_criteria(db, r.id, users["purchaser"].id, partial)
    with pytest.raises(ValidationErrors) as exc:
        rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="ok")
    assert "C10" in exc.value.by_field["criteria"]
    assert rq.get_request(db, r.id).decision is None


def test_criterion_without_reasoning_is_refused(db, users, world):
    r = deviation_request(db, users, world)
    with pytest.raises(ValidationErrors) as exc:
        rq.judge_criteria(db, r.id, users["purchaser"].id, {"C1_FRAMEWORK_GOALS": ("MEETS", " ")})
    assert "onderbouwing" in exc.value.by_field["criterion:C1_FRAMEWORK_GOALS"]


def test_more_staff_needs_justification(db, users, world):
    r = deviation_request(
        db, users, world, requested_staff_amount="1.100.000,00", requested_other_amount="100.000,00"
    )
    assert r.split_kind == "MORE_STAFF"
    with pytest.raises(ValidationErrors) as exc:
        rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="ok")
    assert "justification" in exc.value.by_field
    rq.update_request(db, r.id, users["purchaser"].id, justification="Meer personeel nodig.")
    d = rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="ok")
    assert d.approved_total == d.requested_total


def test_approved_never_exceeds_requested(db, users, world):
    r = deviation_request(db, users, world)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    with pytest.raises(ValidationErrors) as exc:
        record_adjusted(
            db, users, r.id, ("1.300.000,00", "1.100.000,00", "200.000,00"), rationale="Bijgesteld"
        )
    assert "niet hoger zijn dan aangevraagd" in exc.value.by_field["approved_total"]
    with pytest.raises(ValidationErrors) as exc:
        record_adjusted(
            db, users, r.id, ("1.000.000,00", "850.000,00", "100.000,00"), rationale="Bijgesteld"
        )
    assert "maar het totaal is" in exc.value.by_field["approved_total"]
    d = record_adjusted(
        db,
        users,
        r.id,
        ("1.000.000,00", "850.000,00", "150.000,00"),
        rationale="Bijgesteld naar 85/15",
        improvement_points=["Monitor fte-groei", "Deel resultaten"],
    )
    assert d.approved_split == "85%/15%" and d.improvement_points == (
        "Monitor fte-groei",
        "Deel resultaten",
    )


def test_at_most_three_improvement_points(db, users, world):
    r = decided_request(db, users, world)
    with pytest.raises(ValidationErrors) as exc:
        rq.update_request(db, r.id, users["purchaser"].id, improvement_points=["a", "b", "c", "d"])
    assert "drie" in exc.value.by_field["improvement_points"]


def test_clarifications_are_recorded_and_pause_nothing(db, users, world):
    r = deviation_request(db, users, world)
    with pytest.raises(ValidationErrors) as exc:
        rq.add_clarification(db, r.id, users["purchaser"].id, "Toelichting C10?", "2026-11-01")
    assert "vóór de ontvangstdatum" in exc.value.by_field["asked_on"]
    d = rq.add_clarification(
        db, r.id, users["purchaser"].id, "Toelichting business case?", "2026-11-10"
    )
    assert d.state == "CLARIFICATION_REQUESTED"
    assert d.deadline == date(2026, 12, 14)  # the clock keeps running
    c = d.clarifications[0]
    with pytest.raises(ValidationErrors):
        rq.answer_clarification(db, c.id, users["purchaser"].id, "Zie bijlage.", "2026-11-09")
    d = rq.answer_clarification(db, c.id, users["purchaser"].id, "Zie bijlage.", "2026-11-20")
    assert d.state == "IN_REVIEW" and d.clarifications[0].answered_on == date(2026, 11, 20)
    with db.read_session() as s:
        assert s.exec(select(func.count()).select_from(Clarification)).one() == 1


def test_ceiling_refuses_approval_and_says_by_how_much(db, users, world):
    set_ceiling(db, world.care_office_id, 2027, "1.000.000,00", users["lead"].id)
    r = decided_request(db, users, world)
    with pytest.raises(RuleViolation, match=r"€ 200\.000,00 boven het plafond"):
        rq.submit(db, r.id, users["purchaser"].id)
    # Raised after submission (crafted: ceiling lowered in between) -> approval refused too.
    set_ceiling(db, world.care_office_id, 2027, "1.200.000,00", users["lead"].id)
    rq.submit(db, r.id, users["purchaser"].id)
    from db.models import BudgetCeiling
    from db.repo import UnitOfWork

    with UnitOfWork(db, users["lead"].id) as uow:
        row = uow.exec(select(BudgetCeiling)).first()
        uow.update(row, amount=Decimal("1187655.00"))
    with pytest.raises(RuleViolation, match=r"€ 12\.345,00 boven het plafond"):
        rq.approve(db, r.id, users["lead"].id)
    assert review.approval(db, "budget_request", r.id) is None
    with UnitOfWork(db, users["lead"].id) as uow:
        uow.update(uow.exec(select(BudgetCeiling)).first(), amount=Decimal("1500000.00"))
    rq.approve(db, r.id, users["lead"].id)
    s = ceiling_summary(db, world.care_office_id, 2027)
    assert (s.allocated, s.requested, s.approved, s.headroom) == (
        Decimal("1500000.00"),
        Decimal("1200000.00"),
        Decimal("1200000.00"),
        Decimal("300000.00"),
    )


def test_states_letter_addendum_mediation_withdrawal(db, users, world):
    r = decided_request(db, users, world)
    with pytest.raises(RuleViolation):
        rq.transition(db, r.id, users["purchaser"].id, "LETTER_SENT", on="2026-12-01")
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    d = rq.transition(db, r.id, users["purchaser"].id, "LETTER_SENT", on="2026-12-01")
    assert d.state == "LETTER_SENT" and d.letter_sent_on == date(2026, 12, 1)
    with pytest.raises(ValidationError):
        rq.transition(db, r.id, users["purchaser"].id, "ADDENDUM_SIGNED", on="2026-11-30")
    d = rq.transition(db, r.id, users["purchaser"].id, "ADDENDUM_SIGNED", on="2027-03-20")
    assert d.state == "ADDENDUM_SIGNED" and d.deadline_status == "DONE"
    with pytest.raises(RuleViolation, match="kan niet meer"):
        rq.update_request(db, r.id, users["purchaser"].id, justification="te laat")

    r2 = deviation_request(db, users, world, external_reference="KP-2")
    with pytest.raises(ValidationError):
        rq.transition(db, r2.id, users["purchaser"].id, "IN_REVIEW", on="2026-10-01")
    rq.transition(db, r2.id, users["purchaser"].id, "IN_REVIEW", on="2026-11-03")
    d = rq.transition(
        db,
        r2.id,
        users["purchaser"].id,
        "IN_MEDIATION",
        on="2026-12-01",
        note="Geen overeenstemming over 20%.",
    )
    assert d.mediation["started_on"] == "2026-12-01"
    d = rq.transition(
        db, r2.id, users["purchaser"].id, "IN_REVIEW", on="2027-01-10", note="Akkoord op 18%."
    )
    assert d.mediation["outcome"] == "Akkoord op 18%."
    d = rq.transition(db, r2.id, users["purchaser"].id, "WITHDRAWN", on="2027-01-11")
    assert d.state == "WITHDRAWN"
    with pytest.raises(RuleViolation, match="geen toegestane stap"):
        rq.transition(db, r2.id, users["purchaser"].id, "IN_REVIEW")


def test_list_requests_deadline_status(db, users, world):
    deviation_request(db, users, world)
    deviation_request(
        db,
        users,
        world,
        received_date="2026-10-01",
        has_special_circumstances=True,
        external_reference="B",
    )
    rows = {r.received_date: r for r in rq.list_requests(db, today=date(2026, 12, 10))}
    assert rows[date(2026, 11, 2)].deadline_status == "AT_RISK"
    assert rows[date(2026, 10, 1)].deadline == date(2027, 1, 1)
    assert rows[date(2026, 10, 1)].deadline_status == "ON_TRACK"
    assert rq.list_requests(db, today=date(2026, 12, 15))[0].deadline_status == "OVERDUE"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[1]),
    )


def _main(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """The CLI in-process (fast); one real subprocess below checks the process exit code."""
    from desktop.cli import main

    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_list_submit_approve_and_refusals(db, users, world, db_path, capsys):
    r = decided_request(db, users, world)
    db.dispose()
    code, out, err = _main(capsys, "requests", "list", "--db", str(db_path), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data[0]["state"] == "IN_REVIEW" and data[0]["split"] == "80%/20%"
    assert data[0]["requested_total"] == "1200000.00" and "deadline_status" in data[0]
    assert _main(capsys, "requests", "submit", r.id, "--as", "AdV", "--db", str(db_path))[0] == 0
    own = _cli("requests", "approve", r.id, "--as", "Anna de Vries", "--db", str(db_path))
    assert own.returncode == 1 and "teamleider" in own.stderr
    code, _, err = _main(capsys, "requests", "reject", r.id, "--as", "CB", "--db", str(db_path))
    assert code == 1 and "toelichting" in err
    code, out, err = _main(
        capsys, "requests", "approve", r.id, "--as", "CB", "--db", str(db_path), "--json"
    )
    assert code == 0, err
    assert json.loads(out)["approver"] == "Carla Bakker"
    code, _, err = _main(capsys, "requests", "approve", r.id, "--as", "CB", "--db", str(db_path))
    assert code == 1 and "al goedgekeurd" in err
    code, _, err = _main(capsys, "requests", "approve", r.id, "--as", "XYZ", "--db", str(db_path))
    assert code == 1 and "bestaat niet" in err
    code, out, _ = _main(
        capsys,
        "requests",
        "ceiling",
        "--office",
        "ZK",
        "--year",
        "2027",
        "--amount",
        "2.000.000,00",
        "--as",
        "CB",
        "--db",
        str(db_path),
        "--json",
    )
    assert code == 0 and json.loads(out)["headroom"] is not None
