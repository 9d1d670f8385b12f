"""The shared PDF house style: embedded fonts with € and diacritics, determinism, page numbers."""

from __future__ import annotations

import functools
import io

import pypdf
from hypothesis import given, settings
from hypothesis import strategies as hst
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont
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
        story.append(
            Paragraph("Bedrag € 1.234.567,89 — coördinatie, financiële ruimte, ĳs.", st["body"])
        )
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


# --- the fast splitString path ------------------------------------------------------------------

# Text runs as a letter has them: Dutch text with diacritics, €, no-break spaces, now and then a
# character from far outside Latin-1 (forces a second subset) or one the font lacks.
_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:-–—€ëéïöüĳ\u00a0()/%"
)
_RUNS = hst.lists(
    hst.one_of(
        hst.text(alphabet=_ALPHABET, max_size=60),
        hst.text(alphabet=hst.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=8),
    ),
    max_size=40,
)


class _Doc:
    """Stands for a PDF document: font states are kept per document (weakly referenced)."""


@functools.cache
def _fonts() -> tuple[TTFont, TTFont]:
    path = ps.font_path(ps.FONT)
    return ps._FastTTFont("FastCheck", path), TTFont("PlainCheck", path)


@settings(max_examples=150, deadline=None)
@given(runs=_RUNS)
def test_fast_split_string_matches_reportlab(runs):
    """The fast path of splitString gives exactly reportlab's runs and code assignments for any
    sequence of text runs in one document (so the PDF bytes cannot differ), given the same
    preset characters first."""
    fast, plain = _fonts()
    doc_fast, doc_plain = _Doc(), _Doc()
    plain.splitString(ps._PRESET_CHARS, doc_plain)
    for text in ["", *runs]:
        assert fast.splitString(text, doc_fast) == plain.splitString(text, doc_plain)
    assert fast.state[doc_fast].assignments == plain.state[doc_plain].assignments
    assert fast.state[doc_fast].subsets == plain.state[doc_plain].subsets


def test_fast_split_string_takes_the_fast_path():
    """A run of already assigned characters does not go through reportlab's loop."""
    font, _plain = _fonts()
    doc = _Doc()
    first = font.splitString("Geachte mevrouw, € 1.234,56 coördinatie", doc)
    calls = []
    original = TTFont.splitString
    TTFont.splitString = lambda *a, **k: calls.append(a) or original(*a, **k)  # type: ignore[method-assign]
    try:
        again = font.splitString("mevrouw € 4.321,65 coördinatie", doc)
    finally:
        TTFont.splitString = original  # type: ignore[method-assign]
    assert calls == [] and len(first) == 1 and again[0][0] == 0


def test_font_program_made_and_compressed_once(monkeypatch):
    """Two documents with the same characters embed the same font program; the later one reuses
    the compressed stream (and the PDF still carries the whole font subset)."""
    import types
    import zlib

    first = _build()
    compressed = []
    fake = types.SimpleNamespace(
        compress=lambda data: compressed.append(len(data)) or zlib.compress(data),
        decompress=zlib.decompress,
    )
    from desktop.services import pdf_fonts  # the fonts moved out of pdf_style (issue 19)

    monkeypatch.setattr(pdf_fonts, "zlib", fake)
    monkeypatch.setattr(pdfdoc, "zlib", fake)
    second = _build()
    assert second == first
    assert (
        compressed and max(compressed) < 4000
    )  # page streams only: the font programs came from the memo
    reader = pypdf.PdfReader(io.BytesIO(second))
    programs = [
        f.get_object()["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        for f in reader.pages[0]["/Resources"]["/Font"].values()
        if "LiberationSans" in f.get_object()["/BaseFont"]
    ]
    assert len(programs) == 2 and all(len(p) > 5000 for p in programs)


def _table_pdf(table_class) -> bytes:  # noqa: ANN001
    from reportlab.platypus import TableStyle

    rows = [
        ["Kop", "Bedrag", "Toelichting"],
        ["Eerste regel\ntweede regel\nderde", "€ 1.234.567,89", "één"],
        ["", "€ 12,00\n€ 3,50", "coördinatie\nmet zorgaanbieders"],
        [Paragraph("<b>Paragraaf</b> in een cel", ps.styles()["body"]), "1%", ""],
    ]
    table = table_class(rows, colWidths=[60, 50, 80], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *ps.table_style_commands(),
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("VALIGN", (0, 2), (-1, 2), "MIDDLE"),
                ("VALIGN", (0, 3), (-1, 3), "BOTTOM"),
                ("FONTNAME", (1, 1), (1, 1), ps.FONT_BOLD),
                ("LEADING", (0, 0), (-1, -1), 13),
            ]
        )
    )
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=ps.PAGE_SIZE, **ps.doc_info(title="t", author="a", subject="s")
    ).build([table])
    return buf.getvalue()


def test_text_table_draws_exactly_like_reportlab_table():
    """TextTable's one-text-object-per-cell drawing gives the same pixels as reportlab's Table
    for left and right aligned, multi-line, empty and flowable cells in every vertical alignment."""
    import pypdfium2 as pdfium
    from reportlab.platypus import Table

    ps.register_fonts()
    fast, plain = _table_pdf(ps.TextTable), _table_pdf(Table)
    assert fast != plain  # really drawn differently ...
    images = [
        pdfium.PdfDocument(data)[0].render(scale=3).to_pil().convert("L").tobytes()
        for data in (fast, plain)
    ]
    assert images[0] == images[1]  # ... to the same effect
    text = pypdf.PdfReader(io.BytesIO(fast)).pages[0].extract_text()
    assert "€ 1.234.567,89" in text and "coördinatie" in text and "derde" in text
