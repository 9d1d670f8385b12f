"""Issue 18: the budgets side by side at 1× (the zorgkantoor database: 1,000 locations) and 3×
(the national one: 1,200 providers, 3,000 locations, 10 years, about every nursing-home
location in the Netherlands; `generate_demo(db, "national")`, built once and cached by
conftest.py, ~5 minutes on the shared 2-core machine).

* region heatmap of the whole care office <= 100 ms;
* the Aanvragen list as the section loads it (requests + provider picker) <= 100 ms;
* the Kwaliteitsplannen list as the section loads it <= 100 ms;
* the database usable after start (the real app, `KWALITEITSDIALOOG_EXIT_AFTER_READY`) <= 0.8 s;
* a session in the real main window that opens every section and a location with every tab:
  peak RSS of its own process <= 300 MB (tests/bench/session_memory.py).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_national.py --benchmark-only -s

Ids `1x` / `3x`; `-k 1x` runs only the zorgkantoor side. Timing budgets scale with
KD_BENCH_SLACK (bench_budget.py) on a loaded machine; the memory budget does not.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from bench_budget import BENCH_SLACK, assert_budget

pytestmark = pytest.mark.bench
HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)
MEMORY_BUDGET = 300 * 10**6  # bytes (the "≤ 300 MB")


def _locations(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(str(path))
    try:
        return int(
            conn.execute("SELECT count(*) FROM location WHERE deleted_at IS NULL").fetchone()[0]
        )
    finally:
        conn.close()


def test_the_national_database_is_three_times_the_zorgkantoor_one(
    national_db_path, zorgkantoor_db_path
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    conn = sqlite3.connect(str(national_db_path))
    try:
        # a one-location provider's location carries the provider's name, so names are unique
        # per provider (the generated ones everywhere)
        names = conn.execute(
            "SELECT count(*), count(DISTINCT provider_id || '|' || name) FROM location"
        ).fetchone()
        providers = conn.execute("SELECT count(*), count(DISTINCT name) FROM provider").fetchone()
    finally:
        conn.close()
    print(
        f"\nnational: {names[0]:,} locations, {providers[0]:,} providers, "
        f"{national_db_path.stat().st_size / 2**20:,.0f} MiB"
    )
    assert names[0] == 3000 and names[0] == names[1]  # the name lists no longer run out
    assert providers[0] == 1200 and providers[0] == providers[1]
    assert names[0] == 3 * _locations(zorgkantoor_db_path)


def test_bench_heatmap_of_the_care_office(benchmark, scaled_db_path) -> None:  # type: ignore[no-untyped-def]
    from test_bench_themes import _biggest_scope

    from desktop.services.regional import heatmap

    scope = _biggest_scope(scaled_db_path)
    assert scope, "every location sits in one care office"
    hm = benchmark.pedantic(
        lambda: heatmap(scaled_db_path, today=TODAY, **scope),
        rounds=15,
        iterations=1,
        warmup_rounds=1,
    )
    assert len(hm.rows) == _locations(scaled_db_path) and len(hm.theme_codes) == 8
    assert_budget(benchmark, 0.100, "region heatmap")


def test_bench_requests_section_list(benchmark, scaled_database) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import requests as rq

    def load():  # type: ignore[no-untyped-def]
        # as RequestsSection with "Alle jaren" (it opens on one budget year: ~1/10 of this)
        return rq.list_requests(scaled_database, today=TODAY), rq.providers(scaled_database)

    rows, providers = benchmark.pedantic(load, rounds=15, iterations=1, warmup_rounds=1)
    print(f"\n{len(rows):,} requests, {len(providers):,} providers")
    assert len(rows) > 4000 and {r.deadline_status for r in rows} >= {"DONE"}
    assert_budget(benchmark, 0.100, "Aanvragen list")


def test_bench_plans_section_list(benchmark, scaled_database) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import plans
    from desktop.services import requests as rq

    def load():  # type: ignore[no-untyped-def]
        # as PlansSection with "Alle jaren" (it opens on one year)
        return plans.list_plan_rows(scaled_database), rq.providers(scaled_database)

    rows, _ = benchmark.pedantic(load, rounds=15, iterations=1, warmup_rounds=1)
    print(f"\n{len(rows):,} plans")
    assert len(rows) > 4000
    assert_budget(benchmark, 0.100, "Kwaliteitsplannen list")


def _ready_ms(db_path: Path) -> float:
    env = dict(os.environ, KWALITEITSDIALOOG_EXIT_AFTER_READY="1", QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return float(next(x for x in out.stdout.splitlines() if x.startswith("ready")).split()[1])


def test_database_usable_after_start(scaled_db_path) -> None:  # type: ignore[no-untyped-def]
    _ready_ms(scaled_db_path)  # warm the OS file cache, as a second start would be
    times = [_ready_ms(scaled_db_path) for _ in range(5)]
    median = statistics.median(times)
    print(
        f"\ndatabase usable after {median:.0f} ms (median of {len(times)}; "
        f"{min(times):.0f}–{max(times):.0f} ms; since the app module was imported)"
    )
    assert median <= 800 * BENCH_SLACK, f"database usable after {median:.0f} ms, budget 800 ms"


def test_a_session_that_opens_every_section_stays_within_the_memory_budget(scaled_db_path) -> None:  # type: ignore[no-untyped-def]
    out = subprocess.run(
        [sys.executable, str(HERE / "session_memory.py"), str(scaled_db_path)],
        capture_output=True,
        text=True,
        timeout=900,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    assert out.returncode == 0, out.stderr[-3000:]
    f = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\nsections: {', '.join(f['sections'])}")
    for step in f["steps"]:
        print(
            f"  {step['step']:<28} peak {step['peak_mib']:6.1f} MiB, resident {step['rss_mib']:6.1f} MiB"
        )
    assert len(f["sections"]) >= 11  # every section of the left bar was built and loaded
    assert f["peak_mib"] * 2**20 <= MEMORY_BUDGET, (
        f"peak RSS {f['peak_mib']:.0f} MiB, budget 300 MB"
    )
