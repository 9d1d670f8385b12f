"""Benchmark budgets (ARCHITECTURE.md "Performance budget"): a benchmark asserts its budget,
it does not only measure."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

BENCH_SLACK = float(os.environ.get("KD_BENCH_SLACK", "1"))  # >1 on a slower machine than CI


def assert_budget(benchmark, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    """Fail when the benchmark's median exceeds its budget (times KD_BENCH_SLACK). With
    `--benchmark-disable` there are no statistics and nothing to judge."""
    stats = getattr(benchmark, "stats", None)
    if stats is None:
        return
    median = stats.stats.median
    benchmark.extra_info["budget_ms"] = round(seconds * 1000, 1)
    assert median <= seconds * BENCH_SLACK, (
        f"{what}: median {median * 1000:.1f} ms, budget {seconds * 1000:.0f} ms "
        f"(ARCHITECTURE.md; KD_BENCH_SLACK={BENCH_SLACK})"
    )


class CpuTimed:
    """Wraps a benchmarked call and keeps the CPU time of the calling thread per call: on a
    shared machine the wall-clock median says less than the CPU it took."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn
        self.cpu: list[float] = []

    def __call__(self) -> Any:
        start = time.thread_time()
        result = self.fn()
        self.cpu.append(time.thread_time() - start)
        return result

    def report(self, benchmark) -> float:  # type: ignore[no-untyped-def]
        """The CPU median in ms, also kept in the benchmark's extra_info."""
        median = round(statistics.median(self.cpu) * 1000, 1)
        benchmark.extra_info["cpu_median_ms"] = median
        return median
