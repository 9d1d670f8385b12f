"""Demo data (issue 2 item 6): sizes, realism rules, determinism, all-or-nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from db.errors import RuleViolation, ValidationError
from desktop.services.database import open_database
from desktop.services.demo import DemoCancelled, generate_demo
from desktop.services.directory import counts
from desktop.services.validation import agb_code, kvk_branch_number, kvk_number, postcode

TODAY = date(2026, 11, 23)
# Tables compared for determinism: everything the user sees (timestamps of writing excluded).
DIGEST_TABLES = (
    "provider",
    "location",
    "app_user",
    "theme_assessment",
    "site_visit",
    "budget_request",
    "criterion_judgement",
    "review_event",
    "diagnosis_note",
)


# `db` comes from tests/conftest.py: a copy of one initialised template database.


def _digest(path: Path, table: str) -> str:
    conn = sqlite3.connect(path)
    try:
        cols = [
            r[1]
            for r in conn.execute(f"PRAGMA table_info({table})")
            if r[1] not in ("created_at", "updated_at")
        ]
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory, _template_db_path: Path):  # type: ignore[no-untyped-def]
    import shutil

    path = tmp_path_factory.mktemp("demo") / "small.sqlite"
    shutil.copyfile(_template_db_path, path)
    db = open_database(path)
    steps: list[tuple[int, int, str]] = []
    report = generate_demo(db, "small", 42, lambda d, t, s: steps.append((d, t, s)), today=TODAY)
    yield db, path, report, steps
    db.dispose()


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_small_demo_has_the_sizes_of_the_issue(small) -> None:  # type: ignore[no-untyped-def]
    _db, path, report, steps = small
    c = report.counts
    assert c == counts(path)
    assert c["provider"] == 20
    assert c["location"] == 50
    assert c["app_user"] == 6
    regions = _rows(path, "SELECT count(DISTINCT region_id) FROM location")[0][0]
    assert regions == 2
    years = _rows(path, "SELECT min(period_year), max(period_year) FROM theme_assessment")[0]
    assert years == (2024, 2026)
    # Every record type of the data model that the demo covers is present.
    for table in (
        "theme_assessment",
        "site_visit",
        "follow_up_action",
        "diagnosis_note",
        "plan_assessment",
        "quality_plan",
        "location_improvement_item",
        "budget_request",
        "deviation_request",
        "criterion_judgement",
        "clarification",
        "budget_ceiling",
        "review_event",
        "letter",
    ):
        assert c[table] > 0, table
    # Progress was reported step by step up to the total, then letter by letter.
    data = [s for s in steps if not s[2].startswith("Beoordelingsbrieven")]
    letter_steps = steps[len(data) :]
    assert data[-1][0] == data[-1][1] and len(data) == data[-1][1]
    assert letter_steps and letter_steps[-1][0] == letter_steps[-1][1] == c["letter"]


def test_demo_letters_are_the_sent_decisions_of_the_newest_year(small) -> None:  # type: ignore[no-untyped-def]
    """The Brieven section of the demo is not empty: every decision of the newest budget year
    that the demo marks as sent has its definitive, sent letter, dated the day it was sent,
    numbered in that order, with a stored PDF and its hash."""
    _db, path, _report, _steps = small
    sent = _rows(
        path,
        "SELECT r.id, r.letter_sent_on FROM budget_request r WHERE r.letter_sent_on IS NOT NULL "
        "AND r.budget_year = (SELECT max(budget_year) FROM budget_request WHERE letter_sent_on IS NOT NULL) "
        "ORDER BY r.letter_sent_on, r.id",
    )
    letters = _rows(
        path,
        "SELECT budget_request_id, status, letter_date, sent_on, sequence, length(pdf), sha256 "
        "FROM letter ORDER BY sequence",
    )
    assert [r[0] for r in letters] == [r[0] for r in sent]
    for (_rid, status, letter_date, sent_on, _seq, size, sha), (_r, day) in zip(
        letters, sent, strict=True
    ):
        assert status == "SENT" and letter_date == sent_on == day
        assert size > 10_000 and len(sha) == 64
    assert [r[4] for r in letters] == list(range(1, len(letters) + 1))


def test_identifiers_and_addresses_are_valid(small) -> None:  # type: ignore[no-untyped-def]
    _db, path, _r, _s = small
    for kvk, agb, pc, attention, salutation in _rows(
        path, "SELECT kvk_number, agb_code, postcode, attention_of, salutation FROM provider"
    ):
        assert kvk_number(kvk) == kvk and agb_code(agb) == agb and postcode(pc) == pc
        assert attention.startswith("t.a.v. ") and salutation.startswith("Geachte ")
        assert salutation.endswith(",")
    for agb, branch, pc, capacity in _rows(
        path, "SELECT agb_code, kvk_branch_number, postcode, capacity FROM location"
    ):
        assert agb_code(agb) == agb and kvk_branch_number(branch) == branch
        assert postcode(pc) == pc and 30 <= capacity <= 180
    kvks = [r[0] for r in _rows(path, "SELECT kvk_number FROM provider")]
    assert len(set(kvks)) == len(kvks)


def test_theme_scores_follow_the_priors(small) -> None:  # type: ignore[no-untyped-def]
    _db, path, _r, _s = small
    share = dict(
        _rows(
            path,
            """
        SELECT theme_code, avg(rating IN ('MODERATE', 'INSUFFICIENT')) FROM theme_assessment
        WHERE supersedes_id IS NULL GROUP BY theme_code""",
        )
    )
    # DOMAIN.md §3/§11: T6 and T4 are often an aandachtspunt, T1-T3 mostly fine.
    assert share["T6"] > 0.5 and share["T4"] > 0.4
    assert max(share["T1"], share["T2"], share["T3"]) < share["T4"]
    superseding = _rows(
        path,
        """
        SELECT n.period_year = o.period_year AND n.assessed_on >= o.assessed_on
        FROM theme_assessment n JOIN theme_assessment o ON o.id = n.supersedes_id""",
    )
    assert superseding and all(ok for (ok,) in superseding)
    dutch = _rows(path, "SELECT rationale FROM theme_assessment LIMIT 50")
    assert len({r[0] for r in dutch}) > 10


def test_budget_requests_follow_the_85_15_rules(small) -> None:  # type: ignore[no-untyped-def]
    db, path, _r, _s = small
    from sqlmodel import select

    from db.models import BudgetRequest

    with db.read_session() as s:
        requests = s.exec(select(BudgetRequest)).all()
        deviations = {r[0] for r in _rows(path, "SELECT budget_request_id FROM deviation_request")}
    assert requests
    for r in requests:
        assert r.requested_staff_amount + r.requested_other_amount == r.requested_total
        assert isinstance(r.requested_total, Decimal)
        other_pct = r.requested_other_amount / r.requested_total * 100
        assert (other_pct > Decimal("15.01")) == (r.id in deviations)
        if r.approved_total is not None:
            assert r.approved_total <= r.requested_total
            assert r.approved_staff_amount + r.approved_other_amount == r.approved_total
        if r.decision:
            assert r.decided_on is not None and r.decided_on <= TODAY
    # Decided deviation requests carry a judgement on every criterion C1..C10.
    per_request = _rows(
        path,
        """
        SELECT b.id, count(c.id) FROM budget_request b JOIN deviation_request d
        ON d.budget_request_id = b.id LEFT JOIN criterion_judgement c ON c.budget_request_id = b.id
        WHERE b.decision IS NOT NULL GROUP BY b.id""",
    )
    assert per_request and all(n == 10 for _, n in per_request)
    # There is open work: requests for next year still in the pipeline.
    open_states = {r.state for r in requests if r.budget_year == 2027}
    assert open_states & {"RECEIVED", "IN_REVIEW", "CLARIFICATION_REQUESTED", "AWAITING_FOUR_EYES"}


def test_decisions_agree_with_their_assessment_and_criteria(small) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: one coherent story per request. No approval leaves a "Voldoet niet"
    unexplained, no approved part exceeds its request, a rejection has no amounts and names its
    failing points, early applications stay within their reserve; the demo has realistic
    adjusted and rejected cases with their reasons."""
    from collections import Counter

    from desktop.services import requests as rq

    db, _path, _r, _s = small
    kinds: Counter = Counter()
    variants: Counter = Counter()
    for row in rq.list_requests(db, today=TODAY):
        if not row.decision:
            continue
        d = rq.get_request(db, row.id, TODAY)
        kinds[d.decision] += 1
        assert d.check is not None and d.check.ok, d.check.refusal()
        assert d.decision_rationale.strip()
        failing = [c for c in d.criteria if c.judgement == "DOES_NOT_MEET"]
        if d.decision == "REJECTED":
            assert d.approved_total is None and d.approved_staff_amount is None
            assert failing or d.check.failing, "a rejection names what fails"
            assert "toetsingspunt" in d.decision_rationale or "eisen" in d.decision_rationale
            continue
        assert d.approved_staff_amount <= d.requested_staff_amount
        assert d.approved_other_amount <= d.requested_other_amount
        if d.check.early:
            assert d.approved_total <= d.initial_reserved_amount
        if d.decision == "APPROVED_UP_TO_RESERVED":
            assert d.check.early and d.requested_total > d.initial_reserved_amount
        if d.check.accepted:
            variants["accepted"] += 1
        if (
            d.decision == "APPROVED_ADJUSTED"
            and failing
            and not d.check.approved_split.is_deviation
        ):
            variants["to_guideline"] += 1
            assert d.approved_split == "85%/15%" and "toetsingspunt" in d.decision_rationale
    assert kinds["APPROVED_ADJUSTED"] >= 2 and kinds["REJECTED"] >= 2
    assert kinds["APPROVED_UP_TO_RESERVED"] >= 1 and variants["accepted"] >= 1


def test_four_eyes_events_are_by_a_team_lead_who_is_not_the_author(small) -> None:  # type: ignore[no-untyped-def]
    db, path, _r, _s = small
    rows = _rows(
        path,
        """
        SELECT e.kind, e.actor_id, b.author_id, u.roles FROM review_event e
        JOIN budget_request b ON b.id = e.subject_id JOIN app_user u ON u.id = e.actor_id""",
    )
    approvals = [r for r in rows if r[0] == "APPROVED"]
    assert approvals
    for _kind, actor, author, roles in approvals:
        assert actor != author and "TEAM_LEAD" in roles
    # The demo approvals name the real content hash, so the review service accepts them.
    from desktop.services import review

    decided = _rows(
        path,
        "SELECT subject_id FROM review_event WHERE kind = 'APPROVED' "
        "AND subject_type = 'budget_request'",
    )
    invalid = [rid for (rid,) in decided if review.approval(db, "budget_request", rid) is None]
    assert decided and invalid == []
    # ... which needs Σ approved within the ceilings (S1 §4.2.10).
    over = _rows(
        path,
        """
        SELECT c.year, c.region_id FROM budget_ceiling c WHERE c.amount < (
            SELECT coalesce(sum(b.approved_total), 0) FROM budget_request b
            WHERE b.budget_year = c.year AND b.state <> 'WITHDRAWN'
              AND (c.region_id IS NULL OR b.region_id = c.region_id))""",
    )
    assert over == []


def test_demo_visits_follow_the_published_form(small) -> None:  # type: ignore[no-untyped-def]
    import json

    from forms import load_form, validate

    _db, path, _r, _s = small
    form = load_form("locatiebezoek", "2026112301")
    visits = _rows(
        path, "SELECT form_id, form_version, status, answers, visit_date FROM site_visit"
    )
    assert visits
    for form_id, version, status, answers, visit_date in visits:
        assert (form_id, version) == ("locatiebezoek", "2026112301")
        data = json.loads(answers)
        assert set(data) <= form.names
        assert data["visit_date"] == visit_date
        if status == "COMPLETED":
            assert validate(form, data, TODAY) == []
    assert "COMPLETED" in {v[2] for v in visits}
    plan_form = load_form("plan_assessment", "2026112301")
    plans = _rows(path, "SELECT status, answers FROM plan_assessment")
    assert {"COMPLETED"} <= {st for st, _ in plans}
    for st, answers in plans:
        if st == "COMPLETED":
            assert validate(plan_form, json.loads(answers), TODAY) == []
    linked = _rows(
        path,
        """
        SELECT n.location_id = v.location_id, n.source_ref FROM diagnosis_note n
        JOIN site_visit v ON v.id = n.source_visit_id""",
    )
    assert linked and all(same and ref.startswith("visit:") for same, ref in linked)
    actions = _rows(path, "SELECT count(*) FROM follow_up_action WHERE visit_id IS NOT NULL")[0][0]
    assert actions > 0


def test_same_seed_gives_the_same_data(small, db) -> None:  # type: ignore[no-untyped-def]
    _db, path, report, _s = small
    other = db.path
    db2 = db
    try:
        again = generate_demo(db2, "small", 42, today=TODAY)
    finally:
        db2.engine.dispose()
    assert again.counts == report.counts
    for table in DIGEST_TABLES:
        assert _digest(other, table) == _digest(path, table), table


def test_a_different_seed_gives_different_data(db) -> None:  # type: ignore[no-untyped-def]
    # Cheap: only the directory stage, kept in the generator's buffers (nothing written).
    from db.models import Provider
    from desktop.services.demo import SCALES, _Generator

    def provider_names(seed: int) -> list[str]:
        gen = _Generator(db, SCALES["small"], seed, TODAY, None, None)
        gen.office_id = "office"
        gen.region_ids = ["r1", "r2"]
        gen.region_places = {"r1": gen.places["regions"][26], "r2": gen.places["regions"][27]}
        gen.make_users()
        gen.make_directory(20)
        return [p["name"] for p in gen.buffers[Provider]]

    assert provider_names(1) == provider_names(1)
    assert provider_names(1) != provider_names(2)


def test_the_same_seed_twice_is_refused_and_adds_nothing(small) -> None:  # type: ignore[no-untyped-def]
    db, path, report, _s = small
    with pytest.raises(RuleViolation, match="startgetal 42 staan al in deze database"):
        generate_demo(db, "small", 42, today=TODAY)
    assert counts(path) == report.counts


def test_unknown_scale_is_refused_in_dutch(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="Onbekende omvang"):
        generate_demo(db, "enorm", 1)


def test_cancel_leaves_the_database_unchanged(db) -> None:  # type: ignore[no-untyped-def]
    before = counts(db.path)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) >= 3  # after users, directory and the first year

    with pytest.raises(DemoCancelled, match="afgebroken"):
        generate_demo(db, "small", 5, today=TODAY, cancelled=cancelled)
    assert counts(db.path) == before
