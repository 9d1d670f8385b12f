"""Stukken on the team server (issue 20): a sync with nothing new is unaffected by the number
of blobs in `hub_document` (same 2,000 document records, 0 vs 2,000 blobs).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_documents_pg.py --benchmark-only -s
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for sub in ("", "pg", "sync", "bench"):
    sys.path.insert(0, str(TESTS / sub))

import pg_cluster  # noqa: E402
from documents_helpers import make_world  # noqa: E402
from sync_helpers import fast_memory_keyring, make_team  # noqa: E402
from test_bench_documents import add_documents_with_blobs, timed_calls  # noqa: E402

pytestmark = pytest.mark.bench
SLACK = float(os.environ.get("SYNC_BENCH_SLACK", "1"))


@pytest.fixture
def cluster():  # type: ignore[no-untyped-def]
    yield from pg_cluster.benchmark_cluster()


@pytest.fixture(autouse=True)
def ring(monkeypatch):  # type: ignore[no-untyped-def]
    yield from fast_memory_keyring(monkeypatch)


def test_team_server_sync_with_nothing_new_is_unaffected_by_the_number_of_blobs(
    benchmark, tmp_path, cluster
) -> None:  # type: ignore[no-untyped-def]
    from pg_helpers import setup_server

    from desktop.services import sync as svc
    from desktop.services.documents import transport

    store, reps = make_team(tmp_path / "team", 2)
    for r in reps:
        svc.sync_now(r.db)
    setup_server(cluster, cluster.create_database("kd_bench_docs"), store, reps)
    r0, r1 = reps
    world = make_world(r0.db, r0.user_id)
    add_documents_with_blobs(r0, world, 2000)
    for r in (r0, r1, r0, r1):
        svc.sync_now(r.db)

    def quiet() -> bool:
        summary = svc.sync_now(r1.db)
        report = transport.sync_documents(r1.db)
        assert summary.pulled == 0 and summary.pushed == 0
        return report.touched_store

    before = statistics.median(timed_calls(quiet, warmup=1))
    assert transport.sync_documents(r0.db).uploaded == 2000
    assert transport.sync_documents(r1.db, fetch_all=True).downloaded == 2000
    quiet()
    assert benchmark.pedantic(quiet, rounds=10, iterations=1) is False
    after = benchmark.stats.stats.median
    benchmark.extra_info.update(
        median_with_0_blobs_ms=round(before * 1000, 1),
        median_with_2000_blobs_ms=round(after * 1000, 1),
    )
    print(
        f"\nteam server quiet round: median {before * 1000:.1f} ms with 0 blobs, "
        f"{after * 1000:.1f} ms with 2,000 blobs"
    )
    assert after <= before * 1.5 + 0.010 * SLACK
