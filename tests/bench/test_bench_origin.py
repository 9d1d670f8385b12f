"""Issue 18: benchmarks on an ORIGIN replica (the zorgkantoor database that made its own
operations and pushed them to a store), not only on one that received remote operations.

* the first push after `store create`: every operation of the database, streamed one segment
  at a time: peak resident memory of the process <= 300 MB;
* a sync with nothing new on that replica <= 20 ms (the outbox is found through the partial
  index `ix_sync_op_unpushed`, not by walking every operation it ever made).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_origin.py --benchmark-only -s
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
from sync_helpers import MemoryKeyring  # noqa: E402

pytestmark = pytest.mark.bench
SLACK = float(os.environ.get("SYNC_BENCH_SLACK", "1"))
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def origin(zorgkantoor_db_path: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """(database path, store, keyring secrets, first-push figures)."""
    tmp = tmp_path_factory.mktemp("origin")
    db_path = tmp / "origin.sqlite"
    shutil.copyfile(zorgkantoor_db_path, db_path)
    ring = tmp / "keyring.json"
    out = subprocess.run(
        [sys.executable, str(HERE / "origin_push.py"), str(db_path), str(tmp / "store"), str(ring)],
        capture_output=True,
        text=True,
        cwd=HERE.parents[1],
    )
    assert out.returncode == 0, out.stderr[-3000:]
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return db_path, tmp / "store", json.loads(ring.read_text()), figures


def test_first_push_after_store_create_streams_within_the_memory_budget(origin) -> None:  # type: ignore[no-untyped-def]
    _, _, _, f = origin
    print(
        f"\nfirst push: {f['pushed']:,} ops in {f['seconds']:.1f} s; peak RSS "
        f"{f['peak_rss_kib'] / 1024:.0f} MiB (before the push {f['rss_before_kib'] / 1024:.0f} MiB)"
    )
    assert f["pushed"] > 100_000
    assert f["peak_rss_kib"] * 1024 <= 300 * 10**6


def test_sync_with_nothing_new_on_an_origin_replica(origin, benchmark) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    db_path, store, secrets, _ = origin
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    for s, u, v in secrets:
        ring.set_password(s, u, v)
    keyring.set_keyring(ring)
    try:
        db = open_database(db_path)
        first = svc.sync_now(db)
        assert first.pushed == 0
        result = benchmark.pedantic(
            lambda: svc.sync_now(db), rounds=15, iterations=1, warmup_rounds=1
        )
        assert result.pushed == 0 and result.pulled == 0
        db.dispose()
    finally:
        keyring.set_keyring(previous)
    assert benchmark.stats.stats.median <= 0.020 * SLACK
