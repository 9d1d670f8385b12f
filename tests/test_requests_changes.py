"""Issue 19: the request views refresh on the typed change set (ctx.entities_changed) that the
executor announces after a real write, not on strings another view had to remember to emit;
and the list+detail screens share one MasterDetail (placeholder, names, keyboard order)."""

from __future__ import annotations

import pytest
from gui_helpers import settle as _settle
from gui_helpers import ui_context as _ctx
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    db,
    db_path,
    decided_request,
    deviation_request,
    users,
    world,
)

from desktop.services import requests as rq

pytestmark = pytest.mark.usefixtures("no_database_on_gui_thread")


def _show(qtbot, view, ctx):  # type: ignore[no-untyped-def]
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    _settle(qtbot, ctx)
    return view


def _next_tab_stop(widget):  # type: ignore[no-untyped-def]
    """The widget Tab moves to from `widget` (its own parts, like a table's viewport, skipped)."""
    from desktop.ui.qt import Qt

    w = widget.nextInFocusChain()
    while w is not widget:
        tab = bool(w.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if tab and w.isVisible() and w.isEnabled() and not widget.isAncestorOf(w):
            return w
        w = w.nextInFocusChain()
    return None


def test_the_list_shows_a_request_written_elsewhere_without_an_emit(qtbot, db, users, world):
    """A write through ctx.run in some other place (here: straight through the service):
    the executor announces "budget_request" and the Aanvragen list and the calendar follow."""
    from desktop.ui.requests.calendar_view import BudgetCalendarSection
    from desktop.ui.requests.requests_view import RequestsSection

    ctx = _ctx(db, users["purchaser"])
    section = _show(qtbot, RequestsSection(ctx), ctx)
    calendar = _show(qtbot, BudgetCalendarSection(ctx), ctx)
    calendar.year.setValue(2027)
    _settle(qtbot, ctx)
    due_before = calendar.due.rowCount()
    assert section.table.rowCount() == 0
    seen: list[frozenset[str]] = []
    ctx.entities_changed.connect(seen.append)
    ctx.run(deviation_request, ctx.db, users, world, received_date="02-11-2026")
    _settle(qtbot, ctx)
    assert any("budget_request" in names for names in seen)
    assert section.table.rowCount() == 1
    assert section.table.item(0, 0).text() == "Zorggroep De Linde"
    assert "1 aanvraag" in section.count.text()
    assert calendar.due.rowCount() > due_before  # the new request's deadlines
    ctx.executor.shutdown()


def test_submitting_in_the_editor_fills_the_queue_through_review_event(qtbot, db, users, world):
    """Submitting writes a review_event; the queue (same context) refreshes on it."""
    from desktop.ui.requests.queue_view import ReviewQueueSection
    from desktop.ui.requests.requests_view import RequestsSection

    r = decided_request(db, users, world)
    ctx = _ctx(db, users["purchaser"])
    section = _show(qtbot, RequestsSection(ctx), ctx)
    queue = _show(qtbot, ReviewQueueSection(ctx), ctx)
    assert queue.table.rowCount() == 0
    section.editor.load(r.id)
    _settle(qtbot, ctx)
    section.editor.submit()
    _settle(qtbot, ctx)
    assert queue.table.rowCount() == 1 and "eigen werk" in queue.table.item(0, 3).text()
    ctx.executor.shutdown()


def test_announce_everything_refreshes_the_views(qtbot, db, users, world):
    """No unit of work ran (a sync pulled, F5): ctx.announce("*") refreshes them all."""
    from desktop.ui.requests.plans_view import PlansSection
    from desktop.ui.requests.requests_view import RequestsSection

    ctx = _ctx(db, users["purchaser"])
    section = _show(qtbot, RequestsSection(ctx), ctx)
    plans_view = _show(qtbot, PlansSection(ctx), ctx)
    deviation_request(db, users, world)  # behind the views' back, as a sync would
    _settle(qtbot, ctx)
    assert section.table.rowCount() == 0
    ctx.announce("*")
    _settle(qtbot, ctx)
    assert section.table.rowCount() == 1
    assert plans_view.table.rowCount() == 0  # no plan: still refreshed without an error
    ctx.executor.shutdown()


def test_queue_and_plans_show_a_placeholder_until_a_record_is_chosen(qtbot, db, users, world):
    from desktop.ui.requests.plans_view import PlansSection
    from desktop.ui.requests.queue_view import ReviewQueueSection

    r = decided_request(db, users, world)
    rq.submit(db, r.id, users["purchaser"].id)
    ctx = _ctx(db, users["lead"])
    queue = _show(qtbot, ReviewQueueSection(ctx), ctx)
    md = queue.master_detail
    assert md.placeholder is not None and md.placeholder.isVisible()
    assert not queue.approve_button.isVisible()
    assert md.master.accessibleName() == "Te beoordelen: lijst"
    assert md.detail_stack.accessibleName() == "Te beoordelen: details"
    queue.table.selectRow(0)
    _settle(qtbot, ctx)
    assert md.showing_detail and queue.approve_button.isEnabled()
    assert md.selected_id() == r.id
    # Keyboard: Tab from the list goes straight into the detail.
    assert md.detail.isAncestorOf(_next_tab_stop(queue.table))

    from desktop.services import plans

    plans.create_plan(
        db,
        by=users["lead"].id,
        provider_id=world.provider_id,
        year="2027",
        received_date="15-12-2026",
        consent_nursing_council=True,
    )
    plans_view = _show(qtbot, PlansSection(ctx), ctx)
    assert plans_view.master_detail.placeholder.isVisible()
    assert not plans_view.tabs.isVisible()
    plans_view.table.selectRow(0)
    _settle(qtbot, ctx)
    assert plans_view.tabs.isVisible() and not plans_view.master_detail.placeholder.isVisible()
    # The "Nieuw kwaliteitsplan" card sits under the list; Tab still goes to the plan first.
    assert plans_view.master_detail.detail.isAncestorOf(_next_tab_stop(plans_view.table))
    ctx.executor.shutdown()


def test_the_queue_says_so_when_it_is_empty(qtbot, db, users, world):
    from desktop.ui.qt import QLabel
    from desktop.ui.requests.queue_view import ReviewQueueSection

    ctx = _ctx(db, users["lead"])
    queue = _show(qtbot, ReviewQueueSection(ctx), ctx)
    texts = [w.text() for w in queue.master_detail.placeholder.findChildren(QLabel)]
    assert "Niets te beoordelen" in texts
    ctx.executor.shutdown()
