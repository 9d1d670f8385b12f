"""Issue 13 through the screens: *Extra › Mijn profiel* edits only the current user and never
her roles (attack 1 through the profile dialog); *Extra › Team…* grants and revokes."""

from __future__ import annotations

from pathlib import Path

from sync_helpers import sync_all, team_copy
from test_sync_ui import OUT, _settle, _window
from trust_helpers import offered, states


def _accept_later(qtbot, fill) -> None:  # type: ignore[no-untyped-def]
    """Fill and accept the next modal dialog from inside its exec loop."""
    from desktop.ui.qt import QApplication, QTimer

    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, go)
            return
        fill(dialog)

    QTimer.singleShot(50, go)


def test_my_profile_edits_the_current_user_and_grants_no_role(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import review
    from desktop.services.users import current_user, get_user, list_users, set_current_user
    from desktop.ui.qt import QAction, QCheckBox

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    set_current_user(r1.db, r1.user_id)
    before = len(list_users(r1.db))
    r1.db.dispose()
    ctx, window, db, _ = _window(qtbot, r1.path)
    ctx.set_user(current_user(db))
    window.show()
    _settle(qtbot, ctx)
    seen: dict[str, object] = {}

    def fill(dialog) -> None:  # type: ignore[no-untyped-def]
        seen["checkboxes"] = len(dialog.findChildren(QCheckBox))
        seen["name"] = dialog.name.text()
        OUT.mkdir(exist_ok=True)
        for size, png in (
            ((1366, 768), "profiel-bewerken.png"),
            ((1024, 600), "profiel-bewerken-1024.png"),
        ):
            dialog.resize(*size)
            dialog.grab().save(str(OUT / png))
        dialog.resize(dialog.minimumSizeHint())
        dialog.grab().save(str(OUT / "profiel-bewerken-klein.png"))
        dialog.name.setText("Collega Eén")
        dialog._accept()

    _accept_later(qtbot, fill)
    act = next(x for x in window.findChildren(QAction) if x.text() == "Mijn profiel…")
    act.trigger()
    assert seen == {"checkboxes": 0, "name": "Collega 1"}  # her own profile, no role boxes
    assert len(list_users(db)) == before  # no new user
    me = get_user(db, r1.user_id)
    assert me.name == "Collega Eén" and "TEAM_LEAD" not in me.roles
    import pytest

    from db.errors import RuleViolation

    with pytest.raises(RuleViolation):
        review.approve(db, "provider", pid, by=r1.user_id)
    sync_all([lead, r2])
    from desktop.services import sync as svc

    svc.sync_now(db)
    sync_all([lead, r2])
    assert states([lead, r2], pid) == ["SUBMITTED", "SUBMITTED"]
    assert get_user(lead.db, r1.user_id).name == "Collega Eén"  # the honest edit arrived


def test_team_dialog_grants_and_shows_who_granted(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.users import get_user
    from desktop.ui.team.team_dialog import TeamDialog

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    lead.db.dispose()
    ctx, window, db, _ = _window(qtbot, lead.path)
    ctx.set_user(get_user(db, lead.user_id))
    dialog = TeamDialog(ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    _settle(qtbot, ctx)
    row = next(i for i, m in enumerate(dialog.members) if m.user_id == r1.user_id)
    dialog.table.selectRow(row)
    dialog.role.setCurrentIndex(dialog.role.findData("TEAM_LEAD"))
    dialog.grant_button.click()
    _settle(qtbot, ctx)
    assert "TEAM_LEAD" in get_user(db, r1.user_id).roles
    texts = [dialog.history.item(i).text() for i in range(dialog.history.count())]
    assert any("Teamleider toegekend door Carla Bakker" in t for t in texts)
    for size, name in (((1366, 768), "team.png"), ((1024, 600), "team-1024.png")):
        dialog.resize(*size)
        dialog.grab().save(str(OUT / name))
    sync_all([r1])
    assert "TEAM_LEAD" in get_user(r1.db, r1.user_id).roles


def test_an_automatic_sync_tells_the_author_what_stays_local(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Attack 7 seen by its author: the change the team would refuse stays on this laptop;
    even an automatic sync says so in Dutch, and the status bar counts it."""
    from trust_helpers import current_hash, raw_event

    from desktop.services.users import current_user, set_current_user
    from desktop.ui.sync import actions

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    raw_event(r1, pid, "APPROVED", lead.user_id, current_hash(r1, pid))  # in the lead's name
    set_current_user(r1.db, r1.user_id)
    r1.db.dispose()
    ctx, window, db, _ = _window(qtbot, r1.path)
    ctx.set_user(current_user(db))
    actions.install(ctx, window)
    window.show()
    _settle(qtbot, ctx)
    controller = window._sync_controller
    controller.sync(manual=False)
    qtbot.waitUntil(lambda: controller.notice is not None, timeout=20000)
    text = controller.notice.text()
    assert "Niet gedeeld" in text and "naam van een ander" in text
    controller.notice.resize(900, 300)
    controller.notice.grab().save(str(OUT / "niet-gedeeld.png"))
    _settle(qtbot, ctx)
    qtbot.waitUntil(lambda: "niet gedeeld" in controller.widget.text(), timeout=10000)

    # She withdraws it (Synchronisatie › Niet gedeelde wijzigingen): nothing in a UnitOfWork
    # wrote, so the dialog announces the review step itself and the status bar counts again.
    from desktop.ui.sync.held_dialog import HeldChangesDialog

    heard: list[frozenset[str]] = []
    ctx.entities_changed.connect(heard.append)
    dialog = HeldChangesDialog(ctx, window)
    qtbot.addWidget(dialog)
    _settle(qtbot, ctx)
    dialog.confirm = lambda h: True
    dialog.withdraw_button.click()
    _settle(qtbot, ctx)
    assert dialog.table.rowCount() == 0 and not dialog.error.text()
    assert any("review_event" in changes for changes in heard)
    qtbot.waitUntil(lambda: "niet gedeeld" not in controller.widget.text(), timeout=10000)
