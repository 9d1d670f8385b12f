"""The plumbing the diagnosis dialogs share (and the steering dialogs reuse): fields with their
errors under them, a general error line, OK runs the dialog's service call on the worker.

Validation happens in the services; their ValidationError(field, message) is shown next to
the field it belongs to (FieldError)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QDate,
    QDialog,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError, dialog_buttons, with_error

# 600 pixels of screen minus a task bar and the title bar (issue 14: the Oordeel dialog was 642).
MAX_HEIGHT = 560

#: what OK runs on the worker: fn(db, **kwargs)
SaveCall = tuple[Callable[..., Any], dict[str, Any]]


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class FormDialog(QDialog):
    """Shared plumbing: field errors, a general error line, OK runs `_save_call` on the worker."""

    # A tall form's scroll area (None otherwise). The name hides QWidget.scroll(dx, dy), which
    # no dialog calls; callers and tests have read `.scroll` since issue 14.
    scroll: QScrollArea | None  # type: ignore[assignment]

    def __init__(
        self, ctx: AppContext, title: str, parent: QWidget | None = None, *, scroll: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.errors: dict[str, FieldError] = {}
        self.result_value: Any = None
        self.frame = QVBoxLayout(self)
        self.scroll = None
        self.body: QWidget | None = None
        if scroll:  # a tall form: the fields scroll, the error line and the buttons stay put
            self.body = QWidget()
            self.outer = QVBoxLayout(self.body)
            self.outer.setContentsMargins(0, 0, 6, 0)
            self.scroll = QScrollArea()
            self.scroll.setWidgetResizable(True)
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.scroll.setWidget(self.body)
            self.frame.addWidget(self.scroll, 1)
        else:
            self.outer = self.frame
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.outer.addLayout(self.form)
        self.general_error = FieldError()
        if not scroll:  # a scrolling form keeps it beside the buttons (finish_layout)
            self.outer.addWidget(self.general_error)
        self.buttons = dialog_buttons()
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def add_row(
        self, label: str, field: str, widget: QWidget, focus: QWidget | None = None
    ) -> None:
        err = FieldError(focus or widget)
        self.errors[field] = err
        lbl = QLabel(label)
        lbl.setBuddy(focus or widget)
        self.form.addRow(lbl, with_error(widget, err))

    def finish_layout(self) -> None:
        if self.scroll is not None:
            self.outer.addStretch(1)
            self.frame.addWidget(self.general_error)
        self.frame.addWidget(self.buttons)
        if self.scroll is not None:
            self._fit_height(self.scroll)

    def _fit_height(self, scroll: QScrollArea) -> None:
        """As tall as the form wants, but at most MAX_HEIGHT and never taller than the free
        screen: on 1024×600 with a task bar the dialog fits and the form scrolls inside."""
        assert self.body is not None
        body = self.body
        body.adjustSize()
        chrome = self.sizeHint().height() - scroll.sizeHint().height()
        want = body.sizeHint().height() + chrome + 4
        screen = self.screen()
        limit = (
            MAX_HEIGHT
            if screen is None
            else min(MAX_HEIGHT, screen.availableGeometry().height() - 40)
        )
        scroll.setMinimumHeight(min(body.sizeHint().height(), 200))
        width = max(self.minimumWidth(), body.sizeHint().width() + 40)
        self.resize(width, max(min(want, limit), self.minimumSizeHint().height()))

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        if self.scroll is not None:
            hint.setHeight(min(hint.height(), MAX_HEIGHT))
        return hint

    def clear_errors(self) -> None:
        for e in self.errors.values():
            e.clear_error()
        self.general_error.clear_error()

    def show_errors(self, exc: BaseException) -> None:
        from desktop.ui.errors import route_error

        self.buttons.setEnabled(True)
        route_error(exc, self.errors, self.general_error.show_error, self)

    def submit(self) -> None:
        self.clear_errors()
        if self.ctx.user is None:
            self.general_error.show_error("Kies eerst wie u bent (menu Extra, Mijn profiel).")
            return
        self.buttons.setEnabled(False)
        fn, kwargs = self._save_call()
        self.ctx.run(
            fn,
            self.ctx.db,
            on_done=self._saved,
            on_error=self.show_errors,
            label="Opslaan",
            **kwargs,
        )

    def _saved(self, value: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_value = value
        self.accept()

    def _save_call(self) -> SaveCall:  # pragma: no cover - abstract
        raise NotImplementedError
