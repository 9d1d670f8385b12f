"""scripts/start.sh (issue 14 item 10): installs only when needed and quietly, and its own
arguments reach the program, never the package step. Run against a copy of the scripts in a
temporary checkout with fake dpkg-query/apt-get/sudo and a fake .venv that log their calls."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FAKE = {
    # every package is installed, except the names in $FAKE_MISSING
    "dpkg-query": 'echo "$*" >> "$LOG/dpkg-query"\n'
    'for m in $FAKE_MISSING; do [ "${@: -1}" = "$m" ] && exit 1; done\n'
    "printf 'install ok installed'\n",
    "apt-get": 'echo "$*" >> "$LOG/apt-get"\n',
    "sudo": 'exec "$@"\n',
}
VENV = {
    "python": 'echo "$*" >> "$LOG/python"\n',
    "kwaliteitsdialoog": 'for a in "$@"; do echo "$a"; done > "$LOG/app-args"\n',
}


def _script(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("start.sh", "_setup.sh", "test.sh"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / ".venv" / "bin").mkdir(parents=True)
    for name, body in VENV.items():
        _script(repo / ".venv" / "bin" / name, body)
    (tmp_path / "fakebin").mkdir()
    for name, body in FAKE.items():
        _script(tmp_path / "fakebin" / name, body)
    (tmp_path / "log").mkdir()
    return repo


def _start(repo: Path, *args: str, missing: str = "") -> subprocess.CompletedProcess[str]:
    tmp = repo.parent
    env = {
        **os.environ,
        "PATH": f"{tmp / 'fakebin'}:{os.environ['PATH']}",
        "LOG": str(tmp / "log"),
        "FAKE_MISSING": missing,
    }
    return subprocess.run(
        ["bash", str(repo / "scripts" / "start.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp,
    )


def _log(repo: Path, name: str) -> list[str]:
    path = repo.parent / "log" / name
    return path.read_text().splitlines() if path.exists() else []


def test_arguments_reach_the_program_and_never_the_package_step(checkout: Path) -> None:
    result = _start(checkout, "--db", "/home/x/test.sqlite")
    assert result.returncode == 0, result.stderr
    assert _log(checkout, "app-args") == ["--db", "/home/x/test.sqlite"]
    queried = [line.split()[-1] for line in _log(checkout, "dpkg-query")]
    assert "libegl1" in queried
    assert "--db" not in queried and "/home/x/test.sqlite" not in queried
    assert _log(checkout, "apt-get") == []  # everything present: no apt-get at all


def test_installs_once_then_only_after_pyproject_changes(checkout: Path) -> None:
    first = _start(checkout)
    assert first.returncode == 0, first.stderr
    installs = [c for c in _log(checkout, "python") if c.startswith("-m pip install -q -e")]
    assert installs == ["-m pip install -q -e ."]
    assert len((first.stdout + first.stderr).splitlines()) <= 2  # quiet
    calls_after_first = len(_log(checkout, "python"))

    second = _start(checkout, "--offscreen")
    assert second.returncode == 0, second.stderr
    assert (second.stdout + second.stderr).strip() == ""  # nothing to say, nothing installed
    assert len(_log(checkout, "python")) == calls_after_first
    assert _log(checkout, "app-args") == ["--offscreen"]

    with (checkout / "pyproject.toml").open("a") as fh:
        fh.write("\n# changed\n")
    third = _start(checkout)
    assert third.returncode == 0, third.stderr
    installs = [c for c in _log(checkout, "python") if c.startswith("-m pip install -q -e")]
    assert len(installs) == 2


def test_missing_system_package_is_installed_quietly(checkout: Path) -> None:
    result = _start(checkout, "--db", "x.sqlite", missing="libxcb-cursor0")
    assert result.returncode == 0, result.stderr
    apt = _log(checkout, "apt-get")
    assert apt[0].startswith("update")
    assert [a.split()[-1] for a in apt[1:]] == ["libxcb-cursor0"]
    assert "Systeempakketten installeren: libxcb-cursor0" in result.stdout


def test_scripts_are_valid_bash() -> None:
    for name in ("start.sh", "_setup.sh", "test.sh"):
        subprocess.run(["bash", "-n", str(ROOT / "scripts" / name)], check=True)
