"""Issue 14: Bestand › Importeren… and Help › Handleiding (F1) through real widgets."""

from __future__ import annotations

from pathlib import Path

from gui_helpers import settle as _settle
from gui_helpers import ui_context as _ctx
from sqlmodel import func, select

from db.models import Location

EXAMPLE = Path(__file__).parents[1] / "resources" / "examples" / "aanbieders_locaties.csv"
OUT = Path(__file__).parents[1] / "out"


def _locations(db) -> int:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(Location)).one()


def test_bad_rows_are_listed_and_nothing_imports_until_the_file_is_right(qtbot, db, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.ui.import_dialog import ImportDialog

    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "fout.csv"
    broken = lines[2].replace("41234567", "4123")  # a KvK number of four digits on line 3
    bad.write_text("\n".join([lines[0], lines[1], broken, *lines[3:]]) + "\n", encoding="utf-8")
    ctx = _ctx(db)
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    before = _locations(db)
    dlg.load(str(bad))
    _settle(qtbot, ctx)
    assert dlg.table.rowCount() == len(lines) - 1  # the preview shows every row
    assert dlg.table.verticalHeaderItem(1).text() == "3"
    shown = [dlg.errors.item(i).text() for i in range(dlg.errors.count())]
    assert dlg.errors.isVisible() and any(
        t.startswith("Regel 3") and "kvk" in t.lower() for t in shown
    )
    assert not dlg.import_button.isEnabled()
    for w, h in ((1366, 768), (1024, 600)):
        dlg.resize(min(900, w - 40), min(560, h - 60))
        OUT.mkdir(exist_ok=True)
        dlg.grab().save(str(OUT / f"import_dialog_{w}.png"))
    dlg.load(str(EXAMPLE))
    _settle(qtbot, ctx)
    assert not dlg.errors.isVisible() and dlg.import_button.isEnabled()
    assert _locations(db) == before  # the check wrote nothing
    qtbot.mouseClick(
        dlg.import_button, __import__("desktop.ui.qt", fromlist=["Qt"]).Qt.MouseButton.LeftButton
    )
    _settle(qtbot, ctx)
    assert _locations(db) == before + len(lines) - 1
    assert "Geïmporteerd" in dlg.result.text()
    ctx.executor.shutdown()


def test_unreadable_file_is_told_at_the_field(qtbot, db, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.ui.import_dialog import ImportDialog

    empty = tmp_path / "leeg.csv"
    empty.write_text("", encoding="utf-8")
    ctx = _ctx(db)
    dlg = ImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.load(str(empty))
    _settle(qtbot, ctx)
    assert "is leeg" in dlg.file_error.text() and not dlg.import_button.isEnabled()
    ctx.executor.shutdown()


def test_the_guide_opens_with_the_roles_and_what_to_do_when_refused(qtbot):  # type: ignore[no-untyped-def]
    from desktop.ui.guide import GuideDialog

    dlg = GuideDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    text = dlg.browser.toPlainText()
    for words in (
        "Zorginkoper",
        "Kwaliteitsadviseur",
        "Teamleider",
        "sleutelbos",
        "Als iets wordt geweigerd",
    ):
        assert words in text
    for w, h in ((1366, 768), (1024, 600)):
        dlg.resize(min(760, w - 40), min(620, h - 60))
        OUT.mkdir(exist_ok=True)
        dlg.grab().save(str(OUT / f"guide_{w}.png"))
