"""Long lists are built with the garbage collector paused (common/gc_pause.py, issue 18)."""

from __future__ import annotations

import gc

import pytest

from common.gc_pause import collector_paused


def test_the_collector_is_paused_inside_and_resumes_after_also_on_an_error() -> None:
    seen: list[bool] = []

    @collector_paused
    def build(fail: bool) -> int:
        seen.append(gc.isenabled())
        if fail:
            raise ValueError("boom")
        return 42

    assert gc.isenabled()
    assert build(False) == 42
    with pytest.raises(ValueError):
        build(True)
    assert seen == [False, False] and gc.isenabled()


def test_a_paused_collector_stays_paused() -> None:
    """Start-up pauses it too (desktop/ui/app.py): a list built then must not resume it."""
    gc.disable()
    try:
        collector_paused(lambda: None)()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_long_lists_of_the_app_are_built_with_it() -> None:
    from desktop.services import plans, regional
    from desktop.services import requests as rq
    from desktop.services.letters import queries as letters
    from desktop.services.review import worklist

    wrapper_code = collector_paused(lambda: None).__code__
    for fn in (
        regional.heatmap,
        rq.list_requests,
        plans.list_plan_rows,
        letters.pending_decisions,
        worklist.queue,
    ):
        assert fn.__code__ is wrapper_code, fn.__qualname__
