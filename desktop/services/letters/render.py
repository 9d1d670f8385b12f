"""Lay out a beoordelingsbrief as an A4 PDF (reportlab platypus, house style of pdf_style).

Page 1 carries the letterhead, the address block inside the envelope window, the reference
line and the subject on fixed positions (page.py); the body (composed here from the template's
blocks, with the paragraphs and tables of flow.py and the placeholders of values.py) flows
from below the reference line onto later pages, which get a small running header and
"Pagina N van M". The same input gives the same bytes (pdf_style.doc_info sets reportlab's
invariant mode). Every name other letters used from here (the herschikkingsbrief, the
addendum) stays importable from this module.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from desktop.services import pdf_style as ps
from desktop.services.letters.flow import (
    _FRAGS,
    _WRAPS,
    HEADING,
    amounts_table,
    judged_table,
    keep_headings_with_next,
    paragraph,
)
from desktop.services.letters.model import LetterSource
from desktop.services.letters.page import (
    BODY_TOP_FIRST,
    BODY_TOP_LATER,
    BODY_W,
    BOTTOM,
    LEFT,
    PAGE_H,
    PAGE_W,
    REF_TOP,
    RIGHT,
    Rendered,
    build_letter,
)
from desktop.services.letters.templates import Template, fill
from desktop.services.letters.values import (
    agreed_result_text,
    amount,
    and_list,
    kinds,
    letter_values,
    long_date,
    plain,
    shares,
    subject_line,
)

# The names these had before the split (issue 19).
_HEADING = HEADING
_amounts_table = amounts_table
_and_list = and_list
_build = build_letter
_eur = amount
_judged_table = judged_table
_keep_headings_with_next = keep_headings_with_next
_long_date = long_date
_para = paragraph
_plain = plain
_shares = shares
_values = letter_values

__all__ = [
    "BODY_TOP_FIRST",
    "BODY_TOP_LATER",
    "BODY_W",
    "BOTTOM",
    "HEADING",
    "LEFT",
    "PAGE_H",
    "PAGE_W",
    "REF_TOP",
    "RIGHT",
    "_FRAGS",
    "_WRAPS",
    "Rendered",
    "agreed_result_text",
    "amount",
    "build_letter",
    "check_fillable",
    "letter_values",
    "paragraph",
    "render_job",
    "render_letter",
    "subject_line",
]


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
    return build_letter(
        src, story, subject, title, kenmerk=kenmerk, letter_date=letter_date, draft=draft
    )


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
    values = letter_values(src, kenmerk, letter_date)
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
    kind, ap_dev = kinds(src)
    approval = src.decision != "REJECTED"

    story: list = []
    # Betreft (first flowable of page 1: long subjects wrap instead of overflowing)
    betreft = Table(
        [[paragraph("Betreft", st["label"]), paragraph(ps.text(subject), st["body_tight"])]],
        colWidths=[40 * mm, BODY_W - 40 * mm],
    )
    betreft.setStyle(TableStyle([*ps.padding(), ("VALIGN", (0, 0), (-1, -1), "BASELINE")]))
    story += [betreft, Spacer(1, 9 * mm)]
    salutation = src.addressee.salutation or template.get("salutation_fallback", default="")
    story.append(paragraph(ps.text(salutation), st["body"]))
    story.append(Spacer(1, 2))

    def h(key: str) -> None:
        story.append(paragraph(ps.text(template.get("headings", key, default=key)), HEADING))

    def p(markup: str) -> None:
        if markup.strip():
            story.append(paragraph(markup, st["body"]))

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
        story.append(amounts_table(src, st))
    story.append(Spacer(1, 5))
    p(block("blocks.tabel_toelichting"))
    if src.decision_rationale.strip():
        p(ps.text(src.decision_rationale.strip()).replace("\n", "<br/>"))

    # 3. Toelichting: eisen and toetsingspunten
    if src.requirements:
        h("eisen")
        p(block("blocks.eisen_intro"))
        if not texts_only:
            story.append(judged_table(src.requirements, st, number_header="§", first_header="Eis"))
        story.append(Spacer(1, 6))
    if src.criteria:
        h("criteria")
        p(block("blocks.criteria_intro"))
        if any(c.number.isdigit() and int(c.number) > 10 for c in src.criteria):
            p(block("blocks.criteria_eigen"))
        if not texts_only:
            story.append(judged_table(src.criteria, st, number_header="Nr."))
        story.append(Spacer(1, 6))

    # 4. Maatwerkafspraken en verbeterpunten
    h("afspraken")
    if src.accepted and approval:
        group = [paragraph(block("blocks.geaccepteerd_intro"), st["body"])]
        for acc in src.accepted:
            group.append(
                paragraph(
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
                    bullet="•",
                )
            )
        story += [KeepTogether(group), Spacer(1, 4)]
    if src.target_themes and approval:  # issue 17: the themes the money is meant to improve
        p(
            fill(
                str(template.get("blocks", "doelthemas", default="")),
                {**values, "themas": ps.text(and_list(src.target_themes))},
                where="blocks.doelthemas",
                template=template,
                strict=strict,
            )
        )
    agreements = [a.strip(" -•\t") for a in src.custom_agreements.splitlines() if a.strip()]
    if src.agreed_results or agreements:
        group = [paragraph(block("blocks.afspraken_intro"), st["body"])]
        for a in src.agreed_results:
            group.append(
                paragraph(
                    agreed_result_text(a, template, values, strict=strict),
                    st["bullet"],
                    bullet="•",
                )
            )
        for line in agreements:
            group.append(paragraph(ps.text(line), st["bullet"], bullet="•"))
        story += [KeepTogether(group), Spacer(1, 4)]
    else:
        p(block("blocks.geen_afspraken"))
    points = [x for x in src.improvement_points if x.strip()][:3]
    if points:
        group = [paragraph(block("blocks.verbeterpunten_intro"), st["body"])]
        for i, point in enumerate(points, 1):
            group.append(paragraph(ps.text(point.strip()), st["bullet"], bullet=f"{i}."))
        story += [KeepTogether(group), Spacer(1, 4)]

    # 5. Vervolg
    h("vervolg")
    p(block(f"outcomes.{src.decision}.vervolg_intro"))
    own = template.get("outcomes", src.decision, "vervolg_punten")
    where = f"outcomes.{src.decision}.vervolg_punten" if own else "blocks.vervolg_punten"
    for i, item in enumerate(own or template.get("blocks", "vervolg_punten", default=[]) or []):
        story.append(paragraph(block(f"{where}[{i}]", item), st["bullet"], bullet="•"))
    story.append(Spacer(1, 4))

    # 6. Oneens
    h("oneens")
    p(block("blocks.oneens"))
    p(block("blocks.oneens_aanvullend"))  # only a care-office template setting fills this
    p(block("blocks.slot"))

    # Closing and signatures (kept together)
    closing: list = [
        Spacer(1, 2),
        paragraph(ps.text(template.get("closing", default="")), st["body"]),
        Spacer(1, 14 * mm),
    ]
    sig_rows = []
    people = [x for x in (src.maker, src.approver) if x is not None]
    if people:
        sig_rows.append([paragraph(f"<b>{ps.text(x.name)}</b>", st["body_tight"]) for x in people])
        sig_rows.append([paragraph(ps.text(x.function), st["body_tight"]) for x in people])
        sig_rows.append([paragraph(ps.text(src.letterhead.name), st["small"]) for _ in people])
        sig = Table(sig_rows, colWidths=[BODY_W / 2] * len(people), hAlign="LEFT")
        sig.setStyle(TableStyle(ps.padding(right=6, bottom=1)))
        closing.append(sig)
    enclosure = block(f"outcomes.{src.decision}.bijlage")
    if enclosure.strip():
        closing += [Spacer(1, 8 * mm), paragraph(f"Bijlage: {enclosure}", st["body_tight"])]
    slot = story.pop()  # the last paragraph ("Heeft u vragen...") stays with the closing
    story.append(KeepTogether([slot, *closing]))
    return keep_headings_with_next(story), subject, title
