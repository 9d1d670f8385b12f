"""Sync protocol scenarios with real SQLite files and a real folder store (SYNC-NOTES §10)."""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
from pathlib import Path

import keyring
import pytest
from sync_helpers import (
    add_provider,
    delete_provider,
    edit_provider,
    integrity_ok,
    op_ids,
    provider,
    state_digest,
    sync_all,
    team_copy,
)

from db.sync import oplog
from desktop.services import sync as svc

YEAR_MS = 365 * 24 * 3600 * 1000


def _segments(store: Path) -> list[Path]:
    return sorted((store / "ops").glob("*/*.seg"))


def test_edits_converge_and_concurrent_edit_is_a_conflict_resolved_by_merge(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Zorggroep Noord", place="Zwolle")
    sync_all([a, b, c])
    # offline, both edit the same free-text field and different fields
    edit_provider(a, pid, name="Zorggroep Noord-Oost")
    edit_provider(b, pid, name="Zorggroep Noord (fusie)", place="Assen")
    sync_all([a, b, c])
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1
    conflicts = [x for x in svc.list_conflicts(c.db) if x.kind == "field"]
    assert [x.field for x in conflicts] == ["name"]
    texts = {v.text for v in conflicts[0].versions}
    assert texts == {"Zorggroep Noord-Oost", "Zorggroep Noord (fusie)"}  # nothing dropped
    shown = provider(c, pid)
    assert shown.name in texts and shown.place == "Assen"
    assert svc.status(c.db).conflicts == 1
    # c merges both versions; afterwards nobody has a conflict
    svc.resolve_field(c.db, c.user_id, "provider", pid, "name", "Zorggroep Noord-Oost (fusie)")
    sync_all([a, b, c])
    for r in (a, b, c):
        assert provider(r, pid).name == "Zorggroep Noord-Oost (fusie)"
        assert svc.list_conflicts(r.db) == []
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1


def test_edit_after_seeing_wins_without_conflict(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "De Linde")
    sync_all([a, b])
    edit_provider(b, pid, name="De Linde B.V.")
    sync_all([a, b])
    edit_provider(a, pid, name="De Linde Zorg")
    sync_all([a, b, c])
    for r in (a, b, c):
        assert provider(r, pid).name == "De Linde Zorg"
        assert svc.list_conflicts(r.db) == []


def test_edit_concurrent_with_delete_keeps_record_and_flags_it(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Het Baken")
    sync_all([a, b])
    delete_provider(a, pid)
    edit_provider(b, pid, place="Meppel")
    sync_all([a, b, c])
    for r in (a, b, c):
        p = provider(r, pid)
        assert p.deleted_at is None and p.place == "Meppel"  # the edit is not lost
        assert [x.kind for x in svc.list_conflicts(r.db)] == ["edit_delete"]
    # the user decides: delete after all
    svc.resolve_edit_delete(c.db, c.user_id, "provider", pid, keep=False)
    sync_all([a, b, c])
    for r in (a, b, c):
        assert provider(r, pid).deleted_at is not None
        assert svc.list_conflicts(r.db) == []
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1


def test_plain_delete_is_a_tombstone_everywhere(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Avondrood")
    sync_all([a, b, c])
    delete_provider(b, pid)
    sync_all([a, b, c])
    for r in (a, b, c):
        assert provider(r, pid).deleted_at is not None
        assert svc.list_conflicts(r.db) == []


def test_reducer_is_order_independent_and_idempotent(tmp_path: Path) -> None:
    """Reducer algebra: the same operations applied in shuffled order, with duplicates,
    give the same state (§10 #2)."""
    from db.engine import Database
    from db.sync.published import ops_rows as _ops_rows
    from db.sync.reducer import apply_ops

    store, (a, b, c) = team_copy(tmp_path)
    base = tmp_path / "base.sqlite"
    shutil.copy(c.path, base)
    ids = [add_provider(a, f"Aanbieder {i}") for i in range(3)]
    sync_all([a, b])
    rng = random.Random(7)
    for step in range(12):
        r = (a, b)[step % 2]
        pid = rng.choice(ids)
        if step == 9:
            delete_provider(r, pid)
        else:
            edit_provider(r, pid, name=f"Naam {step}", place=rng.choice(["Zwolle", "Assen"]))
        if step % 5 == 4:
            sync_all([a, b], rounds=1)
    ops: list[dict] = []
    for r in (a, b):
        with r.db.read_session() as s:
            ops += _ops_rows(s, "1=1", {})
    digests = set()
    for trial in range(3):
        path = tmp_path / f"t{trial}.sqlite"
        shutil.copy(base, path)
        db = Database(path)
        order = ops[:] + rng.sample(ops, 10)
        rng.shuffle(order)
        for i in range(0, len(order), 7):
            with db.write_session() as s, s.begin():
                apply_ops(s, order[i : i + 7])
        with db.write_session() as s, s.begin():
            apply_ops(s, rng.sample(ops, 5))  # duplicates only: no change
        db.dispose()
        digests.add(state_digest(path))
    assert len(digests) == 1


def test_refuses_missing_empty_and_foreign_store_and_changes_nothing(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    _ring = keyring.get_keyring()
    add_provider(a, "Zonnehof")
    before = state_digest(a.path), op_ids(a.path)
    # missing
    with pytest.raises(svc.StoreUnavailable, match="niet bereikbaar"):
        svc.sync_now(a.db, tmp_path / "verdwenen")
    # empty folder (unmounted share, emptied OneDrive folder)
    (tmp_path / "leeg").mkdir()
    with pytest.raises(svc.StoreUnavailable, match="hub.json ontbreekt"):
        svc.sync_now(a.db, tmp_path / "leeg")
    # a different store (re-pointed folder)
    other, others = team_copy(tmp_path / "ander", 2)
    for r in others:
        r.db.dispose()
    keyring.set_keyring(_ring)
    with pytest.raises(svc.StoreUnavailable, match="andere gedeelde opslag"):
        svc.sync_now(a.db, other)
    # a tampered identity file (roster or owner swapped) is refused too
    ident = json.loads((store / "hub.json").read_text())
    saved = (store / "hub.json").read_bytes()
    ident["members"].append(
        {"user_id": "x", "name": "Indringer", "public_key": ident["owner"]["public_key"]}
    )
    (store / "hub.json").write_text(json.dumps(ident))
    with pytest.raises(svc.StoreUnavailable, match="gewijzigd of vervalst"):
        svc.sync_now(a.db)
    (store / "hub.json").write_bytes(saved)
    assert (state_digest(a.path), op_ids(a.path)) == before
    assert svc.status(a.db).pending_ops > 0  # nothing was marked pushed
    assert svc.sync_now(a.db).pushed > 0


def test_tampered_segments_are_quarantined_never_applied_never_deleted(tmp_path: Path) -> None:
    from db.sync.segment import Keys, seal

    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(b, "Residentie Veld")
    svc.sync_now(b.db)
    seg = max(_segments(store), key=lambda p: p.stat().st_mtime_ns)
    good = seg.read_bytes()
    origin = seg.parent.name
    first, last = (int(x) for x in seg.stem.split("-"))
    # 1. flipped byte (same name: a receiver that has not seen the file yet)
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 0x01
    # 2. truncated copy, 3. replay under another range, 4. swapped origin
    other_origin = "11111111-2222-4333-8444-555555555555"
    (store / "ops" / other_origin).mkdir()
    (store / "ops" / other_origin / seg.name).write_bytes(good)
    (store / "ops" / origin / f"{last + 1:012d}-{last + 1 + last - first:012d}.seg").write_bytes(
        good
    )
    (store / "ops" / origin / f"{last + 50:012d}-{last + 50:012d}.seg").write_bytes(good[:-40])
    # 5. a forged approval: an insider with the team key signs an approval "by" the teamleider
    keys_b = svc.load_keys(b.db)
    forged_op = {
        "id": "f0f0f0f0-0000-4000-8000-000000000001",
        "o": origin,
        "s": 900,
        "h": "001800000000000.000000",
        "a": a.user_id,
        "k": "create",
        "e": "review_event",
        "i": "f0f0f0f0-0000-4000-8000-000000000002",
        "p": {
            "subject_type": "provider",
            "subject_id": pid,
            "kind": "APPROVED",
            "actor_id": a.user_id,
            "content_hash": "0" * 64,
            "comment": "",
        },
        "v": {},
    }
    hub_id = json.loads((store / "hub.json").read_text())["hub_id"]
    forged = seal(
        {"hub": hub_id, "o": origin, "a": 900, "b": 900, "d": {}, "c": 1}, [forged_op], keys_b
    )
    (store / "ops" / origin / f"{900:012d}-{900:012d}.seg").write_bytes(forged)
    # 6. signed by a key that is not on the roster
    import os as _os

    stranger = Keys(keys_b.team_keys, keys_b.current_key_id, "onbekend", _os.urandom(32))
    (store / "ops" / origin / f"{901:012d}-{901:012d}.seg").write_bytes(
        seal(
            {"hub": hub_id, "o": origin, "a": 901, "b": 901, "d": {}, "c": 1},
            [dict(forged_op, s=901, e="provider", p={"name": "X"}, a="onbekend")],
            stranger,
        )
    )
    # 7. OneDrive conflict copy and a 0-byte placeholder and a stray file
    (store / "ops" / origin / f"{seg.stem}-LAPTOP-JAN.seg").write_bytes(good)
    (store / "ops" / origin / "000000000700-000000000700.seg").write_bytes(b"")
    (store / "ops" / "desktop.ini").write_text("[.ShellClassInfo]")
    files_before = sorted(p.relative_to(store) for p in store.rglob("*") if p.is_file())

    a_flipped = a  # a sees the flipped version of b's genuine segment
    seg.write_bytes(bytes(flipped))
    result = svc.sync_now(a_flipped.db)
    assert result.quarantined >= 8
    assert provider(a, pid) is None  # the genuine ops were not applied from a damaged file
    with sqlite3.connect(a.path) as conn:
        assert (
            conn.execute(
                "SELECT COUNT(*) FROM review_event WHERE subject_id = ?", (pid,)
            ).fetchone()[0]
            == 0
        )
        reasons = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT name, reason FROM sync_segment WHERE status = 'quarantined'"
            )
        }
    # The forged approval (5.) is a validly signed segment: its operation is refused op by op
    # when it becomes applicable (tests/sync/test_trust_attacks.py), never applied here.
    assert any("teamlijst" in r for r in reasons.values())
    assert any("afgekapt" in r for r in reasons.values())
    assert any("bestandsnaam past niet" in r for r in reasons.values())
    # nothing deleted
    assert sorted(p.relative_to(store) for p in store.rglob("*") if p.is_file()) == files_before
    # the genuine file comes back (re-download): it is applied, valid data still flows
    seg.write_bytes(good)
    svc.sync_now(a.db)
    assert provider(a, pid).name == "Residentie Veld"
    assert integrity_ok(a.path)


def test_restored_laptop_database_forks_to_new_origin_and_keeps_both_branches(
    tmp_path: Path,
) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(b, "Zorggroep Zuid")
    svc.sync_now(b.db)
    backup = tmp_path / "backup.sqlite"
    b.db.dispose()
    shutil.copy(b.path, backup)
    from db.engine import Database

    b.db = Database(b.path)
    edit_provider(b, pid, name="Zorggroep Zuid (oud)")
    lost_branch = op_ids(b.path)
    svc.sync_now(b.db)
    # the laptop is restored from yesterday's backup and the user keeps working
    b.db.dispose()
    shutil.copy(backup, b.path)
    for suffix in ("-wal", "-shm"):
        Path(str(b.path) + suffix).unlink(missing_ok=True)
    b.db = Database(b.path)
    old_origin = (
        sqlite3.connect(b.path)
        .execute("SELECT value FROM sync_meta WHERE key='origin_id'")
        .fetchone()[0]
    )
    edit_provider(b, pid, place="Tilburg")
    result = svc.sync_now(b.db)
    assert result.fork
    new_origin = (
        sqlite3.connect(b.path)
        .execute("SELECT value FROM sync_meta WHERE key='origin_id'")
        .fetchone()[0]
    )
    assert new_origin != old_origin
    sync_all([a, b, c])
    for r in (a, b, c):
        assert lost_branch <= op_ids(r.path)
        p = provider(r, pid)
        assert p.name == "Zorggroep Zuid (oud)" and p.place == "Tilburg"
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1


def test_clock_skew_and_backward_jumps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Klokhuis")
    sync_all([a, b])
    # b's clock runs a year ahead; a's edit made later *after seeing b's* must still win
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", YEAR_MS)
    edit_provider(b, pid, name="Toekomst")
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", 0)
    svc.sync_now(b.db)
    result = svc.sync_now(a.db)
    assert result.conflicts == 0
    with sqlite3.connect(a.path) as conn:
        hlc = conn.execute("SELECT value FROM sync_meta WHERE key='hlc'").fetchone()[0]
        skew = conn.execute("SELECT key FROM sync_meta WHERE key LIKE 'skew:%'").fetchall()
    # a's clock did not follow b a year into the future, and b's origin is flagged
    assert oplog.hlc_parse(hlc)[0] <= oplog.wall_ms() + oplog.MAX_SKEW_MS
    assert skew
    edit_provider(a, pid, name="Heden")
    sync_all([a, b, c])
    for r in (a, b, c):
        assert provider(r, pid).name == "Heden"
    # a's clock jumps back a year: timestamps still never go backwards, also after restart
    with a.db.read_session() as s:
        before = oplog.get_meta(s, "hlc")
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", -YEAR_MS)
    edit_provider(a, pid, place="Verleden")
    with a.db.read_session() as s:
        after = oplog.get_meta(s, "hlc")
    assert after > before
    # concurrent edits with skewed clocks still converge deterministically with a conflict
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", -YEAR_MS)
    edit_provider(a, pid, name="Scheef A")
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", YEAR_MS)
    edit_provider(c, pid, name="Scheef C")
    monkeypatch.setattr(oplog, "CLOCK_OFFSET_MS", 0)
    sync_all([a, b, c])
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1
    assert {v.text for x in svc.list_conflicts(b.db) for v in x.versions} == {
        "Scheef A",
        "Scheef C",
    }


def test_store_rolled_back_to_older_copy_is_completed_again(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Terugzetting")
    svc.sync_now(a.db)
    newest = max(_segments(store), key=lambda p: p.stat().st_mtime_ns)
    newest.unlink()  # the share was restored from last night's copy
    result = svc.sync_now(a.db)
    assert result.as_dict()["pushed"] == 0
    svc.sync_now(b.db)
    assert provider(b, pid).name == "Terugzetting"


def test_approval_of_concurrently_edited_version_needs_new_review(tmp_path: Path) -> None:
    from desktop.services import review

    store, (lead, b, c) = team_copy(tmp_path)
    pid = add_provider(b, "Vier Ogen B.V.")
    sync_all([lead, b])
    review.submit(b.db, "provider", pid, by=b.user_id)
    sync_all([lead, b])
    # the teamleider approves while, offline, the author changes the record
    review.approve(lead.db, "provider", pid, by=lead.user_id)
    edit_provider(b, pid, place="Oss")
    sync_all([lead, b, c])
    for r in (lead, b, c):
        st = review.status(r.db, "provider", pid)
        assert st.approval is None and st.state != "APPROVED"
    assert len({state_digest(r.path) for r in (lead, b, c)}) == 1


def test_no_keyring_backend_refuses_without_plaintext_fallback(tmp_path: Path) -> None:
    from keyring.backends import fail

    from desktop.services import keys
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    db = open_database(tmp_path / "x.sqlite")
    lead = create_user(db, name="Carla", initials="CB", roles=["TEAM_LEAD"])
    keyring.set_keyring(fail.Keyring())
    with pytest.raises(keys.KeyringUnavailable, match="sleutelbos"):
        svc.create_store(db, tmp_path / "opslag", lead.id)
    assert not (tmp_path / "opslag" / "hub.json").exists()
    assert not svc.status(db).configured
    db.dispose()


def test_invitation_needs_the_right_passphrase(tmp_path: Path) -> None:
    from db.errors import ValidationError
    from desktop.services.database import open_database

    store, (a, b, c) = team_copy(tmp_path)
    add_provider(a, "Residentie Geheim", place="Zwolle")
    svc.sync_now(a.db)
    fresh = open_database(tmp_path / "nieuw.sqlite")
    with pytest.raises(ValidationError, match="wachtzin"):
        svc.join_store(fresh, store, "verkeerde wachtzin")
    assert not svc.status(fresh).configured
    # the store holds no plaintext secrets
    blob = b"".join(p.read_bytes() for p in store.rglob("*") if p.is_file())
    for secret in keyring.get_keyring().secrets.values():  # type: ignore[attr-defined]
        assert secret.encode() not in blob
    assert b"Residentie" not in blob and b"Carla" not in blob and b"Zwolle" not in blob
    fresh.dispose()


def test_new_member_joins_from_a_snapshot_bundle(tmp_path: Path) -> None:
    from db.sync import engine
    from db.sync.folder_hub import FolderHub
    from desktop.services.database import open_database

    store, (a, b, c) = team_copy(tmp_path)
    for i in range(3):
        add_provider(a, f"Momentopname {i}")
    sync_all([a, b])
    name = engine.put_snapshot(b.db, FolderHub(store), svc.load_keys(b.db))
    assert name and (store / name).exists()
    # a colleague joins with a fresh database: the segments come from the bundle
    lead_ring = keyring.get_keyring()
    svc.invite_member(a.db, b.user_id, "nieuwe laptop van b", a.user_id)
    fresh = open_database(tmp_path / "nieuw.sqlite")
    svc.join_store(fresh, store, "nieuwe laptop van b")
    result = svc.sync_now(fresh)
    assert result.quarantined == 0 and result.pulled > 0, result.problems
    assert result.from_snapshot >= 3
    with sqlite3.connect(tmp_path / "nieuw.sqlite") as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM provider")}
    assert {f"Momentopname {i}" for i in range(3)} <= names
    assert lead_ring is keyring.get_keyring()
    fresh.dispose()


def test_an_invitation_joins_once(tmp_path: Path) -> None:
    """An invitation is one-time: after a colleague joined with it, the same passphrase on
    another computer is refused in Dutch and that database stays unlinked; a new invitation
    works."""
    from db.errors import ValidationError
    from desktop.services.database import open_database

    store, (a, b, c) = team_copy(tmp_path)
    before = set((store / "invites").glob("*.used.inv"))  # b and c joined with theirs
    assert len(before) == 2
    svc.invite_member(a.db, b.user_id, "eenmalige wachtzin", a.user_id)
    first = open_database(tmp_path / "eerste.sqlite")
    svc.join_store(first, store, "eenmalige wachtzin")
    assert svc.status(first).configured
    markers = set((store / "invites").glob("*.used.inv")) - before
    assert len(markers) == 1 and b"eenmalige" not in markers.pop().read_bytes()
    second = open_database(tmp_path / "tweede.sqlite")
    with pytest.raises(ValidationError, match="al gebruikt"):
        svc.join_store(second, store, "eenmalige wachtzin")
    assert not svc.status(second).configured
    svc.invite_member(a.db, b.user_id, "tweede wachtzin", a.user_id)
    svc.join_store(second, store, "tweede wachtzin")
    assert svc.status(second).configured
    assert svc.sync_now(second).quarantined == 0
    first.dispose()
    second.dispose()
