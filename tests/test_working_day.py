"""Issue 14: the first working day through the real MainWindow, from an empty data folder,
driven like a user (clicks and keys on real widgets, offscreen; questions answered by their
Dutch buttons). Each screen is grabbed to the test's tmp folder.

Issue 21: the same day runs a second time with the keyboard only: every control is reached
with Tab and pressed with Space, tabs/lists/choices move with the arrow keys, sections open
with Ctrl+number, a location with Ctrl+F and Enter, visit sections with Ctrl+PgDown; a mouse
event fails the run."""

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


class _Hands:
    """How the user works the app: with the mouse, or with the keyboard only (issue 21: the
    working day "completes without a mouse"). With the keyboard every control is reached the way
    a user reaches it, by pressing Tab until it has the focus, and pressed with Space; tabs,
    lists and choices move with the arrow keys; sections open with their Ctrl+number. A control
    that Tab never reaches fails the test. Mouse events are refused in keyboard mode."""

    def __init__(self, qtbot, keyboard: bool) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.keyboard = keyboard
        self.tabs_pressed = 0

    def key(self, key, modifier=None) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.qt import QApplication, Qt

        target = QApplication.focusWidget() or QApplication.activeWindow()
        assert target is not None, "no window has the keyboard focus"
        self.qtbot.keyClick(target, key, modifier or Qt.KeyboardModifier.NoModifier)

    def reach(self, widget, among=None) -> None:  # type: ignore[no-untyped-def]
        """Tab until `widget` (or one of `among`) has the focus (Tab cycles)."""
        from desktop.ui.qt import QApplication, Qt

        assert widget.isVisible() and widget.isEnabled(), f"{_name(widget)} is hidden or disabled"
        if not self.keyboard:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        window = widget.window()
        if QApplication.activeWindow() is not window:
            window.activateWindow()  # (arrow keys in a radio group need the active window)
            try:
                self.qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
            except Exception:  # noqa: BLE001, S110 - Tab moves focus inside the window anyway
                pass
        targets = among or [widget]
        for _ in range(600):
            if window.focusWidget() in targets:  # the key presses of this window go there
                return
            self.qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Tab)
            self.tabs_pressed += 1
        focus = window.focusWidget()
        pytest.fail(
            f"{_name(widget)} cannot be reached with Tab (focus stays on "
            f"{_name(focus) if focus else None})"
        )

    def click(self, widget) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.qt import Qt

        assert widget.isEnabled(), f"{_name(widget)} is disabled"
        if not self.keyboard:
            from desktop.ui.qt import QCheckBox, QPoint, QRadioButton

            # a check box or radio button reacts on its indicator and text, not anywhere in a
            # wide row: click near the left edge
            where = (
                QPoint(6, widget.height() // 2)
                if isinstance(widget, (QCheckBox, QRadioButton))
                else widget.rect().center()
            )
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=where)
            return
        from desktop.ui.qt import QRadioButton

        if isinstance(widget, QRadioButton):
            # Tab stops once in a group of radio buttons; the arrow keys move within it
            group = (
                [b for b in widget.group().buttons() if b.isVisible()]
                if widget.group()
                else widget.parentWidget().findChildren(QRadioButton)
            )
            self.reach(widget, among=group)
            window = widget.window()
            trail = [_name(window.focusWidget())]
            for arrow in (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Up):
                for _ in range(len(group)):  # (a row of buttons moves sideways, a column down)
                    if window.focusWidget() is widget:
                        break
                    self.qtbot.keyClick(window.focusWidget(), arrow)
                    trail.append(f"{arrow.name}->{_name(window.focusWidget())}")
            assert window.focusWidget() is widget, f"arrows never reach {_name(widget)}: {trail}"
        else:
            self.reach(widget)
        self.qtbot.keyClick(widget, Qt.Key.Key_Space)

    def type(self, editor, text: str) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.qt import Qt

        self.reach(editor)
        editor.setFocus() if not self.keyboard else None
        self.qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClick(editor, Qt.Key.Key_Delete)
        self.qtbot.keyClicks(editor, text)

    def tab_page(self, tabs, page) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.qt import Qt

        if not self.keyboard:
            tabs.setCurrentWidget(page)
            return
        bar = tabs.tabBar()
        self.reach(bar)
        for _ in range(tabs.count()):
            if tabs.currentWidget() is page:
                return
            left = tabs.indexOf(page) < tabs.currentIndex()
            self.qtbot.keyClick(bar, Qt.Key.Key_Left if left else Qt.Key.Key_Right)
        assert tabs.currentWidget() is page

    def choose(self, combo, index: int) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.qt import Qt

        if not self.keyboard:
            combo.setCurrentIndex(index)
            return
        self.reach(combo)
        for _ in range(combo.count() + 1):
            if combo.currentIndex() == index:
                return
            key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
            self.qtbot.keyClick(combo, key)
        assert combo.currentIndex() == index

    def row(self, view, row: int) -> None:  # type: ignore[no-untyped-def]
        """Move the current row of a list/tree/table to `row` with Ctrl+Home and Down."""
        from desktop.ui.qt import Qt

        if not self.keyboard:
            view.setCurrentIndex(view.model().index(row, 0))
            return
        self.reach(view)
        self.qtbot.keyClick(view, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        for _ in range(row):
            self.qtbot.keyClick(view, Qt.Key.Key_Down)
        assert view.currentIndex().row() == row

    def section(self, window, key: str):  # type: ignore[no-untyped-def]
        """Open a section by its Beeld shortcut (Ctrl+1...9)."""
        from desktop.ui.qt import QKeySequence

        if not self.keyboard:
            return window.show_section(key)
        shortcut = QKeySequence(window._section_shortcuts[key])
        combo = shortcut[0]
        if window.isActiveWindow() is False:
            with self.qtbot.waitActive(window):
                window.activateWindow()
        self.key(combo.key(), combo.keyboardModifiers())
        return window._section_widgets[key]


def _name(widget) -> str:  # type: ignore[no-untyped-def]
    text = widget.text() if hasattr(widget, "text") else ""
    return f"{type(widget).__name__} {widget.accessibleName() or text!r}"


@pytest.fixture
def team_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize("keyboard", [False, True], ids=["muis", "toetsenbord"])
def test_the_first_working_day(qtbot, tmp_path, team_keyring, keyboard):  # type: ignore[no-untyped-def]
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
        return next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, AssessmentDialog) and w.isVisible()
            ),
            None,
        )

    hands = _Hands(qtbot, keyboard)
    if keyboard:  # not one mouse event in this run

        def no_mouse(*_args, **_kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("the keyboard-only working day used the mouse")

        qtbot.mouseClick = qtbot.mousePress = qtbot.mouseRelease = no_mouse

    def fill(form, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
        """Type into a visit-form field and leave it with Tab (validation runs on leaving)."""
        widget = form.widget_for(path)
        if not keyboard:
            form.focus_path(path)
        target = form.section_of(path)
        for _ in range(form.index.count()):  # Ctrl+PgDown / Ctrl+PgUp: the field's section
            if form.current_section() == target:
                break
            down = form.current_section() < target
            hands.key(
                Qt.Key.Key_PageDown if down else Qt.Key.Key_PageUp,
                Qt.KeyboardModifier.ControlModifier,
            )
        assert form.current_section() == target
        hands.type(widget, text)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)

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
    assert any(
        "Bestand › Importeren" in lbl.text()
        for lbl in window.empty.findChildren(type(window.user_label))
    )
    assert not any(
        "kwaliteitsdialoog import" in lbl.text()
        for lbl in window.empty.findChildren(type(window.user_label))
    )
    grab("01_first_start")

    # -- profile ---------------------------------------------------------------------------------
    def fill_profile() -> None:
        dlg = next(
            (
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, ProfileDialog) and w.isVisible()
            ),
            None,
        )
        if dlg is None:
            QTimer.singleShot(30, fill_profile)
            return
        try:
            fill_profile_dialog(dlg)
        except BaseException as exc:  # noqa: BLE001 - fail the test, do not leave the dialog open
            failures.append(exc)
            dlg.reject()

    failures: list[BaseException] = []

    def fill_profile_dialog(dlg) -> None:  # type: ignore[no-untyped-def]
        hands.type(dlg.name, "Anna de Vries")
        hands.type(dlg.initials, "AdV")
        hands.type(dlg.function, "Zorginkoper")
        for role, box in dlg.role_boxes.items():
            if box.isChecked() != (role == "PURCHASER"):
                hands.click(box)
        dlg.grab().save(str(shots / "02_profile.png"))
        hands.click(dlg.buttons.button(dlg.buttons.StandardButton.Ok))

        def still_open() -> None:
            if dlg.isVisible():
                failures.append(AssertionError("the profile dialog stayed open"))
                dlg.reject()

        QTimer.singleShot(10_000, dlg, still_open)  # dies with the dialog

    QTimer.singleShot(0, fill_profile)
    window.edit_profile()
    if failures:
        raise failures[0]
    assert ctx.user is not None and ctx.user.name == "Anna de Vries"
    assert "Anna de Vries" in window.user_label.text()

    # -- Voorbeeldgegevens laden -------------------------------------------------------------------
    hands.click(window.empty.button)
    qtbot.waitUntil(lambda: window.navigator.first_location_id() is not None, timeout=240_000)
    _settle(qtbot, ctx)
    grab("03_demo_loaded")

    # -- open a location ------------------------------------------------------------------------------
    first = window.navigator.first_location_id()
    if keyboard:  # Ctrl+F, the name, Enter: the location the filter found opens
        name = next(loc.name for loc in window.directory.locations if loc.id == first)
        with qtbot.waitActive(window):
            window.activateWindow()
        hands.key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.navigator.filter_edit.hasFocus()
        qtbot.keyClicks(window.navigator.filter_edit, name)
        qtbot.keyClick(window.navigator.filter_edit, Qt.Key.Key_Return)
    else:
        window.open_location(first)
    _settle(qtbot, ctx)
    assert window.pages.currentWidget() is window.location_page
    grab("04_location")

    # -- a visit: bad input is told at the field in Dutch, nothing is lost, autosave, reopen ----------
    page = window.location_page
    visits_tab = page.tab_widget("bezoeken")
    hands.tab_page(page.tabs, visits_tab)
    _settle(qtbot, ctx)
    drafts_before = sum(1 for v in visits_tab.visits if v.is_draft)
    hands.click(visits_tab.new_button)
    qtbot.waitUntil(lambda: len(visit_window._OPEN) == 1, timeout=10_000)
    visit = next(iter(visit_window._OPEN.values()))
    vid = visit.visit.id
    with qtbot.waitActive(visit):  # the visit window is where the keys go
        visit.activateWindow()
    form = visit.view
    fill(form, "start_time", "930")
    fill(form, "end_time", "08:00")  # before the start: refused at the field
    qtbot.waitUntil(
        lambda: form.error_for("end_time") == "De eindtijd moet na de begintijd liggen.",
        timeout=3000,
    )
    assert form.widget_for("end_time").text() == "08:00"  # what was typed stays to be fixed
    visit.grab().save(str(shots / "04a_visit_bad_input.png"))
    observation = "Bewoners eten samen; de huiskamer is rustig en er is aandacht voor iedereen."
    fill(form, "t1_observation", observation)
    assert form.error_for("end_time")  # still told until fixed
    # Autosave while typing (every few seconds, the crash buffer), without a save button.
    qtbot.waitUntil(lambda: "Automatisch opgeslagen" in visit.save_label.text(), timeout=8000)
    fill(form, "end_time", "12:15")
    qtbot.waitUntil(lambda: form.error_for("end_time") == "", timeout=3000)  # gone once fixed
    hands.click(visit.close_button)
    _settle(qtbot, ctx)
    assert vid not in visit_window._OPEN
    # Reopen the draft from the Bezoeken tab: everything typed is there.
    assert sum(1 for v in visits_tab.visits if v.is_draft) == drafts_before + 1
    row = next(i for i, v in enumerate(visits_tab.visits) if v.id == vid)
    hands.row(visits_tab.tree, row)
    hands.click(visits_tab.open_button)
    qtbot.waitUntil(lambda: vid in visit_window._OPEN, timeout=10_000)
    again = visit_window._OPEN[vid]
    with qtbot.waitActive(again):
        again.activateWindow()
    assert again.view.answers["t1_observation"] == observation
    assert again.view.widget_for("start_time").text() == "09:30"
    assert again.view.widget_for("end_time").text() == "12:15"
    again.grab().save(str(shots / "04b_visit_reopened.png"))
    hands.click(again.close_button)
    _settle(qtbot, ctx)

    # -- a kwaliteitsadviseur scores the location on the themes ------------------------------------
    purchaser = ctx.user
    advisor = next(u for u in users.list_users(ctx.db) if u.has_role("QUALITY_ADVISOR"))
    ctx.set_user(advisor)
    diagnosis = page.tab_widget("kwaliteitsdiagnose")
    hands.tab_page(page.tabs, diagnosis)
    _settle(qtbot, ctx)
    for code, rating, text in (
        ("T3", "MODERATE", "Medicatiekar stond onbeheerd open tijdens de ronde."),
        ("T6", "SUFFICIENT", "Vaste teams; inzet van uitzendkrachten is gedaald."),
    ):
        hands.click(diagnosis.rows[code])
        hands.click(diagnosis.btn_assess)
        qtbot.waitUntil(lambda: _open_assessment() is not None, timeout=5000)
        dlg = _open_assessment()
        assert dlg.theme.currentData() == code
        if code == "T3":  # saving an empty form: Dutch messages at the fields, nothing written
            hands.click(dlg.buttons.button(dlg.buttons.StandardButton.Ok))
            _settle(qtbot, ctx)
            assert "Kies een oordeel" in dlg.errors["rating"].text()
            assert "verplicht" in dlg.errors["rationale"].text()
            assert dlg.isVisible()
            dlg.grab().save(str(shots / "04c_assessment_refused.png"))
        hands.click(dlg.rating_buttons[rating])
        hands.type(dlg.rationale, text)
        hands.click(dlg.source_boxes["QUALITY_REPORT"])
        hands.click(dlg.buttons.button(dlg.buttons.StandardButton.Ok))
        qtbot.waitUntil(lambda d=dlg: not d.isVisible(), timeout=5000)
        _settle(qtbot, ctx)
        current = diagnosis.theme(code).current
        assert current.rating == rating and current.rationale == text
    assert diagnosis.rows["T3"].isVisible()
    grab("04d_themes_scored")
    ctx.set_user(purchaser)
    _settle(qtbot, ctx)

    # -- aanvraag with criteria: one save, feedback beside the button ---------------------------------
    section = hands.section(window, "aanvragen")
    _settle(qtbot, ctx)
    ed = section.editor
    hands.click(section.new_button)
    _settle(qtbot, ctx)
    hands.choose(ed.provider, 1)
    provider_name = ed.provider.currentText()
    hands.type(ed.fields["budget_year"].editor, "2027")
    hands.type(ed.fields["received_date"].editor, "02-11-2026")
    hands.type(ed.fields["initial_reserved_amount"].editor, "1.000.000,00")
    hands.type(ed.fields["requested_total"].editor, "1.200.000,00")
    hands.type(ed.fields["requested_staff_amount"].editor, "96O.000,00")  # a letter O
    assert "geen geldig bedrag" in ed.fields["requested_staff_amount"].error.text()  # at the field
    hands.type(ed.fields["requested_staff_amount"].editor, "960.000,00")
    assert not ed.fields["requested_staff_amount"].error.isVisible()
    hands.type(ed.fields["requested_other_amount"].editor, "240.000,00")
    assert ed.split_label.text() == "80%/20%"
    hands.click(ed.save_button)
    _settle(qtbot, ctx)
    assert "Opgeslagen: gegevens" in ed.save_feedback.text(), ed.save_feedback.text()
    rid = ed.request_id
    assert rid is not None
    for row in ed.criteria_rows + ed.own_rows:
        hands.choose(row.judgement, row.judgement.findData("MEETS"))
        hands.type(row.reasoning.editor, "Aangetoond in het kwaliteitsplan.")
    hands.choose(ed.decision, ed.decision.findData("APPROVED"))
    hands.type(ed.decision_fields["decision_rationale"].editor, "Overtuigend onderbouwd.")
    hands.click(ed.save_button)
    _settle(qtbot, ctx)
    assert "criteria" in ed.save_feedback.text() and "besluit" in ed.save_feedback.text(), (
        ed.save_feedback.text()
    )
    grab("05_request_saved")
    hands.click(ed.submit_button)
    _settle(qtbot, ctx)
    assert "Ter vier-ogen aangeboden" in ed.review_feedback.text()
    assert review.status(ctx.db, rq.SUBJECT, rid).state == "SUBMITTED"

    # -- a teamleider approves, with a confirmation that names what is approved --------------------------
    lead = next(
        u for u in users.list_users(ctx.db) if u.has_role("TEAM_LEAD") and u.id != ctx.user.id
    )
    purchaser = ctx.user
    ctx.set_user(lead)
    queue = hands.section(window, "te_beoordelen")
    _settle(qtbot, ctx)
    row = next(i for i, item in enumerate(queue.items) if item.subject_id == rid)
    hands.row(queue.table, row)
    _settle(qtbot, ctx)
    grab("06_review_queue")
    asked = answer_next("Goedkeuren")
    hands.click(queue.approve_button)
    assert asked and provider_name in asked[0] and "€ 1.200.000,00" in asked[0]
    _settle(qtbot, ctx)
    assert review.approval(ctx.db, rq.SUBJECT, rid).approver_name == lead.name
    assert "Goedgekeurd door" in queue.banner.text() and provider_name in queue.title.text()

    # -- the letter: the approver may not make it definitive; the purchaser does -------------------------
    letters_view = hands.section(window, "brieven")
    _settle(qtbot, ctx)
    assert letters_view.select_request(rid)
    _settle(qtbot, ctx)
    hands.click(letters_view.make_button)
    _settle(qtbot, ctx)
    assert not letters_view.definitive_button.isEnabled()
    assert "teamleider die het besluit goedkeurde" in letters_view.definitive_reason.text()
    grab("07_letter_refused_for_approver")
    ctx.set_user(purchaser)
    _settle(qtbot, ctx)
    letters_view.confirm = lambda title, text: True  # type: ignore[method-assign]
    hands.click(letters_view.definitive_button)
    _settle(qtbot, ctx)
    letter = letters_view.current.letter
    assert letter.status == "DEFINITIVE" and letter.kenmerk
    pdf_path = tmp_path / "brief.pdf"
    letters_view.ask_save_path = lambda suggested: str(pdf_path)  # type: ignore[method-assign]
    hands.click(letters_view.save_button)
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
    hands.type(dlg.create_folder.edit, str(store))
    hands.click(dlg.create_button)
    _settle(qtbot, ctx, rounds=6)
    assert not dlg.create_error.isVisible(), dlg.create_error.text()
    assert not ctl.widget.text().startswith("Niet gekoppeld"), ctl.widget.text()
    dlg.close()
    ctl.sync(manual=True)
    _settle(qtbot, ctx, rounds=10)
    assert ctl.widget.text().startswith("Gesynchroniseerd"), ctl.widget.text()
    assert any(store.rglob("*")), "segments written to the store"
    grab("09_synced")

    # -- the teamleider invites a colleague; a join image is laid in the store for her laptop ---------
    dlg = StoreDialog(ctx, window)
    qtbot.addWidget(dlg)
    dlg.show()
    _settle(qtbot, ctx)
    colleague = next(
        i for i in range(dlg.invite_user.count()) if dlg.invite_user.itemData(i) != lead.id
    )
    hands.choose(dlg.invite_user, colleague)
    hands.type(dlg.invite_phrase, "een lange wachtzin")
    hands.click(dlg.invite_button)
    _settle(qtbot, ctx, rounds=10)
    assert not dlg.invite_error.isVisible(), dlg.invite_error.text()
    qtbot.waitUntil(lambda: "klaargezet" in dlg.invite_note.text(), timeout=30000)
    assert list((store / "images").glob("*.img")), "a join image for the new colleague"
    assert list((store / "invites").glob("*.inv"))
    grab("10_invited")
    dlg.close()
    if keyboard:
        assert hands.tabs_pressed > 50  # the controls were reached with Tab, not set directly
    window.close()
    ctx.executor.shutdown()
