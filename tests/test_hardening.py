"""Bad input found in the first-day trial (issue 14): each to a Dutch message, nothing written."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_helpers import count_rows

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "aanbieders_locaties.csv"


def _count(db, table: str) -> int:  # type: ignore[no-untyped-def]
    return count_rows(db.path, table)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "import.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def _lines() -> list[str]:
    return EXAMPLE.read_text(encoding="utf-8-sig").splitlines()


def test_nul_bytes_refuse_the_file_and_store_nothing(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.errors import ValidationError
    from desktop.services.importer import import_csv

    lines = _lines()
    lines[1] = lines[1].replace("Zorgcentrum De Linde", "Zorgcentrum\x00De Linde")
    with pytest.raises(ValidationError) as info:
        import_csv(db, _csv(tmp_path, "\n".join(lines) + "\n"))
    assert "NUL-tekens" in info.value.message and "niets geïmporteerd" in info.value.message
    assert _count(db, "location") == 0 and _count(db, "provider") == 0


def test_control_characters_are_listed_per_line_and_nothing_is_stored(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.importer import import_csv

    lines = _lines()
    lines[2] = lines[2].replace("Verpleeghuis Eikenhove", "Verpleeghuis\x07Eikenhove")
    report = import_csv(db, _csv(tmp_path, "\n".join(lines) + "\n"))
    assert not report.written
    assert [(e.line, e.column) for e in report.errors] == [(3, "locatie")]
    assert "stuurteken (U+0007)" in report.errors[0].message
    assert _count(db, "location") == 0
    # with --skip-invalid the other rows go in, the bad one never
    report = import_csv(db, _csv(tmp_path, "\n".join(lines) + "\n"), skip_invalid=True)
    conn = sqlite3.connect(db.path)
    names = [r[0] for r in conn.execute("SELECT name FROM location")]
    conn.close()
    assert names and not any("\x07" in n for n in names)


def test_a_5_mb_field_is_refused_with_a_message(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.errors import ValidationError
    from desktop.services.importer import import_csv

    lines = _lines()
    lines[1] = lines[1].replace("Lindelaan", "L" * 5_000_000)
    with pytest.raises(ValidationError) as info:
        import_csv(db, _csv(tmp_path, "\n".join(lines) + "\n"))
    assert "regel 2" in info.value.message and "te groot" in info.value.message
    assert _count(db, "location") == 0


def test_exports_neutralise_formulas(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from desktop.services import exports

    rows = [
        ["Naam", "Bedrag"],
        ['=HYPERLINK("http://x")', 1],
        ["+31 6", 2],
        ["-2+3", 3],
        ["@SUM(A1)", 4],
        ["Gewoon", 5],
    ]
    out = exports.rows_to_csv(rows, tmp_path / "x.csv")
    with out.open(encoding="utf-8-sig") as fh:
        first = [r[0] for r in csv.reader(fh, delimiter=";")]
    assert first[1:5] == ['\'=HYPERLINK("http://x")', "'+31 6", "'-2+3", "'@SUM(A1)"]
    assert first[5] == "Gewoon"
    exports.rows_to_xlsx([("Blad", "=titel", rows)], tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx").active
    values = [c.value for c in ws["A"] if c.value is not None]
    assert all(not str(v).startswith(("=", "+", "-", "@")) for v in values), values


def test_heatmap_export_neutralises_names(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import exports, regional

    row = regional.HeatRow.__new__(regional.HeatRow)
    for field, value in (
        ("location_name", "=1+1"),
        ("place", "@x"),
        ("provider_name", "+p"),
        ("region_name", "-r"),
        ("cells", ()),
        ("concerns", 0),
        ("worsened", 0),
        ("disagreements", 0),
        ("oldest_assessment", None),
        ("last_visit", None),
    ):
        object.__setattr__(row, field, value)
    hm = regional.Heatmap("Regio", (), (), (row,))
    assert exports.heatmap_rows(hm)[1][:4] == ["'=1+1", "'@x", "'+p", "'-r"]


def test_full_disk_is_a_dutch_message_not_unexpected(qtbot) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    from db.errors import storage_problem
    from desktop.ui import errors
    from desktop.ui.qt import QApplication, QMessageBox, QTimer

    exc = OperationalError("INSERT ...", {}, sqlite3.OperationalError("database or disk is full"))
    assert "schijf is vol" in (storage_problem(exc) or "")
    shown: list[str] = []

    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                shown.append(w.text())
                w.accept()

    timer = QTimer()
    timer.timeout.connect(close)
    timer.start(30)
    errors._shown.clear()
    errors.report_exception(exc)
    timer.stop()
    assert shown and "schijf is vol" in shown[0] and "onverwacht" not in shown[0]


def test_failed_schema_upgrade_names_the_backup(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from db import migrate
    from db.errors import DatabaseOpenError
    from db.migrations import REVISIONS

    path = tmp_path / "oud.sqlite"
    migrate.prepare(path)
    older = next(r for r in REVISIONS if r != migrate.HEAD)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (older,))
    conn.commit()
    conn.close()

    def boom(_path: Path) -> None:
        raise sqlite3.OperationalError("duplicate column name: x")

    monkeypatch.setattr(migrate, "upgrade_in_place", boom)
    with pytest.raises(DatabaseOpenError) as info:
        migrate.prepare(path)
    message = info.value.message
    assert "bijwerken" in message and "mislukt" in message and "reservekopie" in message
    backups = list(tmp_path.glob("oud.backup-*"))
    assert len(backups) == 1 and str(backups[0]) in message


def test_locked_keyring_gives_a_dutch_message() -> None:
    import keyring
    import keyring.errors
    from keyring.backend import KeyringBackend

    from desktop.services import keys

    class Locked(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def get_password(self, service, username):  # type: ignore[no-untyped-def]
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

        def set_password(self, service, username, password):  # type: ignore[no-untyped-def]
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

        def delete_password(self, service, username):  # type: ignore[no-untyped-def]
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    before = keyring.get_keyring()
    keyring.set_keyring(Locked())
    try:
        with pytest.raises(keys.KeyringUnavailable) as info:
            keys.team_keys("hub")
        with pytest.raises(keys.KeyringUnavailable) as info2:
            keys.store_signing_seed("u", b"x" * 32)
    finally:
        keyring.set_keyring(before)
    for exc in (info.value, info2.value):
        assert "vergrendeld" in exc.message and "Failed" not in exc.message


def test_json_into_a_closed_pipe_exits_quietly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "KWALITEITSDIALOOG_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    db_path = tmp_path / "kd.sqlite"
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "init", "--db", str(db_path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "stats", "--db", str(db_path), "--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # `| head -c0`: the reader is gone before the first byte
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert proc.returncode == 0, err
    assert "onverwacht" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    log = tmp_path / "logs"
    logged = "".join(p.read_text() for p in log.glob("*.log")) if log.exists() else ""
    assert "unexpected error" not in logged
