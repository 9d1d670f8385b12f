"""Issue 14: the first working day through the real MainWindow, from an empty data folder,
driven like a user (clicks and keys on real widgets, offscreen; questions answered by their
Dutch buttons). Each screen is grabbed to the test's tmp folder."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import pypdf
import pytest

sys.path.insert(0, str(Path(__file__).parent / "sync"))
from gui_answers import answer_next  # noqa: E402
from sync_helpers import MemoryKeyring  # noqa: E402


def _settle(qtbot, ctx, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        ctx.executor.wait_idle(60)
        qtbot.wait(40)


def _click(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    assert widget.isEnabled(), f"{widget.text()!r} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _type(qtbot, editor, text: str) -> None:  # type: ignore[no-untyped-def]
    editor.setFocus()
    editor.clear()
    qtbot.keyClicks(editor, text)


def _fill(qtbot, form, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Type into a visit-form field and leave it with Tab (validation runs on leaving)."""
    from desktop.ui.qt import Qt

    widget = form.widget_for(path)
    form.focus_path(path)
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


@pytest.fixture
def team_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_the_first_working_day(qtbot, tmp_path, team_keyring):  # type: ignore[no-untyped-def]
    from desktop.services import requests as rq
    from desktop.services import review, users
    from desktop.services.database import open_database
    from desktop.services.directory import load_directory
    from desktop.ui.context import AppContext
    from desktop.ui.diagnosis.dialogs import AssessmentDialog
    from desktop.ui.dialogs import ProfileDialog
    from desktop.ui.main_window import MainWindow
    from desktop.ui.qt import QApplication, Qt, QTimer
    from desktop.ui.visits import visit_window

    def _open_assessment() -> AssessmentDialog | None:
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, AssessmentDialog) and w.isVisible()), None)

    shots = tmp_path / "screens"
    shots.mkdir()

    def grab(name: str) -> None:
        assert window.grab().save(str(shots / f"{name}.png"))

    # -- first start on an empty data folder ---------------------------------------------------
    db_path = tmp_path / "data" / "kwaliteitsdialoog.sqlite"
    db_path.parent.mkdir()
    ctx = AppContext(db_path)
    database = open_database(db_path)  # what the app's start does: create with reference data
    window = MainWindow(ctx, load_directory(db_path))
    qtbot.addWidget(window)
    ctx.set_db(database)
    from desktop.ui.sections import STARTUP_HOOKS, load

    for ref in STARTUP_HOOKS:  # as run_app does once the database is ready
        load(ref)(ctx, window)
    window.resize(1366, 768)
    window.show()
    _settle(qtbot, ctx)
    assert window.pages.currentWidget() is window.empty
    assert any("Bestand › Importeren" in lbl.text() for lbl in window.empty.findChildren(type(window.user_label)))
    assert not any("kwaliteitsdialoog import" in lbl.text() for lbl in window.empty.findChildren(type(window.user_label)))
    grab("01_first_start")

    # -- profile ---------------------------------------------------------------------------------
    def fill_profile() -> None:
        dlg = next((w for w in QApplication.topLevelWidgets() if isinstance(w, ProfileDialog) and w.isVisible()), None)
        if dlg is None:
            QTimer.singleShot(30, fill_profile)
            return
        dlg.name.setText("Anna de Vries")
        dlg.initials.setText("AdV")
        dlg.function.setText("Zorginkoper")
        for box in dlg.role_boxes.values():
            box.setChecked(False)
        dlg.role_boxes["PURCHASER"].setChecked(True)
        dlg.grab().save(str(shots / "02_profile.png"))
        dlg._accept()

    QTimer.singleShot(0, fill_profile)
    window.edit_profile()
    assert ctx.user is not None and ctx.user.name == "Anna de Vries"
    assert "Anna de Vries" in window.user_label.text()

    # -- Voorbeeldgegevens laden -------------------------------------------------------------------
    _click(qtbot, window.empty.button)
    qtbot.waitUntil(lambda: window.navigator.first_location_id() is not None, timeout=240_000)
    _settle(qtbot, ctx)
    grab("03_demo_loaded")

    # -- open a location ------------------------------------------------------------------------------
    first = window.navigator.first_location_id()
    window.open_location(first)
    _settle(qtbot, ctx)
    assert window.pages.currentWidget() is window.location_page
    grab("04_location")

    # -- a visit: bad input is told at the field in Dutch, nothing is lost, autosave, reopen ----------
    page = window.location_page
    visits_tab = page.tab_widget("bezoeken")
    page.tabs.setCurrentWidget(visits_tab)
    _settle(qtbot, ctx)
    drafts_before = sum(1 for v in visits_tab.visits if v.is_draft)
    _click(qtbot, visits_tab.new_button)
    qtbot.waitUntil(lambda: len(visit_window._OPEN) == 1, timeout=10_000)
    visit = next(iter(visit_window._OPEN.values()))
    vid = visit.visit.id
    with qtbot.waitActive(visit):  # the visit window is where the keys go
        visit.activateWindow()
    form = visit.view
    _fill(qtbot, form, "start_time", "930")
    _fill(qtbot, form, "end_time", "08:00")  # before the start: refused at the field
    qtbot.waitUntil(lambda: form.error_for("end_time") == "De eindtijd moet na de begintijd liggen.",
                    timeout=3000)
    assert form.widget_for("end_time").text() == "08:00"  # what was typed stays to be fixed
    visit.grab().save(str(shots / "04a_visit_bad_input.png"))
    observation = "Bewoners eten samen; de huiskamer is rustig en er is aandacht voor iedereen."
    form.go_to_section(form.section_of("t1_observation"))
    _fill(qtbot, form, "t1_observation", observation)
    assert form.error_for("end_time")  # still told until fixed
    # Autosave while typing (every few seconds, the crash buffer), without a save button.
    qtbot.waitUntil(lambda: "Automatisch opgeslagen" in visit.save_label.text(), timeout=8000)
    _fill(qtbot, form, "end_time", "12:15")
    qtbot.waitUntil(lambda: form.error_for("end_time") == "", timeout=3000)  # gone once fixed
    _click(qtbot, visit.close_button)
    _settle(qtbot, ctx)
    assert vid not in visit_window._OPEN
    # Reopen the draft from the Bezoeken tab: everything typed is there.
    assert sum(1 for v in visits_tab.visits if v.is_draft) == drafts_before + 1
    row = next(i for i, v in enumerate(visits_tab.visits) if v.id == vid)
    visits_tab.tree.setCurrentItem(visits_tab.tree.topLevelItem(row))
    _click(qtbot, visits_tab.open_button)
    qtbot.waitUntil(lambda: vid in visit_window._OPEN, timeout=10_000)
    again = visit_window._OPEN[vid]
    with qtbot.waitActive(again):
        again.activateWindow()
    assert again.view.answers["t1_observation"] == observation
    assert again.view.widget_for("start_time").text() == "09:30"
    assert again.view.widget_for("end_time").text() == "12:15"
    again.grab().save(str(shots / "04b_visit_reopened.png"))
    _click(qtbot, again.close_button)
    _settle(qtbot, ctx)

    # -- a kwaliteitsadviseur scores the location on the themes ------------------------------------
    purchaser = ctx.user
    advisor = next(u for u in users.list_users(ctx.db) if u.has_role("QUALITY_ADVISOR"))
    ctx.set_user(advisor)
    diagnosis = page.tab_widget("kwaliteitsdiagnose")
    page.tabs.setCurrentWidget(diagnosis)
    _settle(qtbot, ctx)
    for code, rating, text in (("T3", "MODERATE", "Medicatiekar stond onbeheerd open tijdens de ronde."),
                               ("T6", "SUFFICIENT", "Vaste teams; inzet van uitzendkrachten is gedaald.")):
        diagnosis.select_theme(code)
        _click(qtbot, diagnosis.btn_assess)
        qtbot.waitUntil(lambda: _open_assessment() is not None, timeout=5000)
        dlg = _open_assessment()
        assert dlg.theme.currentData() == code
        if code == "T3":  # saving an empty form: Dutch messages at the fields, nothing written
            _click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))
            _settle(qtbot, ctx)
            assert "Kies een oordeel" in dlg.errors["rating"].text()
            assert "verplicht" in dlg.errors["rationale"].text()
            assert dlg.isVisible()
            dlg.grab().save(str(shots / "04c_assessment_refused.png"))
        _click(qtbot, dlg.rating_buttons[rating])
        _type(qtbot, dlg.rationale, text)
        _click(qtbot, dlg.source_boxes["QUALITY_REPORT"])
        _click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))
        qtbot.waitUntil(lambda d=dlg: not d.isVisible(), timeout=5000)
        _settle(qtbot, ctx)
        current = diagnosis.theme(code).current
        assert current.rating == rating and current.rationale == text
    assert diagnosis.rows["T3"].isVisible()
    grab("04d_themes_scored")
    ctx.set_user(purchaser)
    _settle(qtbot, ctx)

    # -- aanvraag with criteria: one save, feedback beside the button ---------------------------------
    section = window.show_section("aanvragen")
    _settle(qtbot, ctx)
    ed = section.editor
    _click(qtbot, section.new_button)
    _settle(qtbot, ctx)
    ed.provider.setCurrentIndex(1)
    provider_name = ed.provider.currentText()
    _type(qtbot, ed.fields["budget_year"].editor, "2027")
    _type(qtbot, ed.fields["received_date"].editor, "02-11-2026")
    _type(qtbot, ed.fields["initial_reserved_amount"].editor, "1.000.000,00")
    _type(qtbot, ed.fields["requested_total"].editor, "1.200.000,00")
    _type(qtbot, ed.fields["requested_staff_amount"].editor, "96O.000,00")  # a letter O
    assert "geen geldig bedrag" in ed.fields["requested_staff_amount"].error.text()  # at the field
    _type(qtbot, ed.fields["requested_staff_amount"].editor, "960.000,00")
    assert not ed.fields["requested_staff_amount"].error.isVisible()
    _type(qtbot, ed.fields["requested_other_amount"].editor, "240.000,00")
    assert ed.split_label.text() == "80%/20%"
    _click(qtbot, ed.save_button)
    _settle(qtbot, ctx)
    assert "Opgeslagen: gegevens" in ed.save_feedback.text(), ed.save_feedback.text()
    rid = ed.request_id
    assert rid is not None
    for row in ed.criteria_rows + ed.own_rows:
        row.judgement.setCurrentIndex(row.judgement.findData("MEETS"))
        _type(qtbot, row.reasoning.editor, "Aangetoond in het kwaliteitsplan.")
    ed.decision.setCurrentIndex(ed.decision.findData("APPROVED"))
    _type(qtbot, ed.decision_fields["decision_rationale"].editor, "Overtuigend onderbouwd.")
    _click(qtbot, ed.save_button)
    _settle(qtbot, ctx)
    assert "criteria" in ed.save_feedback.text() and "besluit" in ed.save_feedback.text(), ed.save_feedback.text()
    grab("05_request_saved")
    _click(qtbot, ed.submit_button)
    _settle(qtbot, ctx)
    assert "Ter vier-ogen aangeboden" in ed.review_feedback.text()
    assert review.status(ctx.db, rq.SUBJECT, rid).state == "SUBMITTED"

    # -- a teamleider approves, with a confirmation that names what is approved --------------------------
    lead = next(u for u in users.list_users(ctx.db) if u.has_role("TEAM_LEAD") and u.id != ctx.user.id)
    purchaser = ctx.user
    ctx.set_user(lead)
    queue = window.show_section("te_beoordelen")
    _settle(qtbot, ctx)
    row = next(i for i, item in enumerate(queue.items) if item.subject_id == rid)
    queue.table.selectRow(row)
    _settle(qtbot, ctx)
    grab("06_review_queue")
    asked = answer_next("Goedkeuren")
    _click(qtbot, queue.approve_button)
    assert asked and provider_name in asked[0] and "€ 1.200.000,00" in asked[0]
    _settle(qtbot, ctx)
    assert review.approval(ctx.db, rq.SUBJECT, rid).approver_name == lead.name
    assert "Goedgekeurd door" in queue.banner.text() and provider_name in queue.title.text()

    # -- the letter: the approver may not make it definitive; the purchaser does -------------------------
    letters_view = window.show_section("brieven")
    _settle(qtbot, ctx)
    assert letters_view.select_request(rid)
    _settle(qtbot, ctx)
    _click(qtbot, letters_view.make_button)
    _settle(qtbot, ctx)
    assert not letters_view.definitive_button.isEnabled()
    assert "teamleider die het besluit goedkeurde" in letters_view.definitive_reason.text()
    grab("07_letter_refused_for_approver")
    ctx.set_user(purchaser)
    _settle(qtbot, ctx)
    letters_view.confirm = lambda title, text: True  # type: ignore[method-assign]
    _click(qtbot, letters_view.definitive_button)
    _settle(qtbot, ctx)
    letter = letters_view.current.letter
    assert letter.status == "DEFINITIVE" and letter.kenmerk
    pdf_path = tmp_path / "brief.pdf"
    letters_view.ask_save_path = lambda suggested: str(pdf_path)  # type: ignore[method-assign]
    _click(qtbot, letters_view.save_button)
    _settle(qtbot, ctx)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf_path)).pages)
    assert letter.kenmerk in text and "CONCEPT" not in text
    grab("08_letter_definitive")

    # -- a shared store, then sync; the status bar follows --------------------------------------------
    from desktop.ui.sync.store_dialog import StoreDialog

    ctl = window._sync_controller
    _settle(qtbot, ctx)
    assert ctl.widget.text().startswith("Niet gekoppeld")
    ctx.set_user(lead)  # the teamleider makes the store
    store = tmp_path / "opslag"
    store.mkdir()
    dlg = StoreDialog(ctx, window)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle(qtbot, ctx)
    dlg.create_folder.edit.setText(str(store))
    _click(qtbot, dlg.create_button)
    _settle(qtbot, ctx, rounds=6)
    assert not dlg.create_error.isVisible(), dlg.create_error.text()
    assert not ctl.widget.text().startswith("Niet gekoppeld"), ctl.widget.text()
    dlg.close()
    ctl.sync(manual=True)
    _settle(qtbot, ctx, rounds=10)
    assert ctl.widget.text().startswith("Gesynchroniseerd"), ctl.widget.text()
    assert any(store.rglob("*")), "segments written to the store"
    grab("09_synced")
    window.close()
    ctx.executor.shutdown()
