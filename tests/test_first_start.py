"""The first start as the README does it (issue 14 item 1): the app on an empty data folder,
then *Voorbeeldgegevens laden*; a start killed half-way; `init` repairing a database without
reference data; an empty (0-byte) database file refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_helpers import count_rows

ROOT = Path(__file__).resolve().parents[1]


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "KWALITEITSDIALOOG_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        **extra,
    }


def _cli(*args: str | Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)],
        cwd=ROOT,
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _reference(path: Path) -> tuple[int, int, int]:
    return count_rows(path, "region"), count_rows(path, "care_office"), count_rows(path, "theme")


def test_app_start_on_empty_data_folder_then_demo_data_loads(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "nieuw"  # does not exist yet, as on a fresh laptop
    shot = tmp_path / "start.png"
    # The entry point the README's start.sh runs, without arguments except the screenshot.
    result = _cli("--screenshot", shot, data_dir=data)
    assert result.returncode == 0, result.stderr
    db_path = data / "kwaliteitsdialoog.sqlite"
    regions, offices, themes = _reference(db_path)
    assert (regions, offices) == (31, 8) and themes >= 8

    # *Voorbeeldgegevens laden* on that database, through the window's own action.
    from desktop.services.database import open_database
    from desktop.services.directory import load_directory
    from desktop.ui.app import load_demo
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    ctx = AppContext(db_path)
    window = MainWindow(ctx, load_directory(db_path))
    qtbot.addWidget(window)
    ctx.set_db(open_database(db_path))
    messages: list[str] = []
    ctx.status_message = messages.append  # type: ignore[method-assign]
    load_demo(ctx, window)
    qtbot.waitUntil(lambda: "Voorbeeldgegevens geladen." in messages, timeout=240_000)
    assert count_rows(db_path, "location") > 0


def test_start_killed_between_schema_and_reference_data_recovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "init"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=_env(data, KWALITEITSDIALOOG_TEST_HOLD_AFTER_CREATE="1"),
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # the hook says the schema is written
        assert "schema created" in line, line
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    db_path = data / "kwaliteitsdialoog.sqlite"
    assert not db_path.exists()  # nothing that looks like a finished database

    result = _cli("--screenshot", tmp_path / "s.png", data_dir=data)  # the next start
    assert result.returncode == 0, result.stderr
    assert _reference(db_path)[:2] == (31, 8)
    assert not Path(f"{db_path}.new").exists()


def test_database_without_reference_data_is_repaired_by_init_and_by_opening(tmp_path: Path) -> None:
    """The state the old first start left behind: schema at head, no reference data."""
    from db.migrate import prepare
    from desktop.services.database import open_database

    broken = tmp_path / "kapot.sqlite"
    assert prepare(broken) == "created"  # no seed: what run_app used to leave
    assert _reference(broken) == (0, 0, 0)
    result = _cli("init", "--db", broken, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "31 regio's" in result.stdout and "8 zorgkantoren" in result.stdout
    assert _reference(broken)[:2] == (31, 8)

    other = tmp_path / "kapot2.sqlite"
    prepare(other)
    open_database(other).dispose()
    assert _reference(other)[:2] == (31, 8)


def test_opening_twice_adds_no_reference_data(tmp_path: Path) -> None:
    from desktop.services.database import open_database

    path = tmp_path / "kd.sqlite"
    open_database(path).dispose()
    first = _reference(path)
    open_database(path).dispose()
    assert _reference(path) == first


@pytest.mark.parametrize("how", ["cli", "app"])
def test_empty_database_file_is_refused_not_replaced(tmp_path: Path, how: str) -> None:
    empty = tmp_path / "leeg.sqlite"
    empty.write_bytes(b"")
    if how == "cli":
        result = _cli("init", "--db", empty, data_dir=tmp_path)
    else:
        result = _cli("--db", empty, "--screenshot", tmp_path / "x.png", data_dir=tmp_path)
    assert result.returncode != 0
    assert "is leeg (0 bytes)" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert empty.stat().st_size == 0  # nothing written
