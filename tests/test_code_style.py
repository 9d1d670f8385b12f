"""STYLE.md: ruff lints and formats the whole code base, and CI checks both (issue 19)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = ["common", "db", "forms", "desktop", "tests", "packaging"]


def _ruff() -> str:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    return ruff


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([_ruff(), "check", *CODE], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    """`ruff format` would change nothing: run it before committing."""
    result = subprocess.run(
        [_ruff(), "format", "--check", *CODE], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
