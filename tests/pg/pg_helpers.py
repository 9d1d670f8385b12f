"""A team on the file-share store, moved to the team server; replicas syncing with either."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pg_cluster import ADMIN_PASSWORD, Cluster
from sync_helpers import Replica, make_team

from db.sync.folder_hub import FolderHub
from db.sync.oplog import set_meta
from db.sync.pg_hub import (
    PostgresHub,
    ReviewFactSource,
    ServerSettings,
    add_user,
    migrate_store,
    store_password,
    upgrade,
)


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

    def hub(self, i: int, **kw: Any) -> PostgresHub:
        from desktop.services import sync as svc

        r = self.replicas[i]
        keys = svc.load_keys(r.db)
        return PostgresHub(self.url(i), facts=ReviewFactSource(r.db, keys.team_keys), **kw)


def setup_server(cluster: Cluster, dbname: str, store: Path, replicas: list[Replica],
                 lead_index: int = 0) -> PgTeam:
    """Administrator: schema, one login role per replica's user, then the store moved over;
    each replica is re-pointed at the server and has its password in the keyring."""
    from desktop.services import sync as svc

    admin = cluster.url("kd_admin", dbname)
    upgrade(admin, ADMIN_PASSWORD)
    for i, r in enumerate(replicas):
        add_user(admin, login(i), r.user_id, password(i), team_lead=(i == lead_index),
                 admin_password=ADMIN_PASSWORD)
        store_password(ServerSettings.from_url(cluster.url(login(i), dbname)), password(i))
    lead = replicas[lead_index]
    keys = svc.load_keys(lead.db)
    with PostgresHub(admin, password=ADMIN_PASSWORD) as target:
        migrate_store(FolderHub(store), target, ReviewFactSource(lead.db, keys.team_keys))
    team = PgTeam(cluster, dbname, store, replicas)
    for i, r in enumerate(replicas):
        with r.db.write_session() as s, s.begin():
            set_meta(s, "store_path", team.url(i))
    return team


def make_pg_team(tmp_path: Path, cluster: Cluster, dbname: str, n: int) -> PgTeam:
    store, replicas = make_team(tmp_path, n)
    return setup_server(cluster, dbname, store, replicas)


def own_ops(path: Path) -> set[str]:
    with sqlite3.connect(path) as c:
        own = c.execute("SELECT value FROM sync_meta WHERE key='origin_id'").fetchone()[0]
        return {r[0] for r in c.execute("SELECT op_id FROM sync_op WHERE origin_id = ?", (own,))}


def all_ops(path: Path) -> set[str]:
    with sqlite3.connect(path) as c:
        return {r[0] for r in c.execute("SELECT op_id FROM sync_op")}
