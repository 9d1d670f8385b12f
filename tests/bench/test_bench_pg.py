"""Team-server benchmarks (issue 8) against a throwaway PostgreSQL cluster:

* push + pull of 10,000 operations (one replica pushes, another pulls), folder store alongside;
* 20 users syncing every minute for an hour of simulated time: 20 x 60 sync rounds,
  time-compressed (run back to back), each user making 0-3 edits per minute.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_pg.py --benchmark-only -s

KD_BENCH_PG_MINUTES shortens the simulated hour (default 60).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "pg"))
sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

import pg_cluster  # noqa: E402
from sync_helpers import fast_memory_keyring, make_team  # noqa: E402

pytestmark = pytest.mark.bench


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    yield from pg_cluster.benchmark_cluster()


@pytest.fixture(autouse=True)
def ring(monkeypatch):  # type: ignore[no-untyped-def]
    yield from fast_memory_keyring(monkeypatch)


def _edits(r, n: int, tag: str, batch: int = 500) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    for start in range(0, n, batch):
        with UnitOfWork(r.db, r.user_id) as uow:
            for k in range(start, min(n, start + batch)):
                uow.add(Provider(name=f"{tag} {k}", place="Zwolle"))


def test_push_pull_10000_operations(benchmark, tmp_path, cluster) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from pg_helpers import setup_server

    from desktop.services import sync as svc

    store, reps = make_team(tmp_path / "team", 3)
    for r in reps:
        svc.sync_now(r.db)
    _edits(reps[1], 10_000, "Bench")
    # Twin copies for the folder store, to compare on the same machine and data.
    twin = tmp_path / "twin"
    shutil.copytree(tmp_path / "team", twin)
    team = setup_server(cluster, cluster.create_database("kd_bench_10k"), store, reps)
    figures: dict[str, float] = {}

    def run() -> None:
        t = time.perf_counter()
        with team.hub(1) as hub:
            pushed = svc.sync_now(reps[1].db, hub=hub)
        figures["pg_push_s"] = time.perf_counter() - t
        t = time.perf_counter()
        with team.hub(2) as hub:
            pulled = svc.sync_now(reps[2].db, hub=hub)
        figures["pg_pull_s"] = time.perf_counter() - t
        assert pushed.pushed >= 10_000 and pulled.pulled >= 10_000

    benchmark.pedantic(run, rounds=1, iterations=1)

    from db.engine import Database
    from db.sync.folder_hub import FolderHub

    folder = FolderHub(twin / "store")
    for i, key in ((1, "folder_push_s"), (2, "folder_pull_s")):
        db = Database(twin / f"r{i}.sqlite")
        from db.sync.oplog import set_meta

        with db.write_session() as s, s.begin():
            set_meta(s, "store_path", str(twin / "store"))
        t = time.perf_counter()
        svc.sync_now(db, hub=folder)
        figures[key] = time.perf_counter() - t
        db.dispose()
    total = figures["pg_push_s"] + figures["pg_pull_s"]
    figures["pg_ops_per_s"] = 20_000 / total
    benchmark.extra_info.update({k: round(v, 3) for k, v in figures.items()})
    print("\n10,000 operations:", {k: round(v, 2) for k, v in figures.items()})


def test_twenty_users_every_minute_for_an_hour(benchmark, tmp_path, cluster) -> None:  # type: ignore[no-untyped-def]
    from pg_helpers import setup_server

    from db.models import Provider
    from db.repo import UnitOfWork
    from desktop.services import sync as svc

    minutes = int(os.environ.get("KD_BENCH_PG_MINUTES", "60"))
    store, reps = make_team(tmp_path / "team", 20)
    _edits(reps[0], 200, "Aanbieder")
    for _ in range(2):
        for r in (reps[0], *reps[1:]):
            svc.sync_now(r.db)
    team = setup_server(cluster, cluster.create_database("kd_bench_hour"), store, reps)
    hubs = [team.hub(i) for i in range(len(reps))]
    ids = []
    with reps[0].db.read_session() as s:
        from sqlalchemy import text

        ids = [row[0] for row in s.execute(text("SELECT id FROM provider ORDER BY id"))]
    rnd = random.Random(2026)
    durations: list[float] = []
    moved = {"pushed": 0, "pulled": 0, "edits": 0}

    def hour() -> None:
        for _minute in range(minutes):
            for i, r in enumerate(reps):
                for _ in range(rnd.choice((0, 0, 1, 1, 2, 3))):
                    with UnitOfWork(r.db, r.user_id) as uow:
                        p = uow.get(Provider, rnd.choice(ids))
                        uow.update(p, place=rnd.choice(("Zwolle", "Assen", "Emmen", "Meppel")))
                    moved["edits"] += 1
                t = time.perf_counter()
                summary = svc.sync_now(r.db, hub=hubs[i])
                durations.append(time.perf_counter() - t)
                moved["pushed"] += summary.pushed
                moved["pulled"] += summary.pulled

    started = time.perf_counter()
    benchmark.pedantic(hour, rounds=1, iterations=1)
    wall = time.perf_counter() - started
    for h in hubs:
        h.close()
    durations.sort()
    info = {
        "users": len(reps),
        "minutes": minutes,
        "syncs": len(durations),
        "edits": moved["edits"],
        "ops_pushed": moved["pushed"],
        "ops_pulled": moved["pulled"],
        "wall_s": round(wall, 1),
        "syncs_per_s": round(len(durations) / sum(durations), 1),
        "ops_per_s": round((moved["pushed"] + moved["pulled"]) / sum(durations), 1),
        "median_sync_ms": round(1000 * statistics.median(durations), 1),
        "p95_sync_ms": round(1000 * durations[int(0.95 * (len(durations) - 1))], 1),
        "slowest_sync_ms": round(1000 * durations[-1], 1),
    }
    benchmark.extra_info.update(info)
    print("\n20 users x", minutes, "minutes:", info)
    assert moved["pushed"] <= moved["edits"]  # an edit to the same value records nothing
    for r in reps:
        assert svc.status(r.db).pending_ops == 0
