"""The command line end to end: store create / invite / join, sync --json, refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]),
        PYTHON_KEYRING_BACKEND="sync_test_keyring.FileKeyring",
        KD_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        KWALITEITSDIALOOG_DATA_DIR=str(tmp_path / "appdata"),
        KD_SCRYPT_N="1024",
    )
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_create_invite_join_and_sync_from_the_command_line(tmp_path: Path) -> None:
    from desktop.services.database import open_database
    from desktop.services.users import create_user

    lead_db, other_db, store = (
        tmp_path / "lead.sqlite",
        tmp_path / "jan.sqlite",
        tmp_path / "opslag",
    )
    db = open_database(lead_db)
    lead = create_user(db, name="Carla Bakker", initials="CB", roles=["TEAM_LEAD"])
    create_user(db, name="Jan Smit", initials="JS", roles=["PURCHASER"], actor_id=lead.id)
    db.dispose()
    open_database(other_db).dispose()
    phrase = tmp_path / "wachtzin.txt"
    phrase.write_text("blauwe fiets op de dijk\n", encoding="utf-8")

    r = _cli(
        tmp_path,
        "store",
        "create",
        "--db",
        str(lead_db),
        "--store",
        str(store),
        "--as",
        "CB",
        "--json",
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["configured"] is True
    invite_jan = ["store", "invite", "--db", str(lead_db), "--as", "CB", "--member", "JS"]
    r = _cli(tmp_path, *invite_jan, "--passphrase-file", str(phrase))
    assert r.returncode == 0, r.stderr
    key_file = tmp_path / "usb" / "jan.key"
    key_file.parent.mkdir()
    r = _cli(tmp_path, *invite_jan, "--new-key-file", str(key_file))
    assert r.returncode == 0, r.stderr
    assert len(key_file.read_text().strip()) >= 40
    r = _cli(tmp_path, "sync", "--db", str(lead_db), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["pushed"] > 0
    # wrong passphrase: refused, exit code 1, Dutch message
    wrong = tmp_path / "fout.txt"
    wrong.write_text("verkeerd!\n")
    join = ["store", "join", "--db", str(other_db), "--store", str(store)]
    r = _cli(tmp_path, *join, "--passphrase-file", str(wrong))
    assert r.returncode == 1 and "wachtzin" in r.stderr
    r = _cli(tmp_path, *join, "--passphrase-file", str(phrase), "--json")
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "sync", "--db", str(other_db), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["pulled"] > 0 and out["quarantined"] == 0 and out["conflicts"] == 0
    # an empty folder as store: refused, nothing changed
    (tmp_path / "leeg").mkdir()
    r = _cli(tmp_path, "sync", "--db", str(other_db), "--store", str(tmp_path / "leeg"))
    assert r.returncode == 1 and "hub.json ontbreekt" in r.stderr
    r = _cli(tmp_path, "store", "status", "--db", str(other_db), "--json")
    assert json.loads(r.stdout)["pending"] == 0
    # Jan's second laptop joins with the key file from the USB stick
    second = tmp_path / "jan2.sqlite"
    open_database(second).dispose()
    r = _cli(
        tmp_path,
        "store",
        "join",
        "--db",
        str(second),
        "--store",
        str(store),
        "--passphrase-file",
        str(key_file),
    )
    assert r.returncode == 0, r.stderr
    r = _cli(tmp_path, "sync", "--db", str(second), "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["quarantined"] == 0, r.stderr


@pytest.mark.parametrize("args", [["sync", "--help"], ["store", "join", "--help"]])
def test_help_is_dutch(tmp_path: Path, args: list[str]) -> None:
    r = _cli(tmp_path, *args)
    assert r.returncode == 0
    assert "gedeelde opslag" in r.stdout or "wachtzin" in r.stdout
