"""Progress and cancel for long work, one Qt-free shape for every layer (issue 19).

A long use case takes `progress: Progress | None` and calls `progress.report(done, total,
text)` between steps; it stops cleanly when `progress.cancelled` is true. The UI executor's
`desktop.ui.executor.Progress` is the Qt adapter (it throttles and sends a signal); the CLI and
tests pass `NO_PROGRESS`, a `Recorder`, or wrap the older callback pair with `as_progress`:

    def make_many(db, progress: Progress | None = None) -> int:
        p = as_progress(progress)
        for i, item in enumerate(items):
            if p.cancelled:
                break
            p.report(i, len(items), f"Brief {i + 1} van {len(items)}")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

Report = Callable[[int, int, str], None]  # the older callback dialect: (done, total, text)


@runtime_checkable
class Progress(Protocol):
    def report(self, done: int, total: int = 0, text: str = "") -> None: ...

    @property
    def cancelled(self) -> bool: ...


class _NoProgress:
    def report(self, done: int, total: int = 0, text: str = "") -> None:
        return None

    @property
    def cancelled(self) -> bool:
        return False


NO_PROGRESS: Progress = _NoProgress()


@dataclass
class CallbackProgress:
    """The callback pair (`report(done, total, text)`, `cancelled()`) as a Progress."""

    callback: Report | None = None
    is_cancelled: Callable[[], bool] | None = None

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        if self.callback is not None:
            self.callback(done, total, text)

    @property
    def cancelled(self) -> bool:
        return bool(self.is_cancelled is not None and self.is_cancelled())


@dataclass
class Recorder:
    """A Progress that remembers what it was told (tests, CLI summaries); `cancel_after`
    reports cancellation once that many reports have arrived."""

    cancel_after: int | None = None
    reports: list[tuple[int, int, str]] = field(default_factory=list)

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        self.reports.append((done, total, text))

    @property
    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after


def as_progress(
    progress: Progress | Report | None = None, cancelled: Callable[[], bool] | None = None
) -> Progress:
    """One Progress from any of the dialects: a Progress, a `(done, total, text)` callback,
    and/or a `cancelled()` callable. Cancelled when either says so."""
    if progress is None and cancelled is None:
        return NO_PROGRESS
    if isinstance(progress, Progress):
        if cancelled is None:
            return progress
        inner = progress
        return CallbackProgress(inner.report, lambda: inner.cancelled or cancelled())
    return CallbackProgress(progress, cancelled)


def callbacks(progress: Progress) -> tuple[Report, Callable[[], bool]]:
    """The callback pair for code that still takes it (db.sync.engine.sync)."""
    return progress.report, lambda: progress.cancelled
