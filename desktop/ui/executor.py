"""One single-worker executor for all database work (ARCHITECTURE.md).

Jobs run in order on one background thread; results come back on the GUI thread by signal.
A job whose function has a `progress` parameter gets a Progress object to report through and to
poll for cancellation (TagStudio's progress generators + Anki's CollectionOp, with an error
channel and cancel).
"""

from __future__ import annotations

import inspect
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop.services.changes import collect_changes
from desktop.ui.qt import QObject, Signal, shiboken_is_valid

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by Progress.check() when the user pressed Annuleren."""


class Progress:
    def __init__(self, job: Job, bridge: _Bridge) -> None:
        self._job = job
        self._bridge = bridge
        self._last_emit = 0.0

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_requested.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last_emit >= 0.05 or (total and done >= total):
            self._last_emit = now
            self._bridge.progressed.emit(self._job, int(done), int(total), text)


@dataclass(eq=False)
class Job:
    id: int
    fn: Callable[..., Any]
    args: tuple
    kwargs: dict
    label: str
    cancellable: bool
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    submitted: float = field(default_factory=time.monotonic)
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    def cancel(self) -> None:
        self.cancel_requested.set()


@dataclass(eq=False)
class _Outcome:
    # Wrapped in one object: PySide6 mis-counts references to a bare None sent through a
    # queued Signal(object) from a non-Qt thread ("deallocating None").
    job: Job
    result: Any
    error: BaseException | None
    changed: frozenset[str] = frozenset()  # entities the job's units of work committed


class _Bridge(QObject):
    started = Signal(object)
    progressed = Signal(object, int, int, str)
    finished = Signal(object)  # _Outcome


class DbExecutor(QObject):
    """`submit()` from the GUI thread; callbacks run on the GUI thread."""

    job_started = Signal(object)
    job_progress = Signal(object, int, int, str)
    job_finished = Signal(object)
    #: after a job, the entities its units of work committed (ChangeSet, never empty)
    entities_changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._ids = itertools.count(1)
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._deliver)
        self._bridge.progressed.connect(self.job_progress)
        self._bridge.started.connect(self.job_started)
        self._thread = threading.Thread(target=self._loop, name="db-worker", daemon=True)
        self._thread.start()

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
        cancellable: bool = False,
        **kwargs: Any,
    ) -> Job:
        job = Job(next(self._ids), fn, args, kwargs, label, cancellable, on_done, on_error)
        self._queue.put(job)
        return job

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._bridge.started.emit(job)
            result: Any = None
            error: BaseException | None = None
            with collect_changes() as changed:
                try:
                    kwargs = dict(job.kwargs)
                    if _wants_progress(job.fn):
                        kwargs["progress"] = Progress(job, self._bridge)
                    result = job.fn(*job.args, **kwargs)
                except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
                    error = exc
            self._bridge.finished.emit(_Outcome(job, result, error, frozenset(changed)))

    def _deliver(self, outcome: _Outcome) -> None:
        job, result, error = outcome.job, outcome.result, outcome.error
        job.finished = True
        self.job_finished.emit(job)
        try:
            if not (_alive(job.on_done) and _alive(job.on_error)):
                # The widget that asked was closed while the job ran: nobody to answer.
                if error is not None and not isinstance(error, Cancelled):
                    log.warning(
                        "job %s failed after its widget was closed",
                        job.label,
                        exc_info=(type(error), error, error.__traceback__),
                    )
            elif error is None:
                if job.on_done is not None:
                    job.on_done(result)
            elif isinstance(error, Cancelled):
                log.info("job %s cancelled", job.label)
            elif job.on_error is not None:
                job.on_error(error)
            else:
                raise error
        except BaseException as exc:  # noqa: BLE001
            from desktop.ui.errors import report_exception

            report_exception(exc)
        if outcome.changed:
            self.entities_changed.emit(outcome.changed)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """For tests and shutdown: block until every queued job has run."""
        done = threading.Event()
        self._queue.put(Job(0, done.set, (), {}, "", False, None, None))
        return done.wait(timeout)

    def shutdown(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)


def _wants_progress(fn: Callable[..., Any]) -> bool:
    try:
        return "progress" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def _alive(callback: Callable[..., Any] | None) -> bool:
    """False when `callback` is a method of a Qt object whose C++ side is already deleted, or a
    lambda/closure over such an object (`lambda s: self._summary(office, year, s)`)."""
    if callback is None:
        return True
    receivers = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            receivers.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    return all(shiboken_is_valid(r) for r in receivers if isinstance(r, QObject))
