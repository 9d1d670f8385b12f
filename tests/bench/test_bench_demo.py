"""Demo generation time (issue 2 item 11) and the zorgkantoor sizes.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_demo.py --benchmark-only

One round each: the zorgkantoor scale takes minutes (see tests/bench/README.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from desktop.services.database import open_database
from desktop.services.demo import generate_demo

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench-demo") / "template.sqlite"
    open_database(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _generate(template: Path, target: Path, scale: str) -> dict[str, int]:
    shutil.copyfile(template, target)
    db = open_database(target)
    try:
        return generate_demo(db, scale, 2026, today=TODAY).counts
    finally:
        db.dispose()


def test_bench_demo_small(benchmark, template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counter = iter(range(100))
    counts = benchmark.pedantic(
        lambda: _generate(template, tmp_path / f"small-{next(counter)}.sqlite", "small"),
        rounds=3,
        iterations=1,
    )
    assert (counts["provider"], counts["location"]) == (20, 50)


def test_bench_demo_zorgkantoor(benchmark, template: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    counts = benchmark.pedantic(
        lambda: _generate(template, tmp_path / "zorgkantoor.sqlite", "zorgkantoor"),
        rounds=1,
        iterations=1,
    )
    conn = sqlite3.connect(tmp_path / "zorgkantoor.sqlite")
    regions = conn.execute("SELECT count(DISTINCT region_id) FROM location").fetchone()[0]
    years = conn.execute("SELECT count(DISTINCT period_year) FROM theme_assessment").fetchone()[0]
    conn.close()
    assert regions == 11 and years == 10
    assert counts["provider"] == 400
    assert counts["location"] == 1000
    assert 18 <= counts["app_user"] <= 22
    benchmark.extra_info.update(
        {
            k: counts[k]
            for k in (
                "provider",
                "location",
                "theme_assessment",
                "site_visit",
                "diagnosis_note",
                "budget_request",
                "sync_op",
            )
        }
    )
