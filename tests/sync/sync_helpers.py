"""Test helpers for sync: an in-process keyring backend and a team of replicas."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend

from db.sync import stored
from db.sync.models import HEAD_FIELDS_SQL

PASSPHRASE = "correct paard batterij nietje"


class MemoryKeyring(KeyringBackend):
    """A real keyring backend (registered through keyring's API) that keeps secrets in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


def fast_memory_keyring(monkeypatch: Any) -> Iterator[MemoryKeyring]:
    """Body of the keyring fixtures (`yield from` it): fast invitations (a small scrypt cost)
    and a fresh MemoryKeyring for the test; the previous keyring comes back afterwards."""
    import db.sync.segment as segment

    monkeypatch.setattr(segment, "SCRYPT_N", 2**10)  # fast invitations in tests
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass
class Replica:
    name: str
    path: Path
    db: object
    user_id: str


def make_team(tmp_path: Path, n: int, store: Path | None = None) -> tuple[Path, list[Replica]]:
    """Replica 0 is the teamleider who creates the store; the others join by invitation."""
    from desktop.services import sync as sync_service
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    store = store or tmp_path / "store"
    lead_db = open_database(tmp_path / "r0.sqlite")
    lead = create_user(lead_db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"])
    sync_service.create_store(lead_db, store, lead.id)
    replicas = [Replica("r0", tmp_path / "r0.sqlite", lead_db, lead.id)]
    for i in range(1, n):
        colleague = create_user(
            lead_db, name=f"Collega {i}", initials=f"C{i}", roles=["PURCHASER"], actor_id=lead.id
        )
        phrase = f"{PASSPHRASE} {i}"
        sync_service.invite_member(lead_db, colleague.id, phrase, lead.id)
        db = open_database(tmp_path / f"r{i}.sqlite")
        sync_service.join_store(db, store, phrase)
        replicas.append(Replica(f"r{i}", tmp_path / f"r{i}.sqlite", db, colleague.id))
    return store, replicas


BUSINESS_SKIP = {"alembic_version", "local_setting", "document_blob"}  # per-laptop state
# Derived from a replica's own review events, held-back ones included (they stay on their
# author's laptop by design), so not compared across replicas; `review_latest_sound` checks
# instead that on every replica it equals a rebuild from that replica's facts.
DERIVED_SKIP = {"review_latest"}


def state_digest(path: Path) -> str:
    """Digest of every business table and the sync heads/flags (not the per-replica sync
    bookkeeping: origin ids, sequence numbers, pushed flags)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    stored.register(conn)  # op_json(): the heads' values are read from the stored payloads
    try:
        # Operations this laptop holds back (the team would refuse them; db/sync/guard.py)
        # exist only here by design: left out of the comparison.
        held = {
            r[0]
            for r in conn.execute(
                "SELECT op_id FROM sync_op WHERE origin_id = (SELECT value FROM sync_meta WHERE "
                "key = 'held_origin')"
            )
        }
        held_rows = {
            r[0]
            for r in conn.execute(
                "SELECT entity_id FROM sync_op WHERE origin_id = (SELECT value FROM sync_meta "
                "WHERE key = 'held_origin') AND kind = 'create'"
            )
        }
        h = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts%' ORDER BY name"
            )
        ]
        for t in tables:
            if t in BUSINESS_SKIP | DERIVED_SKIP or (
                t.startswith("sync_") and t not in ("sync_head", "sync_flag")
            ):
                continue
            # The heads per field (the compact table holds one row per head operation).
            source = f"({HEAD_FIELDS_SQL})" if t == "sync_head" else t
            cols = (
                [r[0] for r in conn.execute(f"SELECT * FROM {source} LIMIT 0").description]
                if t == "sync_head"
                else [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            )
            h.update(t.encode())
            for row in conn.execute(
                f"SELECT * FROM {source} ORDER BY {', '.join(chr(34) + c + chr(34) for c in cols)}"
            ):
                if t == "sync_head" and row[cols.index("op_id")] in held:
                    continue
                if "id" in cols and row[cols.index("id")] in held_rows:
                    continue
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def review_latest_sound(path: Path) -> bool:
    """`review_latest` (kept by triggers) equals a rebuild from this replica's review events."""
    from db.models.review_latest import LATEST_REBUILD_SQL, LATEST_TABLE

    conn = sqlite3.connect(path)
    try:
        kept = sorted(conn.execute(f"SELECT * FROM {LATEST_TABLE}"))
        for stmt in LATEST_REBUILD_SQL:
            conn.execute(stmt)
        return kept == sorted(conn.execute(f"SELECT * FROM {LATEST_TABLE}"))
    finally:
        conn.rollback()
        conn.close()


def op_log_connection(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection that can read op payloads in SQL (`op_json`), as the app's
    connections can (db.engine)."""
    conn = sqlite3.connect(path)
    stored.register(conn)
    return conn


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def settled_team(root: Path, n: int) -> tuple[Path, list[Replica]]:
    """A team of `n` made in `root` and synced round twice, so every replica has everything;
    the databases are closed (a template to copy). Returns (store, replicas)."""
    from desktop.services import sync as svc

    store, reps = make_team(root, n)
    for _ in range(2):
        for r in reps:
            svc.sync_now(r.db)
    for r in reps:
        r.db.dispose()
    return store, reps


_TEMPLATES: dict[int, tuple[Path, MemoryKeyring, list[str]]] = {}


def team_copy(tmp_path: Path, n: int = 3) -> tuple[Path, list[Replica]]:
    """A fresh copy of a synced team of `n` replicas (built once per process): the store and
    every database are copied into tmp_path and re-pointed at the copied store."""
    import shutil
    import tempfile

    import db.sync.segment as segment
    from db.engine import Database

    if n not in _TEMPLATES:
        segment.SCRYPT_N = 2**10
        ring = MemoryKeyring()
        keyring.set_keyring(ring)
        root = Path(tempfile.mkdtemp(prefix=f"kd-team{n}-"))
        _, reps = settled_team(root, n)
        _TEMPLATES[n] = (root, ring, [r.user_id for r in reps])
    root, ring, users = _TEMPLATES[n]
    own_ring = MemoryKeyring()  # a copy: a test that re-keys someone must not leak into others
    own_ring.secrets = dict(ring.secrets)
    keyring.set_keyring(own_ring)
    shutil.copytree(root, tmp_path, dirs_exist_ok=True)
    store = tmp_path / "store"
    replicas = []
    for i in range(n):
        path = tmp_path / f"r{i}.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("UPDATE sync_meta SET value = ? WHERE key = 'store_path'", (str(store),))
        conn.commit()
        conn.close()
        replicas.append(Replica(f"r{i}", path, Database(path), users[i]))
    return store, replicas


def sync_all(replicas: list[Replica], rounds: int = 2) -> None:
    from desktop.services import sync as svc

    for _ in range(rounds):
        for r in replicas:
            svc.sync_now(r.db)


def add_provider(r: Replica, name: str, **fields) -> str:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    with UnitOfWork(r.db, r.user_id) as uow:
        return uow.add(Provider(name=name, **fields)).id


def edit_provider(r: Replica, pid: str, **changes) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    with UnitOfWork(r.db, r.user_id) as uow:
        uow.update(uow.get(Provider, pid), **changes)


def delete_provider(r: Replica, pid: str) -> None:
    from db.models import Provider
    from db.repo import UnitOfWork

    with UnitOfWork(r.db, r.user_id) as uow:
        uow.delete(uow.get(Provider, pid))


def provider(r: Replica, pid: str):  # type: ignore[no-untyped-def]
    from db.models import Provider

    with r.db.read_session() as s:
        return s.get(Provider, pid)


def op_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT op_id FROM sync_op")}
    finally:
        conn.close()


def held_ops(path: Path) -> set[str]:
    """Operations this replica holds back (never pushed by design)."""
    conn = sqlite3.connect(path)
    try:
        return {
            r[0]
            for r in conn.execute(
                "SELECT op_id FROM sync_op WHERE origin_id = (SELECT value FROM sync_meta WHERE "
                "key = 'held_origin')"
            )
        }
    finally:
        conn.close()
