"""Start-up hook (STARTUP_HOOKS): after every sync round (the sync controller announces
"everything may have changed", `ctx.announce("*")`) upload queued document blobs and extract the text of downloaded ones, as a
separate job on the database worker: the op sync never waits for documents."""

from __future__ import annotations

from desktop.services.changes import ChangeSet
from desktop.ui.context import AppContext
from desktop.ui.qt import QTimer, QWidget

DELAY_MS = 1500


def install(ctx: AppContext, window: QWidget) -> None:
    from desktop.ui.documents.jobs import background_upload_and_extract

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.setInterval(DELAY_MS)

    def run() -> None:
        if ctx.db_ready:
            ctx.run(background_upload_and_extract, ctx.db, on_error=lambda _e: None)

    def changed(changes: ChangeSet) -> None:
        if "*" in changes:
            timer.start()  # debounced: one job after a burst of refreshes

    timer.timeout.connect(run)
    ctx.entities_changed.connect(changed)
    timer.start()  # once at start-up: what was added offline last time goes up now
