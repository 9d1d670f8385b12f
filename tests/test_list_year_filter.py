"""Issue 18 (memory at national scale) and the daily work: the Aanvragen and Kwaliteitsplannen
lists open on the budget year being worked on, not on ten years of history; "Alle jaren" shows
everything, and a request opened from elsewhere brings the list to its year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from gui_helpers import settle, shown
from gui_helpers import ui_context as _ctx
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    db,
    db_path,
    deviation_request,
    users,
    world,
)

from desktop.services import requests as rq


def test_the_working_year_is_the_one_being_prepared_else_this_one_else_the_newest() -> None:
    years = [2028, 2027, 2026, 2020]
    assert rq.working_year(years, date(2026, 12, 6)) == 2027  # requests for 2027 come in now
    assert rq.working_year([2026, 2020], date(2026, 12, 6)) == 2026
    assert rq.working_year([2021, 2020], date(2026, 12, 6)) == 2021
    assert rq.working_year([], date(2026, 12, 6)) is None


def _rows(view) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted({r.budget_year for r in view.rows})


@pytest.fixture
def two_years(db, users, world):  # type: ignore[no-untyped-def]
    newer = deviation_request(db, users, world)  # budget year 2027
    older = deviation_request(
        db, users, world, budget_year=2025, received_date="2024-11-04", external_reference="KP-25"
    )
    return newer, older


def test_aanvragen_open_on_the_working_year_and_show_all_on_request(qtbot, db, users, two_years):
    from desktop.ui.requests.requests_view import RequestsSection

    newer, older = two_years
    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, RequestsSection(ctx))
    settle(qtbot, ctx)
    assert view.year.currentText() == "2027"
    assert _rows(view) == [2027] and view.table.rowCount() == 1
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    for w, h in ((1366, 768), (1024, 600)):
        view.resize(w, h)
        settle(qtbot, ctx)
        assert view.year.isVisible() and view.year.width() >= view.year.sizeHint().width()
        view.grab().save(str(out / f"aanvragen_jaarfilter_{w}x{h}.png"))
    assert [view.year.itemText(i) for i in range(view.year.count())] == [
        "Alle jaren",
        "2027",
        "2025",
    ]
    view.year.setCurrentIndex(view.year.findText("Alle jaren"))
    settle(qtbot, ctx)
    assert _rows(view) == [2025, 2027]
    assert view.count.text() == "2 aanvragen"
    # back to one year, then a request of the other year is opened (from the queue, the search)
    view.year.setCurrentIndex(view.year.findText("2027"))
    settle(qtbot, ctx)
    assert _rows(view) == [2027]
    view.select_request(older.id)
    settle(qtbot, ctx)
    assert view.year.currentText() == "2025"
    assert _rows(view) == [2025]
    assert view.master_detail.selected_id() == older.id  # and it is the chosen row
    ctx.executor.shutdown()


def test_kwaliteitsplannen_open_on_the_working_year_and_follow_a_new_plan(qtbot, db, users, world):
    from desktop.services import plans
    from desktop.ui.requests.plans_view import PlansSection

    for year in (2027, 2024):
        plans.create_plan(
            db,
            by=users["purchaser"].id,
            provider_id=world.provider_id,
            year=year,
            received_date=f"{year - 1}-11-02",
            consent_nursing_council=True,
        )
    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, PlansSection(ctx))
    settle(qtbot, ctx)
    assert view.year.currentText() == "2027"
    assert {p.year for p in view.plans} == {2027}
    # registering a plan for another year shows that year, with the new plan chosen
    view.new_fields["provider_id"].editor.setCurrentIndex(
        view.new_fields["provider_id"].editor.findData(world.provider_id)
    )
    view.new_fields["year"].set_text("2025")
    view.new_fields["received_date"].set_text("01-11-2024")
    view.register_plan()
    settle(qtbot, ctx)
    assert view.year.currentText() == "2025"
    assert {p.year for p in view.plans} == {2025}
    assert view.plan is not None and view.plan.year == 2025
    ctx.executor.shutdown()
