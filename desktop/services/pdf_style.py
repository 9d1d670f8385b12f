"""Shared PDF house style for every document the app prints (letters, visit reports, diagnoses).

Use it like this:

    from desktop.services import pdf_style as ps

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, **ps.doc_info(title="...", author="...",
                                                        subject="..."),
                            leftMargin=ps.MARGIN_LEFT, rightMargin=ps.MARGIN_RIGHT, ...)
    st = ps.styles()
    doc.build([Paragraph("Tekst met € en ë", st["body"])],
              canvasmaker=ps.numbered_canvas(first_numbered_page=2))

* Fonts: Liberation Sans (SIL OFL 1.1, `resources/fonts/LICENSE-LiberationSans.txt`),
  embedded as TrueType subsets; it has `€`, `ë`, `é`, `ï`, `ĳ` and the other Dutch characters.
  Font names: FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC; `<b>`/`<i>` in Paragraph markup
  work because the family is registered.
* Determinism: `doc_info()` sets `invariant=1`, so the same input gives the same bytes (fixed
  creation date and document id). Never put the current time into a document; pass the date
  the document is about.
* Page furniture: `numbered_canvas()` writes "Pagina 2 van 3" (from a chosen page on) and can
  draw a diagonal watermark such as "CONCEPT" on every page.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import SimpleDocTemplate, Table

from desktop.services import pdf_fonts

# The fonts live in pdf_fonts (issue 19); their names stay importable from here.
FAMILY = pdf_fonts.FAMILY
FONT = pdf_fonts.FONT
FONT_BOLD = pdf_fonts.FONT_BOLD
FONT_ITALIC = pdf_fonts.FONT_ITALIC
FONT_BOLD_ITALIC = pdf_fonts.FONT_BOLD_ITALIC
font_path = pdf_fonts.font_path
register_fonts = pdf_fonts.register_fonts
_FastTTFont = pdf_fonts._FastTTFont
_PRESET_CHARS = pdf_fonts._PRESET_CHARS

# --- colours and measures -------------------------------------------------------------------

INK = colors.HexColor("#1A1A1A")  # body text: near black prints crisper than grey
ACCENT = colors.HexColor("#1F4E79")  # headings, rules: a sober dark blue
MUTED = colors.HexColor("#5F6B76")  # letterhead details, footers, captions
RULE = colors.HexColor("#B8C2CC")  # thin lines, table grid
TABLE_HEADER_BG = colors.HexColor("#E8EEF4")
TABLE_STRIPE_BG = colors.HexColor("#F6F8FA")
WATERMARK = colors.Color(0.80, 0.15, 0.15, alpha=0.16)
OK = colors.HexColor("#2E7D32")
WARNING = colors.HexColor("#B26A00")
ERROR = colors.HexColor("#B3261E")

PAGE_SIZE = A4
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
BODY_SIZE = 10
BODY_LEADING = 14


@lru_cache(maxsize=1)
def _stylesheet() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        textColor=INK,
        alignment=TA_LEFT,
        spaceAfter=6,
    )
    s: dict[str, ParagraphStyle] = {"body": base}
    s["body_tight"] = ParagraphStyle("body_tight", parent=base, spaceAfter=0)
    s["bullet"] = ParagraphStyle(
        "bullet", parent=base, leftIndent=5 * mm, bulletIndent=0, spaceAfter=3
    )
    s["small"] = ParagraphStyle(
        "small", parent=base, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=0
    )
    s["small_right"] = ParagraphStyle("small_right", parent=s["small"], alignment=TA_RIGHT)
    s["label"] = ParagraphStyle(
        "label", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0
    )

    def bold(name: str, size: float, leading: float, colour: colors.Color, **space: float) -> None:
        s[name] = ParagraphStyle(
            name,
            parent=base,
            fontName=FONT_BOLD,
            fontSize=size,
            leading=leading,
            textColor=colour,
            **space,
        )

    bold("title", 16, 20, ACCENT, spaceAfter=8)
    bold("h1", 12.5, 16, ACCENT, spaceBefore=10, spaceAfter=4, keepWithNext=1)
    bold("h2", 10.5, 14, INK, spaceBefore=8, spaceAfter=2, keepWithNext=1)
    s["cell"] = ParagraphStyle("cell", parent=base, fontSize=9, leading=11.5, spaceAfter=0)
    s["cell_bold"] = ParagraphStyle("cell_bold", parent=s["cell"], fontName=FONT_BOLD)
    s["cell_right"] = ParagraphStyle("cell_right", parent=s["cell"], alignment=TA_RIGHT)
    s["cell_right_bold"] = ParagraphStyle(
        "cell_right_bold", parent=s["cell_right"], fontName=FONT_BOLD
    )
    s["cell_header"] = ParagraphStyle(
        "cell_header", parent=s["cell"], fontName=FONT_BOLD, textColor=ACCENT
    )
    s["cell_header_right"] = ParagraphStyle(
        "cell_header_right", parent=s["cell_header"], alignment=TA_RIGHT
    )
    s["centered"] = ParagraphStyle("centered", parent=base, alignment=TA_CENTER)
    return s


def styles() -> dict[str, ParagraphStyle]:
    """The house paragraph styles (a shared dict: copy a style before changing it)."""
    return _stylesheet()


class TextTable(Table):
    """A Table that draws each plain-text cell (left or right aligned) as one PDF text object
    instead of one per line: in letters the criteria table is most of the drawing work. Cells
    holding flowables, and any other alignment, are drawn by reportlab as usual."""

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: ANN001, ANN202, N802 (reportlab API)
        just = cellstyle.alignment
        if (
            not isinstance(cellval, str)
            or just not in ("LEFT", "RIGHT")
            or cellstyle.direction
            or cellstyle.shaping
            or cellstyle.href
            or cellstyle.destination
            or cellstyle.valign not in ("TOP", "BOTTOM", "MIDDLE")
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        cur = self._curcellstyle
        if cur is not cellstyle:  # as reportlab: only emit what changed
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        if not cellval:
            return None
        colpos, rowpos = pos
        colwidth, rowheight = size
        lines = cellval.split("\n")
        leading, fontsize = cellstyle.leading, cellstyle.fontsize
        if cellstyle.valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        elif cellstyle.valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        else:
            y = (
                rowpos
                + (
                    cellstyle.bottomPadding
                    + rowheight
                    - cellstyle.topPadding
                    + len(lines) * leading
                )
                / 2.0
                - fontsize
            )
        if just == "LEFT":
            text = canv.beginText(colpos + cellstyle.leftPadding, y)
            for line in lines:
                text.textLine(line)
        else:
            right = colpos + colwidth - cellstyle.rightPadding
            text = canv.beginText(right - canv.stringWidth(lines[0]), y)
            for i, line in enumerate(lines):
                if i:
                    y -= leading
                    text.setTextOrigin(right - canv.stringWidth(line), y)
                text.textOut(line)
        canv.drawText(text)
        return None


def table_style_commands(header_rows: int = 1, stripes: bool = True) -> list[tuple]:
    """TableStyle commands for the house table look (header band, thin rules, stripes)."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), TABLE_HEADER_BG),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT_BOLD),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT),
        ]
    if stripes:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, TABLE_STRIPE_BG]))
    return cmds


def padding(left: float = 0, right: float = 0, top: float = 0, bottom: float = 0) -> list[tuple]:
    """TableStyle commands for the cell padding of a whole table (layout tables: none)."""
    cells = ((0, 0), (-1, -1))
    return [
        ("LEFTPADDING", *cells, left),
        ("RIGHTPADDING", *cells, right),
        ("TOPPADDING", *cells, top),
        ("BOTTOMPADDING", *cells, bottom),
    ]


def text(value: object) -> str:
    """Escape a value for Paragraph markup (`&`, `<`, `>`); None becomes ""."""
    return "" if value is None else escape(str(value))


# --- document metadata ----------------------------------------------------------------------

PRODUCER = "Kwaliteitsdialoog"


def doc_info(
    *,
    title: str,
    author: str,
    subject: str = "",
    keywords: list[str] | None = None,
    creator: str = PRODUCER,
    lang: str = "nl-NL",
) -> dict:
    """Keyword arguments for a platypus DocTemplate: metadata plus deterministic output."""
    return {
        "title": title,
        "author": author,
        "subject": subject,
        "keywords": list(keywords or []),
        "creator": creator,
        "producer": PRODUCER,
        "invariant": 1,
        "pageCompression": 1,
        "lang": lang,
        "displayDocTitle": 1,
    }


def house_document(buf: BinaryIO, **info: Any) -> SimpleDocTemplate:
    """An A4 document with the house margins and the metadata of `doc_info(**info)` (title,
    author, subject, keywords): the frame of a report or an addendum."""
    return SimpleDocTemplate(
        buf,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        **doc_info(**info),
    )


# --- page furniture -------------------------------------------------------------------------


def page_label(page: int, total: int) -> str:
    return f"Pagina {page} van {total}"


def draw_watermark(canv: rl_canvas.Canvas, label: str = "CONCEPT") -> None:
    """Big diagonal watermark across the page (drawn under or over the content)."""
    register_fonts()
    width, height = canv._pagesize
    canv.saveState()
    canv.setFillColor(WATERMARK)
    canv.setFont(FONT_BOLD, 110)
    canv.translate(width / 2, height / 2)
    canv.rotate(55)
    canv.drawCentredString(0, -38, label)
    canv.restoreState()


def numbered_canvas(
    *,
    first_numbered_page: int = 1,
    watermark: str | None = None,
    footer_left: str | None = None,
    y: float = 12 * mm,
    right: float = MARGIN_RIGHT,
    left: float = MARGIN_LEFT,
):
    """A canvasmaker for `doc.build(..., canvasmaker=...)` that adds, on every page,
    "Pagina N van M" at the bottom right (from `first_numbered_page` on), an optional small
    footer text at the bottom left and an optional diagonal watermark (e.g. "CONCEPT")."""

    class _NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab API)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            page = self._pageNumber
            width, _height = self._pagesize
            if watermark:
                draw_watermark(self, watermark)
            self.saveState()
            self.setFont(FONT, 8)
            self.setFillColor(MUTED)
            if page >= first_numbered_page:
                self.drawRightString(width - right, y, page_label(page, total))
            if footer_left:
                self.drawString(left, y, footer_left)
            self.restoreState()

    return _NumberedCanvas
