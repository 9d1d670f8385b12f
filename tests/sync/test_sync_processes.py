"""Real processes: kill -9 at every fault point of push and apply, then restart (§10 #3), and
four processes syncing one store at the same moment (§10 #5)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from sync_helpers import add_provider, edit_provider, integrity_ok, op_ids, state_digest, team_copy

from db.sync.faults import POINTS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def _env(tmp_path: Path, fault: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
    env["PYTHON_KEYRING_BACKEND"] = "sync_test_keyring.FileKeyring"
    env["KD_TEST_KEYRING_FILE"] = str(tmp_path / "keyring.json")
    env["KWALITEITSDIALOOG_DATA_DIR"] = str(tmp_path / "appdata")
    env.pop("KD_SYNC_FAULT", None)
    if fault:
        env["KD_SYNC_FAULT"] = fault
    return env


def _export_keyring(tmp_path: Path) -> None:
    """The in-process keyring of the team, written where the subprocess backend reads it."""
    ring = keyring.get_keyring()
    data = {f"{s}\n{u}": v for (s, u), v in ring.secrets.items()}  # type: ignore[attr-defined]
    (tmp_path / "keyring.json").write_text(json.dumps(data))


def _cli_sync(tmp_path: Path, db: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "desktop.cli", "sync", "--db", str(db), "--json"],
        env=_env(tmp_path, fault),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )


def _pending(path: Path) -> int:
    with sqlite3.connect(path) as c:
        own = c.execute("SELECT value FROM sync_meta WHERE key='origin_id'").fetchone()[0]
        return c.execute(
            "SELECT COUNT(*) FROM sync_op WHERE origin_id = ? AND pushed = 0", (own,)
        ).fetchone()[0]


PUSH_POINTS = [p for p in POINTS if p.startswith("push")]
APPLY_POINTS = [p for p in POINTS if p.startswith("apply")]


@pytest.mark.parametrize("point", PUSH_POINTS + APPLY_POINTS)
def test_kill_9_at_fault_point_then_restart_loses_nothing(tmp_path: Path, point: str) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    # b has edits to push; a has edits b must apply (two segments: apply_after_commit@1)
    pids = [add_provider(b, f"Aanbieder {i}") for i in range(3)]
    edit_provider(b, pids[0], name="Aanbieder nul")
    add_provider(a, "Van A")
    from desktop.services import sync as svc

    svc.sync_now(a.db)
    add_provider(c, "Van C")
    svc.sync_now(c.db)
    acknowledged = op_ids(b.path)
    for r in (a, b, c):
        r.db.dispose()
    _export_keyring(tmp_path)

    crashed = _cli_sync(tmp_path, b.path, point)
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert integrity_ok(b.path)
    assert acknowledged <= op_ids(b.path)  # nothing committed was lost

    again = _cli_sync(tmp_path, b.path)  # restart: a real process again
    assert again.returncode == 0, again.stderr[-2000:]
    assert _pending(b.path) == 0
    from db.engine import Database

    for r in (a, b, c):
        r.db = Database(r.path)
    for r in (a, c, b, a, c):
        svc.sync_now(r.db)
    for r in (a, b, c):
        r.db.dispose()
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1
    for r in (a, b, c):
        assert integrity_ok(r.path)
        assert acknowledged <= op_ids(r.path)
        with sqlite3.connect(r.path) as conn:
            # applied once: one row per provider, no duplicate op rows
            names = [n for (n,) in conn.execute("SELECT name FROM provider")]
            assert len(names) == len(set(names))
            assert (
                conn.execute(
                    "SELECT COUNT(*) FROM sync_segment WHERE status='quarantined'"
                ).fetchone()[0]
                == 0
            )


def test_four_processes_sync_one_store_at_once(tmp_path: Path) -> None:
    store, reps = team_copy(tmp_path, 4)
    for k, r in enumerate(reps):
        for i in range(5):
            add_provider(r, f"Aanbieder {k}.{i}")
    acknowledged = set().union(*(op_ids(r.path) for r in reps))
    for r in reps:
        r.db.dispose()
    _export_keyring(tmp_path)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "desktop.cli", "sync", "--db", str(r.path), "--json"],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for r in reps
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]
    from db.engine import Database
    from desktop.services import sync as svc

    for r in reps:
        r.db = Database(r.path)
    for r in reps + reps:
        svc.sync_now(r.db)
    for r in reps:
        r.db.dispose()
    assert len({state_digest(r.path) for r in reps}) == 1
    for r in reps:
        assert acknowledged <= op_ids(r.path)
    # every segment written once by its own origin; nothing left in tmp/
    assert not list((store / "tmp").iterdir())
    names = [p.name for p in (store / "ops").glob("*/*.seg")]
    assert len(names) == len(set((p.parent.name, p.name) for p in (store / "ops").glob("*/*.seg")))
