"""Issue 18 item 2 on the team server: the zorgkantoor store (193,090 operations) moved to a
PostgreSQL team server; the owner publishes a join image there (schema v0004, 4 MiB chunks)
and a new laptop joins from it and makes its first sync, in a process of its own: wall time,
CPU time and peak resident memory, against copying the database file.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_join_pg.py -s

Asserted: the image was used, the same rows as the origin, peak RSS <= 300 MB on both sides,
the join <= 10 s x SYNC_BENCH_SLACK.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "pg"))
import pg_cluster  # noqa: E402
from test_bench_join import (  # noqa: E402
    PHRASE,
    _invite,
    _make_image,
    _member_join,
    _pushed_origin,
    assert_joined_from_image,
)

pytestmark = [pytest.mark.bench, pytest.mark.slow]


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    yield from pg_cluster.benchmark_cluster()


def _users(origin: Path) -> tuple[str, str]:
    """(owner = the teamleider who created the store, the purchaser `_invite` invited)."""
    from desktop.services.database import open_database
    from desktop.services.users import list_users

    with sqlite3.connect(origin) as c:
        lead = c.execute("SELECT value FROM sync_meta WHERE key = 'sync_user'").fetchone()[0]
    db = open_database(origin)
    try:
        member = next(u for u in list_users(db) if u.roles == ("PURCHASER",))
    finally:
        db.dispose()
    return str(lead), member.id


def test_a_new_laptop_joins_the_team_server_from_the_owners_image(  # type: ignore[no-untyped-def]
    zorgkantoor_db_path: Path, tmp_path: Path, cluster
) -> None:
    from db.sync.folder_hub import FolderHub
    from db.sync.pg_hub import (
        KEYRING_SERVICE,
        PostgresHub,
        ServerSettings,
        add_user,
        migrate_store,
        upgrade,
    )

    origin, ring, copy_seconds = _pushed_origin(zorgkantoor_db_path, tmp_path)
    _invite(origin, ring)

    # The administrator: schema (v0004 included), a login for the owner and the newcomer, the
    # store moved over; the owner's laptop is pointed at the server.
    dbname = cluster.create_database("kd_bench_join_image")
    admin = cluster.url("kd_admin", dbname)
    upgrade(admin, pg_cluster.ADMIN_PASSWORD)
    lead, member = _users(origin)
    secrets = json.loads(ring.read_text())
    urls = {}
    for login, user, is_lead in (("kd_eigenaar", lead, True), ("kd_nieuw", member, False)):
        add_user(
            admin,
            login,
            user,
            f"pw-{login}",
            team_lead=is_lead,
            admin_password=pg_cluster.ADMIN_PASSWORD,
        )
        urls[login] = cluster.url(login, dbname)
        name = ServerSettings.from_url(urls[login]).keyring_name
        secrets.append([KEYRING_SERVICE, name, f"pw-{login}"])
    ring.write_text(json.dumps(secrets))
    with PostgresHub(admin, password=pg_cluster.ADMIN_PASSWORD) as target:
        migrate_store(FolderHub(tmp_path / "store"), target)
    with sqlite3.connect(origin) as c:
        c.execute("UPDATE sync_meta SET value = ? WHERE key = 'store_path'", (urls["kd_eigenaar"],))
    file_bytes = origin.stat().st_size

    made = _make_image(origin, ring)
    with PostgresHub(admin, password=pg_cluster.ADMIN_PASSWORD) as hub:
        assert hub.list_images() == [made["image"]]
        with hub.open_image(made["image"]) as fh:
            image_bytes = fh.seek(0, os.SEEK_END)
    g = _member_join(urls["kd_nieuw"], tmp_path / "laptop.sqlite", ring, PHRASE)
    print(
        f"\nteam server: owner's join image {image_bytes / 2**20:.1f} MiB "
        f"({image_bytes / file_bytes:.1%} of the {file_bytes / 2**20:.0f} MiB file), made and "
        f"stored in {made['seconds']:.1f} s (CPU {made['cpu_seconds']:.1f} s, peak RSS "
        f"{made['peak_rss_kib'] / 1024:.0f} MiB)\n"
        f"new laptop joins the team server from the image: {g['pulled']:,} ops; join "
        f"{g['join_seconds']:.1f} s + first sync {g['pull_seconds']:.1f} s = {g['seconds']:.1f} s "
        f"(CPU {g['cpu_seconds']:.1f} s), {g['seconds'] / copy_seconds:.1f}x copying the file "
        f"({copy_seconds:.2f} s); peak RSS {g['peak_rss_kib'] / 1024:.0f} MiB; load "
        f"{os.getloadavg()[0]:.1f}"
    )
    assert_joined_from_image(g, made, tmp_path / "laptop.sqlite", origin)
    assert made["peak_rss_kib"] * 1024 <= 300 * 10**6
