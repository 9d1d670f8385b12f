"""Demo budget year (issue 16 item 7): realisation and nacalculatie in the demo, realistic
spread of spenders, late reports, valid vier-ogen settlements, deterministic."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from desktop.services.database import open_database
from desktop.services.demo import generate_demo

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, _template_db_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("demo_by") / "small.sqlite"
    shutil.copyfile(_template_db_path, path)
    db = open_database(path)
    generate_demo(db, "small", 42, None, today=TODAY)
    yield db, path
    db.dispose()


def test_demo_year_has_the_spread_of_the_monitors(demo) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.budget_year.monitoring import monitor

    db, _ = demo
    m = monitor(db, 2026, as_of=TODAY)  # the running year: October reports in, no round yet
    assert len(m.rows) >= 15
    pcts = [r.projected_pct for r in m.rows if r.projected_pct is not None]
    near = [p for p in pcts if 90 <= p <= 105]
    under = [p for p in pcts if p < 90]
    over = [p for p in pcts if p > 100]
    assert len(near) > len(pcts) / 2 and under and over
    assert 55 <= sum(under) / len(under) <= 82  # the ActiZ partial spenders: ~69%
    now = monitor(db, 2026, as_of=TODAY)
    assert any("LATE" in r.signal_codes for r in now.rows)
    # The October report (January–September) is the latest: nobody reports beyond it; a
    # provider whose report is missing is behind, never ahead.
    months = [r.realised_months for r in now.rows if r.realised_months]
    assert max(months) == 9 and all(m <= 9 for m in months)


def test_demo_settlements_are_approved_and_within_the_rules(demo) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.budget_year.nacalculatie import settlements

    db, _ = demo
    items = settlements(db, 2024)
    done = [p for p in items if p.recorded_id]
    assert done and all(p.review_state == "APPROVED" for p in done)
    for p in done:
        st = p.settlement
        assert st.reimbursable_staff <= st.agreed_staff and st.reimbursable_other <= st.agreed_other
        assert st.reclaim == st.advanced - st.reimbursable
    assert [p for p in settlements(db, 2025) if p.recorded_id]  # due 1 June 2026: done
    assert not [p for p in settlements(db, 2026) if p.recorded_id]  # the running year


def test_same_seed_same_budget_year(demo, db) -> None:  # type: ignore[no-untyped-def]
    from test_demo import _digest

    _, path = demo
    generate_demo(db, "small", 42, None, today=TODAY)
    for table in ("realisation_report", "final_settlement"):
        assert _digest(db.path, table) == _digest(path, table)


def test_demo_past_years_have_an_approved_herschikking(demo) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.budget_year import herschikking as hs
    from desktop.services.budget_year.nacalculatie import settlements

    db, _ = demo
    (r,) = hs.rounds(db, 2025)
    assert r.review_state == "APPROVED"
    down = [p for p in r.proposals if p.changed]
    assert down and all(p.change < 0 and p.reason for p in down)
    assert hs.rounds(db, 2026) == []  # the running year's round is the user's to make
    by_req = {p.agreement.request_id: p for p in settlements(db, 2025)}
    for p in down:
        s = by_req[p.request_id]
        assert s.agreement.reallocated and s.agreement.agreed_total == p.new_total
        if s.settlement is not None:
            assert s.settlement.agreed_staff + s.settlement.agreed_other == p.new_total
            assert s.review_state == "APPROVED"  # the recorded settlement matches the live one
