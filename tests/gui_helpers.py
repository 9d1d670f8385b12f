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
