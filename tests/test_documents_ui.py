"""The Stukken panel through real widgets (pytest-qt, offscreen): add by drop and by the
button's flow, refusals at the panel, preview of a PDF at a page and of an image, a document
that is not downloaded yet, the location tab, the plan assessment and the request editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents_helpers import PNG_1PX, add_plan_pdf, make_pdf, make_world

# Issue 19: these views read and write only through the database worker (tests/gui_thread.py).
pytestmark = pytest.mark.usefixtures("no_database_on_gui_thread")

OUT = Path(__file__).resolve().parents[1] / "out"


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return make_world(db)


@pytest.fixture
def ctx(qtbot, db, db_path, world):  # type: ignore[no-untyped-def]
    from desktop.services.users import get_user
    from desktop.ui.context import AppContext
    from desktop.ui.qt import QApplication
    from desktop.ui.style import STYLESHEET

    QApplication.instance().setStyleSheet(STYLESHEET)
    c = AppContext(db_path)
    c.set_db(db)
    c.set_user(get_user(db, world.user))
    yield c
    c.executor.wait_idle(10)
    c.executor.shutdown()


def settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        ctx.executor.wait_idle(10)
        qtbot.wait(20)


def _files(tmp_path: Path) -> list[str]:
    plan = tmp_path / "Kwaliteitsplan 2026 De Linde.pdf"
    plan.write_bytes(make_pdf(pages=5, phrase_page=3))
    photo = tmp_path / "foto gevel.png"
    photo.write_bytes(PNG_1PX)
    return [str(plan), str(photo)]


def _drop(qtbot, widget, paths):  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QDropEvent, QMimeData, QPointF, Qt, QUrl

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def _accept_dialog_soon(qtbot, doc_type: str = "QUALITY_PLAN") -> list:  # type: ignore[type-arg]
    from desktop.ui.documents.dialogs import AddDocumentsDialog
    from desktop.ui.qt import QApplication, QTimer

    seen = []

    def accept() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, AddDocumentsDialog) and w.isVisible():
                seen.append(w.type_box.currentData())
                w.type_box.setCurrentIndex(w.type_box.findData(doc_type))
                w.accept()
                return
        QTimer.singleShot(20, accept)

    QTimer.singleShot(20, accept)
    return seen


def test_drop_files_on_the_location_tab_preview_and_hash(qtbot, ctx, world, tmp_path):
    from desktop.ui.documents.dialogs import PreviewDialog
    from desktop.ui.documents.panel import LocationDocumentsTab
    from desktop.ui.qt import QApplication

    tab = LocationDocumentsTab(ctx)
    qtbot.addWidget(tab)
    tab.set_location(world.location)
    settle(qtbot, ctx)
    assert tab.table.rowCount() == 0 and tab.add_button.isEnabled()
    guessed = _accept_dialog_soon(qtbot)
    _drop(qtbot, tab, _files(tmp_path))
    settle(qtbot, ctx)
    assert guessed == ["QUALITY_PLAN"]  # guessed from the file name
    assert tab.table.rowCount() == 2
    titles = {tab.table.item(r, 0).text() for r in range(2)}
    assert titles == {"Kwaliteitsplan 2026 De Linde.pdf", "foto gevel.png"}
    assert tab.table.item(0, 5).text() == "Op deze computer"
    row = next(r for r in range(2) if tab.table.item(r, 0).text().endswith(".pdf"))
    tab.table.selectRow(row)
    doc = tab.selected()
    assert f"SHA-256 {doc.sha256}" in tab.detail.text() and "Anna de Vries" in tab.detail.text()
    assert "5 pagina's" in tab.detail.text()  # text extracted in the background
    tab.resize(1366, 768)
    OUT.mkdir(exist_ok=True)
    tab.grab().save(str(OUT / "stukken-locatie-1366.png"))
    tab.resize(1024, 600)
    tab.grab().save(str(OUT / "stukken-locatie-1024.png"))

    tab.open_selected()
    settle(qtbot, ctx)
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog)]
    assert len(previews) == 1
    pv = previews[0]
    qtbot.addWidget(pv)
    assert pv.page_count == 5 and pv.page_label.text() == "van 5"
    assert not pv.image.pixmap().isNull()
    pv.show_page(3)
    settle(qtbot, ctx)
    assert pv.page_box.value() == 3 and pv.next_button.isEnabled()
    pv.grab().save(str(OUT / "stukken-voorbeeld.png"))
    pv.close()


def test_refusals_show_in_the_panel_and_nothing_is_added(qtbot, ctx, world, tmp_path):
    from desktop.services.documents import service
    from desktop.ui.documents.panel import DocumentsPanel

    panel = DocumentsPanel(ctx, kind="provider")
    qtbot.addWidget(panel)
    panel.set_target(world.provider)
    fake = tmp_path / "begroting.pdf"
    fake.write_bytes(b"MZ dit is geen pdf")
    exe = tmp_path / "setup.exe"
    exe.write_bytes(b"MZ")
    panel.add_files([str(fake), str(exe)], "BUDGET")
    settle(qtbot, ctx)
    assert not panel.banner.isHidden()
    assert "past daar niet bij" in panel.banner.text() and "alleen PDF" in panel.banner.text()
    assert service.list_documents(ctx.db, "provider", world.provider) == []


def test_a_document_not_downloaded_yet_says_so_and_opening_it_offline_explains(qtbot, ctx, world):  # type: ignore[no-untyped-def]
    from db.models import Document
    from db.repo import UnitOfWork
    from desktop.ui.documents.panel import DocumentsPanel

    with UnitOfWork(ctx.db, world.user) as uow:  # as the op sync brings a colleague's record
        uow.add(
            Document(
                target_kind="budget_request",
                target_id=world.request,
                provider_id=world.provider,
                doc_type="QUALITY_PLAN",
                title="Kwaliteitsplan collega.pdf",
                media_type="application/pdf",
                size=123456,
                sha256="ab" * 32,
                added_by_id=world.user,
            )
        )
    panel = DocumentsPanel(ctx, kind="budget_request")
    qtbot.addWidget(panel)
    panel.set_target(world.request)
    settle(qtbot, ctx)
    assert panel.table.item(0, 5).text() == "Nog niet gedownload"
    panel.table.selectRow(0)
    assert panel.download_button.isEnabled()
    panel.open_selected()
    settle(qtbot, ctx)
    assert not panel.banner.isHidden() and "gedeelde opslag" in panel.banner.text()


def test_plan_assessment_and_request_editor_show_their_documents(qtbot, ctx, world):
    from desktop.services.documents import service
    from desktop.ui.requests.plans_view import PlansSection
    from desktop.ui.requests.requests_view import RequestEditor

    add_plan_pdf(ctx.db, world.user, world, make_pdf(pages=1))
    service.add_document(
        ctx.db,
        world.user,
        "budget_request",
        world.request,
        "Begroting 2026.xlsx",
        b"PK\x03\x04 spreadsheet",
        doc_type="begroting",
    )
    plans = PlansSection(ctx)
    qtbot.addWidget(plans)
    settle(qtbot, ctx)
    plans.table.selectRow(0)
    settle(qtbot, ctx)
    plans.tabs.setCurrentIndex(1)
    assert plans.documents.target_id == world.plan
    assert plans.documents.table.item(0, 0).text() == "Kwaliteitsplan.pdf"
    OUT.mkdir(exist_ok=True)
    for w, h in ((1366, 768), (1024, 600)):
        plans.resize(w, h)
        plans.grab().save(str(OUT / f"stukken-planbeoordeling-{w}.png"))

    editor = RequestEditor(ctx)
    qtbot.addWidget(editor)
    editor.load(world.request)
    settle(qtbot, ctx)
    assert editor.documents.table.item(0, 0).text() == "Begroting 2026.xlsx"
    assert editor.documents.table.item(0, 1).text() == "Begroting"
    for w, h in ((1366, 768), (1024, 600)):
        editor.resize(w, h)
        editor.show()
        editor.ensureWidgetVisible(editor.documents, 0, 0)
        qtbot.wait(20)
        editor.grab().save(str(OUT / f"stukken-aanvraag-{w}.png"))
    editor.new_request()
    assert editor.documents.table.rowCount() == 0 and not editor.documents.add_button.isEnabled()


def test_provider_page_shows_the_providers_documents(qtbot, ctx, world):
    from desktop.services.documents import service
    from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel

    service.add_document(
        ctx.db,
        world.user,
        "provider",
        world.provider,
        "Kwaliteitsverslag 2025.pdf",
        make_pdf(pages=1),
        doc_type="verslag",
    )
    panel = ProviderDiagnosisPanel(ctx)
    qtbot.addWidget(panel)
    panel.load(world.provider)
    settle(qtbot, ctx)
    assert panel.documents.target_id == world.provider
    assert panel.documents.table.item(0, 0).text() == "Kwaliteitsverslag 2025.pdf"
    OUT.mkdir(exist_ok=True)
    panel.resize(1366, 768)
    panel.grab().save(str(OUT / "stukken-aanbieder-1366.png"))


def test_zoeken_finds_a_phrase_in_a_plan_and_opens_it_at_the_page(qtbot, ctx, world):
    from desktop.services.documents import extract
    from desktop.ui.diagnosis.search import SearchSection
    from desktop.ui.documents.dialogs import PreviewDialog
    from desktop.ui.qt import QApplication, QUrl

    add_plan_pdf(ctx.db, world.user, world, make_pdf(pages=8, phrase_page=6))
    extract.extract_pending(ctx.db)
    section = SearchSection(ctx)
    qtbot.addWidget(section)
    settle(qtbot, ctx)
    section.set_query('"bewoners met dementie"')
    settle(qtbot, ctx)
    html = section.results.toHtml()
    assert "Kwaliteitsplan.pdf, pagina 6" in html and "1 resultaat" in section.count.text()
    section.resize(1366, 768)
    section.grab().save(str(OUT / "stukken-zoeken-1366.png"))
    hit = section.result.hits[0]
    section._open(QUrl(f"doc:{hit.ref_id}:{hit.page}"))
    settle(qtbot, ctx)
    [pv] = [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog)]
    qtbot.addWidget(pv)
    assert pv.page_box.value() == 6 and pv.page_count == 8
    pv.close()
