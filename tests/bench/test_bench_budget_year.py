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
    from desktop.services.budget import care_office_by_code
    from desktop.services.budget_year.monitoring import monitor
    from desktop.services.demo import CARE_OFFICE_CODE

    db = Database(zorgkantoor_db_path)
    office_id, _ = care_office_by_code(db, CARE_OFFICE_CODE)
    m = monitor(db, TODAY.year, care_office_id=office_id, as_of=TODAY)  # warm
    assert len(m.rows) > 300
    cpu0 = time.process_time()
    benchmark.pedantic(
        monitor,
        args=(db, TODAY.year),
        rounds=15,
        iterations=1,
        kwargs={"care_office_id": office_id, "as_of": TODAY},
    )
    cpu = (time.process_time() - cpu0) / 15
    median = statistics.median(benchmark.stats.stats.data)
    print(
        f"\nmonitoring {len(m.rows)} providers: median {median * 1000:.1f} ms, cpu {cpu * 1000:.1f} ms"
    )
    db.dispose()
    assert median <= 0.100


def test_import_of_a_400_provider_sheet(
    benchmark, zorgkantoor_db_copy: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from db.engine import Database
    from db.models import Provider
    from desktop.services.budget_year.realisation_import import import_realisation

    db = Database(zorgkantoor_db_copy)
    with db.read_session() as s:
        kvks = [k for k in s.exec(select(Provider.kvk_number)).all() if k][:400]
    assert len(kvks) >= 390
    sheet = tmp_path / "realisatie.csv"
    lines = [
        "jaar;periode;kvk;datum_ontvangst;kosten_personeel;kosten_overig;fte_2018;"
        "fte_gerealiseerd;clienten_vv4_vv10;clienten_2018"
    ]
    for i, kvk in enumerate(kvks):
        lines.append(
            f"2027;mei;{kvk};28-05-2027;{100000 + i},00;{20000 + i},50;"
            f"{100 + i % 50},25;{104 + i % 50},5;{90 + i % 40};{88 + i % 40}"
        )
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


def test_herschikking_letters_for_100_providers(benchmark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """100 underspenders in one round, approved; then the 100 herschikkingsbrieven (<= 10 s)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from budget_year_helpers import add_agreement
    from test_requests_helpers import make_world

    from desktop.services import review
    from desktop.services.budget_year import herschikking as hs
    from desktop.services.budget_year import realisation as rz
    from desktop.services.budget_year.herschikking_letter import write_letters
    from desktop.services.database import open_database
    from desktop.services.letters.service import set_letterhead
    from desktop.services.users import create_user

    db = open_database(tmp_path / "herschikking.sqlite")
    by = create_user(db, name="Anna de Vries", initials="AdV", roles=["PURCHASER"]).id
    lead = create_user(db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"], actor_id=by).id
    world = make_world(db, by)
    set_letterhead(db, world.care_office_id, lead, phone="070 123 45 67", email="inkoop@zk.example")
    for i in range(100):
        pid, _ = add_agreement(
            db,
            lead,
            world.region_id,
            name=f"Zorggroep {i:03d}",
            total=f"{1_000_000 + 1000 * i}.00",
            year=2026,
            decided_on=date(2026, 2, 1),
        )
        rz.record_report(
            db,
            by,
            provider_id=pid,
            year=2026,
            period="OCT",
            today=TODAY,
            received_date="2026-10-20",
            staff_costs="500.000,00",
            other_costs="90.000,00",
        )
    r = hs.open_round(db, by, world.care_office_id, 2026, as_of=TODAY)
    assert sum(p.changed for p in r.proposals) == 100
    review.submit(db, hs.SUBJECT, r.id, by)
    review.approve(db, hs.SUBJECT, r.id, lead)
    runs: list[float] = []

    def once() -> None:
        t0 = time.perf_counter()
        paths = write_letters(
            db, r.id, tmp_path / f"brieven{len(runs)}", letter_date=date(2026, 11, 6)
        )
        runs.append(time.perf_counter() - t0)
        assert len(paths) == 100

    cpu0 = time.process_time()
    benchmark.pedantic(once, rounds=2, iterations=1)
    cpu = (time.process_time() - cpu0) / 2
    print(f"\n100 herschikkingsbrieven: {', '.join(f'{x:.2f}' for x in runs)} s, cpu {cpu:.2f} s")
    db.dispose()
    assert min(runs) <= 10.0
