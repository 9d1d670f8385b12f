"""Render workers of the region batch (issue 6, issue 18 item 5): beoordelingsbrieven and
addenda laid out in spawned processes (never fork a process that runs Qt) while this process
reads and stores the next ones. Started only from the break-even (`batch.RENDER_WORKERS_FROM`),
and never left running after the batch returns."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class RenderPool:
    """Renders batch letters in worker processes (spawned: never fork a process that runs Qt),
    so the database work of the next letters overlaps with the layout of these. When a worker
    cannot start or dies, the letters are rendered in this process instead (same bytes)."""

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self.broken = False

    @staticmethod
    def for_batch(size: int, minimum: int) -> RenderPool | None:
        """Workers for a batch of `size` letters, or None below `minimum` (the break-even),
        on one core, or with KWALITEITSDIALOOG_RENDER_WORKERS=0."""
        import os

        cores = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
        if size < minimum or cores < 2 or os.environ.get("KWALITEITSDIALOOG_RENDER_WORKERS") == "0":
            return None  # starting workers (about a second) does not pay off
        try:
            return RenderPool(max(1, min(cores - 1, 3)))  # one core stays with the database work
        except (OSError, ValueError) as exc:
            log.warning("no render workers (%s): rendering the batch in this process", exc)
            return None

    def submit(self, jobs: list[tuple], fn: Callable[[tuple], Any] | None = None) -> list[Any]:
        """`fn` (render_job by default; module-level, so a worker can import it) for each job."""
        from desktop.services.letters.render import render_job

        fn = fn or render_job
        if self.broken:
            return render_here(jobs, fn)
        return [Pending(self, self._pool.submit(fn, job), job, fn) for job in jobs]

    def close(self, timeout: float = 10.0) -> None:
        """Stop the workers before the command returns (issue 18: they were left running):
        letters not started are cancelled, running ones finish; a worker that does not end
        within `timeout` seconds is terminated (killed if that does not end it within 2 s)."""
        processes = list(getattr(self._pool, "_processes", {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            proc.join(timeout)
            if proc.is_alive():
                proc.terminate()
                proc.join(2)
            if proc.is_alive():  # SIGTERM waits while a process is stuck on a busy disk
                proc.kill()
                proc.join()
        self._pool.shutdown(wait=True)


class Done:
    """A finished 'future' for letters rendered in this process."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def result(self) -> Any:
        return self._value


def render_here(jobs: list[tuple], fn: Callable[[tuple], Any] | None = None) -> list[Done]:
    from desktop.services.letters.render import render_job

    fn = fn or render_job
    return [Done(fn(job)) for job in jobs]


class Pending:
    """A letter rendering in a worker; rendered here if the worker is gone."""

    def __init__(
        self, pool: RenderPool, future: Any, job: tuple, fn: Callable[[tuple], Any]
    ) -> None:
        self.pool, self.future, self.job, self.fn = pool, future, job, fn

    def result(self) -> Any:
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self.future.result()
        except (BrokenProcessPool, OSError, EOFError) as exc:
            if not self.pool.broken:
                log.warning("render worker failed (%r): rendering the rest of the batch here", exc)
                self.pool.broken = True
            return self.fn(self.job)
