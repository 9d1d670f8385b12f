"""One Qt-free Progress for every long use case (common.progress, issue 19)."""

from __future__ import annotations

from datetime import date

import pytest

from common.progress import NO_PROGRESS, CallbackProgress, Progress, Recorder, as_progress
from desktop.services.demo import DemoCancelled, generate_demo
from desktop.services.directory import counts


def test_every_dialect_is_one_progress() -> None:
    seen: list[tuple[int, int, str]] = []
    stop = [False]
    p = as_progress(lambda d, t, x: seen.append((d, t, x)), lambda: stop[0])
    assert isinstance(p, Progress) and not p.cancelled
    p.report(1, 4, "Stap")
    stop[0] = True
    assert seen == [(1, 4, "Stap")] and p.cancelled
    rec = Recorder()
    assert as_progress(rec) is rec
    assert as_progress(None) is NO_PROGRESS and not NO_PROGRESS.cancelled
    both = as_progress(rec, lambda: True)  # cancelled when either says so
    assert both.cancelled and not rec.cancelled
    assert not isinstance(lambda d, t, x: None, Progress)
    assert isinstance(CallbackProgress(), Progress)


def test_the_ui_executor_progress_is_an_adapter_of_the_protocol(qapp) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.executor import Job, _Bridge
    from desktop.ui.executor import Progress as QtProgress

    job = Job(1, print, (), {}, "x", True, None, None)
    qt = QtProgress(job, _Bridge())
    assert isinstance(qt, Progress)
    assert not qt.cancelled
    job.cancel()
    assert qt.cancelled


def test_demo_reports_to_a_progress_and_stops_when_it_is_cancelled(db) -> None:  # type: ignore[no-untyped-def]
    before = counts(db.path)
    rec = Recorder(cancel_after=3)
    with pytest.raises(DemoCancelled):
        generate_demo(db, "small", 5, rec, today=date(2026, 11, 23))
    assert len(rec.reports) == 3 and all(total > 0 and text for _, total, text in rec.reports)
    assert counts(db.path) == before
