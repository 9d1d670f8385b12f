"""The sync UI with real widgets (offscreen): menu action, status bar, conflicts dialog."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import main_window
from sync_helpers import add_provider, edit_provider, provider, sync_all, team_copy

OUT = Path(__file__).resolve().parents[2] / "out"


def _window(qtbot, db_path: Path):  # type: ignore[no-untyped-def]
    from desktop.services.users import UserInfo

    ctx, window = main_window(qtbot, db_path, with_user=False)
    return ctx, window, ctx.db, UserInfo


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(20)
        qtbot.wait(50)


def test_sync_action_status_bar_and_conflict_resolution(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc
    from desktop.ui.qt import QAction, QPlainTextEdit, QPushButton
    from desktop.ui.sync import actions
    from desktop.ui.sync.conflicts_dialog import ConflictsDialog
    from desktop.ui.sync.store_dialog import StoreDialog

    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Zorggroep Noord")
    sync_all([a, b])
    edit_provider(a, pid, name="Zorggroep Noord-Oost")
    edit_provider(b, pid, name="Zorggroep Noord (fusie)")
    svc.sync_now(b.db)
    a.db.dispose()

    ctx, window, db, UserInfo = _window(qtbot, a.path)
    ctx.set_user(UserInfo(a.user_id, "Carla Bakker", "CB", "Teamleider", ("TEAM_LEAD",)))
    actions.install(ctx, window)
    window.show()
    _settle(qtbot, ctx)
    widget = window._sync_controller.widget
    assert "te versturen" in widget.text()

    # the menu action (Ctrl+Shift+S, not Ctrl+S)
    act = next(x for x in window.findChildren(QAction) if x.text() == "Synchroniseren")
    assert act.shortcut().toString() == "Ctrl+Shift+S"
    act.trigger()
    _settle(qtbot, ctx)
    assert window._sync_controller.last_result.problems == (), window._sync_controller.last_result
    assert "1 conflict" in widget.text() and "0 te versturen" in widget.text()
    OUT.mkdir(exist_ok=True)
    window.grab().save(str(OUT / "sync_status_bar.png"))

    dialog = ConflictsDialog(ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot, ctx)
    assert dialog.list.count() == 1
    versions = [w.toPlainText() for w in dialog.findChildren(QPlainTextEdit) if w.isReadOnly()]
    assert sorted(versions) == ["Zorggroep Noord (fusie)", "Zorggroep Noord-Oost"]
    dialog.grab().save(str(OUT / "sync_conflicts_dialog.png"))
    dialog.merged.setPlainText("Zorggroep Noord-Oost (fusie)")
    next(
        x for x in dialog.findChildren(QPushButton) if x.text() == "Samengevoegde tekst opslaan"
    ).click()
    _settle(qtbot, ctx)
    assert svc.list_conflicts(db) == []
    assert dialog.list.count() == 0

    store_dialog = StoreDialog(ctx, window)
    qtbot.addWidget(store_dialog)
    store_dialog.show()
    _settle(qtbot, ctx)
    assert str(store) in store_dialog.summary.text()
    assert store_dialog.invite_box.isVisible() and not store_dialog.join_box.isVisible()
    store_dialog.invite_phrase.setText("kort")
    store_dialog.invite_button.click()
    _settle(qtbot, ctx)
    assert "8 tekens" in store_dialog.invite_error.text()
    store_dialog.grab().save(str(OUT / "sync_store_dialog.png"))

    # offline is normal: an unreachable store is a calm message, nothing lost
    (store).rename(tmp_path / "weg")
    window._sync_controller.sync(manual=False)
    _settle(qtbot, ctx)
    assert "Offline" in window.statusBar().currentMessage()
    (tmp_path / "weg").rename(store)
    window._sync_controller.sync(manual=False)
    _settle(qtbot, ctx)
    svc.sync_now(c.db)
    assert provider(c, pid).name == "Zorggroep Noord-Oost (fusie)"
    window.close()
    db.dispose()
