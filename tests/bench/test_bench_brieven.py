"""Issue 18 item 4 ("every list at 3× within budget ≤ 100 ms"): the Brieven section's list of
decisions still without a letter (`letters.pending_decisions`, as the section loads it), at 1×
(zorgkantoor) and 3× (national). Each decision's vier-ogen approval is derived again from the
facts; `review.approvals_in` reads them for all decisions at once (one query per kind of fact).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_brieven.py --benchmark-only -s

The CPU time of the calling thread (`time.thread_time`) is kept in extra_info next to the
wall-clock figures: the machine is shared. Timing budgets scale with KD_BENCH_SLACK.
"""

from __future__ import annotations

import pytest
from bench_budget import CpuTimed, assert_budget

pytestmark = pytest.mark.bench


def test_bench_brieven_pending_decisions(benchmark, scaled_database) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import letters

    # as the Brieven section: every region
    load = CpuTimed(lambda: letters.pending_decisions(scaled_database))
    rows = benchmark.pedantic(load, rounds=15, iterations=1, warmup_rounds=1)
    print(f"\n{len(rows)} decisions without a letter; CPU median {load.report(benchmark)} ms")
    assert len(rows) >= 10 and all(r.decision for r in rows)
    assert_budget(benchmark, 0.100, "Brieven: besluiten zonder brief")
