"""The main window's status bar: progress of database work that takes longer than half a
second (with Annuleren where the work allows it), the current user and the database file."""

from __future__ import annotations

import time
from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.executor import Job
from desktop.ui.qt import (
    QHBoxLayout,
    QLabel,
    QObject,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QTimer,
    QWidget,
)

PROGRESS_DELAY_MS = 500


class ProgressArea(QWidget):
    """Status-bar progress for work that takes longer than half a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Annuleren")
        self.cancel.setFlat(True)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self.job: Job | None = None
        self.cancel.clicked.connect(self._cancel)
        self.hide()

    def show_job(self, job: Job) -> None:
        self.job = job
        self.label.setText(job.label or "Bezig…")
        self.bar.setRange(0, 0)
        self.cancel.setVisible(job.cancellable)
        self.cancel.setEnabled(True)
        self.show()

    def show_progress(self, job: Job, done: int, total: int, text: str) -> None:
        """The executor's job_progress (a name of its own: QWidget.update repaints)."""
        if job is not self.job:
            return
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if text:
            self.label.setText(text)

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.label.setText("Annuleren…")


class StatusBar(QObject):
    """Fills the window's QStatusBar and follows the executor: a job's progress shows only
    after PROGRESS_DELAY_MS, so quick work never flickers."""

    def __init__(self, ctx: AppContext, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.progress = ProgressArea()
        bar.addWidget(self.progress)
        self.user_label = QLabel("")
        self.db_label = QLabel(f"Database: {ctx.db_path}")
        self.db_label.setToolTip(str(ctx.db_path))
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.db_label)
        self._pending: dict[int, float] = {}
        ex = ctx.executor
        ex.job_started.connect(self._job_started)
        ex.job_progress.connect(self.progress.show_progress)
        ex.job_finished.connect(self._job_finished)

    def show_user(self, user: Any) -> None:
        self.user_label.setText(f"{user.name} ({user.roles_label})" if user else "Geen profiel")

    def _job_started(self, job: Job) -> None:
        self._pending[job.id] = time.monotonic()
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda j=job: self._maybe_show_progress(j))

    def _maybe_show_progress(self, job: Job) -> None:
        if not job.finished:
            self.progress.show_job(job)

    def _job_finished(self, job: Job) -> None:
        self._pending.pop(job.id, None)
        if self.progress.job is job:
            self.progress.hide()
            self.progress.job = None
