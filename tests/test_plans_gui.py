"""A kwaliteitsadviseur registers a plan, adds a verbeterparagraaf item and assesses the plan
on the form, in the real widgets (offscreen)."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import shown
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
    view = shown(qtbot, PlansSection(ctx), (1400, 900))
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


def test_plan_assessment_shows_the_providers_diagnosis_beside_the_plan(qtbot, db, users, world):  # type: ignore[no-untyped-def]
    """Issue 17: the plan assessment shows the provider's kwaliteitsdiagnose (themes with
    urgency and trend, top three verbeterpunten) beside the plan, the same panel as the aanvraag."""
    from datetime import date

    from desktop.services.diagnosis import add_note, set_top_priorities
    from desktop.services.themes import record_assessment
    from desktop.ui.context import AppContext
    from desktop.ui.requests.plans_view import PlansSection

    by = users["advisor"].id
    for year, rating in ((2025, "SUFFICIENT"), (2026, "INSUFFICIENT")):
        record_assessment(
            db,
            location_id=world.location_id,
            theme_code="T3",
            rating=rating,
            rationale="Onderbouwing van het oordeel.",
            sources=["QUALITY_REPORT"],
            actor_id=by,
            period_year=year,
            assessed_on=date(year, 6, 1),
        )
    note = add_note(
        db,
        provider_id=world.provider_id,
        kind="IMPROVEMENT_POINT",
        actor_id=by,
        text="Medicatieveiligheid: dubbele controle bij risicovolle middelen",
        theme_codes=["T3"],
    )
    set_top_priorities(db, [note.id], actor_id=by, provider_id=world.provider_id)
    plan = plans.create_plan(
        db,
        by=by,
        provider_id=world.provider_id,
        year="2027",
        received_date="15-12-2026",
        consent_nursing_council=True,
    )

    ctx = AppContext(db.path)
    ctx.set_db(db)
    ctx.set_user(users["advisor"])
    view = shown(qtbot, PlansSection(ctx))
    _settle(qtbot, ctx)
    panel = view.diagnosis
    assert panel.provider_id is None and panel.table.rowCount() == 0  # no plan chosen yet
    view.table.selectRow(0)
    _settle(qtbot, ctx)
    assert view.plan is not None and view.plan.id == plan.id
    assert panel.provider_id == world.provider_id and not panel.target_box.isVisible()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "Huize De Linde"
    t3 = panel.table.item(0, 3)  # T3: onvoldoende, worse than the year before
    assert t3.text() == "✖ ↓" and "Onvoldoende, slechter dan vorig oordeel" in t3.toolTip()
    assert "1 met een thema matig of onvoldoende" in panel.headline.text()
    assert "1 oordelen slechter" in panel.headline.text()
    assert (
        "Medicatieveiligheid: dubbele controle" in panel.top.text() and "(T3)" in panel.top.text()
    )
    assert panel.isVisible() and view.tabs.isVisible()  # beside the plan, whatever tab is open
    OUT.mkdir(exist_ok=True)
    for tab in (0, 1):
        view.tabs.setCurrentIndex(tab)
        for w, h in ((1366, 768), (1024, 600)):
            view.resize(w, h)
            qtbot.wait(30)
            view.grab().save(str(OUT / f"plans_diagnosis_tab{tab}_{w}x{h}.png"))
