"""The visit window through the real widgets (pytest-qt, offscreen): fill a whole visit on
the keyboard, validation on leaving a field, complete, reopen read-only, correct, close with
unsaved changes, the Bezoeken tab and Mijn acties."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from test_visits import db, db_path, make_location, users, visits_template  # noqa: F401

OUT = Path(__file__).resolve().parents[1] / "out"


@pytest.fixture
def ctx(qtbot, db, db_path, users):  # type: ignore[no-untyped-def]
    from desktop.ui.context import AppContext
    from desktop.ui.qt import QApplication
    from desktop.ui.style import STYLESHEET
    from desktop.ui.visits import visit_window

    QApplication.instance().setStyleSheet(STYLESHEET)
    c = AppContext(db_path)
    c.set_db(db)
    c.set_user(users["purchaser"])
    yield c
    for w in list(visit_window._OPEN.values()):
        w.dirty = False
        w.close()
    visit_window._OPEN.clear()
    c.executor.wait_idle(10)
    c.executor.shutdown()


def settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(10)
        qtbot.wait(20)


def open_window(qtbot, ctx, visit_id):  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QApplication
    from desktop.ui.visits.visit_window import _OPEN, open_visit

    open_visit(ctx, visit_id)
    settle(qtbot, ctx)
    win = _OPEN[visit_id]
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
    return win


def type_into(qtbot, view, path, text):  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    w = view.widget_for(path)
    view.focus_path(path)
    w.setFocus()
    if hasattr(w, "selectAll"):
        w.selectAll()
    qtbot.keyClicks(w, text)
    qtbot.keyClick(w, Qt.Key.Key_Tab)  # leave the field
    qtbot.wait(5)


def pick(qtbot, view, path, value):  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QComboBox, Qt

    w = view.widget_for(path)
    if isinstance(w, QComboBox):
        w.setFocus()
        w.setCurrentIndex(w.findData(value))
    else:
        btn = w.button_for(value)
        view.focus_path(path)
        btn.setFocus()
        qtbot.keyClick(btn, Qt.Key.Key_Space)


def test_fill_complete_reopen_and_correct(qtbot, ctx, db, users, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.services.actions import list_actions
    from desktop.services.visits import create_visit, get_visit, list_visits
    from desktop.ui.qt import QPlainTextEdit, Qt

    w = make_location(db, users["purchaser"].id)
    visit = create_visit(db, w.location, actor_id=users["purchaser"].id)
    win = open_window(qtbot, ctx, visit.id)
    view = win.view
    assert view.current_section() == 0 and not view.read_only
    # header: Enter in a field moves on and never completes the visit
    type_into(qtbot, view, "start_time", "930")
    start = view.widget_for("start_time")
    assert start.text() == "09:30"
    start.setFocus()
    qtbot.keyClick(start, Qt.Key.Key_Return)
    assert get_visit(db, visit.id).status == "DRAFT"
    # validation next to the field on leaving it
    type_into(qtbot, view, "end_time", "08:00")
    assert view.error_for("end_time") == "De eindtijd moet na de begintijd liggen."
    type_into(qtbot, view, "end_time", "12:15")
    assert view.error_for("end_time") == ""
    pick(qtbot, view, "visit_type", "SITE_VISIT")
    pick(qtbot, view, "visit_reason", "SIGNAL")  # skip logic: a follow-up question appears
    assert view.blocks["visit_reason_signal"].isVisibleTo(view)
    type_into(qtbot, view, "visit_reason_signal", "Klacht van de clientenraad")
    # gesprekspartners (repeat) through the add button
    view.go_to_section(1)
    rb = view.repeats["interlocutors"]
    qtbot.mouseClick(rb.add_button, Qt.MouseButton.LeftButton)
    pick(qtbot, view, "interlocutors[0].interlocutor_role", "TEAMLEIDER")
    type_into(qtbot, view, "interlocutors[0].interlocutor_count", "2")
    # themes: keyboard shortcut Ctrl+PgDn to the next section, Alt+3 to T3
    count = view.widget_for("interlocutors[0].interlocutor_count")
    count.setFocus()
    qtbot.keyClick(count, Qt.Key.Key_Tab)
    assert view.widget_for("interlocutors[0].interlocutor_function").hasFocus()  # tab order
    qtbot.keyClick(count, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert view.sections[view.current_section()].name == "theme_t1"
    type_into(qtbot, view, "t1_observation", "Medewerkers kennen de levensverhalen goed.")
    pick(qtbot, view, "t1_signal", "POSITIEF")
    pick(qtbot, view, "t1_rating", "GOOD")
    qtbot.keyClick(view.widget_for("t1_observation"), Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert view.sections[view.current_section()].name == "theme_t3"
    type_into(qtbot, view, "t3_observation", "Medicatiekar stond onbeheerd open.")
    pick(qtbot, view, "t3_source", "RONDGANG")
    pick(qtbot, view, "t3_signal", "ZORG")
    # completing too early: messages appear and the focus goes to the first problem
    qtbot.mouseClick(win.complete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    assert get_visit(db, visit.id).status == "DRAFT"
    assert (
        view.error_for("visitors") == ""
        and view.error_for("overall_impression") == "Dit veld is verplicht."
    )
    assert view.error_for("actions") == "Bij een zorgsignaal hoort minstens één vervolgactie."
    pick(qtbot, view, "overall_impression", "VISIBLY_IMPROVING")
    type_into(qtbot, view, "overall_summary", "Betrokken team; medicatie vraagt aandacht.")
    view.go_to_section(view.section_of("actions"))
    qtbot.mouseClick(view.repeats["actions"].add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, view, "actions[0].action_description", "Medicatiekar altijd afsluiten")
    pick(qtbot, view, "actions[0].action_owner", "PROVIDER")
    due = date.today() + timedelta(days=14)
    type_into(qtbot, view, "actions[0].action_due_date", due.strftime("%d-%m-%Y"))
    assert view.answers["actions"][0]["action_due_date"] == due.isoformat()
    view.go_to_section(0)
    OUT.mkdir(exist_ok=True)
    win.grab().save(str(OUT / "visit_window.png"))
    qtbot.mouseClick(win.complete_button, Qt.MouseButton.LeftButton)
    settle(qtbot, ctx)
    done = get_visit(db, visit.id)
    assert done.status == "COMPLETED", view.state.messages()
    assert done.answers["t3_observation"] == "Medicatiekar stond onbeheerd open."
    assert done.answers["interlocutors"] == [
        {"interlocutor_role": "TEAMLEIDER", "interlocutor_count": 2}
    ]
    assert view.read_only and not win.complete_button.isVisibleTo(win)
    assert [a.description for a in list_actions(db, visit_id=visit.id)] == [
        "Medicatiekar altijd afsluiten"
    ]
    pdf = tmp_path / "verslag.pdf"
    win.export_report(str(pdf))
    settle(qtbot, ctx)
    assert pdf.read_bytes().startswith(b"%PDF")
    win.close()
    settle(qtbot, ctx)

    # reopen: read-only, with Corrigeren
    win = open_window(qtbot, ctx, visit.id)
    obs = win.view.widget_for("t3_observation")
    assert isinstance(obs, QPlainTextEdit) and obs.isReadOnly()
    assert obs.toPlainText() == "Medicatiekar stond onbeheerd open."
    assert win.correct_button.isVisibleTo(win) and not win.complete_button.isVisibleTo(win)
    win.grab().save(str(OUT / "visit_readonly.png"))
    win.start_correction("Tijd verkeerd genoteerd")
    settle(qtbot, ctx)
    history = list_visits(db, w.location)
    rev = next(h for h in history if h.revision_of_id == visit.id)
    from desktop.ui.visits.visit_window import _OPEN

    rwin = _OPEN[rev.id]
    assert not rwin.view.read_only and "Tijd verkeerd genoteerd" in rwin.banner.text()


def test_close_with_unsaved_changes_saves_the_draft(qtbot, ctx, db, users):  # type: ignore[no-untyped-def]
    from desktop.services.visits import create_visit, get_visit
    from desktop.ui.qt import QMainWindow
    from desktop.ui.visits.visit_window import _OPEN

    w = make_location(db, users["purchaser"].id)
    visit = create_visit(db, w.location, actor_id=users["purchaser"].id)
    win = open_window(qtbot, ctx, visit.id)
    win.timer.stop()  # no autosave tick: only the close may save
    type_into(qtbot, win.view, "t2_observation", "Alles wat ik typte vlak voor het sluiten")
    assert win.dirty
    win.close()
    settle(qtbot, ctx)
    assert (
        get_visit(db, visit.id).answers["t2_observation"]
        == "Alles wat ik typte vlak voor het sluiten"
    )
    # closing the main window closes (and saves) the open visit windows first
    main = QMainWindow()
    qtbot.addWidget(main)
    ctx.window = main
    main.show()
    win = open_window(qtbot, ctx, visit.id)
    win.timer.stop()
    type_into(qtbot, win.view, "t4_observation", "Nog meer tekst")
    main.close()
    settle(qtbot, ctx)
    assert visit.id not in _OPEN
    assert get_visit(db, visit.id).answers["t4_observation"] == "Nog meer tekst"
    ctx.window = None


def test_visits_tab_and_mijn_acties(qtbot, ctx, db, users):  # type: ignore[no-untyped-def]
    from test_visits import full_answers

    from desktop.services.actions import list_actions
    from desktop.services.visits import complete_visit, create_visit
    from desktop.ui.visits.actions_view import ActionsView
    from desktop.ui.visits.visits_tab import VisitsTab

    actor = users["purchaser"].id
    w = make_location(db, actor)
    v = create_visit(db, w.location, actor_id=actor)
    complete_visit(db, v.id, full_answers(v), actor_id=actor)
    draft = create_visit(db, w.location, actor_id=actor)
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1100, 600)
    tab.set_location(w.location)
    settle(qtbot, ctx)
    assert tab.tree.topLevelItemCount() == 2
    assert "waarvan 1 concept" in tab.count_label.text()
    assert tab.action_tree.topLevelItemCount() == 2
    # select the completed visit: observations with "Overnemen in diagnose"
    for i in range(tab.tree.topLevelItemCount()):
        if tab.tree.topLevelItem(i).data(0, 256) == v.id:
            tab.tree.setCurrentItem(tab.tree.topLevelItem(i))
    settle(qtbot, ctx)
    tab.to_diagnosis("T3")
    settle(qtbot, ctx)
    settle(qtbot, ctx)
    from desktop.services.visits import observations

    assert {o.theme_code: o.note_id is not None for o in observations(db, v.id)}["T3"]
    tab.grab().save(str(OUT / "visits_tab.png"))
    assert not tab.discard_button.isEnabled()  # a completed visit is never removed

    view = ActionsView(ctx)
    qtbot.addWidget(view)
    view.resize(1180, 700)
    settle(qtbot, ctx)
    assert view.tree.topLevelItemCount() == 2
    assert view.draft_bar.isVisibleTo(view) and "Huize De Linde" in view.draft_label.text()
    view.tree.setCurrentItem(view.tree.topLevelItem(0))
    view.done_button.click()
    settle(qtbot, ctx)
    settle(qtbot, ctx)
    assert len(list_actions(db, states=["done"])) == 1
    assert "1 afgehandeld" in view.summary.text()
    view.state_filter.setCurrentIndex(3)  # Afgehandeld
    settle(qtbot, ctx)
    assert view.tree.topLevelItemCount() == 1
    view.grab().save(str(OUT / "mijn_acties.png"))
    assert draft.id == view.drafts[0].id
    # the draft can be removed from the location tab
    for i in range(tab.tree.topLevelItemCount()):
        if tab.tree.topLevelItem(i).data(0, 256) == draft.id:
            tab.tree.setCurrentItem(tab.tree.topLevelItem(i))
    assert tab.discard_button.isEnabled()
    tab.discard_selected(confirm=False)
    settle(qtbot, ctx)
    settle(qtbot, ctx)
    assert tab.tree.topLevelItemCount() == 1 and not view.draft_bar.isVisibleTo(view)


def test_restart_offers_draft_and_old_versions_render(qtbot, ctx, db, users, tmp_path):  # type: ignore[no-untyped-def]
    """The startup hook offers an unfinished draft; a v1 visit opens with v1 after a v2
    form version exists."""
    from test_visits import full_answers
    from test_visits_report import V1, V2, make_v2

    from desktop.services.visits import complete_visit, create_visit
    from desktop.ui.qt import QApplication, QMessageBox
    from desktop.ui.visits import visit_window
    from desktop.ui.visits.actions_view import offer_drafts
    from forms.registry import REGISTRY

    actor = users["purchaser"].id
    w = make_location(db, actor)
    old = create_visit(db, w.location, actor_id=actor)
    complete_visit(db, old.id, full_answers(old), actor_id=actor)
    draft = create_visit(db, w.location, actor_id=actor)
    offer_drafts(ctx, None)
    settle(qtbot, ctx)
    boxes = [
        b
        for b in QApplication.topLevelWidgets()
        if isinstance(b, QMessageBox)
        and b.isVisible()
        and b.windowTitle() == "Niet-afgerond bezoek"
    ]
    assert len(boxes) == 1 and "Huize De Linde" in boxes[0].text()
    go = next(b for b in boxes[0].buttons() if b.text() == "Verder gaan")
    go.click()
    settle(qtbot, ctx)
    assert draft.id in visit_window._OPEN
    assert not [
        b for b in QApplication.topLevelWidgets() if isinstance(b, QMessageBox) and b.isVisible()
    ]

    root = make_v2(tmp_path / "v2forms")
    REGISTRY.add_root(root)
    try:
        win = open_window(qtbot, ctx, old.id)
        assert win.form.version == V1 and win.view.read_only
        assert win.view.widget_for("visitors").text().startswith("Anna de Vries")
        assert "formulierversie " + V1 in win.subtitle.text()
        new = create_visit(db, w.location, actor_id=actor)
        nwin = open_window(qtbot, ctx, new.id)
        assert nwin.form.version == V2 and "visitor_names" in nwin.view.blocks
    finally:
        REGISTRY.remove_root(root)


def test_typing_shortcuts_for_dates_and_times():
    from desktop.ui.visits.form_view import parse_date, parse_time, show_date

    year = date.today().year
    assert parse_date("23-11-2026") == "2026-11-23"
    assert parse_date("3/7/26") == "2026-07-03"
    assert parse_date("23.11") == f"{year}-11-23"
    assert parse_date("2026-11-23") == "2026-11-23"
    assert parse_date("31-02-2026") == "31-02-2026"  # left as typed: the engine says why
    assert parse_date("  ") is None
    assert show_date("2026-11-23") == "23-11-2026"
    assert [parse_time(t) for t in ("930", "9:30", "09.30", "9", "14", "25:00", "")] == [
        "09:30",
        "09:30",
        "09:30",
        "09:00",
        "14:00",
        "25:00",
        None,
    ]


def test_stukken_beside_the_visit_form(qtbot, ctx, db, users, tmp_path):  # type: ignore[no-untyped-def]
    """Issue 20: a locatiebezoek has its own Stukken, in a panel beside the form that the
    header button shows and hides; the button counts them; a completed visit keeps them."""
    from desktop.services.documents import service
    from desktop.services.visits import create_visit

    w = make_location(db, users["purchaser"].id)
    visit = create_visit(db, w.location, actor_id=users["purchaser"].id)
    win = open_window(qtbot, ctx, visit.id)
    win.timer.stop()
    assert win.documents.kind == "site_visit" and win.documents.target_id == visit.id
    assert not win.documents.isVisible() and win.documents_button.text() == "Stukken"
    win.documents_button.click()
    assert win.documents.isVisible() and win.documents.add_button.isEnabled()
    photo = tmp_path / "foto medicijnkar.png"
    from desktop.ui.qt import QColor, QImage

    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(QColor("#3366aa"))
    img.save(str(photo))
    win.documents.add_files([str(photo)], "OTHER")
    settle(qtbot, ctx)
    assert win.documents.table.rowCount() == 1
    assert win.documents.table.item(0, 0).text() == "foto medicijnkar.png"
    assert win.documents_button.text() == "Stukken (1)"
    [doc] = service.list_documents(db, "site_visit", visit.id)
    assert doc.title == "foto medicijnkar.png"
    assert (
        service.list_documents(db, "location", w.location) == []
    )  # the visit's, not the location's
    OUT.mkdir(exist_ok=True)
    for width, height in ((1366, 768), (1024, 600)):
        win.resize(width, height)
        win.show_documents(False)
        win.show_documents(True)
        qtbot.wait(30)
        win.grab().save(str(OUT / f"visit_stukken_{width}x{height}.png"))
    win.documents_button.click()
    assert not win.documents.isVisible() and not win.documents_button.isChecked()


def test_visit_lists_follow_what_the_services_wrote(qtbot, ctx, db, users):  # type: ignore[no-untyped-def]
    """Issue 19: no view announces "site_visit" by hand any more. Completing a visit in its
    window and taking an observation over reach the Bezoeken tab and Mijn acties through the
    change set the unit of work collected (ctx.entities_changed), and nothing else."""
    from test_visits import full_answers

    from desktop.ui.qt import QLabel
    from desktop.ui.visits.actions_view import ActionsView
    from desktop.ui.visits.visit_window import open_windows
    from desktop.ui.visits.visits_tab import VisitsTab

    actor = users["purchaser"].id
    w = make_location(db, actor)
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_location(w.location)
    mine = ActionsView(ctx)
    qtbot.addWidget(mine)
    settle(qtbot, ctx)
    assert tab.tree.topLevelItemCount() == 0 and mine.tree.topLevelItemCount() == 0

    tab.new_visit()  # through the service, then its window opens
    settle(qtbot, ctx)
    assert tab.tree.topLevelItemCount() == 1 and "waarvan 1 concept" in tab.count_label.text()
    assert mine.draft_bar.isVisibleTo(mine)
    [win] = open_windows().values()
    win.view.set_answers(full_answers(win.visit))
    win.complete()
    settle(qtbot, ctx)
    assert "waarvan" not in tab.count_label.text()  # the tab shows it completed
    assert tab.action_tree.topLevelItemCount() == 2  # the actions the visit made
    assert mine.tree.topLevelItemCount() == 2 and not mine.draft_bar.isVisibleTo(mine)

    tab.to_diagnosis("T3")
    settle(qtbot, ctx)
    settle(qtbot, ctx)
    texts = [lab.text() for lab in tab.observations.findChildren(QLabel)]
    assert "✓ In de kwaliteitsdiagnose" in texts
