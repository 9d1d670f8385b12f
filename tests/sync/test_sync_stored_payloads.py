"""Issue 18 item 1, "Done when": the database ≤ 2× its business data. Operation payloads are
stored compressed with a frozen dictionary (db.sync.stored); revision 0012 converts existing
databases. What the team sees does not change: the same operations on the wire, the same
heads, values and conflicts, and a converted database syncs both ways with a replica that
never stored a payload as text."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sync_helpers import (
    PASSPHRASE,
    Replica,
    add_provider,
    edit_provider,
    op_log_connection,
    provider,
    state_digest,
    sync_all,
)

from db.migrate import inspect_revision
from db.migrations import HEAD
from db.sync import stored
from db.sync.models import HEAD_FIELDS_SQL
from db.sync.op import SYNC_OP_COLUMNS, Op
from db.sync.payload_dictionary import DICTIONARY_V1
from desktop.services import sync as svc
from desktop.services.database import open_database

# v0001: payloads as text, one origin (v0007 also holds an operation of a colleague who never
# pushed, so a new member rightly waits for that colleague: no two-way sync to show there).
FIXTURE = Path(__file__).parents[1] / "fixtures" / "schema" / "v0001.sqlite"

# Written by version 1 on 7 December 2026 (zlib 1.2.13): must read back for ever.
GOLDEN_TEXT = (
    '{"assessed_on":{"$date":"2026-11-23"},"author_id":"49a047dc-4ac8-4fc0-89be-9c1c8eb5140f",'
    '"created_at":{"$dt":"2026-11-23T07:30:00.123456+00:00"},"deleted_at":null,'
    '"rating":"GOOD","rationale":"Zingeving: één gesprek.","theme_code":"T2",'
    '"updated_at":{"$dt":"2026-11-23T07:30:00.123456+00:00"}}'
)
GOLDEN_V1 = bytes.fromhex(
    "01c313ec4666ba8686ba46c64a68ee30b14c3430314f49d635494cb6d035494b36d0b5b04c4ad5b54c364c"
    "b6484d3235343148c3e95898a12106e656c620a7e9191a199b989ae1f10322d8a1cba591c33e0a2803cc3b"
    "79e9560a87571e5e99a700ac70817556b61e7a2083572c610f03426eaa0500"
)


def test_the_version_1_dictionary_is_frozen_and_old_payloads_read_back() -> None:
    assert hashlib.sha256(DICTIONARY_V1).hexdigest() == (
        "32e113b8ba411d75306783a7893d71abed9f88704eaca9acfe3f27449d648d49"
    )
    assert stored.json_text(GOLDEN_V1) == GOLDEN_TEXT
    assert stored.json_text(stored.pack(GOLDEN_TEXT)) == GOLDEN_TEXT
    assert len(GOLDEN_V1) < 0.45 * len(GOLDEN_TEXT.encode())


def test_a_payload_that_would_not_shrink_stays_text_and_both_forms_read_alike() -> None:
    assert stored.pack("{}") == "{}"
    assert stored.loads("{}") == {} and stored.loads(None) == {}
    assert stored.loads(GOLDEN_V1) == stored.loads(GOLDEN_TEXT) == json.loads(GOLDEN_TEXT)
    with pytest.raises(ValueError, match="unknown version"):
        stored.json_text(b"\x07" + GOLDEN_V1[1:])  # a later version: never misread


def _payloads(path: Path) -> dict[str, tuple[str, str]]:
    """op_id -> (SQLite type of the stored payload, its JSON text)."""
    with op_log_connection(path) as c:
        return {
            r[0]: (r[1], r[2])
            for r in c.execute("SELECT op_id, typeof(payload), op_json(payload) FROM sync_op")
        }


def _ops(path: Path) -> list[Op]:
    with sqlite3.connect(path) as c:
        rows = c.execute(f"SELECT {SYNC_OP_COLUMNS} FROM sync_op ORDER BY op_id").fetchall()
    return [Op.from_row(r) for r in rows]


def test_a_text_payload_database_converts_and_syncs_both_ways_with_one_that_never_had_them(
    tmp_path: Path,
) -> None:
    path = tmp_path / "oud.sqlite"
    shutil.copyfile(FIXTURE, path)
    with sqlite3.connect(path) as c:
        before = dict(c.execute("SELECT op_id, payload FROM sync_op"))
        users = dict(c.execute("SELECT name, id FROM app_user"))
        heads_before = set(
            c.execute("SELECT entity, entity_id, field, op_id, value FROM sync_head")
        )
    ops_before = _ops(path)  # the operations as the wire carries them (read from text)
    assert len(before) > 100 and all(isinstance(p, str) for p in before.values())

    db = open_database(path)  # upgrades: backup first, then 0003 ... 0012, then VACUUM

    backups = list(tmp_path.glob("oud.backup-0001-*"))
    assert len(backups) == 1 and inspect_revision(backups[0]) == "0001"
    with sqlite3.connect(backups[0]) as c:
        assert dict(c.execute("SELECT op_id, payload FROM sync_op")) == before
    assert inspect_revision(path) == HEAD
    after = _payloads(path)
    assert {i: j for i, (_t, j) in after.items()} == before  # the same JSON, byte for byte
    kinds = [t for t, _j in after.values()]
    assert kinds.count("blob") > 0.9 * len(kinds)
    assert all(t == "blob" or len(before[i]) < 40 for i, (t, _j) in after.items())
    blob_bytes = sum(len(stored.pack(before[i])) for i, (t, _) in after.items() if t == "blob")
    text_bytes = sum(len(before[i].encode()) for i, (t, _) in after.items() if t == "blob")
    assert blob_bytes < 0.5 * text_bytes
    assert _ops(path) == ops_before  # what a push publishes is unchanged
    with op_log_connection(path) as c:
        free, pages = (
            c.execute(f"PRAGMA {p}").fetchone()[0] for p in ("freelist_count", "page_count")
        )
        assert free <= pages * 0.05  # the space is given back (VACUUM)
        heads_after = set(
            c.execute(f"SELECT entity, entity_id, field, op_id, value FROM ({HEAD_FIELDS_SQL})")
        )
    assert heads_after == heads_before  # every head's value read from the compressed payload

    lead_id, anna_id = users["Carla Bakker"], users["Anna de Vries"]
    store = tmp_path / "store"
    svc.create_store(db, store, lead_id)
    owner = Replica("owner", path, db, lead_id)
    phrase = f"{PASSPHRASE} anna"
    svc.invite_member(db, anna_id, phrase, lead_id)
    new_path = tmp_path / "nieuw.sqlite"
    new_db = open_database(new_path)  # created at head: never stored a payload as text
    svc.join_store(new_db, store, phrase)
    member = Replica("member", new_path, new_db, anna_id)
    sync_all([owner, member])
    assert state_digest(member.path) == state_digest(owner.path)
    on_member = _payloads(new_path)
    assert set(before) <= set(on_member)
    assert all(on_member[i][1] == before[i] for i in before)  # the same JSON arrived
    assert {t for t, j in on_member.values() if len(j) > 40} == {"blob"}

    # Both directions: an edit on each side of a record from before the conversion, and a
    # new record from the new replica.
    pid = next(iter(sorted(r[0] for r in sqlite3.connect(path).execute("SELECT id FROM provider"))))
    edit_provider(member, pid, name="Zorggroep Na de Conversie")
    new_pid = add_provider(member, "Zorggroep Nieuw", place="Zwolle")
    sync_all([owner, member])
    assert provider(owner, pid).name == "Zorggroep Na de Conversie"
    assert provider(owner, new_pid).place == "Zwolle"
    edit_provider(owner, new_pid, place="Kampen")
    sync_all([owner, member])
    assert provider(member, new_pid).place == "Kampen"
    assert svc.list_conflicts(owner.db) == [] and svc.list_conflicts(member.db) == []
    assert state_digest(member.path) == state_digest(owner.path)
    assert _payloads(path).keys() == _payloads(new_path).keys()
    assert {i: j for i, (_t, j) in _payloads(path).items()} == {
        i: j for i, (_t, j) in _payloads(new_path).items()
    }
    for r in (owner, member):
        r.db.dispose()


def test_payloads_frozen_by_revision_0012_still_read_with_their_heads_and_conflict(
    tmp_path: Path,
) -> None:
    """tests/fixtures/schema/v0012.sqlite (frozen, compressed payloads, a conflict): every
    payload reads back as canonical JSON and the conflict shows both versions."""
    path = tmp_path / "v12.sqlite"
    shutil.copyfile(FIXTURE.with_name("v0012.sqlite"), path)
    texts = _payloads(path)
    assert {t for t, _j in texts.values()} == {"blob"} and len(texts) > 100
    canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert all(canonical.encode(json.loads(j)) == j for _t, j in texts.values())
    db = open_database(path)
    try:
        shown = [x for x in svc.list_conflicts(db) if x.kind == "field"]
        assert len(shown) == 1 and len({v.text for v in shown[0].versions}) == 2
    finally:
        db.dispose()


def test_revision_0012_converts_in_chunks_never_reading_the_whole_op_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory stays bounded at any size of the op-log: the conversion reads CHUNK rows at a
    time (5,000 text payloads: three reads of rows and one that finds none left)."""
    import db.engine
    from db.migrate import prepare

    path = tmp_path / "groot.sqlite"
    open_database(path).dispose()
    text = stored.json_text(GOLDEN_V1)
    with op_log_connection(path) as c:  # what a 0011 database with 5,000 operations holds
        c.execute("UPDATE sync_op SET payload = op_json(payload)")
        c.executemany(
            "INSERT INTO sync_op (op_id, origin_id, origin_seq, hlc, author_id, kind, entity, "
            "entity_id, payload, prev, prev_op_id, pushed) VALUES (?, 'o', ?, "
            "'001796588833094.000000', NULL, 'create', 'theme_assessment', ?, ?, '{}', NULL, 0)",
            [(f"op-{n}", n, f"ta-{n}", text) for n in range(5000)],
        )
        c.execute("UPDATE alembic_version SET version_num = '0011'")
        total = c.execute("SELECT COUNT(*) FROM sync_op").fetchone()[0]
    statements: list[str] = []
    make_engine = db.engine.make_engine

    def traced(p):  # type: ignore[no-untyped-def]
        from sqlalchemy import event

        engine = make_engine(p)
        event.listen(engine, "connect", lambda conn, _r: conn.set_trace_callback(statements.append))
        return engine

    monkeypatch.setattr(db.engine, "make_engine", traced)

    assert prepare(path) == "upgraded"

    reads = [s for s in statements if "typeof(payload) = 'text'" in s and s.startswith("SELECT")]
    assert all("LIMIT 2000" in s for s in reads) and len(reads) == -(-total // 2000) + 1
    after = _payloads(path)
    assert len(after) == total and {t for t, _j in after.values()} == {"blob"}
    assert {j for i, (_t, j) in after.items() if i.startswith("op-")} == {text}
