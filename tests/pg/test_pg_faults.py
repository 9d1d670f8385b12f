"""SYNC-NOTES.md §10 #5, #12 and §9 #11 against a real PostgreSQL: concurrent pushers with a
commit held back (the out-of-order-commit trap), a server restart in the middle of a sync and a
connection lost after COMMIT. Nothing may be lost, nothing applied or stored twice."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import keyring
import psycopg
from pg_helpers import all_ops, login, make_pg_team, own_ops, password
from sync_helpers import state_digest

from desktop.services import sync as svc

WORKER = Path(__file__).parent / "pg_worker.py"


def _server_sound(team) -> None:  # type: ignore[no-untyped-def]
    """Per origin the stored segments are disjoint and contiguous from 1."""
    with psycopg.connect(team.cluster.admin_conninfo(team.dbname)) as c:
        rows = c.execute(
            "SELECT origin_id, first_seq, last_seq FROM segment ORDER BY origin_id, first_seq"
        ).fetchall()
    nxt: dict[str, int] = {}
    for origin, a, b in rows:
        assert a == nxt.get(origin, 1), f"gap or overlap in {origin} at {a}"
        nxt[origin] = b + 1


def _converge(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        for i, r in enumerate(team.replicas):
            with team.hub(i) as hub:
                assert svc.sync_now(r.db, hub=hub).problems == ()
    everything = set().union(*(own_ops(r.path) for r in team.replicas))
    for r in team.replicas:
        assert all_ops(r.path) >= everything
    assert len({state_digest(r.path) for r in team.replicas}) == 1
    _server_sound(team)


def test_four_concurrent_pushers_with_a_delayed_commit(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 4)
    for r in team.replicas:
        r.db.dispose()
    secrets = [[s, n, v] for (s, n), v in keyring.get_keyring().secrets.items()]
    procs = []
    for i, r in enumerate(team.replicas):
        cfg = {
            "db": str(r.path),
            "url": team.url(i),
            "password": password(i),
            "secrets": secrets,
            "user_id": r.user_id,
            "tag": f"Pusher {i}",
            "edits": 12,
            "rounds": 3,
            "pause": 0.4,
            "delay_first_commit": 2.5 if i == 1 else 0,
        }
        path = tmp_path / f"cfg{i}.json"
        path.write_text(json.dumps(cfg))
        procs.append(
            subprocess.Popen(
                [sys.executable, str(WORKER), str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        outputs.append([json.loads(line) for line in out.splitlines()])
    # The held-back push (2.5 s before its COMMIT) arrived in the end, everywhere, once.
    assert sum(r["pushed"] for r in outputs[1]) == 12
    assert all(not r["problems"] for rounds in outputs for r in rounds)
    _converge(team)
    with sqlite3.connect(team.replicas[0].path) as c:
        names = [r[0] for r in c.execute("SELECT name FROM provider WHERE name LIKE 'Pusher %'")]
    assert len(names) == len(set(names)) == 48


def test_late_commit_is_not_skipped_by_a_reader(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    """The out-of-order commit trap, deterministically: A starts pushing first but commits
    last; a reader that listed in between still gets A afterwards, by per-origin cursor."""
    import threading
    import uuid

    from db.sync.pg_hub import PostgresHub

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    from db.sync.segment import seal
    from desktop.services import sync as svc

    origin_a, origin_b = str(uuid.uuid4()), str(uuid.uuid4())
    keys = [svc.load_keys(r.db) for r in team.replicas]
    hub_id = team.hub(0).hub_id()

    def segment(i: int, origin: str) -> bytes:
        return seal({"hub": hub_id, "o": origin, "a": 1, "b": 1, "d": {}, "c": 1}, [{}], keys[i])

    data_a, data_b = segment(0, origin_a), segment(1, origin_b)
    started = threading.Event()

    def slow(conn) -> None:  # type: ignore[no-untyped-def]
        started.set()
        conn.execute("SELECT pg_sleep(1.5)")

    def push_a() -> None:
        with PostgresHub(team.url(0)) as hub:
            hub.before_commit = slow
            hub.push(origin_a, 1, 1, data_a)

    t = threading.Thread(target=push_a)
    t.start()
    assert started.wait(30)
    with PostgresHub(team.url(1)) as hub:
        hub.push(origin_b, 1, 1, data_b)
        cursor = hub.heads()  # the reader's cursor after its first look: B only
        assert origin_a not in cursor and cursor[origin_b] == 1
        t.join(30)
        late = [r.name for o in (origin_a, origin_b) for r in hub.pull(o, cursor.get(o, 0))]
    assert late == [f"ops/{origin_a}/{1:012d}-{1:012d}.seg"]


def test_server_restart_mid_sync(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    for i in (0, 1):
        r = team.replicas[i]
        for k in range(3):  # several segments to pull
            with UnitOfWork(r.db, r.user_id) as uow:
                uow.add(Provider(name=f"Herstart {i}.{k}", place="Assen"))
            with team.hub(i) as hub:
                svc.sync_now(r.db, hub=hub)
    restarted = []

    def progress(done: int, total: int, label: str) -> None:
        if "collega" in label and not restarted:
            cluster.restart()  # between two segments of the pull
            restarted.append(done)

    r2 = team.replicas[2]
    with team.hub(2) as hub:
        summary = svc.sync_now(r2.db, hub=hub, progress=progress)
    assert restarted, "the pull did not reach the restart point"
    assert summary.problems == ()
    # Restart inside a push transaction, before its COMMIT: the push is retried.
    with UnitOfWork(r2.db, r2.user_id) as uow:
        uow.add(Provider(name="Herstart tijdens versturen", place="Assen"))
    with team.hub(2) as hub:
        hub.before_commit = lambda conn: (setattr(hub, "before_commit", None), cluster.restart())
        summary = svc.sync_now(r2.db, hub=hub)
    assert summary.pushed == 1 and summary.problems == ()
    _converge(team)


def test_connection_dropped_after_commit(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    r1 = team.replicas[1]
    with UnitOfWork(r1.db, r1.user_id) as uow:
        uow.add(Provider(name="Verloren bevestiging", place="Meppel"))

    def drop(conn) -> None:  # type: ignore[no-untyped-def]
        # The COMMIT went through; now the connection dies before the client hears of it.
        with psycopg.connect(cluster.admin_conninfo(name), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
        time.sleep(0.2)
        conn.execute("SELECT 1")  # raises: the server closed the connection

    with team.hub(1) as hub:
        hub.after_commit = drop
        first = svc.sync_now(r1.db, hub=hub)
    assert first.pushed == 0 and first.problems, "the lost acknowledgement must be noticed"
    with team.hub(1) as hub:
        second = svc.sync_now(r1.db, hub=hub)  # the retry: harmless
    assert second.problems == ()
    with sqlite3.connect(r1.path) as c:
        own = c.execute("SELECT value FROM sync_meta WHERE key = 'origin_id'").fetchone()[0]
        assert (
            c.execute(
                "SELECT COUNT(*) FROM sync_op WHERE origin_id = ? AND pushed = 0", (own,)
            ).fetchone()[0]
            == 0
        )
    _converge(team)
    with sqlite3.connect(team.replicas[0].path) as c:
        assert (
            c.execute(
                "SELECT COUNT(*) FROM provider WHERE name = 'Verloren bevestiging'"
            ).fetchone()[0]
            == 1
        )
