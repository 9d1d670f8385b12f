"""Help › Handleiding (F1): the short Dutch user guide shipped in resources/help (issue 14)."""

from __future__ import annotations

from pathlib import Path

from desktop.ui.qt import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE = Path(__file__).resolve().parents[2] / "resources" / "help" / "handleiding.md"


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Handleiding Kwaliteitsdialoog")
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Handleiding")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(GUIDE.read_text(encoding="utf-8"))
        lay.addWidget(self.browser)
        buttons = QDialogButtonBox()
        close = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        lay.addWidget(buttons)


def open_guide(ctx: object, window: QWidget) -> None:
    dlg = getattr(window, "_guide", None)
    if dlg is None:
        dlg = GuideDialog(window)
        window._guide = dlg  # type: ignore[attr-defined]
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
