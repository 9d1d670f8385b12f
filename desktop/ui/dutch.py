"""Dutch for Qt's own texts: the standard buttons, file, print and colour dialogs (qtbase_nl
from PySide6's translations), and questions with Dutch button texts of our own."""

from __future__ import annotations

import logging

from desktop.ui.qt import (
    QApplication,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QMessageBox,
    QTranslator,
    QWidget,
)

log = logging.getLogger(__name__)

_installed: list[QTranslator] = []  # kept alive as long as the application

# Texts qtbase_nl leaves in English (seen in Qt 6's own file dialog), per context.
MISSING = {
    "QFileDialog": {
        "&Look in:": "&Zoeken in:",
        "Look in:": "Zoeken in:",
        "Files of type:": "Bestandstype:",
        "Files of &type:": "Bestands&type:",
    },
}


class _MissingDutch(QTranslator):
    """The few texts qtbase_nl lacks; installed after it, so asked first."""

    def translate(
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,  # type: ignore[override]
        n: int = -1,
    ) -> str | None:
        return MISSING.get(context, {}).get(source)  # type: ignore[return-value] # None: not ours

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def install_translations(app: QCoreApplication | None = None) -> bool:
    """Load Qt's Dutch translations into the application (once). True when loaded."""
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    if _installed:
        return True
    QLocale.setDefault(QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ok = False
    for name in ("qtbase_nl", "qt_nl"):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            _installed.append(tr)
            ok = True
    extra = _MissingDutch(app)
    app.installTranslator(extra)
    _installed.append(extra)
    if not ok:
        log.warning("Qt's Dutch translations not found in %s", folder)
    return ok


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    yes: str = "Ja",
    no: str = "Nee",
    default_yes: bool = False,
    informative: str = "",
) -> bool:
    """A yes/no question with Dutch buttons (the button texts say what happens where that
    helps, e.g. yes="Verwijderen", no="Annuleren"). True when the user chose `yes`."""
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.YesRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(yes_button if default_yes else no_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button
