"""Section "Brieven" driven through the real widgets (offscreen) on a real database file."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from gui_helpers import shown
from test_requests_helpers import approved_amounts

from tests.letters_helpers import _template_db, db, decided, flat, make_world, pdf_text, users  # noqa: F401 (fixtures)

# Issue 19: these views read and write only through the database worker (tests/gui_thread.py).
pytestmark = pytest.mark.usefixtures("no_database_on_gui_thread")

OUT = Path(__file__).resolve().parent.parent / "out"


def _section(qtbot, db, user):  # type: ignore[no-untyped-def]
    from desktop.ui.context import AppContext
    from desktop.ui.letters.letters_view import LettersSection

    ctx = AppContext(Path(db.path) if hasattr(db, "path") else Path("."))
    ctx.set_db(db)
    ctx.set_user(user)
    view = shown(qtbot, LettersSection(ctx), (1400, 900))
    _settle(qtbot, ctx)
    return ctx, view


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        ctx.executor.wait_idle(30)
        qtbot.wait(30)


def test_make_preview_definitive_save_print_sent(qtbot, db, users, tmp_path):  # type: ignore[no-untyped-def]
    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w)
    ctx, view = _section(qtbot, db, users["purchaser"])
    # An approved decision without a letter is listed.
    assert [r.kind for r in view.rows] == ["pending"]
    assert view.select_request(rid)
    _settle(qtbot, ctx)
    assert view.make_button.isEnabled() and not view.save_button.isEnabled()
    view.make_button.click()
    _settle(qtbot, ctx)
    assert view.current is not None and view.current.letter is not None
    assert view.current.letter.status == "DRAFT"
    assert view.page_labels, "preview pages rendered"
    assert "CONCEPT" in pdf_text(view.pdf)[0]
    OUT.mkdir(exist_ok=True)
    view.grab().save(str(OUT / "letters_section_concept.png"))

    # Definitief maken (confirmation answered by the test)
    view.confirm = lambda title, text: True  # type: ignore[method-assign]
    view.definitive_button.click()
    _settle(qtbot, ctx)
    letter = view.current.letter
    assert letter.status == "DEFINITIVE" and letter.kenmerk and letter.sha256
    assert view.info["sha256"].text() == letter.sha256
    assert view.info["kenmerk"].text() == letter.kenmerk
    assert "CONCEPT" not in " ".join(pdf_text(view.pdf))
    view.grab().save(str(OUT / "letters_section_definitive.png"))

    # Opslaan als PDF: the stored bytes
    target = tmp_path / "brief.pdf"
    view.ask_save_path = lambda suggested: str(target)  # type: ignore[method-assign]
    view.save_button.click()
    _settle(qtbot, ctx)
    import hashlib

    assert hashlib.sha256(target.read_bytes()).hexdigest() == letter.sha256

    # Afdrukken (Ctrl+P): exactly the pages of the PDF, to a PDF printer here
    from desktop.ui.qt import QPrinter

    printed = tmp_path / "afdruk.pdf"

    def printer():  # type: ignore[no-untyped-def]
        p = QPrinter(QPrinter.PrinterMode.HighResolution)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(printed))
        p.setResolution(150)
        return p

    view.make_printer = printer  # type: ignore[method-assign]
    view.print_button.click()
    _settle(qtbot, ctx)
    pages = len(pypdf.PdfReader(str(target)).pages)
    assert len(pypdf.PdfReader(str(printed)).pages) == pages

    # Markeer als verzonden
    view.sent_button.click()
    _settle(qtbot, ctx)
    assert view.current.letter.status == "SENT"
    assert not view.sent_button.isEnabled() and not view.definitive_button.isEnabled()


def test_unapproved_definitive_shows_dutch_message(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.services import letters

    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w, approve=False)
    letters.create_letter(db, rid, users["purchaser"].id)
    ctx, view = _section(qtbot, db, users["purchaser"])
    assert view.select_request(rid)
    _settle(qtbot, ctx)
    # Issue 14: told where the action starts -- the button is off, with the service's reason.
    assert not view.definitive_button.isEnabled()
    assert "goedgekeurd besluit" in view.definitive_button.toolTip()
    assert (
        view.definitive_reason.isVisible()
        and "goedgekeurd besluit" in view.definitive_reason.text()
    )
    assert view.current.letter.status == "DRAFT"


def test_the_approving_teamleider_sees_why_definitive_is_off(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.services import letters

    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w)
    letters.create_letter(db, rid, users["purchaser"].id)
    ctx, view = _section(qtbot, db, users["lead"])
    assert view.select_request(rid)
    _settle(qtbot, ctx)
    assert not view.definitive_button.isEnabled()
    assert "teamleider die het besluit goedkeurde" in view.definitive_reason.text()
    ctx.set_user(users["purchaser"])  # a colleague at the keyboard: the button comes on
    _settle(qtbot, ctx)
    assert view.definitive_button.isEnabled() and not view.definitive_reason.isVisible()


def test_batch_save_region_with_progress(qtbot, db, users, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.services import letters

    w = make_world(db, users["purchaser"].id)
    for name in ("Stichting A", "Stichting B"):
        rid = decided(db, users, make_world(db, users["purchaser"].id, name))
        info = letters.create_letter(db, rid, users["purchaser"].id)
        letters.make_definitive(db, info.id, users["purchaser"].id)
    ctx, view = _section(qtbot, db, users["purchaser"])
    view.region.setCurrentText(w.region_name)
    _settle(qtbot, ctx)
    folder = tmp_path / "bundel"
    view.ask_folder = lambda: str(folder)  # type: ignore[method-assign]
    view.batch_save_button.click()
    _settle(qtbot, ctx)
    files = sorted(p for p in folder.glob("*.pdf") if not p.name.endswith("_addendum.pdf"))
    assert len(files) == 2 and view.last_batch is not None and not view.last_batch.cancelled
    # Issue 15: each approval's addendum (bijlage 6) is saved beside its letter.
    assert len(list(folder.glob("*_addendum.pdf"))) == 2 == len(view.last_batch.addenda)
    assert "Stichting A" in flat(pdf_text(files[0].read_bytes())[0]) or "Stichting A" in flat(
        pdf_text(files[1].read_bytes())[0]
    )


def test_batch_makes_approved_decisions_definitive_on_request(qtbot, db, users, tmp_path):  # type: ignore[no-untyped-def]
    """The region batch offers to finish approved decisions that have no definitive letter yet;
    what cannot be made definitive is named with its reason next to the batch buttons."""
    from desktop.services import letters

    purchaser = users["purchaser"].id
    w = make_world(db, purchaser, "Stichting A")
    rid = decided(db, users, w)
    letters.make_definitive(db, letters.create_letter(db, rid, purchaser).id, purchaser)
    decided(db, users, make_world(db, purchaser, "Stichting B"))  # approved, no letter yet
    unapproved = decided(db, users, make_world(db, purchaser, "Stichting C"), approve=False)
    letters.create_letter(db, unapproved, purchaser)  # a concept without vier-ogen approval
    ctx, view = _section(qtbot, db, users["purchaser"])
    view.region.setCurrentText(w.region_name)
    _settle(qtbot, ctx)
    asked: list = []
    view.ask_include_pending = lambda region, n: asked.append((region, n)) or None  # type: ignore[method-assign]
    view.ask_folder = lambda: str(tmp_path / "nooit")  # type: ignore[method-assign]
    view.batch_save_button.click()  # cancelled at the question: nothing happens
    _settle(qtbot, ctx)
    assert asked == [(w.region_name, 2)] and not (tmp_path / "nooit").exists()

    view.ask_include_pending = lambda region, n: True  # type: ignore[method-assign]
    view.ask_folder = lambda: str(tmp_path / "bundel")  # type: ignore[method-assign]
    view.batch_save_button.click()
    _settle(qtbot, ctx)
    result = view.last_batch
    assert result is not None and result.made_definitive == 1 and len(result.written) == 2
    names = sorted(flat(pdf_text(p.read_bytes())[0]) for p in (tmp_path / "bundel").glob("*.pdf"))
    assert "Stichting A" in names[0] and "Stichting B" in names[1]
    assert view.batch_message.isVisible()
    assert "Stichting C" in view.batch_message.text() and "vier-ogen" in view.batch_message.text()
    statuses = {r.letter.provider_name: r.letter.status for r in view.rows if r.letter}
    assert statuses == {
        "Stichting A": "DEFINITIVE",
        "Stichting B": "DEFINITIVE",
        "Stichting C": "DRAFT",
    }
    OUT.mkdir(exist_ok=True)
    view.grab().save(str(OUT / "letters_batch_skipped.png"))


def test_list_fits_its_pane_at_1366_pixels(qtbot, db, users):  # type: ignore[no-untyped-def]
    """In a 1366 px window (the section gets about 1180 px) every list column is visible
    without scrolling sideways; long provider names are elided with the full name as tooltip."""
    from desktop.services import letters

    purchaser = users["purchaser"].id
    w = make_world(db, purchaser, "Stichting Verpleeghuizen en Woonzorgcentra Midden-Nederland")
    letters.make_definitive(
        db, letters.create_letter(db, decided(db, users, w), purchaser).id, purchaser
    )
    decided(
        db,
        users,
        make_world(db, purchaser, "Zorggroep B"),
        "APPROVED_ADJUSTED",
        **approved_amounts("1.100.000,00", "935.000,00", "165.000,00"),
    )
    ctx, view = _section(qtbot, db, users["purchaser"])
    view.resize(1182, 720)
    _settle(qtbot, ctx)
    table = view.table
    visible = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert len(visible) == 5  # all regions: the region column is shown
    assert sum(table.columnWidth(c) for c in visible) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    names = {table.item(r, 0).toolTip() for r in range(table.rowCount())}
    assert "Stichting Verpleeghuizen en Woonzorgcentra Midden-Nederland" in names
    assert {table.item(r, 3).text() for r in range(table.rowCount())} == {"Akkoord", "Aangepast"}
    view.region.setCurrentText(w.region_name)
    _settle(qtbot, ctx)
    assert table.isColumnHidden(2)


def test_letterhead_dialog_saves_and_shows_errors_at_fields(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.services import letters

    w = make_world(db, users["purchaser"].id, letterhead={})
    ctx, view = _section(qtbot, db, users["purchaser"])
    dialog = view.open_letterhead()
    _settle(qtbot, ctx)
    index = dialog.office.findData(w.care_office_code)
    dialog.office.setCurrentIndex(index)
    _settle(qtbot, ctx)
    dialog.edits["kvk_number"].setText("12")
    dialog.edits["postcode"].setText("2700 AK")
    dialog.save()
    _settle(qtbot, ctx)
    assert (
        dialog.errors["kvk_number"].isVisible()
        and "8 cijfers" in dialog.errors["kvk_number"].text()
    )
    assert letters.get_letterhead(db, w.care_office_code).postcode == ""  # nothing written
    OUT.mkdir(exist_ok=True)
    dialog.grab().save(str(OUT / "letters_letterhead_dialog.png"))
    dialog.edits["kvk_number"].setText("33075294")
    dialog.edits["window_top_mm"].setText("48,5")
    dialog.save()
    _settle(qtbot, ctx)
    head = letters.get_letterhead(db, w.care_office_code)
    assert (
        head.kvk_number == "33075294" and head.postcode == "2700AK" and head.window.top_mm == 48.5
    )


def test_concept_preview_follows_a_letterhead_saved_in_the_dialog(qtbot, db, users):  # type: ignore[no-untyped-def]
    """Issue 19: the letterhead dialog announces nothing by hand; its unit of work does
    ("care_office" in the change set), and the open concept is shown again on the new
    letterhead."""
    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w)
    ctx, view = _section(qtbot, db, users["purchaser"])
    assert view.select_request(rid)
    view.make_button.click()
    _settle(qtbot, ctx)
    assert view.current is not None and view.current.letter is not None
    assert "070 123 45 67" not in flat(" ".join(pdf_text(view.pdf)))
    dialog = view.open_letterhead()
    _settle(qtbot, ctx)
    dialog.office.setCurrentIndex(dialog.office.findData(w.care_office_code))
    _settle(qtbot, ctx)
    dialog.edits["phone"].setText("070 123 45 67")
    dialog.save()
    _settle(qtbot, ctx)
    assert view.current.request_id == rid
    assert "070 123 45 67" in flat(" ".join(pdf_text(view.pdf)))
