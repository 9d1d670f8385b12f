"""Issue 18 item 1, "Done when": a database from before the compact sync heads (the frozen
v0001 fixture, with data and its op-log) upgrades, backup first, and syncs with a replica that
never had the old tables. The conversion keeps every head of every field; edits of records made
before the upgrade supersede their old heads; a concurrent edit is a conflict that shows both
versions (values read from the operations, no longer copied into the heads)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from sync_helpers import (
    PASSPHRASE,
    Replica,
    edit_provider,
    op_log_connection,
    provider,
    state_digest,
    sync_all,
)

from db.migrate import inspect_revision
from db.migrations import HEAD
from db.sync.models import HEAD_FIELDS_SQL
from desktop.services import sync as svc
from desktop.services.database import open_database

FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema" / "v0001.sqlite"
TABLES = (
    "provider",
    "location",
    "site_visit",
    "budget_request",
    "theme_assessment",
    "app_user",
    "region",
)


def _counts(path: Path) -> dict[str, int]:
    with op_log_connection(path) as c:
        return {
            t: c.execute(f"SELECT COUNT(*) FROM {t} WHERE deleted_at IS NULL").fetchone()[0]
            for t in TABLES
        }


def test_v0001_with_data_upgrades_and_syncs_with_a_replica_that_never_had_the_old_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "oud.sqlite"
    shutil.copyfile(FIXTURE, path)
    with op_log_connection(path) as c:
        assert "value" in {r[1] for r in c.execute("PRAGMA table_info(sync_head)")}
        old_heads = set(c.execute("SELECT entity, entity_id, field, op_id, value FROM sync_head"))
        providers = [r[0] for r in c.execute("SELECT id FROM provider ORDER BY name")]
        users = dict(c.execute("SELECT name, id FROM app_user"))
    assert len(old_heads) > 1000 and providers

    db = open_database(path)  # upgrades: backup first
    backups = list(tmp_path.glob("oud.backup-0001-*"))
    assert len(backups) == 1 and inspect_revision(backups[0]) == "0001"
    assert inspect_revision(path) == HEAD
    with op_log_connection(path) as c:
        assert [r[1] for r in c.execute("PRAGMA table_info(sync_head)")] == [
            "entity_id",
            "entity",
            "op_id",
        ]
        ddl = c.execute("SELECT sql FROM sqlite_master WHERE name = 'sync_head'").fetchone()[0]
        assert "WITHOUT ROWID" in ddl
        assert not c.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'ix_sync_head_op'"
        ).fetchall()
        # the space the old table took is given back (VACUUM after the upgrade)
        free, pages = (
            c.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count")
        )
        assert free <= pages * 0.25
        # one row per head operation, and per field exactly the heads (and values) of before
        assert c.execute("SELECT COUNT(*) FROM sync_head").fetchone()[0] < len(old_heads) / 5
        new_heads = set(
            c.execute(f"SELECT entity, entity_id, field, op_id, value FROM ({HEAD_FIELDS_SQL})")
        )
    assert new_heads == old_heads

    lead_id, anna_id = users["Carla Bakker"], users["Anna de Vries"]
    store = tmp_path / "store"
    svc.create_store(db, store, lead_id)
    owner = Replica("owner", path, db, lead_id)
    phrase = f"{PASSPHRASE} anna"
    svc.invite_member(db, anna_id, phrase, lead_id)
    new_path = tmp_path / "nieuw.sqlite"
    new_db = open_database(new_path)  # created at the head schema: never had the old table
    svc.join_store(new_db, store, phrase)
    member = Replica("member", new_path, new_db, anna_id)
    sync_all([owner, member])
    assert _counts(member.path) == _counts(owner.path)
    assert state_digest(member.path) == state_digest(owner.path)

    # An edit on the new replica of a record from before the upgrade supersedes its old head.
    pid = providers[0]
    edit_provider(member, pid, name="Zorggroep Na de Upgrade")
    sync_all([owner, member])
    assert provider(owner, pid).name == "Zorggroep Na de Upgrade"
    assert svc.list_conflicts(owner.db) == [] and svc.list_conflicts(member.db) == []

    # Concurrent edits: a conflict on both sides, with both versions readable.
    edit_provider(owner, pid, name="Versie Oud")
    edit_provider(member, pid, name="Versie Nieuw")
    sync_all([owner, member])
    for r in (owner, member):
        conflicts = [x for x in svc.list_conflicts(r.db) if x.kind == "field"]
        assert [(x.entity_id, x.field) for x in conflicts] == [(pid, "name")]
        assert {v.text for v in conflicts[0].versions} == {"Versie Oud", "Versie Nieuw"}
        assert sum(v.shown for v in conflicts[0].versions) == 1
    assert state_digest(member.path) == state_digest(owner.path)
    svc.resolve_field(owner.db, lead_id, "provider", pid, "name", "Versie Samen")
    sync_all([owner, member])
    for r in (owner, member):
        assert provider(r, pid).name == "Versie Samen"
        assert svc.list_conflicts(r.db) == []
    assert state_digest(member.path) == state_digest(owner.path)
    for r in (owner, member):
        r.db.dispose()


def test_v0007_with_edits_a_delete_and_a_conflict_converts_exactly(tmp_path: Path) -> None:
    """The last schema with one head row per field, frozen with superseded fields, a delete and
    a conflict (tests/fixtures/make_schema_fixture.py): after the upgrade every field has the
    same heads with the same values, the conflict shows both versions, and resolving it and
    editing further work on the converted heads."""
    path = tmp_path / "v7.sqlite"
    shutil.copyfile(FIXTURE.with_name("v0007.sqlite"), path)
    with op_log_connection(path) as c:
        old_heads = set(c.execute("SELECT entity, entity_id, field, op_id, value FROM sync_head"))
        conflicts = c.execute("SELECT entity, entity_id, field FROM sync_conflict").fetchall()
        superseded = c.execute("SELECT COUNT(*) FROM sync_superseded").fetchone()[0]
        rows = {t: c.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}
        lead_id = c.execute("SELECT id FROM app_user WHERE name = 'Carla Bakker'").fetchone()[0]
    assert len(conflicts) == 1 and superseded > 0

    db = open_database(path)
    assert len(list(tmp_path.glob("v7.backup-0007-*"))) == 1
    with op_log_connection(path) as c:
        assert (
            set(
                c.execute(f"SELECT entity, entity_id, field, op_id, value FROM ({HEAD_FIELDS_SQL})")
            )
            == old_heads
        )
        assert (
            c.execute("SELECT entity, entity_id, field FROM sync_conflict").fetchall() == conflicts
        )
        assert {t: c.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES} == rows
    ((ent, rid, field),) = conflicts
    shown = [x for x in svc.list_conflicts(db) if x.kind == "field"]
    assert [(x.entity_id, x.field) for x in shown] == [(rid, field)]
    values = {v.text for v in shown[0].versions}
    assert len(values) == 2
    assert values == {json.loads(v) for _e, i, f, _o, v in old_heads if i == rid and f == field}

    svc.resolve_field(db, lead_id, ent, rid, field, "Samengevoegd")
    assert svc.list_conflicts(db) == []
    me = Replica("me", path, db, lead_id)
    assert provider(me, rid).name == "Samengevoegd"
    edit_provider(me, rid, name="Daarna", place="Zwolle")
    assert provider(me, rid).name == "Daarna" and provider(me, rid).place == "Zwolle"
    with op_log_connection(path) as c:
        heads = c.execute(
            f"SELECT field, value FROM ({HEAD_FIELDS_SQL}) WHERE entity_id = ? "
            "AND field IN ('name', 'place')",
            (rid,),
        ).fetchall()
    assert sorted(heads) == [("name", '"Daarna"'), ("place", '"Zwolle"')]
    db.dispose()
