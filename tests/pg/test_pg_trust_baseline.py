"""Issue 13, attack 8 on the team server: history that existed before `store create` reaches a
member through the server (the owner's baseline), with the same review states."""

from __future__ import annotations

import sqlite3

from pg_helpers import setup_server
from sync_helpers import Replica, add_provider
from trust_helpers import history_with_a_self_approval, lead_and_anna

from desktop.services import review
from desktop.services import sync as svc
from desktop.services.database import open_database


def _anna_joins_the_store(tmp_path, db, lead, anna):  # type: ignore[no-untyped-def]
    """Carla creates the store on r0 and invites Anna, who joins with r1.sqlite.
    Returns (store, owner replica, member replica)."""
    store = tmp_path / "store"
    svc.create_store(db, store, lead.id)
    svc.invite_member(db, anna.id, "wachtzin van anna", lead.id)
    member_db = open_database(tmp_path / "r1.sqlite")
    svc.join_store(member_db, store, "wachtzin van anna")
    owner = Replica("r0", tmp_path / "r0.sqlite", db, lead.id)
    member = Replica("r1", tmp_path / "r1.sqlite", member_db, anna.id)
    return store, owner, member


def test_history_before_the_store_reaches_a_member_through_the_server(tmp_path, pg) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    db, lead, anna = lead_and_anna(tmp_path / "r0.sqlite")
    here = Replica("anna-here", tmp_path / "r0.sqlite", db, anna.id)
    good, own = history_with_a_self_approval(here, lead.id)
    store, owner, member = _anna_joins_the_store(tmp_path, db, lead, anna)
    team = setup_server(cluster, name, store, [owner, member])
    with team.hub(0) as hub:
        pushed = svc.sync_now(owner.db, hub=hub)
    assert pushed.held == () and pushed.pushed > 0, pushed
    with team.hub(1) as hub:
        pulled = svc.sync_now(member.db, hub=hub)
    assert pulled.refused_ops == 0 and pulled.quarantined == 0 and pulled.waiting == 0
    for table in ("provider", "review_event", "app_user"):
        q = f"SELECT COUNT(*) FROM {table}"
        with sqlite3.connect(owner.path) as a, sqlite3.connect(member.path) as b:
            assert a.execute(q).fetchone() == b.execute(q).fetchone()
    for r in (owner, member):
        assert review.status(r.db, "provider", good).state == "APPROVED"
        st = review.status(r.db, "provider", own)
        assert st.state == "SUBMITTED" and any(s.refused for s in st.steps)


def test_history_moved_with_store_migrate_can_be_approved_on_the_server(tmp_path, pg) -> None:  # type: ignore[no-untyped-def]
    """A submission still pending in the baseline, store moved with store-migrate (which
    imports the baseline's review facts): the teamleider approves it through the server."""
    cluster, name = pg
    db, lead, anna = lead_and_anna(tmp_path / "r0.sqlite")
    pending = add_provider(Replica("anna-here", tmp_path / "r0.sqlite", db, anna.id), "Wacht Huis")
    review.submit(db, "provider", pending, by=anna.id)
    store, owner, member = _anna_joins_the_store(tmp_path, db, lead, anna)
    assert svc.sync_now(owner.db).pushed > 0  # the baseline, on the file share
    team = setup_server(cluster, name, store, [owner, member])
    review.approve(owner.db, "provider", pending, by=lead.id)
    with team.hub(0) as hub:
        done = svc.sync_now(owner.db, hub=hub)
    assert done.held == () and done.pushed >= 1, done
    with team.hub(1) as hub:
        svc.sync_now(member.db, hub=hub)
    assert review.status(member.db, "provider", pending).state == "APPROVED"
