"""The headless CLI (issue 2 item 7), run as a user would: `python -m desktop.cli ...` in a
subprocess. Exit code 0 on success; otherwise a Dutch message on stderr and a non-zero code."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_helpers import count_rows

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "aanbieders_locaties.csv"


def run(*args: str | Path, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KWALITEITSDIALOOG_DATA_DIR": str(env_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "kd.sqlite"
    result = run("init", "--db", path, env_dir=path.parent)
    assert result.returncode == 0, result.stderr
    assert "Database klaar" in result.stdout and "31 regio's" in result.stdout
    return path


def _copy(src: Path, tmp_path: Path, name: str = "kd.sqlite") -> Path:
    dst = tmp_path / name
    shutil.copyfile(src, dst)
    for suffix in ("-wal", "-shm"):
        if Path(f"{src}{suffix}").exists():
            shutil.copyfile(f"{src}{suffix}", f"{dst}{suffix}")
    return dst


def test_init_then_stats_json_counts_reference_data(initialised: Path, tmp_path: Path) -> None:
    result = run("stats", "--db", initialised, "--json", env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert (stats["region"], stats["care_office"], stats["provider"]) == (31, 8, 0)
    assert stats["theme"] >= 8


@pytest.mark.slow
def test_demo_then_stats_give_the_small_sizes(initialised: Path, tmp_path: Path) -> None:
    path = _copy(initialised, tmp_path)
    bad = run("demo", "--db", path, "--today", "31-02-2026", env_dir=tmp_path)
    assert bad.returncode == 1 and "geen geldige datum" in bad.stderr
    assert count_rows(path, "provider") == 0  # nothing written
    result = run(
        "demo",
        "--db",
        path,
        "--scale",
        "small",
        "--seed",
        "3",
        "--today",
        "23-11-2026",
        "--json",
        env_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["scale"] == "small" and report["seed"] == 3 and report["today"] == "2026-11-23"
    stats = json.loads(run("stats", "--db", path, "--json", env_dir=tmp_path).stdout)
    assert stats == report["counts"]
    assert (stats["provider"], stats["location"]) == (20, 50)
    assert stats["app_user"] == 6 and stats["theme_assessment"] > 900
    # The same seed again is refused, in Dutch, and changes nothing.
    again = run("demo", "--db", path, "--scale", "small", "--seed", "3", env_dir=tmp_path)
    assert again.returncode == 1
    assert "startgetal 3 staan al in deze database" in again.stderr
    assert count_rows(path, "provider") == stats["provider"]


def test_import_valid_file(initialised: Path, tmp_path: Path) -> None:
    path = _copy(initialised, tmp_path)
    result = run("import", "--db", path, EXAMPLE, env_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Geïmporteerd: 2 zorgaanbieder(s) en 4 locatie(s)" in result.stdout
    assert (count_rows(path, "provider"), count_rows(path, "location")) == (2, 4)


def test_import_with_bad_rows_writes_nothing_and_names_the_lines(
    initialised: Path, tmp_path: Path
) -> None:
    path = _copy(initialised, tmp_path)
    csv_file = tmp_path / "fout.csv"
    csv_file.write_text(
        "aanbieder;kvk;locatie;postcode;plaats;regio\n"
        "Zorggroep Goed;41234567;Huize Goed;3511 AB;Utrecht;Utrecht\n"
        "Zorggroep Fout;41234;Huize Fout;3511 AB;Utrecht;Utrecht\n",
        encoding="utf-8",
    )
    dry = run("import", "--db", path, csv_file, "--dry-run", "--json", env_dir=tmp_path)
    assert dry.returncode == 1
    assert json.loads(dry.stdout)["errors"] == [
        {
            "line": 3,
            "column": "kvk",
            "message": "KvK-nummer moet uit precies 8 cijfers bestaan (bijvoorbeeld 41234567); "
            "'41234' is ongeldig.",
        }
    ]
    result = run("import", "--db", path, csv_file, env_dir=tmp_path)
    assert result.returncode == 1
    assert "fout.csv: regel 3, kolom kvk: KvK-nummer moet uit precies 8 cijfers" in result.stderr
    assert "er is niets opgeslagen" in result.stderr
    assert count_rows(path, "provider") == 0
    skip = run("import", "--db", path, csv_file, "--skip-invalid", env_dir=tmp_path)
    assert skip.returncode == 0, skip.stderr
    assert count_rows(path, "location") == 1


def test_stats_refuses_missing_foreign_and_corrupt_files(tmp_path: Path) -> None:
    missing = run("stats", "--db", tmp_path / "weg.sqlite", env_dir=tmp_path)
    assert missing.returncode == 1 and "bestaat niet" in missing.stderr
    assert "Traceback" not in missing.stderr

    foreign = tmp_path / "ander.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE klanten (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    for command in ("stats", "init"):
        result = run(command, "--db", foreign, env_dir=tmp_path)
        assert result.returncode == 1, command
        assert "ander programma" in result.stderr and "Traceback" not in result.stderr
    assert foreign.read_bytes() == before

    corrupt = tmp_path / "kapot.sqlite"
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)
    result = run("stats", "--db", corrupt, env_dir=tmp_path)
    assert result.returncode == 1
    assert "beschadigd" in result.stderr or "geen Kwaliteitsdialoog-database" in result.stderr


def test_a_database_from_a_newer_version_is_refused(initialised: Path, tmp_path: Path) -> None:
    path = _copy(initialised, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    for command in (("demo", "--scale", "small"), ("import", EXAMPLE)):
        result = run(command[0], "--db", path, *command[1:], env_dir=tmp_path)
        assert result.returncode == 1, command
        assert "nieuwere versie van Kwaliteitsdialoog" in result.stderr
    assert path.read_bytes() == before


def test_wrong_use_gives_exit_code_2_in_dutch(tmp_path: Path) -> None:
    result = run("demo", "--scale", "enorm", env_dir=tmp_path)
    assert result.returncode == 2
    assert "fout in de opdracht" in result.stderr
    missing_file = run(
        "import", "--db", tmp_path / "x.sqlite", tmp_path / "weg.csv", env_dir=tmp_path
    )
    assert missing_file.returncode == 1 and "bestaat niet" in missing_file.stderr
