"""The pages of a PDF shown one below the other, fitted to the width of the pane (never larger
than rendered). The images come from pdf_pages.render_pages on the database worker."""

from __future__ import annotations

from desktop.ui import style
from desktop.ui.letters.pdf_pages import PageImage
from desktop.ui.qt import (
    QFrame,
    QImage,
    QLabel,
    QPixmap,
    QResizeEvent,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)


class PagePreview(QScrollArea):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(name)
        self.pages_host = QWidget()
        self.pages_layout = QVBoxLayout(self.pages_host)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_layout.setSpacing(12)
        self.setWidget(self.pages_host)
        self.setStyleSheet(f"QScrollArea {{ background: {style.PREVIEW_BACKGROUND}; }}")
        self.page_labels: list[QLabel] = []
        self._images: list[QImage] = []

    def set_pages(self, pages: list[PageImage]) -> None:
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []
        self._images = [page.to_qimage() for page in pages]
        for i in range(len(self._images)):
            label = QLabel()
            label.setFrameShape(QFrame.Shape.Box)
            label.setAccessibleName(f"Pagina {i + 1} van {len(self._images)}")
            self.pages_layout.addWidget(label)
            self.page_labels.append(label)
        self.fit_pages()

    def fit_pages(self) -> None:
        """Show the pages at the width of the preview (never larger than rendered)."""
        width = max(200, self.viewport().width() - 32)
        for label, image in zip(self.page_labels, self._images, strict=False):
            pix = QPixmap.fromImage(image)
            if pix.width() > width:
                pix = pix.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            label.setPixmap(pix)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.page_labels:
            self.fit_pages()
