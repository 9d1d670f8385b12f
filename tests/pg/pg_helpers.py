"""A team on the file-share store, moved to the team server; replicas syncing with either."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pg_cluster import ADMIN_PASSWORD, Cluster
from sync_helpers import Replica, settled_team

from db.sync.folder_hub import FolderHub
from db.sync.oplog import set_meta
from db.sync.pg_hub import (
    PostgresHub,
    ServerSettings,
    add_user,
    migrate_store,
    store_password,
    upgrade,
)
from desktop.services.sync import review_facts


def login(i: int) -> str:
    return f"kd_r{i}"


def password(i: int) -> str:
    return f"wachtwoord-{i}"


@dataclass
class PgTeam:
    cluster: Cluster
    dbname: str
    store: Path
    replicas: list[Replica]

    def url(self, i: int) -> str:
        return self.cluster.url(login(i), self.dbname)

    @property
    def admin_url(self) -> str:
        return self.cluster.url("kd_admin", self.dbname)

    def set_login(self, i: int, *, team_lead: bool) -> None:
        """The administrator (re)sets the server login of replica i's user, as a teamleider on
        the server or not."""
        user_id = self.replicas[i].user_id
        add_user(
            self.admin_url,
            login(i),
            user_id,
            password(i),
            team_lead=team_lead,
            admin_password=ADMIN_PASSWORD,
        )

    def hub(self, i: int, **kw: Any) -> PostgresHub:
        from desktop.services import sync as svc

        r = self.replicas[i]
        keys = svc.load_keys(r.db)
        return PostgresHub(self.url(i), facts=review_facts(r.db, keys.team_keys), **kw)


def setup_server(
    cluster: Cluster, dbname: str, store: Path, replicas: list[Replica], lead_index: int = 0
) -> PgTeam:
    """Administrator: schema, one login role per replica's user, then the store moved over;
    each replica is re-pointed at the server and has its password in the keyring."""
    from desktop.services import sync as svc

    admin = cluster.url("kd_admin", dbname)
    upgrade(admin, ADMIN_PASSWORD)
    for i, r in enumerate(replicas):
        add_user(
            admin,
            login(i),
            r.user_id,
            password(i),
            team_lead=(i == lead_index),
            admin_password=ADMIN_PASSWORD,
        )
        store_password(ServerSettings.from_url(cluster.url(login(i), dbname)), password(i))
    lead = replicas[lead_index]
    keys = svc.load_keys(lead.db)
    with PostgresHub(admin, password=ADMIN_PASSWORD) as target:
        migrate_store(FolderHub(store), target, review_facts(lead.db, keys.team_keys))
    team = PgTeam(cluster, dbname, store, replicas)
    for i, r in enumerate(replicas):
        with r.db.write_session() as s, s.begin():
            set_meta(s, "store_path", team.url(i))
    return team


@dataclass
class Template:
    root: Path
    secrets: dict[tuple[str, str], str]
    users: list[str]


def build_template(n: int) -> Template:
    import tempfile

    import keyring
    from sync_helpers import MemoryKeyring

    import db.sync.segment as segment

    old_n, segment.SCRYPT_N = segment.SCRYPT_N, 2**10
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    try:
        root = Path(tempfile.mkdtemp(prefix="kd-pg-template-"))
        _store, reps = settled_team(root, n)
        return Template(root, dict(ring.secrets), [r.user_id for r in reps])
    finally:
        keyring.set_keyring(previous)
        segment.SCRYPT_N = old_n


def copy_team(template: Template, dest: Path, n: int | None = None) -> tuple[Path, list[Replica]]:
    """A private copy of the template team (store folder + replica databases + keyring)."""
    import shutil

    import keyring

    from db.engine import Database

    shutil.copytree(template.root, dest)
    ring = keyring.get_keyring()
    for (service, name), value in template.secrets.items():
        ring.set_password(service, name, value)
    n = len(template.users) if n is None else n
    replicas = [
        Replica(f"r{i}", dest / f"r{i}.sqlite", Database(dest / f"r{i}.sqlite"), template.users[i])
        for i in range(n)
    ]
    for r in replicas:
        with r.db.write_session() as s, s.begin():
            set_meta(s, "store_path", str(dest / "store"))
    return dest / "store", replicas


def make_pg_team(
    template: Template, dest: Path, cluster: Cluster, dbname: str, n: int | None = None
) -> PgTeam:
    store, replicas = copy_team(template, dest, n)
    return setup_server(cluster, dbname, store, replicas)


def own_ops(path: Path) -> set[str]:
    with sqlite3.connect(path) as c:
        own = c.execute("SELECT value FROM sync_meta WHERE key='origin_id'").fetchone()[0]
        return {r[0] for r in c.execute("SELECT op_id FROM sync_op WHERE origin_id = ?", (own,))}


def all_ops(path: Path) -> set[str]:
    with sqlite3.connect(path) as c:
        return {r[0] for r in c.execute("SELECT op_id FROM sync_op")}
