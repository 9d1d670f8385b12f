"""Shared by the GUI tests: an application context on a test database, and waiting until the
database worker and the event loop are quiet."""

from __future__ import annotations


def ui_context(db, user=None):  # type: ignore[no-untyped-def]
    """An AppContext on `db`, with `user` as the current user when given."""
    from desktop.ui.context import AppContext

    ctx = AppContext(db.path)
    ctx.set_db(db)
    if user is not None:
        ctx.set_user(user)
    return ctx


def settle(qtbot, ctx, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Let queued database jobs finish and their answers reach the widgets (several rounds: an
    answer may queue the next read)."""
    for _ in range(rounds):
        ctx.executor.wait_idle(20)
        qtbot.wait(30)


def main_window(qtbot, db_path, *, with_user: bool = True):  # type: ignore[no-untyped-def]
    """The main window on the database file at `db_path`, as the app builds it: context, window
    (added to qtbot, not shown yet), the database opened and, with `with_user`, its current user
    signed in. Returns (ctx, window); the database is `ctx.db`."""
    from desktop.services.database import open_database
    from desktop.services.directory import load_directory
    from desktop.services.users import current_user
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    ctx = AppContext(db_path)
    window = MainWindow(ctx, load_directory(db_path))
    qtbot.addWidget(window)
    db = open_database(db_path)
    ctx.set_db(db)
    if with_user:
        ctx.set_user(current_user(db))
    return ctx, window


def shown(qtbot, widget, size: tuple[int, int] = (1366, 768)):  # type: ignore[no-untyped-def]
    """`widget` handed to qtbot (closed after the test), resized to `size` and shown."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


def in_next_dialog(qtbot, act) -> None:  # type: ignore[no-untyped-def]
    """Run `act(dialog)` on the next modal dialog once its list (`choices`) has loaded."""
    from desktop.ui.qt import QApplication, QTimer

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not getattr(dialog, "choices", None):
            QTimer.singleShot(20, go)
            return
        act(dialog)

    QTimer.singleShot(50, go)


def review_queue_at_first_row(qtbot, db, user, size: tuple[int, int] | None = None):  # type: ignore[no-untyped-def]
    """The review queue as `user` sees it (resized to `size` when given), shown, with its first
    row selected and loaded. Returns (ctx, queue); shut `ctx.executor` down when done."""
    from desktop.ui.requests.queue_view import ReviewQueueSection

    ctx = ui_context(db, user)
    queue = ReviewQueueSection(ctx)
    qtbot.addWidget(queue)
    if size is not None:
        queue.resize(*size)
    queue.show()
    settle(qtbot, ctx)
    queue.table.selectRow(0)
    settle(qtbot, ctx)
    return ctx, queue
