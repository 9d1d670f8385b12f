"""The command line: store-migrate, teamserver upgrade / add-user / password / use / sync /
status, as a teamleider and a colleague would type them."""

from __future__ import annotations

import json

from pg_cluster import ADMIN_PASSWORD
from pg_helpers import all_ops, copy_team, own_ops

from desktop.cli import main


def test_move_a_team_to_the_server_by_command_line(tmp_path, pg, team_template, capsys) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    store, (r0, r1) = copy_team(team_template, tmp_path / "w", 2)
    admin_pw = tmp_path / "admin.txt"
    admin_pw.write_text(ADMIN_PASSWORD + "\n")
    user_pw = tmp_path / "anna.txt"
    user_pw.write_text("anna-wachtwoord\n")
    admin_url = cluster.url("kd_admin", name)
    for r in (r0, r1):
        r.db.dispose()

    migrate = ["store-migrate", "--db", str(r0.path), "--from", str(store), "--to", admin_url]
    migrate += ["--password-file", str(admin_pw), "--json"]
    assert main(migrate) == 0
    moved = json.loads(capsys.readouterr().out)
    assert moved["segments_copied"] > 0 and moved["documents"] >= 1
    # Again: harmless, nothing copied twice.
    assert main(migrate) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["segments_copied"] == 0 and again["segments_present"] == moved["segments_copied"]

    assert (
        main(["teamserver", "upgrade", "--url", admin_url, "--password-file", str(admin_pw)]) == 0
    )
    assert "al actueel" in capsys.readouterr().out
    assert (
        main(
            [
                "teamserver",
                "add-user",
                "--db",
                str(r0.path),
                "--url",
                admin_url,
                "--password-file",
                str(admin_pw),
                "--login",
                "anna",
                "--user",
                r1.user_id,
                "--user-password-file",
                str(user_pw),
            ]
        )
        == 0
    )
    capsys.readouterr()

    url = cluster.url("anna", name)
    assert main(["teamserver", "password", "--url", url, "--password-file", str(user_pw)]) == 0
    assert main(["teamserver", "use", "--db", str(r1.path), "--url", url]) == 0
    from sync_helpers import Replica, add_provider

    from db.engine import Database

    r1db = Database(r1.path)  # a change of her own (a fresh joiner has pushed nothing yet)
    add_provider(Replica("r1", r1.path, r1db, r1.user_id), "Via De Teamserver")
    r1db.dispose()
    assert main(["teamserver", "sync", "--db", str(r1.path), "--json"]) == 0
    capsys.readouterr()
    # The ordinary sync command takes the server URL as its store, and afterwards uses it
    # as this database's chosen store.
    assert main(["sync", "--db", str(r1.path), "--store", url, "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert {"pushed", "pulled", "conflicts", "quarantined"} <= set(counts)
    assert main(["sync", "--db", str(r1.path), "--json"]) == 0
    capsys.readouterr()
    assert main(["teamserver", "status", "--url", url, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["origins"] >= 2
    assert own_ops(r0.path) <= all_ops(r1.path)

    # A wrong address is a calm refusal (exit 1, Dutch message), not a traceback.
    assert (
        main(
            [
                "teamserver",
                "use",
                "--db",
                str(r1.path),
                "--url",
                cluster.url("anna", "bestaat_niet"),
            ]
        )
        == 1
    )
    assert "teamserver" in capsys.readouterr().err
