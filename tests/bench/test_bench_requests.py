"""Benchmarks of issue 5 (run: pytest tests/bench/test_bench_requests.py --benchmark-only).

Targets: list 5,000 budget requests with deadline status <= 100 ms; an approval round-trip
(vier-ogen approve + the derived approval check) <= 50 ms.

The 5,000 requests are made here (raw inserts into a fresh database, spread over 400
providers, 6 years and every state), so this does not depend on the demo generator.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_budget import assert_budget  # noqa: E402

N_REQUESTS = 5_000
STATES = (
    "RECEIVED",
    "IN_REVIEW",
    "CLARIFICATION_REQUESTED",
    "AWAITING_FOUR_EYES",
    "DECIDED",
    "LETTER_SENT",
    "ADDENDUM_SIGNED",
    "IN_MEDIATION",
    "WITHDRAWN",
)


@pytest.fixture(scope="module")
def bench_db(tmp_path_factory):  # type: ignore[no-untyped-def]
    from test_requests_helpers import all_criteria, make_world  # noqa: F401

    from desktop.services.database import open_database
    from desktop.services.users import create_user

    path = tmp_path_factory.mktemp("bench_requests") / "requests.sqlite"
    db = open_database(path)
    purchaser = create_user(db, name="Anna de Vries", initials="AdV", roles=["PURCHASER"])
    lead = create_user(
        db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"], actor_id=purchaser.id
    )
    world = make_world(db, purchaser.id)
    db.dispose()
    rng = random.Random(2026)
    conn = sqlite3.connect(path)
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    region_id, office_id = world.region_id, world.care_office_id
    providers = [(str(uuid.uuid4()), f"Zorgaanbieder {i:03d}") for i in range(400)]
    conn.executemany(
        "INSERT INTO provider (id, created_at, updated_at, name, kvk_number, agb_code, "
        "street, house_number, postcode, place, attention_of, salutation) "
        "VALUES (?, ?, ?, ?, '', '', '', '', '', '', '', '')",
        [(pid, now, now, name) for pid, name in providers],
    )
    rows = []
    for _ in range(N_REQUESTS):
        pid = rng.choice(providers)[0]
        year = rng.randint(2021, 2026)
        received = date(year - 1, 9, 1) + timedelta(days=rng.randint(0, 200))
        total = rng.randint(100_000, 20_000_000) * 100
        other = total * rng.randint(10, 25) // 100
        state = rng.choice(STATES)
        rows.append(
            (
                str(uuid.uuid4()),
                now,
                now,
                pid,
                office_id,
                region_id,
                year,
                received.isoformat(),
                total,
                total,
                total - other,
                other,
                int(rng.random() < 0.2),
                state,
                purchaser.id,
            )
        )
    conn.executemany(
        "INSERT INTO budget_request (id, created_at, updated_at, provider_id, care_office_id, "
        "region_id, budget_year, external_reference, received_date, initial_reserved_amount, "
        "requested_total, requested_staff_amount, requested_other_amount, justification, "
        "has_special_circumstances, state, decision_rationale, custom_agreements, "
        "improvement_points, author_id, mediation, accepted_points) VALUES (?, ?, ?, ?, ?, ?, ?, '', "
        "?, ?, ?, ?, ?, '', ?, ?, '', '', '[]', ?, '{}', '{}')",
        rows,
    )
    conn.commit()
    conn.close()
    from db.engine import Database

    database = Database(path)
    yield database, {"purchaser": purchaser, "lead": lead}, world
    database.dispose()


def test_bench_list_5000_requests_with_deadline_status(benchmark, bench_db):
    from desktop.services.requests import list_requests

    db, _, _ = bench_db
    rows = benchmark(list_requests, db, today=date(2026, 11, 23))
    assert len(rows) >= N_REQUESTS
    assert {r.deadline_status for r in rows} >= {"OVERDUE", "DONE"}
    assert_budget(benchmark, 0.100, "5,000 requests with deadline status")


def test_bench_approval_round_trip(benchmark, bench_db):
    from test_requests_helpers import all_criteria, deviation_request

    from desktop.services import requests as rq
    from desktop.services import review

    db, users, world = bench_db

    def setup():  # type: ignore[no-untyped-def]
        r = deviation_request(db, users, world, external_reference="")
        rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
        rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="ok")
        rq.submit(db, r.id, users["purchaser"].id)
        return (r.id,), {}

    def round_trip(rid: str):  # type: ignore[no-untyped-def]
        rq.approve(db, rid, users["lead"].id)
        return review.approval(db, "budget_request", rid)

    result = benchmark.pedantic(round_trip, setup=setup, rounds=15, iterations=1)
    assert result is not None and result.approver_name == "Carla Bakker"
    assert_budget(benchmark, 0.050, "approval round-trip")
