"""Helpers for the issue-13 attack tests: a provider offered for the vier-ogen review, review
states on every replica, and a client that skips its own outbox check (a modified app)."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from review_helpers import write_review_event
from sync_helpers import Replica, add_provider, sync_all


def offered(author: Replica, others: list[Replica], name: str = "Zorggroep Vier Ogen") -> str:
    """`author` creates a provider and offers it for review; everyone has synced it."""
    from desktop.services import review

    pid = add_provider(author, name, place="Zwolle")
    review.submit(author.db, "provider", pid, by=author.user_id)
    sync_all([author, *others])
    return pid


def states(replicas: list[Replica], pid: str) -> list[str]:
    from desktop.services import review

    return [review.status(r.db, "provider", pid).state for r in replicas]


def approvals(replicas: list[Replica], pid: str) -> list[Any]:
    from desktop.services import review

    return [review.approval(r.db, "provider", pid) for r in replicas]


def raw_event(author: Replica, pid: str, kind: str, actor: str, digest: str) -> str:
    """A review event written through the program's write path under any actor (what a
    modified client or a script against the services can do). Returns the event id."""
    return write_review_event(author.db, "provider", pid, kind, actor, digest)


def lead_and_anna(path: Path):  # type: ignore[no-untyped-def]
    """A new database at `path` with Carla (teamleider) and Anna (zorginkoper, added by Carla),
    before any store exists. Returns (db, lead, anna)."""
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    db = open_database(path)
    lead = create_user(db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"])
    anna = create_user(
        db, name="Anna de Vries", initials="AdV", roles=["PURCHASER"], actor_id=lead.id
    )
    return db, lead, anna


def history_with_a_self_approval(anna_here: Replica, lead_id: str) -> tuple[str, str]:
    """History written before any store: "Goedgekeurd Huis", offered by Anna and approved by the
    teamleider (valid), and "Eigen Werk", offered and approved by Anna herself (never valid).
    Returns (good, own) provider ids."""
    from desktop.services import review

    db, anna_id = anna_here.db, anna_here.user_id
    good = add_provider(anna_here, "Goedgekeurd Huis")
    review.submit(db, "provider", good, by=anna_id)
    review.approve(db, "provider", good, by=lead_id)
    own = add_provider(anna_here, "Eigen Werk")
    review.submit(db, "provider", own, by=anna_id)
    digest = review.content_hash(db, "provider", own)
    write_review_event(db, "provider", own, "APPROVED", anna_id, digest)
    return good, own


def current_hash(r: Replica, pid: str) -> str:
    from desktop.services import review

    return review.content_hash(r.db, "provider", pid)


def provider_names(r: Replica) -> set[str]:
    with sqlite3.connect(r.path) as c:
        return {row[0] for row in c.execute("SELECT name FROM provider WHERE deleted_at IS NULL")}


@contextmanager
def unchecked_client(monkeypatch: Any):  # type: ignore[no-untyped-def]
    """A client that pushes its outbox without checking it (crafted segments): only the
    receivers' rules stand between it and the team."""
    from db.sync import guard

    with monkeypatch.context() as m:
        m.setattr(guard, "outbox_reasons", lambda *a, **k: {})
        yield
