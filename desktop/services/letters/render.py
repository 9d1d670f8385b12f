"""Lay out a beoordelingsbrief as an A4 PDF (reportlab platypus, house style of pdf_style).

Page 1 carries the letterhead, the address block inside the envelope window, the reference
line and the subject on fixed positions (drawn on the canvas); the body flows from below the
reference line onto later pages, which get a small running header and "Pagina N van M".
The same input gives the same bytes (pdf_style.doc_info sets reportlab's invariant mode).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop.services import formatting as fmt
from desktop.services import pdf_style as ps
from desktop.services.budget import split
from desktop.services.letters.address import LEADING as ADDRESS_LEADING
from desktop.services.letters.address import address_block
from desktop.services.letters.cycle import (
    ADVANCE_PERCENT,
    cycle_dates,
    monthly_advance,
    monthly_amount,
)
from desktop.services.letters.model import AgreedResult, LetterSource
from desktop.services.letters.templates import Template, fill

PAGE_W, PAGE_H = ps.PAGE_SIZE
LEFT = 25 * mm
RIGHT = 20 * mm
BODY_W = PAGE_W - LEFT - RIGHT
REF_TOP = 103 * mm  # reference line: below the upper fold (99 mm)
BODY_TOP_FIRST = 128 * mm
BODY_TOP_LATER = 28 * mm
BOTTOM = 24 * mm
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    subject: str
    title: str
    page_count: int


_MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_CENT = Decimal("0.01")
_FRAGS: dict[tuple[str, str], tuple] = {}


def _long_date(d: date | None) -> str:
    """fmt.long_date without Babel's per-call cost (same output: "23 november 2026")."""
    return "" if d is None else f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _eur(value: Decimal, nbsp: bool = True) -> str:
    """fmt.money for non-negative amounts without Babel's per-call cost: "€ 1.234.567,89"."""
    if value < 0:
        return fmt.money(value, nbsp=nbsp)
    q = value.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    digits = f"{q:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("€\u00a0" if nbsp else "€ ") + digits


_WRAPS: dict[tuple, tuple] = {}
# Section heading of a letter. Kept with what follows by an explicit KeepTogether
# (_keep_headings_with_next), not by keepWithNext, which combined with nested KeepTogethers
# pushed whole sections to the next page.
_HEADING = ParagraphStyle("letter_h2", parent=ps.styles()["h2"], keepWithNext=0)


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


def _para(text: str, style, bulletText: str | None = None) -> Paragraph:  # noqa: ANN001, N803
    """Paragraph with a cache of parsed markup: blocks that repeat from letter to letter (the
    vervolg items, headings, criterion texts) are parsed once."""
    key = (text, style.name)
    hit = _FRAGS.get(key)
    if hit is None:
        para = _CachedParagraph(text, style, bulletText=bulletText)
        if len(_FRAGS) > 5000:
            _FRAGS.clear()
        _FRAGS[key] = (para.style, para.frags)
        return para
    return _CachedParagraph(text, hit[0], bulletText=bulletText, frags=hit[1])


def _shares(staff: Decimal | None, other: Decimal | None) -> tuple[str, str]:
    """Staff and other share as shown everywhere (budget.split: whole percents only when exact,
    otherwise one decimal; the two always add up to 100%)."""
    if staff is None or other is None or staff + other <= 0:
        return "–", "–"
    sp = split(staff, other)
    return sp.staff_text, sp.other_text


def _money(value: Decimal | None) -> str:
    return "–" if value is None else _eur(value)


def _values(src: LetterSource, kenmerk: str | None, letter_date: date) -> dict[str, str]:
    cyc = cycle_dates(src.budget_year)
    lh = src.letterhead
    ap_total = src.approved_total
    ap_staff, ap_other = _shares(src.approved_staff_amount, src.approved_other_amount)
    ap_split = (
        ""
        if ap_total is None
        else split(
            src.approved_staff_amount or Decimal(0), src.approved_other_amount or Decimal(0)
        ).label
    )
    above = src.requested_total - (ap_total or Decimal(0))
    raw = {
        "jaar": str(src.budget_year),
        "jaar_vorig": str(src.budget_year - 1),
        "jaar_volgend": str(src.budget_year + 1),
        "aanbieder": src.addressee.organisation,
        "zorgkantoor": lh.name,
        "datum_brief": _long_date(letter_date),
        "datum_ontvangst": _long_date(src.received_date),
        "uw_brief_van": _long_date(src.your_letter_date),
        "uw_kenmerk": src.your_reference,
        "ons_kenmerk": kenmerk or "",
        "initieel_budget": _eur(src.initial_reserved_amount),
        "aangevraagd_totaal": _eur(src.requested_total),
        "aangevraagd_personeel": _eur(src.requested_staff_amount),
        "aangevraagd_overig": _eur(src.requested_other_amount),
        "aangevraagd_verhouding": split(
            src.requested_staff_amount, src.requested_other_amount
        ).label,
        "toegekend_totaal": "" if ap_total is None else _eur(ap_total),
        "toegekend_personeel": ""
        if src.approved_staff_amount is None
        else _eur(src.approved_staff_amount),
        "toegekend_overig": ""
        if src.approved_other_amount is None
        else _eur(src.approved_other_amount),
        "toegekend_pct_personeel": "" if ap_total is None else ap_staff,
        "toegekend_pct_overig": "" if ap_total is None else ap_other,
        "toegekend_verhouding": ap_split,
        "boven_gereserveerd": _eur(above) if ap_total is not None and above > 0 else "",
        "maandbedrag": "" if not ap_total else _eur(monthly_amount(ap_total)),
        "voorschot_per_maand": "" if not ap_total else _eur(monthly_advance(ap_total)),
        "addendum_datum": _long_date(cyc.addendum_by),
        "voorschot_vanaf": _long_date(cyc.advance_from),
        "voorschot_pct": f"{ADVANCE_PERCENT}%",
        "goedkeuring_uiterlijk": _long_date(cyc.approval_for_retroactive_advance),
        "realisatie_1": _long_date(cyc.realisation_reports[0]),
        "realisatie_2": _long_date(cyc.realisation_reports[1]),
        "realisatie_3": _long_date(cyc.realisation_reports[2]),
        "herschikking": _long_date(cyc.reallocation),
        "verantwoording_jaar": _long_date(cyc.year_realisation_by),
        "accountant": _long_date(cyc.accountant_report_by),
        "nacalculatie": _long_date(cyc.final_accounting_by),
        "behandelaar": src.maker.name if src.maker else "",
        "telefoon": lh.phone,
        "email": src.maker_email or lh.email,
    }
    # Values are inserted into Paragraph markup: escape them; keep no-break spaces.
    return {k: ps.text(v) for k, v in raw.items()}


def _kinds(src: LetterSource) -> tuple[str, bool]:
    """(kind of the requested split, whether the approved split deviates)."""
    kind = split(src.requested_staff_amount, src.requested_other_amount).kind
    ap_dev = (
        src.approved_total is not None
        and src.approved_staff_amount is not None
        and src.approved_other_amount is not None
        and src.approved_total > 0
        and split(src.approved_staff_amount, src.approved_other_amount).is_deviation
    )
    return kind, ap_dev


def subject_line(src: LetterSource, template: Template, *, strict: bool) -> str:
    kind, ap_dev = _kinds(src)
    key = "deviation" if kind == "DEVIATION" else "deviation_approved" if ap_dev else "default"
    text = template.get("subject", key) or template.get("subject", "default") or ""
    values = {"jaar": str(src.budget_year), "aanbieder": src.addressee.organisation}
    return fill(text, values, where=f"subject.{key}", template=template, strict=strict)


class _LetterDoc(BaseDocTemplate):
    pass


def render_letter(
    src: LetterSource,
    template: Template,
    *,
    kenmerk: str | None,
    letter_date: date,
    draft: bool,
) -> Rendered:
    """The letter as PDF bytes. Drafts: CONCEPT watermark, missing placeholders shown in red.
    Definitive (draft=False): every placeholder must have a value (MissingPlaceholder)."""
    story, subject, title = _compose(
        src, template, kenmerk=kenmerk, letter_date=letter_date, draft=draft
    )
    return _build(src, story, subject, title, kenmerk=kenmerk, letter_date=letter_date, draft=draft)


def check_fillable(src: LetterSource, template: Template, *, letter_date: date) -> None:
    """Raise what render_letter(draft=False) would raise for missing placeholders or an unknown
    outcome, without laying out the PDF (the batch checks before it hands out kenmerken)."""
    _compose(
        src,
        template,
        kenmerk="ZK/KB/0000/000000",
        letter_date=letter_date,
        draft=False,
        texts_only=True,
    )


def render_job(
    job: tuple[LetterSource, Template, str | None, date, bool],
) -> Rendered | tuple[str, str]:
    """render_letter for a worker process of the batch: a refused letter comes back as
    (field, Dutch message) instead of an exception (picklable either way)."""
    from db.errors import ValidationError

    src, template, kenmerk, letter_date, draft = job
    try:
        return render_letter(src, template, kenmerk=kenmerk, letter_date=letter_date, draft=draft)
    except ValidationError as exc:
        return exc.field, exc.message


def _compose(
    src: LetterSource,
    template: Template,
    *,
    kenmerk: str | None,
    letter_date: date,
    draft: bool,
    texts_only: bool = False,
) -> tuple[list, str, str]:
    """The flowables of the body, the subject line and the document title (all text filled).
    texts_only: fill every text block (and raise what filling raises) but skip the tables,
    which hold no template text."""
    strict = not draft
    st = ps.styles()
    values = _values(src, kenmerk, letter_date)
    outcome = template.get("outcomes", src.decision) or {}
    if not outcome:
        from db.errors import ValidationError

        raise ValidationError(
            "decision", f"Het sjabloon heeft geen tekst voor de uitkomst '{src.decision}'."
        )

    def block(path: str, text: str | None = None) -> str:
        if text is None:
            keys = path.split(".")
            text = template.get(*keys, default="") or ""
        return fill(str(text), values, where=path, template=template, strict=strict)

    subject = subject_line(src, template, strict=strict)
    title = block("document_title")
    kind, ap_dev = _kinds(src)
    approval = src.decision != "REJECTED"

    story: list = []
    # Betreft (first flowable of page 1: long subjects wrap instead of overflowing)
    betreft = Table(
        [[_para("Betreft", st["label"]), _para(ps.text(subject), st["body_tight"])]],
        colWidths=[40 * mm, BODY_W - 40 * mm],
    )
    betreft.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BASELINE"),
            ]
        )
    )
    story += [betreft, Spacer(1, 9 * mm)]
    salutation = src.addressee.salutation or template.get("salutation_fallback", default="")
    story.append(_para(ps.text(salutation), st["body"]))
    story.append(Spacer(1, 2))

    def h(key: str) -> None:
        story.append(_para(ps.text(template.get("headings", key, default=key)), _HEADING))

    def p(markup: str) -> None:
        if markup.strip():
            story.append(_para(markup, st["body"]))

    # 1. Aanleiding
    h("aanleiding")
    p(block("blocks.aanleiding"))
    p(
        block(
            {
                "DEVIATION": "blocks.aanleiding_afwijking",
                "MORE_STAFF": "blocks.aanleiding_meer_personeel",
            }.get(kind, "blocks.aanleiding_geen_afwijking")
        )
    )

    # 2. Uitkomst
    h("uitkomst")
    p(block(f"outcomes.{src.decision}.uitkomst"))
    if not approval and kind == "DEVIATION":
        p(block(f"outcomes.{src.decision}.uitkomst_afwijking"))
    if approval and kind == "DEVIATION" and not ap_dev:
        p(block("blocks.afwijking_niet_overgenomen"))
    elif approval and kind != "DEVIATION" and ap_dev:
        p(block("blocks.afwijking_toegekend"))
    if not texts_only:
        story.append(_amounts_table(src, st))
    story.append(Spacer(1, 5))
    p(block("blocks.tabel_toelichting"))
    if src.decision_rationale.strip():
        p(ps.text(src.decision_rationale.strip()).replace("\n", "<br/>"))

    # 3. Toelichting: eisen and toetsingspunten
    if src.requirements:
        h("eisen")
        p(block("blocks.eisen_intro"))
        if not texts_only:
            story.append(_judged_table(src.requirements, st, number_header="§", first_header="Eis"))
        story.append(Spacer(1, 6))
    if src.criteria:
        h("criteria")
        p(block("blocks.criteria_intro"))
        if any(c.number.isdigit() and int(c.number) > 10 for c in src.criteria):
            p(block("blocks.criteria_eigen"))
        if not texts_only:
            story.append(_judged_table(src.criteria, st, number_header="Nr."))
        story.append(Spacer(1, 6))

    # 4. Maatwerkafspraken en verbeterpunten
    h("afspraken")
    if src.accepted and approval:
        group = [_para(block("blocks.geaccepteerd_intro"), st["body"])]
        for acc in src.accepted:
            group.append(
                _para(
                    fill(
                        str(template.get("blocks", "geaccepteerd_punt", default="")),
                        {
                            "punt": ps.text(acc.label),
                            "soort": ps.text(acc.basis),
                            "toelichting": ps.text(acc.text),
                        },
                        where="blocks.geaccepteerd_punt",
                        template=template,
                        strict=strict,
                    ),
                    st["bullet"],
                    bulletText="•",
                )
            )
        story += [KeepTogether(group), Spacer(1, 4)]
    if src.target_themes and approval:  # issue 17: the themes the money is meant to improve
        p(
            fill(
                str(template.get("blocks", "doelthemas", default="")),
                {**values, "themas": ps.text(_and_list(src.target_themes))},
                where="blocks.doelthemas",
                template=template,
                strict=strict,
            )
        )
    agreements = [a.strip(" -•\t") for a in src.custom_agreements.splitlines() if a.strip()]
    if src.agreed_results or agreements:
        group = [_para(block("blocks.afspraken_intro"), st["body"])]
        for a in src.agreed_results:
            group.append(
                _para(
                    agreed_result_text(a, template, values, strict=strict),
                    st["bullet"],
                    bulletText="•",
                )
            )
        for line in agreements:
            group.append(_para(ps.text(line), st["bullet"], bulletText="•"))
        story += [KeepTogether(group), Spacer(1, 4)]
    else:
        p(block("blocks.geen_afspraken"))
    points = [x for x in src.improvement_points if x.strip()][:3]
    if points:
        group = [_para(block("blocks.verbeterpunten_intro"), st["body"])]
        for i, point in enumerate(points, 1):
            group.append(_para(ps.text(point.strip()), st["bullet"], bulletText=f"{i}."))
        story += [KeepTogether(group), Spacer(1, 4)]

    # 5. Vervolg
    h("vervolg")
    p(block(f"outcomes.{src.decision}.vervolg_intro"))
    own = template.get("outcomes", src.decision, "vervolg_punten")
    where = f"outcomes.{src.decision}.vervolg_punten" if own else "blocks.vervolg_punten"
    for i, item in enumerate(own or template.get("blocks", "vervolg_punten", default=[]) or []):
        story.append(_para(block(f"{where}[{i}]", item), st["bullet"], bulletText="•"))
    story.append(Spacer(1, 4))

    # 6. Oneens
    h("oneens")
    p(block("blocks.oneens"))
    p(block("blocks.oneens_aanvullend"))  # only a care-office template setting fills this
    p(block("blocks.slot"))

    # Closing and signatures (kept together)
    closing: list = [
        Spacer(1, 2),
        _para(ps.text(template.get("closing", default="")), st["body"]),
        Spacer(1, 14 * mm),
    ]
    sig_rows = []
    people = [x for x in (src.maker, src.approver) if x is not None]
    if people:
        sig_rows.append([_para(f"<b>{ps.text(x.name)}</b>", st["body_tight"]) for x in people])
        sig_rows.append([_para(ps.text(x.function), st["body_tight"]) for x in people])
        sig_rows.append([_para(ps.text(src.letterhead.name), st["small"]) for _ in people])
        sig = Table(sig_rows, colWidths=[BODY_W / 2] * len(people), hAlign="LEFT")
        sig.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        closing.append(sig)
    enclosure = block(f"outcomes.{src.decision}.bijlage")
    if enclosure.strip():
        closing += [Spacer(1, 8 * mm), _para(f"Bijlage: {enclosure}", st["body_tight"])]
    slot = story.pop()  # the last paragraph ("Heeft u vragen...") stays with the closing
    story.append(KeepTogether([slot, *closing]))
    return _keep_headings_with_next(story), subject, title


def _build(
    src: LetterSource,
    story: list,
    subject: str,
    title: str,
    *,
    kenmerk: str | None,
    letter_date: date,
    draft: bool,
) -> Rendered:
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
            title=("CONCEPT – " if draft else "") + _plain(title),
            author=author,
            subject=_plain(subject) + (f" ({kenmerk})" if kenmerk else ""),
            keywords=["beoordelingsbrief", "kwaliteitsbudget", str(src.budget_year)]
            + ([kenmerk] if kenmerk else ["concept"]),
        ),
    )
    first = Frame(
        LEFT,
        BOTTOM,
        BODY_W,
        PAGE_H - BODY_TOP_FIRST - BOTTOM,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = Frame(
        LEFT,
        BOTTOM,
        BODY_W,
        PAGE_H - BODY_TOP_LATER - BOTTOM,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
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
    return Rendered(buf.getvalue(), _plain(subject), _plain(title), doc.page)


def _keep_headings_with_next(story: list) -> list:
    """A heading never ends a page: keep it together with the flowable that follows."""
    out: list = []
    i = 0
    while i < len(story):
        f = story[i]
        if isinstance(f, Paragraph) and f.style is _HEADING and i + 1 < len(story):
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


def _plain(markup: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", markup)).replace("\u00a0", " ")


def _amounts_table(src: LetterSource, st: dict) -> Table:
    req_t, ap_t = src.requested_total, src.approved_total
    req_s, req_o = _shares(src.requested_staff_amount, src.requested_other_amount)
    ap_s, ap_o = _shares(src.approved_staff_amount, src.approved_other_amount)
    rows = [
        ["Onderdeel", "Aangevraagd", "%", "Toegekend", "%"],
        [
            "Extra zorgpersoneel",
            _money(src.requested_staff_amount),
            req_s,
            _money(src.approved_staff_amount),
            ap_s,
        ],
        [
            "Overige investeringen",
            _money(src.requested_other_amount),
            req_o,
            _money(src.approved_other_amount),
            ap_o,
        ],
        ["Totaal kwaliteitsbudget", _money(req_t), "100%", _money(ap_t), "100%" if ap_t else "–"],
        [
            "Ter vergelijking: initieel gereserveerd budget",
            _money(src.initial_reserved_amount),
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


def _judged_table(
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
        if lh.phone:
            lines.append(f"T  {lh.phone}")
        if lh.email:
            lines.append(f"E  {lh.email}")
        if lh.website:
            lines.append(f"W  {lh.website}")
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
            ("Uw brief van", _long_date(self.src.your_letter_date) or "–"),
            ("Ons kenmerk", self.kenmerk or "CONCEPT"),
            ("Datum", _long_date(self.date)),
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
        canv.drawRightString(PAGE_W - RIGHT, y, _long_date(self.date))
        canv.setStrokeColor(ps.RULE)
        canv.setLineWidth(0.5)
        canv.line(LEFT, y - 3 * mm, PAGE_W - RIGHT, y - 3 * mm)
        canv.restoreState()


def _pc_place(postcode: str, place: str) -> str:
    if not postcode and not place:
        return ""
    pc = fmt.postcode(postcode) if postcode else ""
    return f"{pc}  {place.upper()}".strip()


# -- public layout API for other letters on this letterhead (the herschikkingsbrief) ----------
HEADING = _HEADING


def letter_values(src: LetterSource, kenmerk: str | None, letter_date: date) -> dict[str, str]:
    """The template placeholders every letter shares (addressee, dates, kenmerk, amounts)."""
    return _values(src, kenmerk, letter_date)


def paragraph(text: str, style, bullet: str | None = None) -> Paragraph:  # noqa: ANN001
    return _para(text, style, bulletText=bullet)


def amount(value: Decimal) -> str:
    """`€ 1.234,56` with a non-breaking space, as in the letters."""
    return _eur(value)


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
    return _build(src, story, subject, title, kenmerk=kenmerk, letter_date=letter_date, draft=draft)


def _and_list(items: tuple[str, ...] | list[str]) -> str:
    """ "a", "a en b", "a, b en c"."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def agreed_result_text(
    a: AgreedResult,
    template: Template,
    values: dict[str, str],
    *,
    strict: bool,
    prefix: tuple[str, ...] = ("blocks",),
) -> str:
    """One recorded maatwerkafspraak in the template's words (`<prefix>.afspraak_punt`, with
    `<prefix>.toetsing.<method>`): themes, locations, the result aimed at, the deadline and how
    it is checked. Shared by the letter and the addendum."""
    from desktop.services import formatting as fmt

    check = template.get(*prefix, "toetsing", a.check_method, default="") or a.check_method.lower()
    return fill(
        str(template.get(*prefix, "afspraak_punt", default="")),
        {
            **values,
            "themas": ps.text(a.themes),
            "locaties": ps.text(a.locations),
            "resultaat": ps.text(a.result),
            "termijn": fmt.long_date(a.due),
            "toets": ps.text(str(check)),
        },
        where=".".join((*prefix, "afspraak_punt")),
        template=template,
        strict=strict,
    )
