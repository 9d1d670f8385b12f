"""Issue 13, attack 8: a team starts from a database with history. What existed before
`store create` reaches every member as the owner's baseline; review steps in it count only
when the review rules derive them valid, on every replica alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync_helpers import PASSPHRASE, Replica
from trust_helpers import history_with_a_self_approval, lead_and_anna

from desktop.services import review
from desktop.services import sync as svc
from desktop.services.database import open_database

TABLES = ("provider", "location", "budget_request", "review_event", "letter")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def _request_states(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        ids = [
            r[0]
            for r in s.exec(
                __import__("sqlalchemy").text(
                    "SELECT DISTINCT subject_id FROM review_event WHERE subject_type = 'budget_request'"
                )
            )
        ]
    return {i: review.status(db, "budget_request", i).state for i in ids}


def _join(tmp_path: Path, lead_db, store: Path, member_id: str, lead_id: str, name: str):  # type: ignore[no-untyped-def]
    phrase = f"{PASSPHRASE} {name}"
    svc.invite_member(lead_db, member_id, phrase, lead_id)
    db = open_database(tmp_path / f"{name}.sqlite")
    svc.join_store(db, store, phrase)
    return Replica(name, tmp_path / f"{name}.sqlite", db, member_id)


def test_history_of_a_shared_laptop_reaches_the_new_member(tmp_path: Path) -> None:
    """Two colleagues used one laptop before syncing: the colleague's work, the teamleider's
    valid approval and the colleague's invalid self-approval all arrive; the derivation is the
    same on both replicas."""
    db, lead, anna = lead_and_anna(tmp_path / "shared.sqlite")
    owner = Replica("owner", tmp_path / "shared.sqlite", db, lead.id)
    anna_here = Replica("anna", tmp_path / "shared.sqlite", db, anna.id)
    good, own = history_with_a_self_approval(anna_here, lead.id)
    store = tmp_path / "store"
    svc.create_store(db, store, lead.id)
    member = _join(tmp_path, db, store, anna.id, lead.id, "anna-laptop")
    first = svc.sync_now(owner.db)
    assert first.held == () and first.pushed > 0
    joined = svc.sync_now(member.db)
    assert joined.refused_ops == 0 and joined.quarantined == 0
    assert _counts(member.path) == _counts(owner.path)
    for r in (owner, member):
        assert review.status(r.db, "provider", good).state == "APPROVED"
        st = review.status(r.db, "provider", own)
        assert st.state == "SUBMITTED" and any(s.refused for s in st.steps)


def test_a_team_created_from_the_demo_database(tmp_path: Path) -> None:
    """The demo database: every provider, request, review step and letter arrives with the
    first sync, and every request has the same review state on both replicas."""
    from desktop.services.demo import generate_demo
    from desktop.services.reference import load_reference_data
    from desktop.services.users import list_users, set_current_user

    db = open_database(tmp_path / "demo.sqlite")
    load_reference_data(db)
    generate_demo(db, "small", 2026)
    users = list_users(db)
    lead = next(u for u in users if "TEAM_LEAD" in u.roles)
    member_user = next(u for u in users if u.roles == ("PURCHASER",))
    set_current_user(db, lead.id)
    store = tmp_path / "store"
    svc.create_store(db, store, lead.id)
    owner = Replica("owner", tmp_path / "demo.sqlite", db, lead.id)
    before = _request_states(db)
    assert "APPROVED" in before.values()
    member = _join(tmp_path, db, store, member_user.id, lead.id, "nieuw")
    assert svc.sync_now(owner.db).held == ()
    summary = svc.sync_now(member.db)
    assert summary.refused_ops == 0 and summary.quarantined == 0 and summary.waiting == 0
    assert summary.conflicts == 0
    assert _counts(member.path) == _counts(owner.path)
    letterhead = "SELECT code, postal_address, kvk_number FROM care_office ORDER BY code"
    with sqlite3.connect(owner.path) as a, sqlite3.connect(member.path) as b:
        assert a.execute(letterhead).fetchall() == b.execute(letterhead).fetchall()
    assert _counts(member.path)["letter"] > 0
    assert _request_states(member.db) == _request_states(owner.db) == before
