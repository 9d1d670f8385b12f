"""PDF pages as images (pypdfium2) and printing exactly those pages on a QPrinter.

pdfium is not thread safe: every function here runs on the single database worker thread
(ctx.run). Qt allows QPainter on a QPrinter or QImage outside the GUI thread, so a whole print
job runs there too and the window stays responsive.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.ui.qt import QImage, QPainter, QPrinter, QRectF


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    stride: int
    data: bytes  # RGB888

    def to_qimage(self) -> QImage:
        return QImage(
            self.data, self.width, self.height, self.stride, QImage.Format.Format_RGB888
        ).copy()


def render_pages(
    pdf: bytes, dpi: float = 96.0, max_pages: int | None = None, first: int = 0
) -> list[PageImage]:
    """Pages `first`.. (0-based), at most `max_pages` of them."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        out = []
        count = len(doc) if max_pages is None else min(len(doc), first + max_pages)
        for i in range(first, count):
            bitmap = doc[i].render(scale=dpi / 72.0)
            pil = bitmap.to_pil().convert("RGB")
            out.append(PageImage(pil.width, pil.height, pil.width * 3, pil.tobytes()))
        return out
    finally:
        doc.close()


def print_pdfs(printer: QPrinter, pdfs: list[bytes], progress: Any = None) -> int:
    """Print every page of every PDF, rendered at the printer's resolution (max 600 dpi) and
    placed on the full paper (A4 on A4 gives the exact layout). Returns the pages printed."""
    import pypdfium2 as pdfium

    printer.setFullPage(True)
    dpi = min(float(printer.resolution() or 300), 600.0)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("printer")
    printed = 0
    try:
        for n, pdf in enumerate(pdfs):
            if progress is not None:
                if progress.cancelled:
                    break
                progress.report(n, len(pdfs), f"Afdrukken: brief {n + 1} van {len(pdfs)}")
            doc = pdfium.PdfDocument(pdf)
            try:
                for i in range(len(doc)):
                    if printed:
                        printer.newPage()
                    pil = doc[i].render(scale=dpi / 72.0).to_pil().convert("RGB")
                    img = QImage(
                        pil.tobytes(),
                        pil.width,
                        pil.height,
                        pil.width * 3,
                        QImage.Format.Format_RGB888,
                    )
                    target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
                    painter.drawImage(target, img)
                    printed += 1
            finally:
                doc.close()
    finally:
        painter.end()
    if progress is not None:
        progress.report(len(pdfs), len(pdfs), "Klaar")
    return printed
