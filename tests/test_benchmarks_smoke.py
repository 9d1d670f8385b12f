"""The benchmarks (tests/bench) are not part of the default run: they need a quiet machine and
minutes of generated data. That let two of them break unnoticed: the 5,000-request list and the
approval round-trip filled `budget_request` with raw SQL that missed a column issue 15 made
NOT NULL, so the README's figures for them could no longer be reproduced.

So the default run collects every benchmark, and runs the ones that need no generated
database once each with `--benchmark-disable`: their set-up and every assertion on what they
produce, but no timing budget (assert_budget has no statistics to judge then)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The benchmarks that build their own small data in seconds.
WITHOUT_GENERATED_DATA = (
    "tests/bench/test_bench_requests.py",
    "tests/bench/test_bench_visits.py",
    "tests/bench/test_bench_letters.py::test_bench_one_letter",
    "tests/bench/test_bench_letters.py::test_bench_region_batch_500_stored",
)


def _pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KD_BENCH_CACHE=str(tmp_path / "cache"))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_every_benchmark_is_collected(tmp_path: Path) -> None:
    run = _pytest(tmp_path, "--collect-only", "tests/bench")
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    collected = [line for line in run.stdout.splitlines() if "::test_" in line]
    assert len(collected) >= 60, run.stdout[-2000:]


def test_the_benchmarks_without_generated_data_run(tmp_path: Path) -> None:
    run = _pytest(tmp_path, "--benchmark-disable", *WITHOUT_GENERATED_DATA)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-2000:]
