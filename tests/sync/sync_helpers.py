"""Test helpers for sync: an in-process keyring backend and a team of replicas."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend

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
        colleague = create_user(lead_db, name=f"Collega {i}", initials=f"C{i}",
                                roles=["PURCHASER"], actor_id=lead.id)
        phrase = f"{PASSPHRASE} {i}"
        sync_service.invite_member(lead_db, colleague.id, phrase, lead.id)
        db = open_database(tmp_path / f"r{i}.sqlite")
        sync_service.join_store(db, store, phrase)
        replicas.append(Replica(f"r{i}", tmp_path / f"r{i}.sqlite", db, colleague.id))
    return store, replicas


BUSINESS_SKIP = {"alembic_version", "local_setting"}


def state_digest(path: Path) -> str:
    """Digest of every business table and the sync heads/flags (not the per-replica sync
    bookkeeping: origin ids, sequence numbers, pushed flags)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE '%_fts%' ORDER BY name")]
        for t in tables:
            if t in BUSINESS_SKIP or t.startswith("sync_") and t not in ("sync_head", "sync_flag"):
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
            h.update(t.encode())
            for row in conn.execute(f"SELECT * FROM {t} ORDER BY {', '.join(chr(34) + c + chr(34) for c in cols)}"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
