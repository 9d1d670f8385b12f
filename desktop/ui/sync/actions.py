"""Menu actions, the status-bar widget and automatic sync (start, interval, close).

Registered in desktop/ui/sections.py: MENU_ACTIONS ("Synchroniseren" Ctrl+Shift+S,
"Gedeelde opslag…", "Conflicten oplossen…") and STARTUP_HOOKS (`install`).
Working offline is normal: an unreachable store is a calm status-bar message, never an error
dialog for automatic syncs.
"""

from __future__ import annotations

from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QEvent,
    QMessageBox,
    QObject,
    QPushButton,
    Qt,
    QTimer,
    QWidget,
    shiboken_is_valid,
)

AUTO_SYNC_MS = 10 * 60 * 1000
START_DELAY_MS = 3000


# -- work on the database worker (no Qt) ------------------------------------------------------
def run_sync(db: Any, progress: Any = None) -> Any:
    from desktop.services import sync as svc

    return svc.sync_now(db, progress=progress)  # the executor's Progress (common.progress)


def read_status(db: Any) -> Any:
    from desktop.services import sync as svc

    return svc.status(db)


def status_text(st: Any) -> tuple[str, str]:
    """(label, tooltip) for the status bar."""
    from desktop.services.formatting import timestamp

    if not st.configured:
        return "Niet gekoppeld aan gedeelde opslag", "Kies Extra › Gedeelde opslag…"
    last = "nog niet gesynchroniseerd"
    if st.last_sync:
        from datetime import datetime

        try:
            last = "gesynchroniseerd " + timestamp(datetime.fromisoformat(st.last_sync))
        except Exception:  # noqa: BLE001 - formatting is cosmetic
            last = "gesynchroniseerd " + st.last_sync
    parts = [last.capitalize(), f"{st.pending_ops} te versturen"]
    if st.conflicts:
        parts.append(f"{st.conflicts} conflict" + ("en" if st.conflicts != 1 else ""))
    if st.quarantined:
        parts.append(f"{st.quarantined} in quarantaine")
    if getattr(st, "held", 0):
        parts.append(f"{st.held} niet gedeeld")
    return " · ".join(parts), f"Gedeelde opslag: {st.store_path}\nKlik om conflicten te bekijken."


# -- status-bar widget ------------------------------------------------------------------------
class SyncStatusWidget(QPushButton):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Synchronisatie…", parent)
        self.ctx = ctx
        self.setFlat(True)
        self.setObjectName("syncStatus")
        self.setAccessibleName("Synchronisatiestatus")
        self.status: Any = None
        self.clicked.connect(self._open)
        ctx.entities_changed.connect(self._on_changes)

    def _on_changes(self, _changes: frozenset[str]) -> None:
        self.refresh()  # any write may add a pending op or a conflict

    def refresh(self) -> None:
        self.ctx.run(read_status, self.ctx.db, on_done=self.show_status, on_error=lambda e: None)

    def show_status(self, st: Any) -> None:
        self.status = st
        label, tip = status_text(st)
        self.setText(label)
        self.setToolTip(tip)

    def _open(self) -> None:
        window = self.window()
        if self.status is not None and self.status.conflicts:
            open_conflicts_dialog(self.ctx, window)
        else:
            open_store_dialog(self.ctx, window)


class _Controller(QObject):
    """Automatic sync and sync on close, owned by the main window."""

    def __init__(self, ctx: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self.ctx = ctx
        self.window = window
        self.busy = False
        self.last_result: Any = None
        self.last_error = ""
        self.notice: Any = None
        self.widget = SyncStatusWidget(ctx)
        window.statusBar().addPermanentWidget(self.widget)  # type: ignore[attr-defined]
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_SYNC_MS)
        self.timer.timeout.connect(lambda: self.sync(manual=False))
        self.timer.start()
        # A child timer (not QTimer.singleShot with a lambda) so it dies with the window:
        # a window closed within START_DELAY_MS must not be synced after its widgets are gone.
        self.start_timer = QTimer(self)
        self.start_timer.setSingleShot(True)
        self.start_timer.setInterval(START_DELAY_MS)
        self.start_timer.timeout.connect(lambda: self.sync(manual=False))
        self.start_timer.start()
        window.installEventFilter(self)
        self.widget.refresh()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.window and event.type() == QEvent.Type.Close and not self.busy:
            # The main window waits for the worker to be idle before it closes.
            if self.widget.status is not None and self.widget.status.configured:
                self.sync(manual=False)
        return False

    def _notice(self, icon: QMessageBox.Icon, text: str) -> None:
        """Non-modal: the user keeps working while reading it."""
        box = QMessageBox(icon, "Synchroniseren", text, QMessageBox.StandardButton.Ok, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()
        self.notice = box

    def sync(self, manual: bool) -> None:
        if self.busy or not shiboken_is_valid(self.widget):
            return
        if not manual and (self.widget.status is None or not self.widget.status.configured):
            self.widget.refresh()
            return
        self.busy = True
        self.widget.setText("Bezig met synchroniseren…")

        def done(result: Any) -> None:
            self.busy = False
            msg = (
                f"Gesynchroniseerd: {result.pushed} verstuurd, {result.pulled} opgehaald"
                + (f", {result.conflicts} conflict(en)" if result.conflicts else "")
                + (
                    f", {result.quarantined} bestand(en) in quarantaine"
                    if result.quarantined
                    else ""
                )
            )
            if result.cancelled:
                msg = "Synchroniseren afgebroken; er is niets verloren."
            self.ctx.status_message(msg, 8000)
            if result.pulled:
                self.ctx.announce("*")  # the pulled ops bypass the executor's UnitOfWork
            else:
                self.widget.refresh()
            self.last_result = result
            if manual and result.problems:
                self._notice(
                    QMessageBox.Icon.Information, msg + "\n\n" + "\n".join(result.problems[:10])
                )
            elif getattr(result, "held", ()):
                # Changes the team would refuse stay here: their author must read why.
                self._notice(QMessageBox.Icon.Warning, "\n\n".join(result.held[:10]))

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.widget.refresh()
            message = getattr(exc, "message", None) or "Synchroniseren lukte niet."
            self.last_error = message
            if manual:
                self._notice(QMessageBox.Icon.Warning, message)
            else:
                self.ctx.status_message(f"Offline: {message}", 8000)

        self.ctx.run(
            run_sync,
            self.ctx.db,
            on_done=done,
            on_error=failed,
            label="Bezig met synchroniseren…",
            cancellable=True,
        )


def _controller(ctx: AppContext, window: QWidget) -> _Controller:
    ctl = getattr(window, "_sync_controller", None)
    if ctl is None:
        ctl = _Controller(ctx, window)
        window._sync_controller = ctl  # type: ignore[attr-defined]
    return ctl


# -- registered entry points ------------------------------------------------------------------
def install(ctx: AppContext, window: QWidget) -> None:
    """STARTUP_HOOKS: status-bar widget, sync at start and every 10 minutes, sync on close."""
    _controller(ctx, window)


def sync_now(ctx: AppContext, window: QWidget) -> None:
    _controller(ctx, window).sync(manual=True)


def open_store_dialog(ctx: AppContext, window: QWidget) -> None:
    from desktop.ui.sync.store_dialog import StoreDialog

    StoreDialog(ctx, window).exec()
    _controller(ctx, window).widget.refresh()


def open_conflicts_dialog(ctx: AppContext, window: QWidget) -> None:
    from desktop.ui.sync.conflicts_dialog import ConflictsDialog

    ConflictsDialog(ctx, window).exec()
    _controller(ctx, window).widget.refresh()
