"""Issue 13, attacks 1 and 5 where they hurt: the definitive letter. On the zorginkoper's own
laptop, neither a self-made teamleider profile nor an approval written into her own SQLite in
the teamleider's name makes her afwijkingsverzoek "Goedgekeurd" or its letter definitive; the
teamleider's real approval (synced) does."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date
from pathlib import Path

import keyring
import pytest
from review_helpers import write_review_event

from db.errors import RuleViolation
from desktop.services import letters, review
from desktop.services import requests as rq
from desktop.services import sync as svc
from tests.letters_helpers import _template_db, db, decided, make_world, users  # noqa: F401 (fixtures)

sys.path.insert(0, str(Path(__file__).parent / "sync"))
from sync_helpers import MemoryKeyring  # noqa: E402

DAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import db.sync.segment as segment

    monkeypatch.setattr(segment, "SCRYPT_N", 2**10)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_no_definitive_letter_from_a_self_made_or_local_approval(db, users, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    lead, anna = users["lead"], users["purchaser"]
    world = make_world(db, anna.id)
    rid = decided(db, users, world, approve=False)
    rq.submit(db, rid, anna.id)
    store = tmp_path / "store"
    svc.create_store(db, store, lead.id)  # this database becomes the teamleider's laptop
    svc.invite_member(db, anna.id, "wachtzin van anna", lead.id)
    svc.sync_now(db)
    mine = open_database(tmp_path / "anna.sqlite")
    svc.join_store(mine, store, "wachtzin van anna")
    svc.sync_now(mine)
    info = letters.create_letter(mine, rid, anna.id)
    # Attack 1 through the services: a new profile with the teamleider role on her laptop.
    boss = create_user(mine, name="Anna (teamleider)", initials="AT", roles=["TEAM_LEAD"])
    with pytest.raises(RuleViolation, match="teamleider"):
        rq.approve(mine, rid, boss.id)
    digest = review.content_hash(mine, "budget_request", rid)
    # Attack 5: an approval in the teamleider's name, through the write path and as raw SQL.
    write_review_event(mine, "budget_request", rid, "APPROVED", lead.id, digest)
    with sqlite3.connect(tmp_path / "anna.sqlite") as c:
        c.execute(
            "INSERT INTO review_event (id, subject_type, subject_id, kind, actor_id, "
            "content_hash, comment, at, created_at, updated_at) VALUES ('raw-approval', "
            "'budget_request', ?, 'APPROVED', ?, ?, '', '2026-12-06 07:00:00', "
            "'2026-12-06 07:00:00', '2026-12-06 07:00:00')",
            (rid, boss.id, digest),
        )
    assert review.status(mine, "budget_request", rid).state == "SUBMITTED"
    with pytest.raises(RuleViolation, match="goedgekeurd besluit"):
        letters.make_definitive(mine, info.id, anna.id, letter_date=DAY)
    assert svc.sync_now(mine).held  # kept on her laptop, with what to do
    svc.sync_now(db)
    assert review.status(db, "budget_request", rid).state == "SUBMITTED"
    # The teamleider's own approval on her own laptop is the one that counts, everywhere.
    rq.approve(db, rid, lead.id)
    svc.sync_now(db)
    svc.sync_now(mine)
    assert review.status(mine, "budget_request", rid).state == "APPROVED"
    done = letters.make_definitive(mine, info.id, anna.id, letter_date=DAY)
    assert done.status == "DEFINITIVE"
    assert review.approval(mine, "budget_request", rid).approver_name == "Carla Bakker"
    mine.dispose()
