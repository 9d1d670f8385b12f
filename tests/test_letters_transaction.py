"""A definitive letter is one transaction (issue 19): the letter, its vier-ogen approval and
everything it shows are read once, checked, rendered and stored in the unit of work that writes
it. Counted on the real engine: every transaction SQLAlchemy begins (read or write) and every
plain read-only sqlite3 connection a query helper opens on the side."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import select

from db.errors import RuleViolation
from db.models import Letter
from desktop.services import letters, plans
from desktop.services import requests as rq
from tests.letters_helpers import _template_db, db, decided, make_world, pdf_text, users  # noqa: F401 (fixtures)
from tests.test_letters_decisions import _agreements_for

DAY = date(2026, 11, 23)


@contextmanager
def counted(db, monkeypatch) -> Iterator[Counter[str]]:  # type: ignore[no-untyped-def]
    """Counter of "write" (BEGIN IMMEDIATE), "read" (BEGIN DEFERRED) transactions and "side"
    connections (sqlite3 read-only connections outside SQLAlchemy) while the block runs."""
    seen: Counter[str] = Counter()

    def on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        seen["write" if mode == "IMMEDIATE" else "read"] += 1

    real_connect = sqlite3.connect

    def connect(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "mode=ro" in str(target):
            seen["side"] += 1
        return real_connect(target, *args, **kwargs)

    event.listen(db.engine, "begin", on_begin)
    monkeypatch.setattr(sqlite3, "connect", connect)
    try:
        yield seen
    finally:
        monkeypatch.undo()
        event.remove(db.engine, "begin", on_begin)


def _rich_request(db, users, *, approve: bool = True) -> str:  # type: ignore[no-untyped-def]
    """A decided (and approved) request that touches every part of the letter's context: a quality
    plan, doelthema's and maatwerkafspraken."""
    world = make_world(db, users["purchaser"].id)
    plan = plans.create_plan(db, by=users["advisor"].id, provider_id=world.provider_id, year=2027)
    rid = decided(db, users, world, quality_plan_id=plan.id, approve=approve)
    _agreements_for(db, users, world, rid)
    return rid


def test_the_counter_sees_sessions_and_side_connections(db, users, monkeypatch):  # type: ignore[no-untyped-def]
    """The instrument itself: a read session, a unit of work and a side connection all count
    (otherwise the next test could pass by not seeing anything)."""
    from db.repo import UnitOfWork
    from desktop.services.steering.agreements import list_agreements

    with counted(db, monkeypatch) as seen:
        with db.read_session() as s:
            s.exec(select(Letter)).all()
        with UnitOfWork(db, users["purchaser"].id) as uow:
            uow.exec(select(Letter)).all()
        list_agreements(db)
    assert seen == Counter(read=1, write=1, side=1)


def test_making_a_letter_definitive_is_one_transaction(db, users, monkeypatch):  # type: ignore[no-untyped-def]
    rid = _rich_request(db, users)
    concept = letters.create_letter(db, rid, users["purchaser"].id)
    with counted(db, monkeypatch) as seen:
        info = letters.make_definitive(db, concept.id, users["purchaser"].id, letter_date=DAY)
    assert seen == Counter(write=1), (
        seen
    )  # before issue 19: 7 read sessions, 2 side connections, 1 write
    assert info.kenmerk.endswith("/2027/000001") and info.approver_name == users["lead"].name
    text = " ".join(" ".join(p.split()) for p in pdf_text(letters.letter_pdf(db, info.id)))
    # Read inside the same transaction: the doelthema's and the agreements are in the PDF.
    assert "T3 Veiligheid en T6 Personeelssamenstelling" in text
    assert "Vaste gezichten in de avonddienst" in text and "Dashboard per locatie" not in text


def test_the_approval_is_checked_in_the_transaction_that_stores(db, users, monkeypatch):  # type: ignore[no-untyped-def]
    """A decision without a vier-ogen approval refuses in that one transaction; nothing stored."""
    rid = _rich_request(db, users, approve=False)
    concept = letters.create_letter(db, rid, users["purchaser"].id)
    with counted(db, monkeypatch) as seen, pytest.raises(RuleViolation, match="vier-ogen"):
        letters.make_definitive(db, concept.id, users["purchaser"].id, letter_date=DAY)
    assert seen == Counter(write=1), seen
    with db.read_session() as s:
        row = s.get(Letter, concept.id)
        assert row is not None and row.status == "DRAFT" and row.kenmerk is None and row.pdf is None
    assert rq.get_request(db, rid).decision == "APPROVED"


def test_a_concept_preview_reads_in_one_session(db, users, monkeypatch):  # type: ignore[no-untyped-def]
    rid = _rich_request(db, users)
    concept = letters.create_letter(db, rid, users["purchaser"].id)
    with counted(db, monkeypatch) as seen:
        pdf = letters.letter_pdf(db, concept.id, today=DAY)
    assert seen == Counter(read=1), seen
    assert "CONCEPT" in " ".join(pdf_text(pdf))
