"""Bestand › Importeren…: providers and locations from a CSV file, as `kwaliteitsdialoog import`
does it -- a preview of the rows, every bad row with its line and Dutch reason, and the same
all-or-nothing rule (import is off while any row is bad). Issue 14."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.services import importer
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError


def _check(db: Any, path: str) -> tuple[importer.Preview, importer.ImportReport]:
    return importer.preview_csv(path), importer.import_csv(db, path, dry_run=True)


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: str | None = None
        self.report: importer.ImportReport | None = None
        self.setWindowTitle("Zorgaanbieders en locaties importeren")
        self.resize(900, 560)
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Kies een CSV-bestand met één regel per locatie (kolommen: "
            + ", ".join(importer.COLUMNS)
            + "). Er wordt pas iets opgeslagen als alle "
            "regels in orde zijn."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QHBoxLayout()
        self.file_label = QLabel("Nog geen bestand gekozen.")
        self.file_label.setWordWrap(True)
        self.choose_button = QPushButton("Bestand kiezen…")
        row.addWidget(self.file_label, 1)
        row.addWidget(self.choose_button)
        lay.addLayout(row)
        self.file_error = FieldError(self.choose_button)
        lay.addWidget(self.file_error)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Voorbeeld van de regels")
        self.table.verticalHeader().setVisible(True)
        lay.addWidget(self.table, 2)
        self.errors_title = QLabel("<b>Regels met fouten</b>")
        lay.addWidget(self.errors_title)
        self.errors = QListWidget()
        self.errors.setAccessibleName("Regels met fouten")
        lay.addWidget(self.errors, 1)
        self.errors_title.hide()
        self.errors.hide()
        self.result = QLabel("")
        self.result.setWordWrap(True)
        lay.addWidget(self.result)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Importeren", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.close_button = buttons.addButton("Sluiten", QDialogButtonBox.ButtonRole.RejectRole)
        lay.addWidget(buttons)
        self.choose_button.clicked.connect(self.choose)
        self.import_button.clicked.connect(self.do_import)
        self.close_button.clicked.connect(self.reject)

    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CSV-bestand kiezen", str(Path.home()), "CSV-bestanden (*.csv *.txt)"
        )
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        """Show the file's rows and what is wrong with them (a dry run of the import)."""
        self.path = path
        self.report = None
        self.file_label.setText(path)
        self.file_error.clear_error()
        self.result.clear()
        self.import_button.setEnabled(False)
        self.ctx.run(
            _check,
            self.ctx.db,
            path,
            on_done=self._show,
            on_error=self._failed,
            label="Bestand controleren",
        )

    def _failed(self, exc: BaseException) -> None:
        self.table.setRowCount(0)
        self.summary.clear()
        self.file_error.show_error(
            getattr(exc, "message", None) or "Dit bestand kan niet worden gelezen."
        )

    def _show(self, result: tuple[importer.Preview, importer.ImportReport]) -> None:
        preview, report = result
        self.report = report
        self.table.setColumnCount(len(preview.header))
        self.table.setHorizontalHeaderLabels(list(preview.header))
        self.table.setRowCount(len(preview.rows))
        bad = {e.line for e in report.errors}
        for r, (line, cells) in enumerate(preview.rows):
            head = QTableWidgetItem(str(line))
            self.table.setVerticalHeaderItem(r, head)
            for c, value in enumerate(cells[: len(preview.header)]):
                item = QTableWidgetItem(value)
                if line in bad:
                    item.setToolTip("; ".join(e.message for e in report.errors if e.line == line))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.errors.clear()
        for e in report.errors:
            self.errors.addItem(str(e).capitalize())
        self.errors_title.setVisible(bool(report.errors))
        self.errors.setVisible(bool(report.errors))
        rows = f"{report.rows} regel" + ("s" if report.rows != 1 else "")
        if report.errors:
            self.summary.setText(
                f"{rows} gelezen; {len(report.errors)} fout(en). Verbeter het bestand "
                "en kies het opnieuw: er wordt niets geïmporteerd zolang er fouten zijn."
            )
        elif report.rows == 0:
            self.summary.setText("Het bestand bevat geen regels met locaties.")
        else:
            self.summary.setText(
                f"{rows} in orde: {report.providers_created} nieuwe zorgaanbieder(s), "
                f"{report.locations_created} nieuwe locatie(s), "
                f"{report.already_present} al aanwezig."
            )
        self.import_button.setEnabled(report.ok and report.locations_created > 0)

    def do_import(self) -> None:
        if self.path is None or self.report is None or not self.report.ok:
            return
        self.import_button.setEnabled(False)
        user = self.ctx.user.id if self.ctx.user else None
        self.ctx.run(
            importer.import_csv,
            self.ctx.db,
            self.path,
            actor_id=user,
            on_done=self._done,
            on_error=self._failed,
            label="Importeren",
        )

    def _done(self, report: importer.ImportReport) -> None:
        if not report.written:
            self._show((importer.preview_csv(self.path), report)) if self.path else None
            return
        self.result.setText(
            f"✔ Geïmporteerd: {report.providers_created} zorgaanbieder(s) en "
            f"{report.locations_created} locatie(s)."
        )
        self.ctx.announce("*")


def open_import_dialog(ctx: AppContext, window: QWidget) -> None:
    ImportDialog(ctx, window).exec()
