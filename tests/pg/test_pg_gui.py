"""The "Teamserver" dialog (Extra › Teamserver…) against a real server: field checks, saving
(address in the database, password only in the keyring), testing and syncing."""

from __future__ import annotations

from pathlib import Path

from pg_helpers import login, make_pg_team, password

from db.sync.oplog import get_meta, set_meta
from db.sync.pg_hub import ServerSettings, stored_password

OUT = Path(__file__).parents[2] / "out"


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(30)
        qtbot.wait(30)


def test_teamserver_dialog(qtbot, tmp_path, pg, team_template, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.context import AppContext
    from desktop.ui.sections import MENU_ACTIONS
    from desktop.ui.sync_pg.teamserver_dialog import TeamserverDialog

    assert any(a.label == "Teamserver…" for a in MENU_ACTIONS)
    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    r1 = team.replicas[1]
    settings = ServerSettings.from_url(team.url(1))
    memory_keyring.delete_password("Kwaliteitsdialoog", settings.keyring_name)
    with r1.db.write_session() as s, s.begin():
        set_meta(s, "store_path", str(team.store))  # still on the file share

    ctx = AppContext(r1.db.path)
    ctx.set_db(r1.db)
    dlg = TeamserverDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle(qtbot, ctx)
    assert dlg.host.text() == ""  # a file-share database: empty settings

    dlg.save_button.click()  # nothing filled in: messages next to the fields
    assert dlg.host_error.isVisible() and "server" in dlg.host_error.text()
    assert dlg.user_error.isVisible()

    dlg.host.setText("127.0.0.1")
    dlg.port.setValue(cluster.port)
    dlg.database.setText(name)
    dlg.user.setText(login(1))
    dlg.sslmode.setCurrentIndex(dlg.sslmode.findData("disable"))
    dlg.password.setText("fout-wachtwoord")
    dlg.test_button.click()
    qtbot.waitUntil(lambda: "mislukt" in dlg.status.text(), timeout=20000)

    dlg.password.setText(password(1))
    dlg.test_button.click()
    qtbot.waitUntil(lambda: "Verbinding in orde" in dlg.status.text(), timeout=20000)
    dlg.save_button.click()
    qtbot.waitUntil(lambda: "Opgeslagen" in dlg.status.text(), timeout=20000)
    with r1.db.read_session() as s:
        assert get_meta(s, "store_path") == team.url(1)  # no password in the address
    assert stored_password(settings) == password(1)
    assert dlg.password.text() == ""

    dlg.sync_button.click()
    qtbot.waitUntil(lambda: "Gesynchroniseerd" in dlg.status.text(), timeout=30000)
    OUT.mkdir(exist_ok=True)
    dlg.grab().save(str(OUT / "teamserver_dialog.png"))
    ctx.executor.shutdown()
