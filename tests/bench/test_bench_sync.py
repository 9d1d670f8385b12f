"""Sync benchmarks (ARCHITECTURE.md performance budget):

* push + pull of 1,000 new operations <= 1 s;
* a sync with nothing new <= 100 ms on a store holding 1,000,000 operations (built once and
  cached in the temp folder: 200 real, encrypted and signed segments of 5,000 operations);
* bytes written to the share per sync, against copying the whole database file.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_sync.py --benchmark-only
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

import keyring
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_helpers import MemoryKeyring, team_copy  # noqa: E402

pytestmark = pytest.mark.bench

# On a shared, overloaded machine the wall-clock budgets can be scaled for one run
# (SYNC_BENCH_SLACK=3), never by default; the CPU time is reported next to it.
SLACK = float(os.environ.get("SYNC_BENCH_SLACK", "1"))
BIG_OPS = 1_000_000
PER_SEGMENT = 5_000
CACHE = Path(tempfile.gettempdir()) / "kd-bench-sync-1m-v1"


@pytest.fixture(autouse=True)
def _keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    yield
    keyring.set_keyring(previous)


def _new_providers(r, n: int) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork

    with UnitOfWork(r.db, r.user_id) as uow:
        uow.add_all(
            Provider(name=f"Aanbieder {uuid.uuid4().hex[:8]}", place="Zwolle") for _ in range(n)
        )


def _seg_bytes(store: Path) -> int:
    return sum(p.stat().st_size for p in (store / "ops").glob("*/*.seg"))


def test_push_and_pull_1000_new_operations(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc

    store, (a, b) = team_copy(tmp_path, 2)
    svc.sync_now(a.db)
    svc.sync_now(b.db)
    written: list[int] = []
    cpu: list[float] = []

    def setup():  # type: ignore[no-untyped-def]
        _new_providers(a, 1000)
        written.append(_seg_bytes(store))
        return (), {}

    def push_pull() -> None:
        started = time.process_time()
        pushed = svc.sync_now(a.db).pushed
        pulled = svc.sync_now(b.db).pulled
        cpu.append(time.process_time() - started)
        assert pushed == 1000 and pulled == 1000
        written[-1] = _seg_bytes(store) - written[-1]

    benchmark.pedantic(push_pull, setup=setup, rounds=5, iterations=1)
    db_size = a.path.stat().st_size
    benchmark.extra_info["bytes_to_share_per_1000_ops"] = written[-1]
    benchmark.extra_info["database_file_bytes"] = db_size
    benchmark.extra_info["cpu_seconds_median"] = sorted(cpu)[len(cpu) // 2]
    print(
        f"\n1,000 ops: {written[-1]:,} bytes written to the share; copying the database file "
        f"would write {db_size:,} bytes; CPU per push+pull {sorted(cpu)[len(cpu) // 2]:.2f} s"
    )
    assert benchmark.stats.stats.median <= 1.0 * SLACK


def _build_big_store() -> None:
    """A team of two whose store holds 1,000,000 operations from 10 origins; replica r1 has
    applied all of them (its op-log holds them; the business rows of 1M synthetic providers
    are not materialised, which the nothing-new path never reads)."""
    import db.sync.segment as segment
    from db.sync.segment import Keys, seal
    from desktop.services import sync as svc

    tmp = CACHE.with_suffix(".building")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    store, (a, b) = team_copy(tmp, 2)
    svc.sync_now(a.db)
    svc.sync_now(b.db)
    keys = svc.load_keys(a.db)
    hub_id = json.loads((store / "hub.json").read_text())["hub_id"]
    conn = sqlite3.connect(b.path)
    origins = [str(uuid.uuid4()) for _ in range(BIG_OPS // 100_000)]
    hlc = 1_700_000_000_000
    for origin in origins:
        (store / "ops" / origin).mkdir(parents=True)
        for first in range(1, 100_001, PER_SEGMENT):
            ops = []
            for s in range(first, first + PER_SEGMENT):
                hlc += 1
                ops.append(
                    {
                        "id": str(uuid.uuid4()),
                        "o": origin,
                        "s": s,
                        "h": f"{hlc:015d}.000000",
                        "a": a.user_id,
                        "k": "create",
                        "e": "provider",
                        "i": str(uuid.uuid4()),
                        "p": {"name": f"Aanbieder {s}", "place": "Zwolle"},
                        "v": {},
                    }
                )
            last = first + PER_SEGMENT - 1
            data = seal(
                {"hub": hub_id, "o": origin, "a": first, "b": last, "d": {}, "c": len(ops)},
                ops,
                Keys(keys.team_keys, keys.current_key_id, keys.user_id, keys.signing_seed),
            )
            name = f"ops/{origin}/{first:012d}-{last:012d}.seg"
            (store / name).write_bytes(data)
            st = (store / name).stat()
            conn.executemany(
                "INSERT INTO sync_op (op_id, origin_id, origin_seq, hlc, author_id, kind, entity, "
                "entity_id, payload, prev, prev_op_id, pushed) VALUES (?,?,?,?,?,?,?,?,?,?,NULL,1)",
                [
                    (
                        o["id"],
                        origin,
                        o["s"],
                        o["h"],
                        o["a"],
                        "create",
                        "provider",
                        o["i"],
                        json.dumps(o["p"]),
                        "{}",
                    )
                    for o in ops
                ],
            )
            conn.execute(
                "INSERT INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
                "size, mtime_ns, reason, at) VALUES (?,?,?,?, 'applied', ?, ?, '', '')",
                (name, origin, first, last, st.st_size, st.st_mtime_ns),
            )
        conn.execute(
            "INSERT OR REPLACE INTO sync_vv (origin_id, seq) VALUES (?, ?)", (origin, 100_000)
        )
        conn.commit()
    conn.close()
    for r in (a, b):
        r.db.dispose()
    ring = keyring.get_keyring()
    (tmp / "keyring.json").write_text(json.dumps([[s, u, v] for (s, u), v in ring.secrets.items()]))  # type: ignore[attr-defined]
    del segment
    tmp.rename(CACHE)
    with sqlite3.connect(CACHE / "r1.sqlite") as c:
        c.execute(
            "UPDATE sync_meta SET value = ? WHERE key = 'store_path'", (str(CACHE / "store"),)
        )


def test_sync_with_nothing_new_on_a_store_of_a_million_operations(
    benchmark, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from db.engine import Database
    from desktop.services import sync as svc

    if not (CACHE / "keyring.json").exists():
        started = time.perf_counter()
        _build_big_store()
        print(f"\nbuilt the 1,000,000-operation store in {time.perf_counter() - started:.0f} s")
    ring = MemoryKeyring()
    for s, u, v in json.loads((CACHE / "keyring.json").read_text()):
        ring.set_password(s, u, v)
    keyring.set_keyring(ring)
    db = Database(CACHE / "r1.sqlite")
    ops_in_store = sum(
        int(p.stem.split("-")[1]) - int(p.stem.split("-")[0]) + 1
        for p in (CACHE / "store" / "ops").glob("*/*.seg")
    )
    assert ops_in_store >= BIG_OPS
    first = svc.sync_now(db, CACHE / "store")
    assert first.pulled == 0 and first.quarantined == 0
    result = benchmark.pedantic(lambda: svc.sync_now(db, CACHE / "store"), rounds=10, iterations=1)
    assert result.pulled == 0 and result.pushed == 0
    benchmark.extra_info["ops_in_store"] = ops_in_store
    db.dispose()
    assert benchmark.stats.stats.median <= 0.100 * SLACK


def test_bytes_written_per_sync_are_proportional_to_the_changes(tmp_path: Path) -> None:
    """Ten edits write a few kilobytes to the share, not a copy of the database."""
    from desktop.services import sync as svc

    store, (a, b) = team_copy(tmp_path, 2)
    _new_providers(a, 2000)
    svc.sync_now(a.db)
    before = _seg_bytes(store)
    _new_providers(a, 10)
    assert svc.sync_now(a.db).pushed == 10
    small = _seg_bytes(store) - before
    db_size = a.path.stat().st_size
    print(
        f"\n10 ops: {small:,} bytes to the share; database file: {db_size:,} bytes "
        f"({db_size / max(small, 1):,.0f}x more)"
    )
    assert small < 10_000 < db_size
