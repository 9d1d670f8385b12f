"""The flowing body of a letter: paragraphs with cached markup and line breaks (they repeat
from letter to letter), section headings kept with what follows, the amounts table and the
table of judged requirements or toetsingspunten."""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

from desktop.services import pdf_style as ps
from desktop.services.letters.model import LetterSource
from desktop.services.letters.page import BODY_W
from desktop.services.letters.values import amount_or_dash, shares

_FRAGS: dict[tuple[str, str], tuple] = {}
_WRAPS: dict[tuple, tuple] = {}
# Section heading of a letter. Kept with what follows by an explicit KeepTogether
# (keep_headings_with_next), not by keepWithNext, which combined with nested KeepTogethers
# pushed whole sections to the next page.
HEADING = ParagraphStyle("letter_h2", parent=ps.styles()["h2"], keepWithNext=0)


class _CachedParagraph(Paragraph):
    """A Paragraph whose line breaking is remembered per (text, style, width): the blocks that
    repeat from letter to letter (vervolg items, headings, bezwaar paragraph parts) and the
    second wrap that KeepTogether causes are not broken into lines again."""

    def wrap(self, availWidth, availHeight):  # noqa: ANN001, N803
        key = (self.text, self.style.name, availWidth)
        hit = _WRAPS.get(key)
        if hit is not None:
            self.width, self.height, self.blPara, self._wrapWidths = hit
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        if len(_WRAPS) > 5000:
            _WRAPS.clear()
        _WRAPS[key] = (self.width, self.height, self.blPara, self._wrapWidths)
        return result


def paragraph(text: str, style, bullet: str | None = None) -> Paragraph:  # noqa: ANN001
    """Paragraph with a cache of parsed markup: blocks that repeat from letter to letter (the
    vervolg items, headings, criterion texts) are parsed once."""
    key = (text, style.name)
    hit = _FRAGS.get(key)
    if hit is None:
        para = _CachedParagraph(text, style, bulletText=bullet)
        if len(_FRAGS) > 5000:
            _FRAGS.clear()
        _FRAGS[key] = (para.style, para.frags)
        return para
    return _CachedParagraph(text, hit[0], bulletText=bullet, frags=hit[1])


def keep_headings_with_next(story: list) -> list:
    """A heading never ends a page: keep it together with the flowable that follows."""
    out: list = []
    i = 0
    while i < len(story):
        f = story[i]
        if isinstance(f, Paragraph) and f.style is HEADING and i + 1 < len(story):
            nxt = story[i + 1]
            # Never nest KeepTogethers: reportlab then moves the group to the next page even
            # when it fits. Merge the heading into the following group instead.
            content = list(nxt._content) if isinstance(nxt, KeepTogether) else [nxt]
            out.append(KeepTogether([f, *content]))
            i += 2
        else:
            out.append(f)
            i += 1
    return out


def amounts_table(src: LetterSource, st: dict) -> Table:
    req_t, ap_t = src.requested_total, src.approved_total
    req_s, req_o = shares(src.requested_staff_amount, src.requested_other_amount)
    ap_s, ap_o = shares(src.approved_staff_amount, src.approved_other_amount)
    rows = [
        ["Onderdeel", "Aangevraagd", "%", "Toegekend", "%"],
        [
            "Extra zorgpersoneel",
            amount_or_dash(src.requested_staff_amount),
            req_s,
            amount_or_dash(src.approved_staff_amount),
            ap_s,
        ],
        [
            "Overige investeringen",
            amount_or_dash(src.requested_other_amount),
            req_o,
            amount_or_dash(src.approved_other_amount),
            ap_o,
        ],
        [
            "Totaal kwaliteitsbudget",
            amount_or_dash(req_t),
            "100%",
            amount_or_dash(ap_t),
            "100%" if ap_t else "–",
        ],
        [
            "Ter vergelijking: initieel gereserveerd budget",
            amount_or_dash(src.initial_reserved_amount),
            "",
            "",
            "",
        ],
    ]
    widths = [63 * mm, 33 * mm, 14 * mm, 33 * mm, 14 * mm]
    scale = BODY_W / sum(widths)
    t = ps.TextTable(rows, colWidths=[w * scale for w in widths], hAlign="LEFT")
    cmds = ps.table_style_commands(header_rows=1, stripes=False)
    cmds += [
        ("TEXTCOLOR", (0, 0), (-1, 0), ps.ACCENT),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("FONTNAME", (0, 3), (-1, 3), ps.FONT_BOLD),
        ("LINEABOVE", (0, 3), (-1, 3), 0.6, ps.INK),
        ("LINEBELOW", (0, 3), (-1, 3), 0.6, ps.INK),
        ("FONTSIZE", (0, 4), (-1, 4), 8),
        ("TEXTCOLOR", (0, 4), (-1, 4), ps.MUTED),
    ]
    t.setStyle(TableStyle(cmds))
    return t


@lru_cache(maxsize=512)
def _wrapped(text: str, width: float, font: str = ps.FONT, size: float = 9) -> str:
    """Pre-wrapped plain text for a table cell: much cheaper than a Paragraph per cell. Cached:
    the criterion texts and judgements repeat from letter to letter."""
    from reportlab.lib.utils import simpleSplit

    return "\n".join(simpleSplit(text.strip(), font, size, width - 8))


def judged_table(
    items, st: dict, *, number_header: str, first_header: str = "Toetsingspunt"
) -> Table:
    widths = [11 * mm, 60 * mm, 23 * mm, 0]  # the criteria are quoted in full: a wider column
    widths[3] = BODY_W - sum(widths)
    rows: list[list] = [[number_header, first_header, "Oordeel", "Toelichting"]]
    for it in items:
        rows.append(
            [
                it.number,
                _wrapped(it.text, widths[1]),
                _wrapped(it.judgement, widths[2], ps.FONT_BOLD),
                _wrapped(it.reasoning, widths[3]),
            ]
        )
    t = ps.TextTable(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    cmds = ps.table_style_commands(header_rows=1, stripes=True)
    cmds += [
        ("FONTNAME", (2, 1), (2, -1), ps.FONT_BOLD),
        ("TEXTCOLOR", (0, 1), (-1, -1), ps.INK),
        ("TEXTCOLOR", (0, 0), (-1, 0), ps.ACCENT),
        ("LEADING", (0, 0), (-1, -1), 11.5),
    ]
    t.setStyle(TableStyle(cmds))
    return t
