"""Issue 18 item 2: a new laptop's first pull applies in bulk (db/sync/bulk.py): the search index
and the current ratings are rebuilt once at the end instead of by their triggers row by row. The
member ends with exactly the owner's rows, search hits and ratings, the triggers are back, and a
join killed half-way (kill -9 of a real `sync` process) is repaired on the next start."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sync_helpers import integrity_ok, state_digest
from test_sync_processes import _cli_sync, _export_keyring

PHRASE = "wachtzin voor de nieuwe laptop"


def _derived(path: Path) -> tuple[list[tuple], list[tuple], set[str]]:
    with sqlite3.connect(path) as c:
        search = sorted(c.execute("SELECT source, ref_id, body, dated FROM search_fts"))
        current = sorted(c.execute("SELECT * FROM theme_current"))
        triggers = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    return search, current, triggers


def _stale(path: Path) -> bool:
    with sqlite3.connect(path) as c:
        return (
            c.execute("SELECT COUNT(*) FROM sync_meta WHERE key = 'derived_stale'").fetchone()[0]
            == 1
        )


@pytest.fixture
def demo_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """An owner whose store was created from a small demo database (its history pushed as a
    baseline in segments of 400 operations), and an invitation for a purchaser."""
    import db.sync.published as published
    import db.sync.segment as segment
    from desktop.services import sync as svc
    from desktop.services.database import open_database
    from desktop.services.demo import generate_demo
    from desktop.services.users import list_users

    monkeypatch.setattr(segment, "SCRYPT_N", 2**10)
    monkeypatch.setattr(published, "SEGMENT_MAX_OPS", 400)
    owner = open_database(tmp_path / "owner.sqlite")
    generate_demo(owner, "small", 7, today=date(2026, 11, 23))
    users = list_users(owner)
    lead = next(u for u in users if "TEAM_LEAD" in u.roles)
    member = next(u for u in users if u.roles == ("PURCHASER",))
    svc.create_store(owner, tmp_path / "store", lead.id)
    svc.invite_member(owner, member.id, PHRASE, lead.id)
    pushed = svc.sync_now(owner)
    assert pushed.pushed > 2000
    yield owner, tmp_path / "store", member
    owner.dispose()


def test_a_new_member_applies_the_history_in_bulk_with_the_same_rows_search_hits_and_ratings(
    demo_team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import db.sync.bulk as bulk
    from desktop.services import search
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    owner, store, _member = demo_team
    entered: list[Path] = []
    first_pull = bulk.first_pull

    def spy(db):  # type: ignore[no-untyped-def]
        entered.append(db.path)
        return first_pull(db)

    monkeypatch.setattr(bulk, "first_pull", spy)
    laptop = open_database(tmp_path / "laptop.sqlite")
    svc.join_store(laptop, store, PHRASE)
    pulled = svc.sync_now(laptop)
    assert entered == [tmp_path / "laptop.sqlite"]  # the bulk path, once
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    assert pulled.conflicts == 0 and pulled.quarantined == 0

    search_o, current_o, triggers_o = _derived(tmp_path / "owner.sqlite")
    search_m, current_m, triggers_m = _derived(tmp_path / "laptop.sqlite")
    assert len(search_m) > 500 and len(current_m) > 100
    assert (search_m, current_m) == (search_o, current_o)
    assert (
        triggers_m == triggers_o
        and {"theme_assessment_cur_ai", "diagnosis_note_fts_ai"} <= triggers_m
    )
    assert not _stale(tmp_path / "laptop.sqlite")
    assert state_digest(tmp_path / "laptop.sqlite") == state_digest(tmp_path / "owner.sqlite")

    # The triggers work again: a later sync (not a first pull) keeps the index by itself.
    word = search_o[0][2].split()[0]
    assert search.search(laptop, word).hits
    entered.clear()
    assert svc.sync_now(laptop).pulled == 0 and entered == []
    laptop.dispose()


def test_a_join_killed_half_way_is_repaired_at_the_next_start(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path
) -> None:
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    owner, store, _member = demo_team
    path = tmp_path / "laptop.sqlite"
    laptop = open_database(path)
    svc.join_store(laptop, store, PHRASE)
    laptop.dispose()
    _export_keyring(tmp_path)

    crashed = _cli_sync(tmp_path, path, "apply_after_commit@3")  # kill -9 after 3 segments
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert integrity_ok(path)
    search, current, triggers = _derived(path)
    assert _stale(path) and "diagnosis_note_fts_ai" not in triggers

    laptop = open_database(path)  # the next start repairs before anyone searches
    search, current, triggers = _derived(path)
    assert not _stale(path) and "diagnosis_note_fts_ai" in triggers
    with sqlite3.connect(path) as c:
        notes = c.execute(
            "SELECT COUNT(*) FROM diagnosis_note WHERE deleted_at IS NULL"
        ).fetchone()[0]
        assert (
            c.execute("SELECT COUNT(*) FROM search_fts WHERE source = 'note'").fetchone()[0]
            == notes
        )
    laptop.dispose()

    again = _cli_sync(tmp_path, path)  # the rest of the join (not a first pull any more)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _derived(path) == _derived(tmp_path / "owner.sqlite")
    assert state_digest(path) == state_digest(tmp_path / "owner.sqlite")
