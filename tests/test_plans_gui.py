"""A kwaliteitsadviseur registers a plan, adds a verbeterparagraaf item and assesses the plan
on the form, in the real widgets (offscreen)."""

from __future__ import annotations

from pathlib import Path

from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from desktop.services import plans

OUT = Path(__file__).parents[1] / "out"


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(20)
        qtbot.wait(30)


def test_advisor_assesses_plan_on_the_form(qtbot, db, users, world):
    from desktop.ui.context import AppContext
    from desktop.ui.qt import Qt
    from desktop.ui.requests.plans_view import PlansSection

    ctx = AppContext(db.path)
    ctx.set_db(db)
    ctx.set_user(users["advisor"])
    view = PlansSection(ctx)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    _settle(qtbot, ctx)
    view.provider.setCurrentIndex(view.provider.findData(world.provider_id))
    view.new_fields["year"].editor.clear()
    qtbot.keyClicks(view.new_fields["year"].editor, "2027")
    qtbot.keyClicks(view.new_fields["received_date"].editor, "15-12-2026")
    qtbot.mouseClick(view.create_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, ctx)
    assert view.table.rowCount() == 1 and view.plan is not None
    view.tabs.setCurrentIndex(0)
    assert view.table.item(0, 3).text() == "ja"

    qtbot.mouseClick(view.item_button, Qt.MouseButton.LeftButton)  # 'wat' is empty
    _settle(qtbot, ctx)
    assert "verplicht" in view.item_fields["what"].error.text()
    qtbot.keyClicks(view.item_fields["what"].editor, "Extra nachtdienst verpleegkundige")
    qtbot.keyClicks(view.item_fields["intended_result"].editor, "Minder valincidenten")
    qtbot.mouseClick(view.item_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, ctx)
    assert view.items.rowCount() == 1 and view.items.item(0, 0).text() == "Huize De Linde"

    # Completing an empty form is refused; nothing is stored as completed.
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.complete, Qt.MouseButton.LeftButton)
    _settle(qtbot, ctx)
    assert "Nog niet compleet" in view.banner.text()
    assert view.form_view.error_for("kp_01_judgement") == "Kies een oordeel bij KP-01."
    assert not plans.get_plan(db, view.plan.id).assessments

    fv = view.form_view
    for fd in fv.form.walk():
        if fd.name.endswith("_judgement"):
            fv.answers[fd.name] = "MEETS"
        elif fd.name.endswith("_reasoning"):
            fv.answers[fd.name] = "Staat in het plan."
    fv.answers["overall_conclusion"] = "Voldoet."
    fv.refresh()
    qtbot.mouseClick(view.complete, Qt.MouseButton.LeftButton)
    _settle(qtbot, ctx)
    p = plans.get_plan(db, view.plan.id)
    assert p.assessments[-1].status == "COMPLETED"
    assert not view.complete.isEnabled()
    OUT.mkdir(exist_ok=True)
    view.grab().save(str(OUT / "plans_view.png"))
    ctx.executor.shutdown()
