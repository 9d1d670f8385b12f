"""The budget cycle R1..R18 as dated milestones, per provider, and what is due soon."""

from __future__ import annotations

from datetime import date

from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    db,
    db_path,
    deviation_request,
    users,
    world,
)

from desktop.services import calendar as cal
from desktop.services import plans
from desktop.services import requests as rq


def test_cycle_dates_for_year_t():
    ms = {m.code: m for m in cal.cycle(2027)}
    assert {f"R{i}" for i in range(1, 19)} - {"R12"} <= set(ms)
    assert {"R12.1", "R12.2", "R12.3"} <= set(ms)
    assert (ms["R4"].start, ms["R4"].end) == (date(2026, 9, 1), date(2026, 12, 31))
    assert ms["R8"].end == date(2027, 3, 8)
    assert ms["R9"].end == date(2027, 4, 1)
    assert ms["R13"].end == date(2027, 11, 1)
    assert ms["R16"].end == date(2028, 6, 1)
    assert ms["R7"].per_request and ms["R7"].end is None


def test_provider_status(db, users, world):
    plans.create_plan(
        db,
        by=users["advisor"].id,
        provider_id=world.provider_id,
        year=2027,
        received_date="2026-10-15",
    )
    r = deviation_request(db, users, world, received_date="2026-10-20")
    st = {
        m.milestone.code: m
        for m in cal.provider_cycle(db, world.provider_id, 2027, today=date(2026, 11, 25))
    }
    assert st["R4"].status == "DONE" and st["R4"].done_on == date(2026, 10, 15)
    assert st["R7"].due == date(2026, 12, 1) and st["R7"].status == "DUE_SOON"
    assert st["R9"].status == "OPEN"
    assert st["R1"].status == "PAST"
    late = {
        m.milestone.code: m
        for m in cal.provider_cycle(db, world.provider_id, 2027, today=date(2026, 12, 5))
    }
    assert late["R7"].status == "OVERDUE" and late["R7"].status_label == "Verlopen"
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    # Received before 1 November with € 1.200.000 asked above a € 1.000.000 reserve: agreed up to
    # the reserve (S1 §4.2.8, issue 15).
    rq.record_decision(
        db, r.id, users["purchaser"].id, decision="APPROVED_UP_TO_RESERVED", rationale="ok"
    )
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    done = {m.milestone.code: m for m in cal.provider_cycle(db, world.provider_id, 2027)}
    assert done["R7"].status in ("DONE", "DONE_LATE") and done["R8"].status == "DONE"


def test_due_soon_lists_deadlines_and_milestones(db, users, world):
    deviation_request(db, users, world)  # deadline 14 December 2026
    items = cal.due_soon(db, today=date(2026, 12, 1), weeks=5)
    assert [(i.code, i.due) for i in items if i.code == "R7"] == [("R7", date(2026, 12, 14))]
    assert any(i.code == "R4" and i.due == date(2026, 12, 31) for i in items)
    overdue = cal.due_soon(db, today=date(2026, 12, 20), weeks=2)
    assert [i.overdue for i in overdue if i.code == "R7"] == [True]
