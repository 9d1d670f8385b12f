"""Issue 15 in the request editor: a failing point blocks 'akkoord' at the field until the
decision says why it is accepted; own toetspunten get their own rows."""

from __future__ import annotations

from gui_helpers import review_queue_at_first_row
from test_requests_gui import _ctx, _grab, _settle, _type, qtbot_button, section  # noqa: F401 - fixtures
from test_requests_helpers import (  # noqa: F401 - fixtures
    _request_template,
    all_criteria,
    db,
    db_path,
    deviation_request,
    record_accepted,
    users,
    world,
)

from desktop.services import requests as rq
from desktop.services import toetspunten


def test_failing_point_explained_in_the_editor(qtbot, db, users, world, section):  # type: ignore[no-untyped-def]
    own = toetspunten.add_toetspunt(
        db,
        users["lead"].id,
        care_office_id=world.care_office_id,
        text="Of het plan aansluit bij de regionale woonzorgvisie",
        short="Regionale woonzorgvisie",
        valid_from="2026-01-01",
    )
    r = deviation_request(db, users, world)
    judged = all_criteria()
    judged["C4_REGION_CHARACTERISTICS"] = ("DOES_NOT_MEET", "De regio-analyse ontbreekt.")
    judged[own.code] = ("MEETS", "Sluit aan.")
    rq.judge_criteria(db, r.id, users["purchaser"].id, judged)
    ctx, view = section
    ed = view.editor
    ed.load(r.id)
    _settle(qtbot, ctx)
    assert [row.code for row in ed.own_rows] == [own.code]
    assert ed.own_rows[0].value() == ("MEETS", "Sluit aan.")
    assert len(ed.acceptance.rows) == 1 and ed.acceptance.rows[0][0] == "C4_REGION_CHARACTERISTICS"
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    _type(qtbot, ed.decision_fields["decision_rationale"], "Akkoord onder voorwaarde.")
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    err = ed.decision_fields["accepted_points"].error
    assert err.isVisible() and "toetsingspunt 4" in err.text()
    assert rq.get_request(db, r.id).decision is None
    _code, basis, text = ed.acceptance.rows[0]
    basis.setCurrentIndex(basis.findData("CONDITION"))
    text.setText("De regio-analyse volgt vóór 1 maart.")
    qtbot.mouseClick(ed.save_button, qtbot_button())
    _settle(qtbot, ctx)
    d = rq.get_request(db, r.id)
    assert d.decision == "APPROVED" and d.check.ok
    assert d.accepted_points["C4_REGION_CHARACTERISTICS"]["basis"] == "CONDITION"
    # The rejection clears and locks the amounts.
    ed.decision.setCurrentIndex(ed.decision.findData("REJECTED"))
    assert ed.decision_fields["approved_total"].text() == ""
    assert ed.decision_fields["approved_total"].editor.isReadOnly()
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    view.resize(1366, 768)
    ed.ensureWidgetVisible(ed.acceptance)
    _grab(view, "requests_editor_acceptance_1366.png")
    view.resize(1024, 600)
    ed.ensureWidgetVisible(ed.acceptance)
    _grab(view, "requests_editor_acceptance_1024.png")


def test_the_teamleider_sees_what_the_approval_accepts(qtbot, db, users, world):  # type: ignore[no-untyped-def]
    r = deviation_request(db, users, world)
    judged = all_criteria()
    judged["C8_SUPPORT"] = ("DOES_NOT_MEET", "De RvT is niet gehoord.")
    rq.judge_criteria(db, r.id, users["purchaser"].id, judged)
    record_accepted(db, users, r.id, {"C8_SUPPORT": ("CONDITION", "Instemming RvT vóór 1 maart.")})
    rq.submit(db, r.id, users["purchaser"].id)
    ctx, queue = review_queue_at_first_row(qtbot, db, users["lead"], (1366, 768))
    text = queue.summary.text()
    assert "Voldoet niet, toch geaccepteerd" in text and "Instemming RvT vóór 1 maart." in text
    _grab(queue, "requests_queue_accepted.png")
    ctx.executor.shutdown()
