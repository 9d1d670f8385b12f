"""No database on the GUI thread (issue 19): the guard itself, and the profile dialogs that used
to store the profile on the GUI thread (the ceiling dialog: tests/test_requests_gui.py)."""

from __future__ import annotations

from gui_helpers import settle as _settle
from gui_helpers import ui_context as _ctx

from desktop.services import users as user_service


def test_the_guard_sees_ui_code_on_the_gui_thread_only(qtbot, db, users):  # type: ignore[no-untyped-def]
    from tests.gui_thread import database_on_gui_thread

    ui_module: dict = {"__name__": "desktop.ui.example"}  # what a view's module looks like
    exec("def load(db, fn):\n    return fn(db)\n", ui_module)
    ctx = _ctx(db, users["purchaser"])
    with database_on_gui_thread() as seen:
        user_service.list_users(db)  # the test's own set-up: not UI code
        assert seen == []
        ui_module["load"](db, user_service.list_users)  # a view querying on the GUI thread
        assert len(seen) == 1 and "desktop.ui.example:load" in seen[0]
        got: list = []
        ctx.run(user_service.list_users, db, on_done=got.append)  # the worker: fine
        _settle(qtbot, ctx)
        assert got and len(seen) == 1
    ctx.executor.shutdown()


def _answer_dialog(qtbot, fill) -> None:  # type: ignore[no-untyped-def]
    """Fill the profile dialog once it is open (it runs modal)."""
    from desktop.ui.dialogs import ProfileDialog
    from desktop.ui.qt import QApplication, QTimer

    def step() -> None:
        dlg = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, ProfileDialog) and w.isVisible()
            ),
            None,
        )
        if dlg is None:
            QTimer.singleShot(20, step)
            return
        fill(dlg)

    QTimer.singleShot(0, step)


def test_the_first_profile_is_stored_by_the_worker(qtbot, db, no_database_on_gui_thread):  # type: ignore[no-untyped-def]
    """A refusal from the service lands at its field and the dialog stays open; corrected, the
    profile is stored and becomes the current user."""
    from desktop.ui.app import ask_profile

    ctx = _ctx(db)
    seen: dict = {}

    def fill(dlg) -> None:  # type: ignore[no-untyped-def]
        dlg.name.setText("A" * 201)  # longer than the service allows
        dlg.initials.setText("AdV")
        dlg.role_boxes["PURCHASER"].setChecked(True)
        dlg._accept()
        qtbot.waitUntil(lambda: dlg.name_error.isVisibleTo(dlg), timeout=5000)
        seen["error"] = dlg.name_error.text()
        assert dlg.isVisible()
        dlg.name.setText("Anna de Vries")
        dlg._accept()

    _answer_dialog(qtbot, fill)
    ask_profile(ctx, None, True)
    assert "Naam" in seen["error"] or "naam" in seen["error"]
    assert ctx.user is not None and ctx.user.name == "Anna de Vries"
    assert [u.name for u in user_service.list_users(db)] == ["Anna de Vries"]
    ctx.executor.shutdown()


def test_my_profile_is_stored_by_the_worker(qtbot, db, users, no_database_on_gui_thread):  # type: ignore[no-untyped-def]
    from desktop.ui.app import ask_profile

    ctx = _ctx(db, users["purchaser"])

    def fill(dlg) -> None:  # type: ignore[no-untyped-def]
        dlg.function.setText("Senior zorginkoper")
        dlg._accept()

    _answer_dialog(qtbot, fill)
    ask_profile(ctx, None, False)
    assert ctx.user.function_title == "Senior zorginkoper"
    assert user_service.get_user(db, users["purchaser"].id).function_title == "Senior zorginkoper"
    ctx.executor.shutdown()
