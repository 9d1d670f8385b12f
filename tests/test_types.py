"""mypy over the Qt-free layers (issue 19), enforced in the default run so CI holds it.

`common`, `db` and `forms` are clean and must stay clean. `desktop/services` still carries
errors from before the check existed: BASELINE is a ratchet, per file. A file may not get
worse, a file not listed must be clean, and a file that got better must lower its number here
(so the debt only shrinks). Configuration: [tool.mypy] in pyproject.toml.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["common", "db", "forms", "desktop/services"]

# Errors per file that are tolerated for now: empty since issue 19 (mypy is clean on all of
# TARGETS). Never add an entry to make a change pass; fix the types.
BASELINE: dict[str, int] = {}

_ERROR = re.compile(r"^(?P<file>[^:\s]+\.py):\d+: error: ")


def mypy_errors() -> tuple[Counter[str], str]:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", *TARGETS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy itself failed
    counts: Counter[str] = Counter()
    for line in result.stdout.splitlines():
        m = _ERROR.match(line)
        if m:
            counts[m.group("file")] += 1
    return counts, result.stdout


def test_mypy_does_not_get_worse() -> None:
    counts, output = mypy_errors()
    worse = {f: (n, BASELINE.get(f, 0)) for f, n in counts.items() if n > BASELINE.get(f, 0)}
    lines = [line for line in output.splitlines() if any(line.startswith(f + ":") for f in worse)]
    assert not worse, (
        "new mypy errors (file: found, allowed):\n"
        + "\n".join(f"  {f}: {n}, {allowed}" for f, (n, allowed) in sorted(worse.items()))
        + "\n"
        + "\n".join(lines)
    )
    better = {f: (counts.get(f, 0), n) for f, n in BASELINE.items() if counts.get(f, 0) < n}
    assert not better, (
        "fewer mypy errors than BASELINE says, lower it in tests/test_types.py "
        f"(file: found, listed): {better}"
    )


def test_the_core_is_clean() -> None:
    assert not any(f.startswith(("common/", "db/", "forms/")) for f in BASELINE)
    assert all(f.startswith("desktop/services/") for f in BASELINE)
