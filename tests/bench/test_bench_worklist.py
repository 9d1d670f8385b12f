"""Issue 18 ("every list and view ≤ 100 ms" at national scale): the teamleider's "Te beoordelen"
(`review.queue`, as the Vier-ogen section loads it for its viewer) at 1× (zorgkantoor) and 3×
(national: 47,000 review steps of 22,000 subjects). The queue settles only the subjects that the
prefilter `review_latest` (revision 0013) cannot rule out (~100 at 3×), not every step ever made.

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_worklist.py --benchmark-only -s

The CPU time of the calling thread (`time.thread_time`) is kept in extra_info next to the
wall-clock figures: the machine is shared. Timing budgets scale with KD_BENCH_SLACK.
"""

from __future__ import annotations

import pytest
from bench_budget import CpuTimed, assert_budget

pytestmark = pytest.mark.bench


def test_bench_te_beoordelen(benchmark, scaled_database) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from desktop.services import review

    with scaled_database.read_session() as s:  # a teamleider who edited some of it (own work)
        viewer = s.connection().execute(text("SELECT id FROM app_user ORDER BY id")).scalar()
    load = CpuTimed(lambda: review.queue(scaled_database, viewer_id=viewer))
    items = benchmark.pedantic(load, rounds=15, iterations=1, warmup_rounds=1)
    print(f"\n{len(items)} to review; CPU median {load.report(benchmark)} ms")
    assert len(items) >= 10 and all(i.submitted_by for i in items)
    assert_budget(benchmark, 0.100, "Te beoordelen")
