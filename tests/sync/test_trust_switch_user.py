"""Bestand › Gebruiker wisselen on a laptop pinned to a shared store (issue 13): the switch
cannot make the author someone else. Everything this database records is signed with one key,
so the dialog and the service refuse to act as another colleague, and an author who forces the
switch past them (writing the current-user setting herself) still cannot approve her own
request: the vier-ogen derivation counts the signer, on this laptop and on every other."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import in_next_dialog
from sync_helpers import sync_all, team_copy
from test_sync_ui import OUT, _settle, _window
from trust_helpers import offered, states

from db.errors import RuleViolation


def test_switching_to_the_teamleider_does_not_let_the_author_approve(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import review
    from desktop.services import sync as svc
    from desktop.services.users import current_user, set_current_user, switch_user
    from desktop.ui.qt import QAction

    store, (lead, r1, r2) = team_copy(tmp_path)
    pid = offered(r1, [lead, r2])  # Collega 1 wrote it and offered it for review
    set_current_user(r1.db, r1.user_id)
    r1.db.dispose()
    ctx, window, db, _ = _window(qtbot, r1.path)
    ctx.set_user(current_user(db))
    window.show()
    _settle(qtbot, ctx)
    me = ctx.user
    seen: dict[str, object] = {}

    def try_lead(dialog) -> None:  # type: ignore[no-untyped-def]
        rows = {c.user.id: c for c in dialog.choices}
        seen["lead_roles"] = rows[lead.user_id].user.roles
        seen["allowed"] = {uid: c.allowed for uid, c in rows.items()}
        dialog.select_user(lead.user_id)
        seen["ok_enabled"] = dialog.ok_button.isEnabled()
        seen["reason"] = dialog.reason.text()
        OUT.mkdir(exist_ok=True)
        dialog.resize(1024, 600)
        dialog.grab().save(str(OUT / "gebruiker-wisselen-opslag.png"))
        dialog._accept()  # as if the button were pressed anyway

        def close() -> None:
            seen["error"] = dialog.error.text()
            dialog.reject()

        ctx.executor.wait_idle(10)
        qtbot.wait(100)
        close()

    in_next_dialog(qtbot, try_lead)
    act = next(a for a in window.findChildren(QAction) if a.text() == "Gebruiker wisselen…")
    act.trigger()
    _settle(qtbot, ctx)
    assert seen["lead_roles"] == ("TEAM_LEAD",)  # shown as the team grants them
    assert seen["allowed"] == {r1.user_id: True, lead.user_id: False, r2.user_id: False}
    assert seen["ok_enabled"] is False and "ondertekent alles met de sleutel van" in str(
        seen["reason"]
    )
    assert "eigen sleutel" in str(seen["error"])
    assert ctx.user == me and current_user(db).id == r1.user_id
    with pytest.raises(RuleViolation):
        switch_user(db, lead.user_id)

    # Past the program: she writes the current-user setting herself and restarts as "Carla".
    set_current_user(db, lead.user_id)
    ctx.set_user(current_user(db))
    assert ctx.user.id == lead.user_id and "TEAM_LEAD" in ctx.user.roles
    try:
        review.approve(db, "provider", pid, by=lead.user_id)
    except RuleViolation:
        pass
    status = review.status(db, "provider", pid)
    assert status.state != "APPROVED"  # this laptop: signed by Collega 1, who wrote it
    assert review.approval(db, "provider", pid) is None
    summary = svc.sync_now(db)
    assert summary.held  # the step stays here, told to its author
    sync_all([lead, r2])
    assert states([lead, r2], pid) == ["SUBMITTED", "SUBMITTED"]

    # The held approval is listed for its author, in Dutch, and she withdraws it.
    from desktop.ui.sync.held_dialog import HeldChangesDialog

    dialog = HeldChangesDialog(ctx, window)
    qtbot.addWidget(dialog)
    _settle(qtbot, ctx)
    assert dialog.table.rowCount() == 1
    assert (
        "Goedgekeurd" in dialog.table.item(0, 0).text()
        or "Beoordelingsstap" in dialog.table.item(0, 0).text()
    )
    assert (
        "naam van een ander" in dialog.table.item(0, 1).text()
        and "Trek hem in" in dialog.advice.text()
    )
    assert "december" in dialog.table.item(0, 2).text()
    for size, png in (((1366, 768), "niet-gedeeld.png"), ((1024, 600), "niet-gedeeld-1024.png")):
        dialog.resize(*size)
        dialog.grab().save(str(OUT / png))
    asked: list[str] = []
    dialog.confirm = lambda h: asked.append(h.what) or False  # "Nee": nothing happens
    dialog.withdraw_button.click()
    _settle(qtbot, ctx)
    assert asked and len(svc.held_changes(db)) == 1
    dialog.confirm = lambda h: True
    dialog.withdraw_button.click()  # as "Carla" on Collega 1's laptop: not the author
    _settle(qtbot, ctx)
    assert "Alleen degene" in dialog.error.text() and len(svc.held_changes(db)) == 1
    ctx.set_user(me)
    dialog.withdraw_button.click()
    _settle(qtbot, ctx)
    assert svc.held_changes(db) == [] and dialog.table.rowCount() == 0
    history = review.status(db, "provider", pid)
    assert history.state != "APPROVED"
    svc.sync_now(db)
    sync_all([lead, r2])
    assert states([lead, r2], pid) == ["SUBMITTED", "SUBMITTED"]
    assert svc.held_changes(db) == []  # withdrawn: never re-checked or released
