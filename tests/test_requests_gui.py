"""GUI flow with real widgets (offscreen): from receipt to the teamleider's approval."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_answers import answer_next
from gui_helpers import review_queue_at_first_row, shown
from gui_helpers import settle as _settle
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
from desktop.services import review

# Issue 19: these views read and write only through the database worker (tests/gui_thread.py).
pytestmark = pytest.mark.usefixtures("no_database_on_gui_thread")

OUT = Path(__file__).parents[1] / "out"


def _grab(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    OUT.mkdir(exist_ok=True)
    widget.grab().save(str(OUT / name))


def _type(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.editor.clear()
    qtbot.keyClicks(field.editor, text)


@pytest.fixture
def section(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.ui.requests.requests_view import RequestsSection

    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, RequestsSection(ctx), (1400, 900))
    _settle(qtbot, ctx)
    yield ctx, view
    ctx.executor.shutdown()


def test_receipt_to_approval_through_the_windows(qtbot, db, users, world, section):
    ctx, view = section
    ed = view.editor
    ed.provider.setCurrentIndex(ed.provider.findData(world.provider_id))
    _type(qtbot, ed.fields["budget_year"], "2027")
    _type(qtbot, ed.fields["received_date"], "02-11-2026")
    _type(qtbot, ed.fields["initial_reserved_amount"], "1.000.000,00")
    _type(qtbot, ed.fields["requested_total"], "1.200.000,00")
    _type(qtbot, ed.fields["requested_staff_amount"], "96O.000,00")  # letter O
    assert ed.fields["requested_staff_amount"].error.isVisible()
    assert "geen geldig bedrag" in ed.fields["requested_staff_amount"].error.text()
    _type(qtbot, ed.fields["requested_staff_amount"], "960.000,00")
    _type(qtbot, ed.fields["requested_other_amount"], "250.000,00")
    assert "maar het totaal is" in ed.fields["requested_total"].error.text()
    _type(qtbot, ed.fields["requested_other_amount"], "240.000,00")
    assert not ed.fields["requested_total"].error.isVisible()
    assert ed.split_label.text() == "80%/20%"
    assert "Afwijkingsverzoek" in ed.split_hint.text()
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    assert view.table.rowCount() == 1 and ed.request_id is not None
    assert view.table.item(0, 5).text() == "80%/20%"
    rid = ed.request_id

    # A decision without the ten criteria is refused at the field.
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    _type(qtbot, ed.decision_fields["decision_rationale"], "Overtuigend onderbouwd.")
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    assert "alle tien criteria" in ed.criteria_error.error.text()
    assert rq.get_request(db, rid).decision is None

    for row in ed.criteria_rows:
        row.judgement.setCurrentIndex(row.judgement.findData("MEETS"))
        _type(qtbot, row.reasoning, "Aangetoond in het kwaliteitsplan.")
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    _type(qtbot, ed.decision_fields["decision_rationale"], "Overtuigend onderbouwd.")
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    assert rq.get_request(db, rid).decision == "APPROVED"
    qtbot.mouseClick(ed.submit_button, qtbot_button())
    _settle(qtbot, ctx)
    assert review.status(db, "budget_request", rid).state == "SUBMITTED"
    assert "Ter vier-ogen aangeboden" in ed.review_label.text()
    _grab(view, "requests_editor.png")

    # The teamleider's queue.
    from desktop.ui.requests.queue_view import ReviewQueueSection

    lead_ctx = _ctx(db, users["lead"])
    queue = shown(qtbot, ReviewQueueSection(lead_ctx), (1300, 850))
    _settle(qtbot, lead_ctx)
    assert queue.table.rowCount() == 1
    queue.table.selectRow(0)
    _settle(qtbot, lead_ctx)
    assert queue.approve_button.isEnabled()
    assert "80%/20%" in queue.summary.text()
    assert queue.ceiling.values["requested"].text() == "€ 1.200.000,00"
    _grab(queue, "requests_queue.png")
    # Cancelling the confirmation changes nothing.
    asked = answer_next("Annuleren")
    qtbot.mouseClick(queue.approve_button, qtbot_button())
    _settle(qtbot, lead_ctx)
    assert asked and review.approval(db, "budget_request", rid) is None
    # The question names what is approved: provider, request, amount.
    asked = answer_next("Goedkeuren")
    qtbot.mouseClick(queue.approve_button, qtbot_button())
    assert "Zorggroep De Linde – aanvraag 2027" in asked[0] and "€ 1.200.000,00" in asked[0]
    _settle(qtbot, lead_ctx)
    assert review.approval(db, "budget_request", rid).approver_name == "Carla Bakker"
    assert rq.get_request(db, rid).state == "DECIDED"
    assert queue.table.rowCount() == 0
    # No jump: the approved dossier stays in view with the outcome, buttons off.
    assert queue.title.text() == "Zorggroep De Linde – aanvraag 2027"
    assert "Goedgekeurd door Carla Bakker" in queue.banner.text()
    assert not queue.approve_button.isEnabled()
    lead_ctx.executor.shutdown()


def test_rejection_comment_is_shown_to_the_author_and_own_work_is_blocked(
    qtbot, db, users, world, section
):
    from test_requests_helpers import all_criteria

    r = deviation_request(db, users, world)
    rq.judge_criteria(db, r.id, users["purchaser"].id, all_criteria())
    rq.record_decision(db, r.id, users["purchaser"].id, decision="APPROVED", rationale="Prima.")
    rq.submit(db, r.id, users["purchaser"].id)

    # The author sees the item in the queue but cannot approve it.
    ctx_own, own = review_queue_at_first_row(qtbot, db, users["purchaser"])
    assert not own.approve_button.isEnabled() and own.own_work.isVisible()
    ctx_own.executor.shutdown()

    lead_ctx, queue = review_queue_at_first_row(qtbot, db, users["lead"])
    qtbot.mouseClick(queue.reject_button, qtbot_button())  # no comment
    _settle(qtbot, lead_ctx)
    assert "toelichting" in queue.comment.error.text()
    qtbot.keyClicks(queue.comment.editor, "Criterium 10: business case ontbreekt.")
    asked = answer_next("Afkeuren")
    qtbot.mouseClick(queue.reject_button, qtbot_button())
    assert asked and "business case ontbreekt" in asked[0]
    _settle(qtbot, lead_ctx)
    lead_ctx.executor.shutdown()

    ctx, view = section
    view.editor.load(r.id)
    _settle(qtbot, ctx)
    assert view.editor.rejection.isVisible()
    assert "business case ontbreekt" in view.editor.rejection.text()
    assert "Carla Bakker" in view.editor.rejection.text()


def test_calendar_section_shows_cycle_and_due_items(qtbot, db, users, world):
    from desktop.ui.requests.calendar_view import BudgetCalendarSection

    deviation_request(db, users, world)
    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, BudgetCalendarSection(ctx), (1200, 800))
    _settle(qtbot, ctx)
    view.year.setValue(2027)
    view.provider.setCurrentIndex(view.provider.findData(world.provider_id))
    _settle(qtbot, ctx)
    codes = [view.cycle.item(i, 0).text() for i in range(view.cycle.rowCount())]
    assert codes[:4] == ["R1", "R2", "R3", "R4"] and "R18" in codes
    r4 = codes.index("R4")
    assert view.cycle.item(r4, 4).text() == "Gereed"  # received 2 November 2026
    _grab(view, "requests_calendar.png")
    ctx.executor.shutdown()


def qtbot_button():  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    return Qt.MouseButton.LeftButton


def test_ceiling_dialog_only_for_teamleader(qtbot, db, users, world, no_database_on_gui_thread):
    """Also: the dialog reads and writes only through the database worker (issue 19)."""
    from desktop.services.ceiling import ceiling_summary
    from desktop.ui.requests.ceiling_dialog import CeilingDialog

    ctx = _ctx(db, users["purchaser"])
    dlg = CeilingDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle(qtbot, ctx)
    dlg.office.setCurrentIndex(dlg.office.findData(world.care_office_id))
    dlg.year.setValue(2027)
    _settle(qtbot, ctx)
    _type(qtbot, dlg.amount, "75.000.000,00")
    dlg.save()
    _settle(qtbot, ctx)
    assert "Alleen een teamleider" in dlg.banner.text()
    ctx.set_user(users["lead"])
    _type(qtbot, dlg.amount, "75.OOO")
    dlg.save()
    _settle(qtbot, ctx)
    assert "geen geldig bedrag" in dlg.amount.error.text()
    _type(qtbot, dlg.amount, "75.000.000,00")
    dlg.save()
    _settle(qtbot, ctx)
    assert dlg.panel.values["allocated"].text() == "€ 75.000.000,00"
    assert ceiling_summary(db, world.care_office_id, 2027).allocated == 75_000_000
    _grab(dlg, "requests_ceiling.png")
    ctx.executor.shutdown()
