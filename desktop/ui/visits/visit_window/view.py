"""The visit window's widgets (view): a header (title, save status, the buttons), a banner
for a correction, the form and the visit's Stukken beside it. Behaviour (autosave, completing,
correcting) lives in `VisitWindow` (controller.py), which wires the callbacks declared here.
"""

from __future__ import annotations

from typing import Any

from desktop.ui.documents.panel import DocumentsPanel
from desktop.ui.qt import (
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    shiboken_is_valid,
)
from desktop.ui.style import BORDER, NOTE_BACKGROUND, NOTE_BORDER, NOTE_TEXT, SURFACE
from desktop.ui.visits.form_view import FormView
from desktop.ui.widgets import title_label

HEADER_STYLE = (
    f"QWidget#visitHeader {{ background: {SURFACE}; border-bottom: 1px solid {BORDER}; }}"
)
BANNER_STYLE = (
    f"background:{NOTE_BACKGROUND}; color:{NOTE_TEXT}; padding:6px 18px;"
    f"border-bottom:1px solid {NOTE_BORDER};"
)


class VisitWindowView(QWidget):
    def __init__(self, ctx: Any, visit: Any, form: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._closed = False  # worker callbacks may arrive after the window is gone
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.resize(1366, 768)
        self.setMinimumSize(1000, 600)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self._header())
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        lay.addWidget(self.banner)

        self.view = FormView(form, visit.answers, read_only=not visit.is_draft)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.view)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(8, 10, 12, 10)
        self.documents = DocumentsPanel(ctx, side, kind="site_visit", compact=True)
        side_lay.addWidget(self.documents)
        self.body.addWidget(side)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 1)
        self.documents_side = side
        side.hide()
        lay.addWidget(self.body, 1)
        model = self.documents.table.model()
        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            sig.connect(lambda *_a: self._count_documents())
        self.documents_button.toggled.connect(self.show_documents)

        self.view.changed.connect(self._on_changed)
        self.view.section_changed.connect(lambda _row: self.save_now(sync=True))
        self.report_button.clicked.connect(lambda: self.export_report())
        self.correct_button.clicked.connect(self.ask_correction)
        self.complete_button.clicked.connect(self.complete)
        self.close_button.clicked.connect(self.close)
        sc = QShortcut(QKeySequence("Ctrl+S"), self)
        sc.activated.connect(lambda: self.save_now(sync=True))
        sc2 = QShortcut(QKeySequence("Ctrl+Shift+Return"), self)
        sc2.activated.connect(self.complete)

    def _header(self) -> QWidget:
        head = QWidget()
        head.setObjectName("visitHeader")
        head.setStyleSheet(HEADER_STYLE)
        hl = QHBoxLayout(head)
        hl.setContentsMargins(18, 10, 18, 10)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = title_label("")
        self.subtitle = title_label("", "pageSubtitle")
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        hl.addLayout(text, 1)
        self.save_label = QLabel("")
        self.save_label.setObjectName("muted")
        self.save_label.setAccessibleName("Opslagstatus")
        self.save_label.setWordWrap(True)
        self.save_label.setMaximumWidth(340)
        self.save_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hl.addWidget(self.save_label)
        hl.addSpacing(12)
        # Issue 20: the visit's Stukken (photos, the provider's papers) beside the form.
        self.documents_button = QPushButton("Stukken")
        self.documents_button.setCheckable(True)
        self.documents_button.setToolTip("Stukken bij dit bezoek tonen of verbergen")
        self.documents_button.setAccessibleName("Stukken bij dit bezoek")
        self.report_button = QPushButton("Verslag (PDF)…")
        self.correct_button = QPushButton("Corrigeren…")
        self.complete_button = QPushButton("Afronden")
        self.complete_button.setProperty("primary", True)
        self.complete_button.setToolTip("Controleer en rond het bezoek af (Ctrl+Shift+Enter)")
        self.close_button = QPushButton("Sluiten")
        for b in (
            self.documents_button,
            self.report_button,
            self.correct_button,
            self.complete_button,
            self.close_button,
        ):
            b.setAutoDefault(False)
            b.setDefault(False)
            hl.addWidget(b)
        return head

    # -- display ---------------------------------------------------------------------------
    def show_documents(self, on: bool = True) -> None:
        """Show or hide the Stukken panel beside the form."""
        if self.documents_button.isChecked() != on:
            self.documents_button.setChecked(on)  # comes back here through `toggled`
            return
        self.documents_side.setVisible(on)
        if on:
            width = max(self.body.width(), 1)
            self.body.setSizes([width - width // 3, width // 3])

    def _count_documents(self) -> None:
        table = self.documents.table
        if (
            self._closed
            or not shiboken_is_valid(table)
            or not shiboken_is_valid(self.documents_button)
        ):
            return  # the model empties itself while the window is torn down
        n = table.rowCount()
        self.documents_button.setText(f"Stukken ({n})" if n else "Stukken")

    # -- callbacks the controller implements -------------------------------------------------
    def _on_changed(self) -> None:
        raise NotImplementedError

    def save_now(self, sync: bool = True) -> None:
        raise NotImplementedError

    def export_report(self, path: str | None = None) -> None:
        raise NotImplementedError

    def ask_correction(self) -> None:
        raise NotImplementedError

    def complete(self) -> None:
        raise NotImplementedError
