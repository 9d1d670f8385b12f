"""Section "Sturing" and the diagnosis panel on the aanvraag page, through the real widgets on
the small demo (issue 17). Screens are saved to out/ at 1366x768 and 1024x600."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

OUT = Path(__file__).resolve().parents[1] / "out"
TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def template(tmp_path_factory):  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database
    from desktop.services.demo import generate_demo

    path = tmp_path_factory.mktemp("steer_ui") / "template.sqlite"
    db = open_database(path)
    generate_demo(db, "small", 42, today=TODAY)
    db.dispose()
    return path


@pytest.fixture
def ctx(qtbot, template, tmp_path):  # type: ignore[no-untyped-def]
    import sqlite3

    from desktop.services.database import open_database
    from desktop.services.users import list_users
    from desktop.ui.context import AppContext
    from desktop.ui.qt import QApplication
    from desktop.ui.style import STYLESHEET

    path = tmp_path / "test.sqlite"
    src, dst = sqlite3.connect(str(template)), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    db = open_database(path)
    c = AppContext(path)
    c.set_db(db)
    c.set_user(next(u for u in list_users(db) if "PURCHASER" in u.roles))
    QApplication.instance().setStyleSheet(STYLESHEET)
    yield c
    c.executor.wait_idle(10)
    c.executor.shutdown()
    db.dispose()


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(10)
        qtbot.wait(30)


def _shots(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    OUT.mkdir(exist_ok=True)
    for w, h in ((1366, 768), (1024, 600)):
        widget.resize(w, h)
        widget.grab().save(str(OUT / f"{name}_{w}x{h}.png"))


def _cells(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_money_by_urgency_marks_the_quadrant_that_matters(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.services.steering.allocation import allocation
    from desktop.ui.steering.section import SteeringSection

    s = SteeringSection(ctx)
    qtbot.addWidget(s)
    s.show()
    _settle(qtbot, ctx)
    view = s.allocation
    a = allocation(ctx.db, region_id=view.region.currentData())
    rows = _cells(view.table)
    assert len(rows) == len(a.rows) > 10
    starred = [r for r in rows if r[0].startswith("★ ")]
    assert starred and len(starred) == sum(1 for r in a.rows if r.highlighted)
    assert {r[0][2:] for r in starred} <= {"Urgent, weinig €", "Veel €, al goed"}
    assert view.table.item(0, 1).font().bold() == a.rows[0].highlighted  # not by colour alone
    assert view.boxes["URGENT_LOW"].count.text() == str(a.count("URGENT_LOW"))
    assert view.boxes["URGENT_LOW"].title.text() == "★ Urgent, weinig geïnvesteerd"
    assert "Van de €" in view.effect_headline.text() and view.effect_table.rowCount() == 9
    _shots(s, "steering_allocation")
    # the register over all providers: open steps from the demo, signals, double-click opens
    from desktop.services.steering.interventions import list_interventions

    reg = s.register
    assert reg.table.rowCount() == len(list_interventions(ctx.db, open_only=True)) > 0
    assert reg.signals.rowCount() > 0 and "lopende stappen" in reg.summary.text()
    s.tabs.setCurrentWidget(reg)
    _shots(s, "steering_register")
    s.tabs.setCurrentWidget(view)
    # a row opens that provider's effect tab
    view._open(0, 0)
    _settle(qtbot, ctx)
    assert s.tabs.currentWidget() is s.effect
    assert s.effect.provider.currentData() == a.rows[0].provider_id


def test_a_decision_naming_its_themes_in_the_aanvraag_panel_appears_in_the_effect_view(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.services.themes import connect_ro
    from desktop.ui.requests.requests_view import RequestEditor
    from desktop.ui.steering.effect_view import EffectView

    conn = connect_ro(ctx.db)
    rid, pid = conn.execute(
        """SELECT r.id, r.provider_id FROM budget_request r WHERE r.decision = 'APPROVED'
           AND r.budget_year = 2026 AND r.id NOT IN (SELECT budget_request_id FROM decision_target)
           ORDER BY r.id LIMIT 1"""
    ).fetchone()
    conn.close()
    editor = RequestEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.load(rid)
    _settle(qtbot, ctx)
    panel = next(
        w
        for w in editor.findChildren(
            __import__("desktop.ui.steering.summary_panel", fromlist=["x"]).DiagnosisSummaryPanel
        )
    )
    assert panel.provider_id == pid and panel.request_id == rid and panel.target_box.isVisible()
    assert panel.table.rowCount() == len(panel.summary.locations) > 0
    assert panel.headline.text().startswith(
        f"{panel.summary.provider_name}: {panel.table.rowCount()} locatie"
    )
    first = panel.summary.locations[0]
    from desktop.ui.style import rating_style

    assert panel.table.item(0, 1).text().startswith(rating_style(first.ratings[0]).symbol)
    assert rating_style(first.ratings[0]).label in panel.table.item(0, 1).toolTip()
    panel.target_checks["T2"].setChecked(True)
    panel.target_checks["T7"].setChecked(True)
    panel.save_targets.click()
    _settle(qtbot, ctx)
    assert "T2, T7" in panel.banner.text()
    panel.grab().save(str(OUT / "steering_aanvraag_panel.png"))
    for w, h in ((1366, 768), (1024, 600)):
        editor.resize(w, h)
        qtbot.wait(20)
        editor.ensureWidgetVisible(panel, 0, 0)
        editor.grab().save(str(OUT / f"steering_aanvraag_{w}x{h}.png"))

    view = EffectView(ctx)
    qtbot.addWidget(view)
    view.show()
    _settle(qtbot, ctx)
    view.show_provider(pid)
    _settle(qtbot, ctx)
    rows = _cells(view.themes)
    marked = [r[0] for r in rows if r[0].startswith("◆ ")]
    assert any(m.startswith("◆ T2 ") for m in marked) and any(m.startswith("◆ T7 ") for m in marked)
    assert next(r for r in rows if r[0].startswith("◆ T2 "))[1].endswith("2026")
    assert "Gekost:" in view.headline.text() and "Beter?" in view.headline.text()
    # the kwaliteitsmonitor from the same screen names the new doelthema's
    from pypdf import PdfReader

    out = OUT / "steering_monitor_from_ui.pdf"
    view.save_pdf(str(out))
    _settle(qtbot, ctx)
    assert "Kwaliteitsmonitor opgeslagen" in view.banner.text()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(str(out)).pages).split())
    assert "T2, T7" in text and "4. Effect: merkbaar, meetbaar, voelbaar" in text


def test_a_missed_agreement_shows_as_missed_and_suggests_an_intervention(qtbot, ctx):  # type: ignore[no-untyped-def]
    from desktop.services.requests import providers
    from desktop.ui.steering.effect_view import EffectView
    from desktop.ui.steering.register_view import RegisterView

    view = EffectView(ctx)
    qtbot.addWidget(view)
    view.show()
    register = RegisterView(ctx)  # the register tab hears the same change set
    qtbot.addWidget(register)
    _settle(qtbot, ctx)
    pid = providers(ctx.db)[0].id
    view.show_provider(pid)
    _settle(qtbot, ctx)
    before = view.agreements.rowCount()
    d = view.add_agreement(exec_=False)
    d.submit()  # nothing filled in: errors at the fields, nothing saved
    _settle(qtbot, ctx)
    assert d.errors["theme_codes"].isVisible() or d.errors["theme_codes"].text()
    assert "Kies minstens één thema" in d.errors["theme_codes"].text()
    assert "dd-mm-jjjj" in d.errors["due_date"].text()
    d.themes["T4"].setChecked(True)
    d.change.setPlainText("Teamoverleg over kwaliteit elke maand, met notulen.")
    d.due.setText("01-10-2026")
    d.grab().save(str(OUT / "steering_agreement_dialog.png"))
    d.submit()
    _settle(qtbot, ctx)
    assert d.result() == d.DialogCode.Accepted
    _settle(qtbot, ctx)
    assert view.agreements.rowCount() == before + 1
    row = next(
        r
        for r in range(view.agreements.rowCount())
        if "Teamoverleg over kwaliteit" in view.agreements.item(r, 1).text()
    )
    view.agreements.selectRow(row)
    c = view.check_agreement(exec_=False)
    c.outcome.setCurrentIndex(c.outcome.findData("MISSED"))
    c.on.setText("05-10-2026")
    c.note.setPlainText("Geen verbeteroverleg gezien.")
    c.grab().save(str(OUT / "steering_check_dialog.png"))
    c.submit()
    _settle(qtbot, ctx)
    assert c.result() == c.DialogCode.Accepted
    _settle(qtbot, ctx)
    status = next(
        view.agreements.item(r, 4).text()
        for r in range(view.agreements.rowCount())
        if "Teamoverleg over kwaliteit" in view.agreements.item(r, 1).text()
    )
    assert status == "Niet behaald"
    sig_row = next(
        r
        for r in range(view.signals.rowCount())
        if view.signals.item(r, 0).text() == "Afspraak niet behaald"
        and "Teamoverleg over kwaliteit" in view.signals.item(r, 1).text()
    )
    assert view.signals.item(sig_row, 2).text() == "Verbeterplan met termijn"
    view.signals.selectRow(sig_row)
    dlg = view.start_from_signal(exec_=False)
    assert dlg.step.currentData() == "VERBETERPLAN" and dlg.themes["T4"].isChecked()
    dlg.description.setPlainText("Verbeterplan leren en verbeteren.")
    dlg.submit()  # a verbeterplan without a termijn is refused at the field
    _settle(qtbot, ctx)
    assert "termijn" in dlg.errors["deadline"].text()
    dlg.deadline.setText("01-03-2027")
    dlg.follow.setText("15-01-2027")
    dlg.grab().save(str(OUT / "steering_intervention_dialog.png"))
    open_before = register.table.rowCount()
    dlg.submit()
    _settle(qtbot, ctx)
    assert dlg.result() == dlg.DialogCode.Accepted
    _settle(qtbot, ctx)
    assert any(
        view.ladder.item(r, 0).text() == "2. Verbeterplan met termijn"
        and view.ladder.item(r, 5).text() == "15-01-2027"
        for r in range(view.ladder.rowCount())
    )
    assert register.table.rowCount() == open_before + 1
    _shots(view, "steering_effect")


def test_agreements_checked_from_the_visits_tab(qtbot, ctx):  # type: ignore[no-untyped-def]
    import json

    from desktop.services.steering.agreements import get_agreement
    from desktop.services.themes import connect_ro
    from desktop.ui.qt import QTreeWidgetItemIterator
    from desktop.ui.visits.visits_tab import VisitsTab

    conn = connect_ro(ctx.db)
    found = None
    for aid, locs in conn.execute(
        "SELECT id, location_ids FROM custom_agreement WHERE status = 'OPEN' ORDER BY id"
    ):
        for loc in json.loads(locs):
            v = conn.execute(
                "SELECT id, visit_date FROM site_visit WHERE location_id = ? AND status = 'COMPLETED' "
                "ORDER BY visit_date DESC LIMIT 1",
                (loc,),
            ).fetchone()
            if v:
                found = (aid, loc, v[0], v[1])
                break
        if found:
            break
    conn.close()
    assert found, "the demo has an open agreement at a visited location"
    aid, loc, vid, vdate = found
    tab = VisitsTab(ctx)
    qtbot.addWidget(tab)
    tab.show()
    tab.set_location(loc)
    _settle(qtbot, ctx)
    it = QTreeWidgetItemIterator(tab.tree)
    while it.value():
        if it.value().data(0, 0x0100) == vid:  # Qt.UserRole
            tab.tree.setCurrentItem(it.value())
            break
        it += 1
    assert tab.selected_visit_id() == vid
    button = next(
        b
        for b in tab.findChildren(__import__("desktop.ui.qt", fromlist=["x"]).QPushButton)
        if b.text() == "Afspraken toetsen…"
    )
    button.open_dialog(exec_=False)
    _settle(qtbot, ctx)
    dialog = button.last_dialog
    row = next(r for r in dialog.rows if r[0].id == aid)
    row[1].setCurrentIndex(row[1].findData("MET"))
    row[2].setText("Gezien tijdens de rondgang.")
    dialog.resize(760, 300)
    dialog.grab().save(str(OUT / "steering_visit_checks.png"))
    dialog.submit()
    _settle(qtbot, ctx)
    got = get_agreement(ctx.db, aid)
    assert got.status == "MET" and got.checks[-1].visit_id == vid
    assert (
        got.checks[-1].checked_on.isoformat() == vdate
        and got.checks[-1].note == "Gezien tijdens de rondgang."
    )
