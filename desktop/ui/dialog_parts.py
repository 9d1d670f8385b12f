"""Scaffolding the tool dialogs share (issue 19: one copy instead of one per dialog): the
window with its title and intro, the Dutch button boxes, the error line above Sluiten."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.ui.qt import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from desktop.ui.widgets import FieldError, title_label

if TYPE_CHECKING:
    from desktop.ui.context import AppContext

_Button = QDialogButtonBox.StandardButton


def dialog_layout(
    dialog: QDialog,
    title: str,
    size: tuple[int, int] | None = None,
    *,
    heading: str = "",
    intro: str = "",
    muted: bool = True,
) -> QVBoxLayout:
    """Title the dialog, size it, and start its layout with a heading and an intro text."""
    dialog.setWindowTitle(title)
    if size is not None:
        dialog.resize(*size)
    lay = QVBoxLayout(dialog)
    if heading:
        lay.addWidget(title_label(heading, "sectionTitle"))
    if intro:
        label = QLabel(intro)
        label.setWordWrap(True)
        if muted:
            label.setObjectName("muted")
        lay.addWidget(label)
    return lay


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A "Sluiten" button that closes the dialog."""
    buttons = QDialogButtonBox(_Button.Close)
    buttons.button(_Button.Close).setText("Sluiten")
    buttons.rejected.connect(dialog.reject)
    return buttons


def error_and_close(dialog: QDialog, lay: QVBoxLayout) -> FieldError:
    """The dialog's error line and its Sluiten button, at the bottom of `lay`."""
    error = FieldError()
    lay.addWidget(error)
    lay.addWidget(close_buttons(dialog))
    return error


def failure_text(exc: BaseException, fallback: str = "Dit lukte niet.") -> str:
    """The Dutch message a service error carries, or a general one."""
    return getattr(exc, "message", None) or fallback


class ToolDialog(QDialog):
    """A tool dialog on the app's context, its layout (`lay`) started by dialog_layout.
    `reload` runs `rows_of(db)` off the GUI thread and gives the result to `_show`; a failure
    lands on the dialog's `error` line (with `fallback` when the error carries no message)."""

    error: FieldError
    fallback = "Dit lukte niet."
    rows_of: Callable[[Any], Any]

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        size: tuple[int, int],
        parent: QWidget | None = None,
        **intro: Any,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lay = dialog_layout(self, title, size, **intro)

    def reload(self) -> None:
        self.ctx.run(self.rows_of, self.ctx.db, on_done=self._show, on_error=self._failed)

    def _show(self, rows: Any) -> None:
        raise NotImplementedError

    def _failed(self, exc: BaseException) -> None:
        self.error.show_error(failure_text(exc, self.fallback))
