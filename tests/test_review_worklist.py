"""Issue 18: the teamleider's "Te beoordelen" (`review.queue`) settles only the subjects the
prefilter `review_latest` (db/models/review_latest.py, kept by triggers) cannot rule out. The
prefilter must return a superset of the queue: a decision that counts for nothing (by someone
without the teamleider role, or on another version than the one submitted) leaves the subject
in the queue; only a teamleider's decision on the submitted version takes it out."""

from __future__ import annotations

import sqlite3

from review_helpers import every_subject_with_steps, latest_rows, write_review_event
from sqlalchemy import text
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    db,
    db_path,
    decided_request,
    make_world,
    users,
    world,
)

from db.models.review_latest import LATEST_REBUILD_SQL, LATEST_TABLE
from desktop.services import requests as rq
from desktop.services import review
from desktop.services.review import worklist
from desktop.services.review.facts import has_role

S = "budget_request"


def _request(db, users, name: str) -> str:  # type: ignore[no-untyped-def]
    own = make_world(db, users["purchaser"].id, name)
    return decided_request(db, users, own, budget_year=2027, received_date="2026-11-02").id


def _candidates(db) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from db.models import AppUser

    with db.read_session() as s:
        leads = {u for u in s.exec(select(AppUser.id)).all() if has_role(s, u)}
        return set(worklist.candidates(s, leads))


def test_a_decision_that_counts_for_nothing_stays_queued_a_settled_one_does_not(
    db, users, world, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    lead, purchaser, advisor = users["lead"].id, users["purchaser"].id, users["advisor"].id
    approved = _request(db, users, "Zorggroep Akkoord")
    rq.submit(db, approved, purchaser)
    rq.approve(db, approved, lead, "Akkoord.")
    by_non_lead = _request(db, users, "Zorggroep Adviseur")
    rq.submit(db, by_non_lead, purchaser)
    digest = review.content_hash(db, S, by_non_lead)
    write_review_event(db, S, by_non_lead, "APPROVED", advisor, digest)
    other_version = _request(db, users, "Zorggroep Andere Versie")
    rq.submit(db, other_version, purchaser)
    write_review_event(db, S, other_version, "APPROVED", lead, "0" * 64)
    by_its_author = _request(db, users, "Zorggroep Eigen")
    rq.submit(db, by_its_author, lead)  # the teamleider submitted it: may not approve it
    write_review_event(
        db, S, by_its_author, "APPROVED", lead, review.content_hash(db, S, by_its_author)
    )
    submitted = _request(db, users, "Zorggroep Aangeboden")
    rq.submit(db, submitted, purchaser)

    queued = {i.subject_id for i in review.queue(db)}
    assert queued == {by_non_lead, other_version, by_its_author, submitted}
    candidates = _candidates(db)
    assert {(S, i) for i in queued} <= candidates
    assert (S, approved) not in candidates  # the prefilter rules the settled one out
    # the triggers keep review_latest as a rebuild from the facts would make it
    assert latest_rows(db.path) == latest_rows(db.path, rebuild=True)
    # and the queue says exactly what the full computation (every subject settled) says
    for viewer in (None, lead, purchaser, advisor):
        fast = review.queue(db, viewer_id=viewer)
        with monkeypatch.context() as m:
            m.setattr(worklist, "candidates", every_subject_with_steps)
            assert review.queue(db, viewer_id=viewer) == fast


def test_on_the_demo_data_the_prefilter_is_a_superset_and_the_queue_unchanged(
    tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database
    from desktop.services.demo import generate_demo

    path = tmp_path / "demo.sqlite"
    db = open_database(path)
    try:
        generate_demo(db, "small", seed=3)
        with db.read_session() as s:
            viewers = [None] + list(
                s.connection().execute(text("SELECT id FROM app_user")).scalars()
            )
        fast = {v: review.queue(db, viewer_id=v) for v in viewers}
        with monkeypatch.context() as m:
            m.setattr(worklist, "candidates", every_subject_with_steps)
            full = {v: review.queue(db, viewer_id=v) for v in viewers}
        assert fast == full and fast[None]
        assert {(i.subject_type, i.subject_id) for i in full[None]} <= _candidates(db)
        with db.read_session() as s:
            every = every_subject_with_steps(s, set())
        assert len(_candidates(db)) < len(every)  # it does rule subjects out
        assert latest_rows(path) == latest_rows(path, rebuild=True)
    finally:
        db.dispose()


def test_a_refused_decision_after_a_teamleiders_approval_leaves_it_settled(
    db, users, world
) -> None:  # type: ignore[no-untyped-def]
    """The teamleider's approval is no subject's latest step (an adviser's decision, which counts
    for nothing, came after it): settling pops the adviser's and must still know the
    teamleider's counts, so the subject is not queued."""
    purchaser, advisor = users["purchaser"].id, users["advisor"].id
    rid = _request(db, users, "Zorggroep Nagekomen")
    rq.submit(db, rid, purchaser)
    rq.approve(db, rid, users["lead"].id, "Akkoord.")
    write_review_event(db, S, rid, "REJECTED", advisor, review.content_hash(db, S, rid))
    assert (S, rid) in _candidates(db)  # the adviser's step is the latest: undecided here
    assert rid not in {i.subject_id for i in review.queue(db)}
