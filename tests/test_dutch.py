"""Dutch everywhere (issue 14 item 2): Qt's own buttons and dialogs speak Dutch once the app has
loaded qtbase_nl; our questions have Dutch buttons; file dialogs start in Documents or in the
last folder used for that kind of file; after saving the status bar offers to open the file."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

ENGLISH = re.compile(
    r"\b(Yes|No|Cancel|Save|Open|Close|Apply|Discard|Retry|Ignore|Abort|Look in|File name|"
    r"Files of type|Print|Options|Properties|Back|Forward|Detail View|List View|Browse|Name|"
    r"Size|Date Modified|Delete|Undo|Redo|Copy|Paste|Select All|Folder|Directory|New Folder|"
    r"Choose|Restore Defaults|Save All|Yes to All|No to All|Output file|Location)\b"
)


@pytest.fixture
def dutch(qapp):  # type: ignore[no-untyped-def]
    from desktop.ui.dutch import install_translations

    assert install_translations(qapp)
    return qapp


def _texts(root) -> list[str]:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget

    out = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QLineEdit):
            out.append(w.placeholderText())
        if isinstance(w, QComboBox):
            out.extend(w.itemText(i) for i in range(w.count()))
        out.append(w.toolTip())
    return [t.replace("&", "") for t in out if t]


def _english(texts: list[str]) -> list[str]:
    return [t for t in texts if ENGLISH.search(t)]


def test_standard_buttons_are_dutch(dutch) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QDialogButtonBox, QMessageBox

    sb = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Vraag",
        "Doorgaan?",
        sb.Yes | sb.No | sb.Cancel | sb.Save | sb.Open | sb.Close | sb.Discard,
    )
    texts = [b.text().replace("&", "") for b in box.buttons()]
    assert {"Ja", "Nee", "Annuleren", "Opslaan", "Openen", "Sluiten"} <= set(texts)
    assert _english(texts) == []
    bb = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Apply
    )
    assert _english([b.text() for b in bb.buttons()]) == []


@pytest.mark.parametrize("mode", ["save", "open", "folder"])
def test_qt_file_dialog_is_dutch(dutch, qtbot, mode: str) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QFileDialog

    d = QFileDialog(None, "Brief opslaan als PDF", "", "PDF (*.pdf)")
    d.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own dialog, as on Linux
    if mode == "save":
        d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    elif mode == "folder":
        d.setFileMode(QFileDialog.FileMode.Directory)
    qtbot.addWidget(d)
    d.show()
    texts = _texts(d)
    assert any("Zoeken in" in t for t in texts), texts
    assert _english(texts) == [], _english(texts)


def test_print_dialog_is_dutch(dutch, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QPrintDialog

    d = QPrintDialog()
    qtbot.addWidget(d)
    d.show()
    texts = _texts(d)
    assert any("Afdrukken" in t for t in texts)
    assert _english(texts) == [], _english(texts)


def test_ask_has_dutch_buttons_and_answers(dutch, qtbot) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.dutch import ask
    from desktop.ui.qt import QApplication, QMessageBox, QTimer

    seen: list[list[str]] = []

    def answer(choice: str) -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append([b.text() for b in w.buttons()])
                next(b for b in w.buttons() if b.text() == choice).click()

    QTimer.singleShot(50, lambda: answer("Ja"))
    assert ask(None, "Vraag", "Doorgaan?") is True
    QTimer.singleShot(50, lambda: answer("Annuleren"))
    assert ask(None, "Stuk verwijderen", "Verwijderen?", yes="Verwijderen", no="Annuleren") is False
    assert sorted(seen[0]) == ["Ja", "Nee"] and sorted(seen[1]) == ["Annuleren", "Verwijderen"]


def test_no_code_asks_with_english_standard_buttons() -> None:
    """Questions go through desktop.ui.dutch.ask (or name their buttons); letters_view's
    confirm() is the one left on standard buttons, which qtbase_nl makes Ja/Nee."""
    root = Path(__file__).resolve().parents[1] / "desktop" / "ui"
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "QMessageBox.question(" in p.read_text(encoding="utf-8")
    ]
    assert offenders in ([], ["letters/letters_view.py"]), offenders


def _dialog_classes():  # type: ignore[no-untyped-def]
    import desktop.ui
    from desktop.ui.qt import QDialog

    for info in pkgutil.walk_packages(desktop.ui.__path__, "desktop.ui."):
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001, S112 - a module that needs a running app: not a dialog
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                yield cls


def test_the_apps_own_dialogs_show_no_english(dutch, qtbot, db, db_path, users) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.users import current_user
    from desktop.ui.context import AppContext

    ctx = AppContext(db_path)
    ctx.set_db(db)
    ctx.set_user(current_user(db))
    built = []
    for cls in _dialog_classes():
        dialog = None
        for args in ((ctx, None), (None,), ()):
            try:
                dialog = cls(*args)
                break
            except Exception:  # noqa: BLE001, S112 - needs other arguments; tried elsewhere
                continue
        if dialog is None:
            continue
        qtbot.addWidget(dialog)
        dialog.show()
        built.append(cls.__name__)
        assert _english(_texts(dialog)) == [], (cls.__name__, _english(_texts(dialog)))
        dialog.close()
    assert "ProfileDialog" in built and len(built) >= 5, built


def test_file_dialogs_start_in_documents_then_in_the_last_folder(
    dutch, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import files
    from desktop.ui.qt import QFileDialog

    docs = tmp_path / "Documenten"
    docs.mkdir()
    monkeypatch.setattr(files, "documents_folder", lambda: str(docs))
    asked: list[str] = []
    chosen = tmp_path / "brieven" / "Brief.pdf"
    chosen.parent.mkdir()

    def fake_save(parent, title, start, flt, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(start)
        return str(chosen), flt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    files.save_file_name(None, "Brief opslaan als PDF", "Brief.pdf", "PDF (*.pdf)")
    files.save_file_name(None, "Brief opslaan als PDF", "Tweede.pdf", "PDF (*.pdf)")
    files.save_file_name(None, "Exporteren", "overzicht.xlsx", "Excel-werkmap (*.xlsx)")
    assert asked == [
        str(docs / "Brief.pdf"),
        str(chosen.parent / "Tweede.pdf"),
        str(docs / "overzicht.xlsx"),
    ]  # remembered per kind of file
    # the memory survives the session: it lives in the settings file in the data folder
    assert files.app_settings().value("mappen/pdf") == str(chosen.parent)


def test_after_saving_the_status_bar_offers_to_open(dutch, qtbot, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui import files
    from desktop.ui.qt import QDesktopServices, QLabel, QMainWindow, QPushButton

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    saved = tmp_path / "Kwaliteitsdiagnose.pdf"
    saved.write_bytes(b"%PDF-1.4")
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()))
    )
    files.offer_open(window, saved)
    button = window.statusBar().findChild(QPushButton, "offerOpen")
    assert button is not None and button.text() == "Openen"
    qtbot.waitUntil(button.isVisible)
    assert (
        window.statusBar().findChild(QLabel, "offerText").text()
        == "Opgeslagen: Kwaliteitsdiagnose.pdf"
    )
    button.click()
    window.statusBar().findChild(QPushButton, "offerFolder").click()
    assert opened == [str(saved), str(tmp_path)]
