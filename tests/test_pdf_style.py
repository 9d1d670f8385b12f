"""The shared PDF house style: embedded fonts with € and diacritics, determinism, page numbers."""

from __future__ import annotations

import io

import pypdf
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

from desktop.services import pdf_style as ps


def _build(watermark=None, pages=3, first=2) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=ps.PAGE_SIZE,
        **ps.doc_info(title="Testdocument", author="Zorgkantoor Test", subject="Huisstijl"),
    )
    st = ps.styles()
    story = []
    for i in range(pages):
        story.append(Paragraph(f"<b>Kop {i + 1}</b>", st["h1"]))
        story.append(Paragraph("Bedrag € 1.234.567,89 — coördinatie, financiële ruimte, ĳs.", st["body"]))
        if i < pages - 1:
            story.append(PageBreak())
    doc.build(story, canvasmaker=ps.numbered_canvas(first_numbered_page=first, watermark=watermark))
    return buf.getvalue()


def test_fonts_embedded_and_text_extractable():
    data = _build()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "€ 1.234.567,89" in text
    assert "coördinatie" in text and "financiële" in text
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            font = f.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if desc is not None:
                desc = desc.get_object()
                assert "/FontFile2" in desc, "TrueType font must be embedded"
    assert any("LiberationSans" in f for f in fonts)
    meta = reader.metadata
    assert meta.title == "Testdocument"
    assert meta.author == "Zorgkantoor Test"
    assert meta.subject == "Huisstijl"


def test_same_input_same_bytes():
    assert _build() == _build()


def test_page_numbers_from_chosen_page():
    reader = pypdf.PdfReader(io.BytesIO(_build(pages=3, first=2)))
    texts = [p.extract_text() for p in reader.pages]
    assert "Pagina" not in texts[0]
    assert "Pagina 2 van 3" in texts[1]
    assert "Pagina 3 van 3" in texts[2]


def test_watermark_on_every_page():
    reader = pypdf.PdfReader(io.BytesIO(_build(watermark="CONCEPT", pages=2)))
    assert all("CONCEPT" in p.extract_text() for p in reader.pages)
    plain = pypdf.PdfReader(io.BytesIO(_build(pages=2)))
    assert not any("CONCEPT" in p.extract_text() for p in plain.pages)
