"""Benchmarks of issue 16 (run: pytest tests/bench/test_bench_budget_year.py --benchmark-only).

Targets on the zorgkantoor demo database: the monitoring of the care office for a year
<= 100 ms; the import of a 400-provider realisation sheet <= 2 s.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import pytest

from tests.bench.conftest import TODAY

pytestmark = pytest.mark.bench


def test_monitoring_of_a_care_office(benchmark, zorgkantoor_db_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.engine import Database
    from desktop.services.budget import care_offices
    from desktop.services.budget_year.monitoring import monitor

    db = Database(zorgkantoor_db_path)
    (office_id, _), *_ = care_offices(db)
    m = monitor(db, TODAY.year, care_office_id=office_id, as_of=TODAY)  # warm
    assert len(m.rows) > 300
    cpu0 = time.process_time()
    benchmark.pedantic(monitor, args=(db, TODAY.year), rounds=15, iterations=1,
                       kwargs={"care_office_id": office_id, "as_of": TODAY})
    cpu = (time.process_time() - cpu0) / 15
    median = statistics.median(benchmark.stats.stats.data)
    print(f"\nmonitoring {len(m.rows)} providers: median {median * 1000:.1f} ms, cpu {cpu * 1000:.1f} ms")
    db.dispose()
    assert median <= 0.100


def test_import_of_a_400_provider_sheet(benchmark, zorgkantoor_db_copy: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from db.engine import Database
    from db.models import Provider
    from desktop.services.budget_year.realisation_import import import_realisation

    db = Database(zorgkantoor_db_copy)
    with db.read_session() as s:
        kvks = [k for k in s.exec(select(Provider.kvk_number)).all() if k][:400]
    assert len(kvks) >= 390
    sheet = tmp_path / "realisatie.csv"
    lines = ["jaar;periode;kvk;datum_ontvangst;kosten_personeel;kosten_overig;fte_2018;"
             "fte_gerealiseerd;clienten_vv4_vv10;clienten_2018"]
    for i, kvk in enumerate(kvks):
        lines.append(f"2027;mei;{kvk};28-05-2027;{100000 + i}.000,00;{20000 + i},50;"
                     f"{100 + i % 50},25;{104 + i % 50},5;{90 + i % 40};{88 + i % 40}")
    sheet.write_text("\n".join(lines), encoding="utf-8")
    runs: list[float] = []

    def once() -> None:
        t0 = time.perf_counter()
        rep = import_realisation(db, sheet, today=date(2027, 6, 1))
        runs.append(time.perf_counter() - t0)
        assert rep.ok and rep.written, rep.errors[:3]

    cpu0 = time.process_time()
    benchmark.pedantic(once, rounds=3, iterations=1)  # run 2 and 3 correct the 400 reports
    cpu = (time.process_time() - cpu0) / 3
    print(f"\nimport 400 rows: {', '.join(f'{r:.2f}' for r in runs)} s, cpu {cpu:.2f} s")
    db.dispose()
    assert max(runs) <= 2.0
