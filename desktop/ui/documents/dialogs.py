"""Dialogs of the Stukken panel: what is being added (type, date received) and the preview
of a PDF (page by page, rendered with pypdfium2 on the database worker) or an image."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from desktop.services import formatting
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QComboBox,
    QDate,
    QDateEdit,
    QDesktopServices,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QImage,
    QLabel,
    QPixmap,
    QPushButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import dialog_buttons

F = TypeVar("F", bound=Callable[..., Any])


def if_alive(fn: F) -> F:
    """For callbacks of background jobs: a widget closed (and deleted) while its job ran
    ignores the late answer instead of failing on the deleted Qt object."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except RuntimeError as exc:
            if "already deleted" in str(exc):
                return None
            raise

    return wrapper  # type: ignore[return-value]


# A file name that says what it is picks the type (the user can change it).
_GUESS = (
    ("kwaliteitsplan", "QUALITY_PLAN"),
    ("verbeterplan", "QUALITY_PLAN"),
    ("begroting", "BUDGET"),
    ("realisatie", "BUDGET"),
    ("verslag", "REPORT"),
    ("rapport", "REPORT"),
    ("brief", "LETTER"),
    ("addendum", "LETTER"),
)


def guess_type(names: list[str]) -> str:
    lowered = " ".join(Path(n).name.lower() for n in names)
    for word, code in _GUESS:
        if word in lowered:
            return code
    return "OTHER"


class AddDocumentsDialog(QDialog):
    def __init__(self, paths: list[str], parent: QWidget | None = None) -> None:
        from desktop.services.documents.service import DOC_TYPES

        super().__init__(parent)
        self.setWindowTitle("Bijlage toevoegen")
        self.setMinimumWidth(440)
        lay = QVBoxLayout(self)
        names = [Path(p).name for p in paths]
        heading = QLabel("Toe te voegen bestand" + ("en:" if len(names) != 1 else ":"))
        heading.setObjectName("sectionTitle")
        lay.addWidget(heading)
        files = QLabel(
            "\n".join(names[:8]) + (f"\n… en nog {len(names) - 8}" if len(names) > 8 else "")
        )
        files.setWordWrap(True)
        lay.addWidget(files)
        form = QFormLayout()
        self.type_box = QComboBox()
        self.type_box.setAccessibleName("Soort stuk")
        for code, label in DOC_TYPES.items():
            self.type_box.addItem(label, code)
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(guess_type(names))))
        form.addRow("Soort", self.type_box)
        self.received = QDateEdit(QDate.currentDate())
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("d-M-yyyy")
        self.received.setMaximumDate(QDate.currentDate())
        self.received.setAccessibleName("Datum van ontvangst")
        form.addRow("Ontvangen op", self.received)
        lay.addLayout(form)
        lay.addWidget(dialog_buttons(self, "Toevoegen"))

    def doc_type(self) -> str:
        return str(self.type_box.currentData())

    def received_on(self) -> date:
        value = self.received.date().toPython()
        assert isinstance(value, date)
        return value


def _render(pdf: bytes, index: int, dpi: float) -> tuple[int, int, Any]:
    """(page count, page number shown, PageImage of page `index`, 0-based) on the database worker (pdfium is not thread
    safe; every pdfium call of the app runs there)."""
    import pypdfium2 as pdfium

    from desktop.ui.letters.pdf_pages import render_pages

    doc = pdfium.PdfDocument(pdf)
    try:
        count = len(doc)
    finally:
        doc.close()
    index = max(0, min(index, count - 1))
    return count, index + 1, render_pages(pdf, dpi=dpi, max_pages=1, first=index)[0]


class PreviewDialog(QDialog):
    """A PDF page by page (jump to a page: a search hit) or an image, scaled to the window."""

    DPI = 96.0

    def __init__(
        self, ctx: AppContext, doc: Any, data: bytes, page: int = 1, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.doc, self.data = ctx, doc, data
        self.page_count = 0
        self.setWindowTitle(f"{doc.title} – voorbeeld")
        self.resize(900, 700)
        lay = QVBoxLayout(self)
        info = QLabel(
            f"{doc.type_label} · ontvangen {formatting.long_date(doc.received_on)} · "
            f"{doc.size_label} · SHA-256 {doc.sha256[:16]}… (gecontroleerd)"
        )
        info.setObjectName("muted")
        info.setWordWrap(True)
        lay.addWidget(info)
        bar = QHBoxLayout()
        self.prev_button = QPushButton("Vorige")
        self.next_button = QPushButton("Volgende")
        self.page_box = QSpinBox()
        self.page_box.setAccessibleName("Pagina")
        self.page_box.setMinimum(1)
        self.page_label = QLabel()
        self.system_button = QPushButton("Openen in standaardprogramma")
        for w in (self.prev_button, self.page_box, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.system_button)
        lay.addLayout(bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.image = QLabel("Voorbeeld laden…")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image.setAccessibleName(f"Voorbeeld van {doc.title}")
        self.scroll_area.setWidget(self.image)
        lay.addWidget(self.scroll_area, 1)
        self.prev_button.clicked.connect(lambda: self.show_page(self.page_box.value() - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page_box.value() + 1))
        self.page_box.editingFinished.connect(lambda: self.show_page(self.page_box.value()))
        self.system_button.clicked.connect(self._system)
        self.is_pdf = doc.media_type == "application/pdf"
        for w in (self.prev_button, self.next_button, self.page_box, self.page_label):
            w.setVisible(self.is_pdf)
        if self.is_pdf:
            self.show_page(page)
        else:
            self._show_image()

    def show_page(self, page: int) -> None:
        if self.page_count:
            page = max(1, min(page, self.page_count))
        self.ctx.run(
            _render,
            self.data,
            page - 1,
            self.DPI,
            on_done=self._rendered,
            on_error=self._failed,
            label="Pagina tekenen",
        )

    @if_alive
    def _rendered(self, result: tuple[int, int, Any]) -> None:
        count, index, img = result
        self.page_count = count
        self.image.setPixmap(QPixmap.fromImage(img.to_qimage()))
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(count)
        self.page_box.setValue(index)
        self.page_box.blockSignals(False)
        self.page_label.setText(f"van {count}")
        self.prev_button.setEnabled(index > 1)
        self.next_button.setEnabled(index < count)

    def _show_image(self) -> None:
        img = QImage.fromData(self.data)
        if img.isNull():
            self.image.setText(
                "Deze afbeelding kan hier niet worden getoond. Kies 'Openen in standaardprogramma'."
            )
            return
        self.image.setPixmap(
            QPixmap.fromImage(img).scaled(
                860,
                600,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        self.image.setText(
            f"Het voorbeeld kan niet worden getoond ({exc}). Kies 'Openen in standaardprogramma'."
        )

    def _system(self) -> None:
        open_with_system(self.doc.title, self.doc.sha256, self.data)


def open_with_system(title: str, sha: str, data: bytes) -> Path:
    """Write a copy to the temp folder (the store's files have no extension) and hand it to
    the system's application."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "kwaliteitsdialoog-stukken"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in title)[:120]
    path = folder / f"{sha[:8]}-{safe}"
    path.write_bytes(data)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


def open_document(
    ctx: AppContext, document_id: str, page: int = 1, parent: QWidget | None = None
) -> None:
    """Open one document (a search hit) at `page`: downloaded first when needed."""
    from desktop.services.documents import service, transport

    def read(db: Any) -> tuple[Any, bytes]:
        doc = service.get_document(db, document_id)
        return doc, transport.fetch_and_read(db, doc.sha256)

    def done(result: tuple[Any, bytes]) -> None:
        doc, data = result
        if doc.previewable:
            PreviewDialog(ctx, doc, data, page=page, parent=parent).show()
        else:
            open_with_system(doc.title, doc.sha256, data)

    def failed(exc: BaseException) -> None:
        from desktop.ui.errors import report_exception

        report_exception(exc, parent)

    ctx.run(read, ctx.db, on_done=done, on_error=failed, label="Stuk openen")
