"""The kwaliteitsdiagnose tab, the Regio-overzicht and Zoeken through the real widgets."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from gui_helpers import shown
from site_visit_helpers import completed_visit
from test_themes import assess, make_world

OUT = Path(__file__).resolve().parents[1] / "out"


class _Window:
    """Stands in for the main window's navigation (ctx.open_location goes to window)."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, str | None]] = []

    def open_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.opened.append((location_id, theme_code))

    def statusBar(self):  # type: ignore[no-untyped-def]  # noqa: N802
        from desktop.ui.qt import QStatusBar

        if not hasattr(self, "_bar"):
            self._bar = QStatusBar()
        return self._bar


@pytest.fixture(scope="module")
def template(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Built once per module; each test works on its own copy of the file."""
    from desktop.services.database import open_database
    from desktop.services.diagnosis import add_note, set_top_priorities
    from desktop.services.users import create_user

    path = tmp_path_factory.mktemp("diag_ui") / "template.sqlite"
    db = open_database(path)
    advisor = create_user(db, name="Bram Jansen", initials="BJ", roles=["QUALITY_ADVISOR"])
    w = make_world(db, {"advisor": advisor})
    assess(db, w, w.l1, "T6", "SUFFICIENT", 2023)
    assess(db, w, w.l1, "T6", "MODERATE", 2024)
    assess(
        db,
        w,
        w.l1,
        "T6",
        "INSUFFICIENT",
        2025,
        rationale="Veel wisselende uitzendkrachten; cliëntenraad maakt zich zorgen over de nachtdienst.",
    )
    assess(
        db,
        w,
        w.l1,
        "T1",
        "GOOD",
        2025,
        rationale="Bewoners en naasten zeer tevreden (8,9 op ZorgkaartNederland).",
    )
    assess(
        db,
        w,
        w.l1,
        "T3",
        "SUFFICIENT",
        2025,
        rationale="Medicatieveiligheid op orde; MIC-meldingen worden besproken.",
    )
    assess(db, w, w.l2, "T4", "MODERATE", 2025)
    completed_visit(
        db,
        w.actor,
        w.l1,
        date(2025, 3, 1),
        {
            "t1_observation": "Bewoners somber, weinig contact met personeel.",
            "t1_signal": "ZORG",
        },
    )
    ids = [
        add_note(
            db,
            provider_id=w.p1,
            location_id=w.l1,
            kind="IMPROVEMENT_POINT",
            theme_codes=[t],
            text=x,
            actor_id=w.actor,
            noted_on=date(2025, 5, 1),
        ).id
        for t, x in [
            ("T6", "Vaste gezichten op de afdelingen: minder inhuur."),
            ("T3", "Dubbele controle bij risicovolle medicatie."),
        ]
    ]
    set_top_priorities(db, ids, location_id=w.l1, actor_id=w.actor)
    db.dispose()
    return path, w, advisor


@pytest.fixture
def setup(qtbot, template, tmp_path):  # type: ignore[no-untyped-def]
    import sqlite3

    from desktop.services.database import open_database
    from desktop.ui.context import AppContext
    from desktop.ui.qt import QApplication
    from desktop.ui.style import STYLESHEET

    src_path, w, advisor = template
    path = tmp_path / "test.sqlite"
    src, dst = sqlite3.connect(str(src_path)), sqlite3.connect(str(path))
    src.backup(dst)
    src.close()
    dst.close()
    db = open_database(path)
    ctx = AppContext(path)
    ctx.set_db(db)
    ctx.set_user(advisor)
    ctx.window = _Window()
    QApplication.instance().setStyleSheet(STYLESHEET)
    yield ctx, w
    ctx.executor.wait_idle(10)
    ctx.executor.shutdown()
    db.dispose()


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    ctx.executor.wait_idle(10)
    qtbot.wait(30)
    ctx.executor.wait_idle(10)
    qtbot.wait(30)


def _tab_on_l1(qtbot, ctx, w, theme_code=None):  # type: ignore[no-untyped-def]
    """The diagnosis tab on location 1 (at `theme_code` when given), its data loaded."""
    from desktop.ui.diagnosis.tab import DiagnosisTab

    tab = DiagnosisTab(ctx)
    qtbot.addWidget(tab)
    tab.set_location(w.l1, theme_code=theme_code)
    _settle(qtbot, ctx)
    return tab


def _region_overview(qtbot, ctx, w):  # type: ignore[no-untyped-def]
    """The region overview, shown at 1400x760, scoped to the world's region and loaded."""
    from desktop.ui.diagnosis.region import RegionOverview

    view = shown(qtbot, RegionOverview(ctx), (1400, 760))
    _settle(qtbot, ctx)
    assert view.select_scope(f"Regio {w.region_name}")
    _settle(qtbot, ctx)
    return view


def test_diagnosis_tab_shows_themes_top_three_and_changes(qtbot, setup):  # type: ignore[no-untyped-def]
    from desktop.ui.diagnosis.tab import DiagnosisTab

    ctx, w = setup
    tab = shown(qtbot, DiagnosisTab(ctx), (1280, 820))
    tab.set_location(w.l1, theme_code="T6")
    _settle(qtbot, ctx)
    s = tab.state()
    assert "3 van 8 thema's beoordeeld" in s["summary"] and "1 matig of onvoldoende" in s["summary"]
    assert "1 wijken af" in s["summary"]  # T1 goed vs. visit signal zorg
    assert "Vaste gezichten" in s["top"] and "<b>1.</b>" in s["top"]
    assert "Veel wisselende uitzendkrachten" in s["detail"] and "Eerdere oordelen" in s["detail"]
    assert "wijkt af van bezoek" in tab.rows["T1"].meta.text()
    assert "▼ slechter" in tab.rows["T6"].meta.text()
    assert tab.rows["T6"].trend.accessibleName().startswith("Verloop: 2023: voldoende")
    assert "Nieuw verbeterpunt" in tab.changes_text.text()
    OUT.mkdir(exist_ok=True)
    tab.grab().save(str(OUT / "diagnosis_tab.png"))
    qtbot.mouseClick(
        tab.rows["T1"], __import__("desktop.ui.qt", fromlist=["Qt"]).Qt.MouseButton.LeftButton
    )
    assert tab.selected_theme == "T1" and "Bewoners somber" in tab.state()["detail"]


def test_assessment_dialog_shows_dutch_errors_next_to_fields_then_saves(qtbot, setup):  # type: ignore[no-untyped-def]
    from desktop.services.themes import assessment_history

    ctx, w = setup
    tab = _tab_on_l1(qtbot, ctx, w)
    dlg = tab.add_assessment("T8", exec_=False)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.submit()
    _settle(qtbot, ctx)
    assert dlg.errors["rating"].isVisible() and "Kies een oordeel" in dlg.errors["rating"].text()
    assert "verplicht" in dlg.errors["rationale"].text()
    assert "minstens één bron" in dlg.errors["sources"].text()
    assert dlg.rationale.property("invalid") is True
    dlg.grab().save(str(OUT / "assessment_dialog_errors.png"))
    dlg.rating_buttons["MODERATE"].setChecked(True)
    assert "maatregelen" in dlg.definition.text()
    dlg.rationale.setPlainText("Informatie wordt niet gedeeld tussen teams; geen dashboard.")
    dlg.source_boxes["QUALITY_REPORT"].setChecked(True)
    dlg.sub_group.setChecked(True)
    dlg.sub_combos["T8.1"].setCurrentIndex(dlg.sub_combos["T8.1"].findData("INSUFFICIENT"))
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.submit()
    hist = assessment_history(ctx.db, w.l1, "T8")
    assert hist[0].rating == "MODERATE" and dict(hist[0].subtheme_ratings) == {
        "T8.1": "INSUFFICIENT"
    }
    _settle(qtbot, ctx)
    assert tab.theme("T8").current.rating == "MODERATE"


def test_note_dialog_and_top_three_dialog(qtbot, setup):  # type: ignore[no-untyped-def]
    from desktop.services.diagnosis import notes_for

    ctx, w = setup
    tab = _tab_on_l1(qtbot, ctx, w, theme_code="T4")
    dlg = tab.add_note(exec_=False)
    qtbot.addWidget(dlg)
    dlg.submit()
    _settle(qtbot, ctx)
    assert "Kies het soort notitie" in dlg.errors["kind"].text()
    assert "Tekst is verplicht" in dlg.errors["text"].text()
    dlg.kind.setCurrentIndex(dlg.kind.findData("IMPROVEMENT_POINT"))
    dlg.text.setPlainText("Leren van incidenten in het teamoverleg.")
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.submit()
    _settle(qtbot, ctx)
    new = [n for n in notes_for(ctx.db, location_id=w.l1) if n.text.startswith("Leren")][0]
    assert new.theme_codes == ("T4",)
    top = tab.choose_top_three(exec_=False)
    qtbot.addWidget(top)
    top.combos[1].setCurrentIndex(top.combos[0].currentIndex())
    top.submit()
    assert "staat al hoger" in top.errors["top2"].text()
    top.combos[1].setCurrentIndex(top.combos[1].findData(new.id))
    with qtbot.waitSignal(top.accepted, timeout=5000):
        top.submit()
    _settle(qtbot, ctx)
    assert [n.text for n in tab.diagnosis.top_three][1].startswith("Leren")
    tab.delete_note(new.id, confirm=False)
    _settle(qtbot, ctx)
    assert "Verwijderde notities" in tab.state()["detail"] or tab.selected_theme != "T4"


def test_diagnosis_pdf_saved_and_read_back(qtbot, setup, tmp_path):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    ctx, w = setup
    tab = _tab_on_l1(qtbot, ctx, w)
    target = tmp_path / "diagnose.pdf"
    tab.save_pdf(str(target))
    _settle(qtbot, ctx)
    text = "".join(p.extract_text() for p in PdfReader(str(target)).pages)
    assert "Kwaliteitsdiagnose Huize De Linde" in text
    assert "Top drie verbeterpunten" in text and "Vaste gezichten" in text
    assert "cliëntenraad" in text and "Onvoldoende" in text
    assert "Pagina 1 van" in text


def test_region_overview_heatmap_click_and_export(qtbot, setup, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    ctx, w = setup
    view = _region_overview(qtbot, ctx, w)
    m = view.model
    assert [r.location_name for r in m.rows][:2] == ["Huize De Linde", "De Beuk"]
    assert m.data(m.index(0, 1 + 5)) == "Onvoldoende"  # T6 column, text not only colour
    assert "wijkt af" in m.data(
        m.index(0, 1),
        __import__("desktop.ui.qt", fromlist=["Qt"]).Qt.ItemDataRole.AccessibleTextRole,
    )
    view.grab().save(str(OUT / "region_overview.png"))
    view._open_cell(m.index(0, 1 + 5))
    assert ctx.window.opened[-1] == (w.l1, "T6")
    view._sort_by_column(1 + 3)  # T4: worst first
    assert m.rows[0].location_name == "De Beuk"
    view.theme.setCurrentIndex(view.theme.findData("T6"))
    _settle(qtbot, ctx)
    assert m.columnCount() == 1 + 1 + 1
    view.provider.setCurrentIndex(view.provider.findText("Stichting Ühlenbeck"))
    _settle(qtbot, ctx)
    assert [r.location_name for r in m.rows] == ["Het Anker"]
    view.provider.setCurrentIndex(0)
    view.theme.setCurrentIndex(0)
    _settle(qtbot, ctx)
    view.export("xlsx", str(tmp_path / "r.xlsx"))
    view.export("csv", str(tmp_path / "r.csv"))
    _settle(qtbot, ctx)
    ws = load_workbook(tmp_path / "r.xlsx")["Regio-overzicht"]
    assert ws["A4"].value == m.rows[0].location_name
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert len(rows) == 1 + len(m.rows)


def test_search_section_set_query_highlights_and_opens(qtbot, setup):  # type: ignore[no-untyped-def]
    from desktop.ui.diagnosis.search import SearchSection
    from desktop.ui.qt import QUrl

    ctx, w = setup
    view = shown(qtbot, SearchSection(ctx), (1100, 700))
    view.set_query("clientenraad")
    _settle(qtbot, ctx)
    st = view.state()
    assert "1 resultaat" in st["count"]
    assert "cliëntenraad" in st["html"] and "font-weight" in st["html"]  # highlighted
    view.grab().save(str(OUT / "search.png"))
    view._open(QUrl(f"loc:{w.l1}:T6"))
    assert ctx.window.opened[-1] == (w.l1, "T6")
    view.set_query("bestaatnietwoord")
    _settle(qtbot, ctx)
    assert view.state()["count"] == "Geen resultaten."


def test_enter_in_the_main_search_field_runs_full_text_search(qtbot, setup):  # type: ignore[no-untyped-def]
    from desktop.services.directory import load_directory
    from desktop.ui.main_window import MainWindow
    from desktop.ui.qt import Qt

    ctx, w = setup
    window = MainWindow(ctx, load_directory(ctx.db_path))
    qtbot.addWidget(window)
    ctx.window = window
    window.show()
    qtbot.keyClicks(window.navigator.filter_edit, "clientenraad")
    qtbot.keyPress(window.navigator.filter_edit, Qt.Key.Key_Return)
    _settle(qtbot, ctx)
    section = window.show_section("zoeken")
    assert section.query.text() == "clientenraad"
    assert "cliëntenraad" in section.state()["html"]
    region = window.show_section("regio")
    _settle(qtbot, ctx)
    assert region.model.rowCount() > 0
    region._open_cell(region.model.index(0, 1 + 5))
    _settle(qtbot, ctx)
    assert window.location_page.location_id == region.model.rows[0].location_id
    tab = window.location_page.tabs.currentWidget()
    assert type(tab).__name__ == "DiagnosisTab" and tab.selected_theme == "T6"


def test_provider_wide_note_shows_on_every_location_of_the_provider(qtbot, setup):  # type: ignore[no-untyped-def]
    ctx, w = setup
    tab = _tab_on_l1(qtbot, ctx, w, theme_code="T5")
    dlg = tab.add_note(exec_=False)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("VULNERABILITY"))
    dlg.text.setPlainText("Raad van toezicht mist zorginhoudelijke expertise.")
    dlg.provider_wide.setChecked(True)
    with qtbot.waitSignal(dlg.accepted, timeout=5000):
        dlg.submit()
    tab.set_location(w.l2, theme_code="T5")
    _settle(qtbot, ctx)
    assert "Notities over de zorgaanbieder" in tab.state()["detail"]
    assert "Raad van toezicht" in tab.state()["detail"]


def test_provider_page_shows_the_organisations_diagnosis(qtbot, setup):  # type: ignore[no-untyped-def]
    """The zorgaanbieder page: every location against the eight themes (symbol, colour and a
    tooltip in words), the spread per theme, the organisation's top three and its notes;
    double-clicking a cell opens that location at that theme."""
    from desktop.services.diagnosis import add_note, set_top_priorities
    from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel

    ctx, w = setup
    wide = add_note(
        ctx.db,
        provider_id=w.p1,
        kind="IMPROVEMENT_POINT",
        theme_codes=["T6"],
        text="Eén vast team per afdeling in de nachtdienst.",
        actor_id=w.actor,
    )
    add_note(
        ctx.db,
        provider_id=w.p1,
        kind="STRENGTH",
        text="Cliëntenraad is actief betrokken.",
        actor_id=w.actor,
    )
    set_top_priorities(ctx.db, [wide.id], provider_id=w.p1, actor_id=w.actor)
    panel = shown(qtbot, ProviderDiagnosisPanel(ctx), (1100, 700))
    panel.load(w.p1)
    _settle(qtbot, ctx)
    m = panel.matrix
    headers = [m.horizontalHeaderItem(c).text() for c in range(m.columnCount())]
    assert headers == ["Locatie", "Plaats", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8"]
    rows = {m.item(r, 0).text(): r for r in range(m.rowCount())}
    l1 = panel._location_ids.index(w.l1)
    t6 = headers.index("T6")
    assert (
        m.item(l1, t6).text() == "✖" and "Onvoldoende" in m.item(l1, t6).toolTip()
    )  # newest of three
    assert m.item(l1, headers.index("T1")).text() == "●"
    assert m.item(l1, headers.index("T2")).text() == "–"
    assert "nog niet beoordeeld" in m.item(l1, headers.index("T2")).toolTip()
    assert "1 onvoldoende" in m.horizontalHeaderItem(t6).toolTip()
    assert len(rows) == m.rowCount() >= 2
    top = panel.top_three[1].text()
    assert "Eén vast team per afdeling" in top
    notes = panel.notes[1].text()
    assert "Cliëntenraad is actief betrokken" in notes and "Sterk punt" in notes
    assert "Vaste gezichten" not in notes  # a location's note stays with the location
    OUT.mkdir(exist_ok=True)
    panel.grab().save(str(OUT / "provider_diagnosis.png"))
    panel._open(m.model().index(l1, t6))
    assert ctx.window.opened[-1] == (w.l1, "T6")


def test_region_overview_follows_an_assessment_written_elsewhere(qtbot, setup):  # type: ignore[no-untyped-def]
    """The heatmap reloads on the typed change set the executor announces after a real write
    (any view's, here straight through ctx.run), not on a string another view must emit."""
    ctx, w = setup
    view = _region_overview(qtbot, ctx, w)
    m = view.model

    def t8_of_de_beuk() -> str:
        row = [r.location_name for r in m.rows].index("De Beuk")
        return m.data(m.index(row, 1 + 7))

    assert t8_of_de_beuk() == "Niet beoordeeld"
    heard: list[frozenset[str]] = []
    ctx.entities_changed.connect(heard.append)
    ctx.run(assess, ctx.db, w, w.l2, "T8", "INSUFFICIENT", 2025)
    _settle(qtbot, ctx)
    _settle(qtbot, ctx)
    assert any("theme_assessment" in names for names in heard)
    assert t8_of_de_beuk() == "Onvoldoende"
