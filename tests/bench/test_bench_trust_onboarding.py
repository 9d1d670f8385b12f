"""Issue 13 (Done when): a new member of a team created from the zorgkantoor bench database
has the same business rows (providers, requests, review events, letters) and the same review
states as the owner after one sync. Slow (the bench database, ~10,000 operations):

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_trust_onboarding.py -s
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import keyring
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))
from sync_helpers import MemoryKeyring  # noqa: E402

pytestmark = [pytest.mark.bench, pytest.mark.slow]
TABLES = ("provider", "location", "budget_request", "review_event", "letter", "care_office")


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as c:
        return {t: c.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def _states(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from desktop.services import review

    with db.read_session() as s:
        ids = [
            r[0]
            for r in s.execute(
                text(
                    "SELECT DISTINCT subject_id FROM review_event WHERE subject_type = 'budget_request'"
                )
            )
        ]
    return {i: review.status(db, "budget_request", i).state for i in ids}


def test_member_of_a_team_from_the_zorgkantoor_database(
    zorgkantoor_db_copy: Path,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch,
) -> None:
    import db.sync.segment as segment
    from desktop.services import sync as svc
    from desktop.services.database import open_database
    from desktop.services.users import list_users

    monkeypatch.setattr(segment, "SCRYPT_N", 2**10)
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        owner = open_database(zorgkantoor_db_copy)
        users = list_users(owner)
        lead = next(u for u in users if "TEAM_LEAD" in u.roles)
        member_user = next(u for u in users if u.roles == ("PURCHASER",))
        before = _states(owner)
        store = tmp_path / "store"
        svc.create_store(owner, store, lead.id)
        svc.invite_member(owner, member_user.id, "wachtzin voor de bank", lead.id)
        started = time.perf_counter()
        pushed = svc.sync_now(owner)
        member = open_database(tmp_path / "member.sqlite")
        svc.join_store(member, store, "wachtzin voor de bank")
        pulled = svc.sync_now(member)
        seconds = time.perf_counter() - started
        print(
            f"\nzorgkantoor onboarding: pushed {pushed.pushed:,} ops, member pulled "
            f"{pulled.pulled:,} in one sync; push + join + pull {seconds:.1f} s"
        )
        assert pushed.held == () and pulled.refused_ops == 0 and pulled.quarantined == 0
        assert pulled.waiting == 0 and pulled.conflicts == 0
        assert _counts(tmp_path / "member.sqlite") == _counts(zorgkantoor_db_copy)
        assert _states(member) == _states(owner) == before
        assert "APPROVED" in before.values()
        member.dispose()
        owner.dispose()
    finally:
        keyring.set_keyring(previous)
