"""Issue 14: the aanvraag page as a daily user meets it -- one save, a warning for unsaved
work, feedback beside the button, a named confirmation, no approval without a besluit."""

from __future__ import annotations

import pytest
from gui_answers import answer_next
from gui_helpers import review_queue_at_first_row, shown
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

from db.errors import RuleViolation
from desktop.services import requests as rq
from desktop.services import review


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def page(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.ui.requests.requests_view import RequestsSection

    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, RequestsSection(ctx))
    _settle(qtbot, ctx)
    yield ctx, view
    ctx.executor.shutdown()


def _row_of(view, request_id: str) -> int:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    return next(
        i
        for i in range(view.table.rowCount())
        if view.table.item(i, 0).data(Qt.ItemDataRole.UserRole) == request_id
    )


def test_one_save_stores_criteria_case_and_decision_together(qtbot, db, users, world, page):
    ctx, view = page
    r = deviation_request(db, users, world)
    view.refresh()
    _settle(qtbot, ctx)
    ed = view.editor
    ed.load(r.id)
    _settle(qtbot, ctx)
    assert ed.dirty_sections() == []
    for row in ed.criteria_rows:
        row.judgement.setCurrentIndex(row.judgement.findData("MEETS"))
        row.reasoning.set_text("Aangetoond in het kwaliteitsplan.")
    ed.dev_fields["scaling_vision"].set_text("Na een jaar in alle vier de huizen.")
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    ed.decision_fields["decision_rationale"].set_text("Overtuigend onderbouwd.")
    assert ed.dirty_sections() == ["criteria", "onderbouwing", "besluit"]
    qtbot.wait(400)
    assert "criteria, onderbouwing, besluit" in ed.dirty_label.text()
    _click(qtbot, ed.save_button)
    _settle(qtbot, ctx)
    d = rq.get_request(db, r.id)
    assert d.decision == "APPROVED" and all(c.judgement == "MEETS" for c in d.criteria)
    assert d.deviation["scaling_vision"] == "Na een jaar in alle vier de huizen."
    # The feedback sits in the save bar, beside the button pressed.
    assert (
        ed.save_feedback.isVisible()
        and "Opgeslagen: criteria, onderbouwing, besluit" in ed.save_feedback.text()
    )
    assert ed.save_feedback.parent() is ed.save_button.parent()
    assert ed.dirty_sections() == [] and not ed.banner.isVisible()
    from pathlib import Path

    out = Path(__file__).parents[1] / "out"
    out.mkdir(exist_ok=True)
    for w, h in ((1366, 768), (1024, 600)):
        view.resize(w, h)
        qtbot.wait(50)
        assert ed.save_bar.isVisible() and ed.save_bar.geometry().bottom() <= view.height()
        view.grab().save(str(out / f"requests_page_save_bar_{w}.png"))


def test_a_refusal_keeps_the_input_and_names_the_section(qtbot, db, users, world, page):
    ctx, view = page
    r = deviation_request(db, users, world)
    ed = view.editor
    ed.load(r.id)
    _settle(qtbot, ctx)
    ed.dev_fields["scaling_vision"].set_text("Opschalen in 2028.")
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    ed.decision_fields["decision_rationale"].set_text("Akkoord.")
    _click(qtbot, ed.save_button)
    _settle(qtbot, ctx)
    # The case was saved; the decision was refused at the criteria, and the input stays.
    assert rq.get_request(db, r.id).deviation["scaling_vision"] == "Opschalen in 2028."
    assert rq.get_request(db, r.id).decision is None
    assert "alle tien criteria" in ed.criteria_error.error.text()
    text = ed.save_feedback.text()
    assert "Opgeslagen: onderbouwing" in text and "Niet opgeslagen (besluit)" in text
    assert ed.decision_fields["decision_rationale"].text() == "Akkoord."
    assert ed.dirty_sections() == ["besluit"]


def test_leaving_unsaved_work_asks_first(qtbot, db, users, world, page):
    ctx, view = page
    a = deviation_request(db, users, world)
    b = deviation_request(db, users, world, external_reference="KP-2027-002")
    view.refresh()
    _settle(qtbot, ctx)
    ed = view.editor
    view.table.selectRow(_row_of(view, a.id))
    _settle(qtbot, ctx)
    assert ed.request_id == a.id
    ed.fields["external_reference"].set_text("KP-GEWIJZIGD")

    # Annuleren: stays on A with the edit, the list still shows A.
    asked = answer_next("Annuleren")
    view.table.selectRow(_row_of(view, b.id))
    _settle(qtbot, ctx)
    assert asked and "gegevens" in asked[0]
    assert ed.request_id == a.id and ed.fields["external_reference"].text() == "KP-GEWIJZIGD"
    assert view.table.selectedItems()[0].row() == _row_of(view, a.id)

    # Opslaan: saved, then B opens.
    answer_next("Opslaan")
    view.table.selectRow(_row_of(view, b.id))
    _settle(qtbot, ctx)
    assert rq.get_request(db, a.id).external_reference == "KP-GEWIJZIGD"
    assert ed.request_id == b.id and ed.fields["external_reference"].text() == "KP-2027-002"

    # Niet opslaan: the edit is dropped, the new request opens.
    ed.fields["external_reference"].set_text("WEG")
    answer_next("Niet opslaan")
    _click(qtbot, view.new_button)
    _settle(qtbot, ctx)
    assert ed.request_id is None and ed.title.text() == "Nieuwe aanvraag"
    assert rq.get_request(db, b.id).external_reference == "KP-2027-002"


def test_new_request_shows_nothing_of_the_previous_one(qtbot, db, users, world, page):
    ctx, view = page
    r = decided_request(db, users, world)
    rq.submit(db, r.id, users["purchaser"].id)
    ed = view.editor
    ed.load(r.id)
    _settle(qtbot, ctx)
    assert "Ter vier-ogen aangeboden" in ed.review_label.text()
    _click(qtbot, view.new_button)
    _settle(qtbot, ctx)
    assert "aangeboden door" not in ed.review_label.text()
    assert "Sla de aanvraag eerst op" in ed.review_label.text()
    assert ed.decision.currentData() == "" and ed.decision_fields["decision_rationale"].text() == ""
    assert all(row.value() == ("", "") for row in ed.criteria_rows)
    assert ed.history.table.rowCount() == 0 and not ed.submit_button.isEnabled()


def test_a_field_error_goes_when_the_field_is_fixed(qtbot, db, users, world, page):
    ctx, view = page
    ed = view.editor
    _click(qtbot, ed.save_button)  # no provider chosen
    assert ed.provider_field.error.isVisible()
    ed.provider.setCurrentIndex(ed.provider.findData(world.provider_id))
    assert not ed.provider_field.error.isVisible()
    ed.fields["received_date"].set_text("31-02-2026")
    _click(qtbot, ed.save_button)
    _settle(qtbot, ctx)
    assert ed.fields["received_date"].error.isVisible()
    qtbot.keyClicks(ed.fields["received_date"].editor, "x")
    assert not ed.fields["received_date"].error.isVisible()


def _submitted_without_decision(db, users, world):  # type: ignore[no-untyped-def]
    """A request in the queue without a besluit, as it can arrive from an older replica."""
    from db.models import BudgetRequest
    from db.models.enums import RequestState
    from db.repo import UnitOfWork

    r = deviation_request(db, users, world)
    with UnitOfWork(db, users["purchaser"].id) as uow:
        uow.update(uow.get(BudgetRequest, r.id), state=str(RequestState.AWAITING_FOUR_EYES))
    with UnitOfWork(db, users["purchaser"].id) as uow:
        digest = review.content_hash_in(uow.session, rq.SUBJECT, r.id)
        review.record_step(
            uow, rq.SUBJECT, r.id, review.ReviewKind.SUBMITTED, users["purchaser"].id, digest
        )
    assert review.status(db, rq.SUBJECT, r.id).state == "SUBMITTED"
    return r


def test_no_approval_without_a_besluit(db, users, world):
    r = _submitted_without_decision(db, users, world)
    with pytest.raises(RuleViolation, match="nog geen besluit"):
        rq.approve(db, r.id, users["lead"].id)
    # The generic review path refuses it too (the rule sits in the subject's `before`).
    with pytest.raises(RuleViolation, match="nog geen besluit"):
        review.approve(db, rq.SUBJECT, r.id, users["lead"].id)
    assert review.approval(db, rq.SUBJECT, r.id) is None


def test_the_queue_says_why_approval_is_off_without_a_besluit(qtbot, db, users, world):
    _submitted_without_decision(db, users, world)
    ctx, queue = review_queue_at_first_row(qtbot, db, users["lead"])
    assert not queue.approve_button.isEnabled() and queue.reject_button.isEnabled()
    assert "nog geen besluit" in queue.own_work.text() and queue.own_work.isVisible()
    ctx.executor.shutdown()


def test_switching_user_clears_the_review_pane(qtbot, db, users, world):
    r = decided_request(db, users, world)
    rq.submit(db, r.id, users["purchaser"].id)
    ctx, queue = review_queue_at_first_row(qtbot, db, users["lead"])
    assert queue.approve_button.isEnabled()
    queue.comment.set_text("Mijn halve gedachte over deze aanvraag")
    ctx.set_user(users["purchaser"])
    _settle(qtbot, ctx)
    assert queue.comment.text() == ""
    assert not queue.approve_button.isEnabled() and queue.own_work.isVisible()
    ctx.executor.shutdown()
