"""The pages of a letter on the care office's letterhead (reportlab): the fixed-position parts
of page 1 (letterhead, address in the envelope window, reference line) and the running header
of later pages, around a flowing body; "Pagina N van M" and the CONCEPT watermark.
The same input gives the same bytes (pdf_style.doc_info sets reportlab's invariant mode).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from desktop.services import formatting as fmt
from desktop.services import pdf_style as ps
from desktop.services.letters.address import LEADING as ADDRESS_LEADING
from desktop.services.letters.address import address_block
from desktop.services.letters.model import LetterSource
from desktop.services.letters.values import long_date, plain

PAGE_W, PAGE_H = ps.PAGE_SIZE
LEFT = 25 * mm
RIGHT = 20 * mm
BODY_W = PAGE_W - LEFT - RIGHT
REF_TOP = 103 * mm  # reference line: below the upper fold (99 mm)
BODY_TOP_FIRST = 128 * mm
BODY_TOP_LATER = 28 * mm
BOTTOM = 24 * mm

_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    subject: str
    title: str
    page_count: int


class _LetterDoc(BaseDocTemplate):
    pass


def build_letter(
    src: LetterSource,
    story: list,
    subject: str,
    title: str,
    *,
    kenmerk: str | None,
    letter_date: date,
    draft: bool,
) -> Rendered:
    """A letter with this letterhead, address window, reference line and page numbers around
    `story`; CONCEPT watermark when `draft`."""
    buf = io.BytesIO()
    author = src.letterhead.name
    doc = _LetterDoc(
        buf,
        pagesize=ps.PAGE_SIZE,
        leftMargin=LEFT,
        rightMargin=RIGHT,
        topMargin=BODY_TOP_LATER,
        bottomMargin=BOTTOM,
        **ps.doc_info(
            title=("CONCEPT – " if draft else "") + plain(title),
            author=author,
            subject=plain(subject) + (f" ({kenmerk})" if kenmerk else ""),
            keywords=["beoordelingsbrief", "kwaliteitsbudget", str(src.budget_year)]
            + ([kenmerk] if kenmerk else ["concept"]),
        ),
    )
    first, later = (
        Frame(LEFT, BOTTOM, BODY_W, PAGE_H - top - BOTTOM, id=name, **_NO_PADDING)
        for name, top in (("first", BODY_TOP_FIRST), ("later", BODY_TOP_LATER))
    )
    furniture = _Furniture(src, kenmerk, letter_date, draft)
    doc.addPageTemplates(
        [
            PageTemplate(
                id="First",
                frames=[first],
                onPage=furniture.first_page,
                autoNextPageTemplate="Later",
            ),
            PageTemplate(id="Later", frames=[later], onPage=furniture.later_page),
        ]
    )
    doc.build(
        story,
        canvasmaker=ps.numbered_canvas(
            first_numbered_page=2, watermark="CONCEPT" if draft else None, left=LEFT, right=RIGHT
        ),
    )
    return Rendered(buf.getvalue(), plain(subject), plain(title), doc.page)


class _Furniture:
    """Fixed-position parts: letterhead, window address, reference line, running header."""

    def __init__(self, src: LetterSource, kenmerk: str | None, letter_date: date, draft: bool):
        self.src = src
        self.kenmerk = kenmerk
        self.date = letter_date
        self.draft = draft

    # -- page 1 ----------------------------------------------------------------------------
    def first_page(self, canv, doc) -> None:  # noqa: ANN001
        lh = self.src.letterhead
        canv.saveState()
        top = PAGE_H
        # Logo or word mark, top left
        logo_drawn = False
        if lh.logo_path and os.path.isfile(lh.logo_path):
            try:
                from reportlab.lib.utils import ImageReader

                img = ImageReader(lh.logo_path)
                iw, ih = img.getSize()
                h = 16 * mm
                w = min(70 * mm, iw * h / ih)
                h = w * ih / iw
                canv.drawImage(img, LEFT, top - 14 * mm - h, w, h, mask="auto")
                logo_drawn = True
            except Exception:  # noqa: BLE001 - a broken logo file must not stop the letter
                logo_drawn = False
        if not logo_drawn:
            canv.setFillColor(ps.ACCENT)
            canv.setFont(ps.FONT_BOLD, 15)
            canv.drawString(LEFT, top - 24 * mm, lh.name)
            canv.setStrokeColor(ps.ACCENT)
            canv.setLineWidth(1.2)
            canv.line(LEFT, top - 27 * mm, LEFT + 22 * mm, top - 27 * mm)
        # Sender details, right column
        x = 135 * mm
        y = top - 18 * mm
        canv.setFillColor(ps.INK)
        canv.setFont(ps.FONT_BOLD, 8.5)
        canv.drawString(x, y, lh.name)
        canv.setFont(ps.FONT, 8.5)
        canv.setFillColor(ps.MUTED)
        lines = [lh.postal_address, _pc_place(lh.postcode, lh.place)]
        if lh.visiting_address:
            lines.append(lh.visiting_address)
        lines.append("")
        contact = (("T", lh.phone), ("E", lh.email), ("W", lh.website))
        lines += [f"{mark}  {value}" for mark, value in contact if value]
        for line in lines:
            y -= 11
            if line:
                canv.drawString(x, y, line)
        # Window: return address + addressee
        win = lh.window
        wx = win.left_mm * mm + win.padding_mm * mm
        wy = top - win.top_mm * mm - win.padding_mm * mm
        ret = ", ".join(t for t in (lh.postal_address, _pc_place(lh.postcode, lh.place)) if t)
        if ret:
            canv.setFont(ps.FONT, 6.5)
            canv.setFillColor(ps.MUTED)
            canv.drawString(wx, wy - 6.5, f"Retouradres: {ret}")
            wy -= 4 * mm
        canv.setFont(ps.FONT, 10)
        canv.setFillColor(ps.INK)
        for line in address_block(self.src.addressee, win, bool(ret)).lines:
            wy -= ADDRESS_LEADING
            canv.drawString(wx, wy, line)
        # Reference line
        ref = [
            ("Uw kenmerk", self.src.your_reference or "–"),
            ("Uw brief van", long_date(self.src.your_letter_date) or "–"),
            ("Ons kenmerk", self.kenmerk or "CONCEPT"),
            ("Datum", long_date(self.date)),
        ]
        cols = [LEFT, LEFT + 40 * mm, LEFT + 80 * mm, LEFT + 128 * mm]
        self._ref_row(canv, top - REF_TOP, cols, ref)
        maker = self.src.maker
        row2 = [
            ("Behandeld door", maker.name if maker else "–"),
            ("Telefoon", lh.phone or "–"),
            ("E-mail", self.src.maker_email or lh.email or "–"),
        ]
        self._ref_row(canv, top - REF_TOP - 11 * mm, cols, row2)
        canv.setStrokeColor(ps.RULE)
        canv.setLineWidth(0.5)
        canv.line(LEFT, top - REF_TOP - 16 * mm, PAGE_W - RIGHT, top - REF_TOP - 16 * mm)
        self._footer(canv)
        canv.restoreState()

    @staticmethod
    def _ref_row(canv, y: float, cols: list[float], items: list[tuple[str, str]]) -> None:  # noqa: ANN001
        for (label, value), x in zip(items, cols, strict=False):
            canv.setFont(ps.FONT, 7.5)
            canv.setFillColor(ps.MUTED)
            canv.drawString(x, y, label)
            canv.setFont(ps.FONT, 9.5)
            canv.setFillColor(ps.INK)
            canv.drawString(x, y - 11.5, value)

    def _footer(self, canv) -> None:  # noqa: ANN001
        lh = self.src.letterhead
        parts = [lh.name]
        if lh.kvk_number:
            parts.append(f"KvK {lh.kvk_number}")
        if lh.iban:
            parts.append(f"IBAN {lh.iban}")
        if lh.website:
            parts.append(lh.website)
        canv.setFont(ps.FONT, 7.5)
        canv.setFillColor(ps.MUTED)
        canv.drawString(LEFT, 12 * mm, "  ·  ".join(parts))

    # -- later pages -------------------------------------------------------------------------
    def later_page(self, canv, doc) -> None:  # noqa: ANN001
        canv.saveState()
        canv.setFont(ps.FONT, 7.5)
        canv.setFillColor(ps.MUTED)
        y = PAGE_H - 15 * mm
        left = f"{self.src.letterhead.name}  ·  Ons kenmerk {self.kenmerk or 'CONCEPT'}"
        canv.drawString(LEFT, y, left)
        canv.drawRightString(PAGE_W - RIGHT, y, long_date(self.date))
        canv.setStrokeColor(ps.RULE)
        canv.setLineWidth(0.5)
        canv.line(LEFT, y - 3 * mm, PAGE_W - RIGHT, y - 3 * mm)
        canv.restoreState()


def _pc_place(postcode: str, place: str) -> str:
    if not postcode and not place:
        return ""
    pc = fmt.postcode(postcode) if postcode else ""
    return f"{pc}  {place.upper()}".strip()
