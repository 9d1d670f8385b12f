"""`team list|grant|revoke` from the command line (issue 13), with the shared store."""

from __future__ import annotations

import json
from pathlib import Path

from test_sync_cli import _cli


def test_team_list_grant_revoke_from_the_command_line(tmp_path: Path) -> None:
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    lead_db, store = tmp_path / "lead.sqlite", tmp_path / "opslag"
    db = open_database(lead_db)
    lead = create_user(db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"])
    create_user(db, name="Jan Smit", initials="JS", roles=["PURCHASER"], actor_id=lead.id)
    db.dispose()
    r = _cli(tmp_path, "store", "create", "--db", str(lead_db), "--store", str(store), "--as", "CB")
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "team", "list", "--db", str(lead_db), "--json")
    assert r.returncode == 0, r.stderr
    team = {m["initials"]: m for m in json.loads(r.stdout)}
    assert team["CB"]["roles"] == ["TEAM_LEAD"] and team["CB"]["owner"]
    assert team["JS"]["roles"] == ["PURCHASER"]  # the profile role, signed at `store create`
    assert team["JS"]["grants"][0]["by"] == "Carla Bakker"

    def _jan_role(verb: str, role: str, actor: str, *more: str):  # type: ignore[no-untyped-def]
        """`team grant|revoke` of `role` for Jan, by `actor`."""
        who = ["--as", actor, "--member", "JS", "--role", role]
        return _cli(tmp_path, "team", verb, "--db", str(lead_db), *who, *more)

    # Jan cannot promote himself; Carla can grant and revoke.
    r = _jan_role("grant", "TEAM_LEAD", "JS")
    assert r.returncode == 1 and "teamleider" in r.stderr
    r = _jan_role("grant", "TEAM_LEAD", "CB", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["roles"] == ["PURCHASER", "TEAM_LEAD"]
    r = _jan_role("revoke", "TEAM_LEAD", "CB")
    assert r.returncode == 0, r.stderr
    assert "ingetrokken door Carla Bakker" in r.stdout
    r = _jan_role("grant", "BAAS", "CB")
    assert r.returncode == 1 and "Onbekende rol" in r.stderr
