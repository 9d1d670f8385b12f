"""The addendum kwaliteitsbudget (bijlage 6 of the Inkoopkader) as its own PDF (issue 15).

S1 §4.2.8: "De afspraken over het kwaliteitsbudget worden uiterlijk eind maart ... vastgelegd
in een addendum op de overeenkomst en door beide partijen ondertekend." Made from the approved
decision only (a valid vier-ogen approval of an approval outcome), from the versioned template
resources/letters/addendum/<version>.yaml (overridable per care office like the letter): the
parties, the year, the amounts per part, the maatwerkafspraken, conditions and verbeterpunten,
the cycle dates and two signature blocks. Same input, same bytes. The batch writes it beside
the letter; *addendum getekend* is recorded with its date by `record_signed`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlmodel import Session

from db.engine import Database
from db.errors import RuleViolation
from db.models.enums import Decision
from desktop.services import pdf_style as ps
from desktop.services.letters.context import gather_in
from desktop.services.letters.dates import today_nl
from desktop.services.letters.flow import amounts_table
from desktop.services.letters.model import SUBJECT, LetterSource
from desktop.services.letters.queries import current_letter
from desktop.services.letters.templates import Template, fill, load_template
from desktop.services.letters.values import agreed_result_text, and_list, letter_values, plain

if TYPE_CHECKING:
    from desktop.services.requests import RequestDetail

TEMPLATE_ID = "addendum"


def _address(street: str, number: str, postcode: str, place: str) -> str:
    from desktop.services import formatting as fmt

    pc = fmt.postcode(postcode) if postcode else ""
    return ", ".join(x for x in (f"{street} {number}".strip(), f"{pc} {place}".strip()) if x)


def render_addendum(
    src: LetterSource,
    template: Template,
    *,
    kenmerk: str | None,
    letter_date: date,
    draft: bool = False,
) -> bytes:
    """The addendum of an approved decision as PDF bytes."""
    if src.decision == Decision.REJECTED or src.approved_total is None:
        raise RuleViolation("Een addendum hoort alleen bij een besluit dat akkoord is.")
    st = ps.styles()
    lh, ad = src.letterhead, src.addressee
    values = dict(letter_values(src, kenmerk, letter_date))
    outcome = str(template.get("outcome_labels", src.decision, default="") or "")
    values.update(
        {
            k: ps.text(v)
            for k, v in {
                "zorgkantoor_adres": ", ".join(
                    x for x in (lh.postal_address, _address("", "", lh.postcode, lh.place)) if x
                ),
                "zorgkantoor_kvk": lh.kvk_number or "–",
                "aanbieder_adres": _address(ad.street, ad.house_number, ad.postcode, ad.place),
                "uitkomst": outcome or Decision(src.decision).label.lower(),
                "ons_kenmerk": kenmerk or "(concept)",
            }.items()
        }
    )

    def t(path: str) -> str:
        return fill(
            str(template.get(*path.split("."), default="") or ""),
            values,
            where=path,
            template=template,
            strict=not draft,
        )

    story: list = [
        Paragraph(t("title"), st["title"]),
        Paragraph(t("subtitle"), st["small"]),
        Spacer(1, 6 * mm),
        Paragraph(t("parties_intro"), st["body"]),
        Paragraph(t("party_office"), st["bullet"], bulletText="1."),
        Paragraph(t("party_provider"), st["bullet"], bulletText="2."),
        Paragraph(t("recitals"), st["body"]),
        Paragraph(t("agree"), st["body"]),
    ]
    h2 = st["h2"]

    def article(key: str, *extra: Flowable) -> None:
        story.append(
            KeepTogether(
                [
                    Paragraph(t(f"articles.{key}.heading"), h2),
                    Paragraph(t(f"articles.{key}.text"), st["body"]),
                ]
                if template.get("articles", key, "text")
                else [Paragraph(t(f"articles.{key}.heading"), h2)]
            )
        )
        story.extend(extra)

    article("budget", amounts_table(src, st), Spacer(1, 4))
    if src.decision == Decision.APPROVED_UP_TO_RESERVED:
        story.append(Paragraph(t("articles.budget.up_to_reserved"), st["body"]))
    # Artikel 2: maatwerkafspraken, conditions (accepted failing points) and verbeterpunten.
    rows: list[tuple[str, str]] = []
    if src.target_themes:  # issue 17: the themes the money is meant to improve
        rows.append((t("articles.agreements.doelthemas"), ps.text(and_list(src.target_themes))))
    for agreed in src.agreed_results:
        rows.append(
            (
                t("articles.agreements.maatwerk"),
                agreed_result_text(
                    agreed, template, values, strict=not draft, prefix=("articles", "agreements")
                ),
            )
        )
    for line in src.custom_agreements.splitlines():
        if line.strip(" -•\t"):
            rows.append((t("articles.agreements.maatwerk"), ps.text(line.strip(" -•\t"))))
    for acc in src.accepted:
        kind = "maatwerk" if acc.basis == "maatwerkafspraak" else "voorwaarde"
        rows.append((t(f"articles.agreements.{kind}"), ps.text(f"{acc.text} ({acc.label})")))
    for point in [p for p in src.improvement_points if p.strip()][:3]:
        rows.append((t("articles.agreements.verbeterpunt"), ps.text(point.strip())))
    story.append(Paragraph(t("articles.agreements.heading"), h2))
    if rows:
        story.append(Paragraph(t("articles.agreements.intro"), st["body"]))
        table = ps.TextTable(
            [[Paragraph(a, st["cell_bold"]), Paragraph(b, st["cell"])] for a, b in rows],
            colWidths=[38 * mm, 127 * mm],
            hAlign="LEFT",
        )
        table.setStyle(TableStyle(ps.table_style_commands(header_rows=0, stripes=True)))
        story += [table, Spacer(1, 4)]
    else:
        story.append(Paragraph(t("articles.agreements.none"), st["body"]))
    for key in ("advance", "accounting", "final"):
        article(key)
    story += [Spacer(1, 6 * mm), _signatures(src, t, st)]
    buf = io.BytesIO()
    doc = ps.house_document(
        buf,
        title=("CONCEPT – " if draft else "") + plain(t("document_title")),
        author=lh.name,
        subject=f"Addendum kwaliteitsbudget {src.budget_year}"
        + (f" ({kenmerk})" if kenmerk else ""),
        keywords=[
            "addendum",
            "kwaliteitsbudget",
            str(src.budget_year),
            f"sjabloon {template.id} {template.version}",
        ],
    )
    footer = f"{lh.name}  ·  Addendum kwaliteitsbudget {src.budget_year}  ·  {ad.organisation}"
    doc.build(
        story,
        canvasmaker=ps.numbered_canvas(
            first_numbered_page=1, watermark="CONCEPT" if draft else None, footer_left=footer
        ),
    )
    return buf.getvalue()


def _signatures(
    src: LetterSource, t: Callable[[str], str], st: dict[str, ParagraphStyle]
) -> KeepTogether:
    """Two signature blocks side by side: a signing space with a rule, then name, function,
    place and date."""
    approver = src.approver
    left = [
        f"<b>{t('signatures.office')}</b>",
        ps.text(src.letterhead.name),
        "",
        f"{t('signatures.name')} {ps.text(approver.name) if approver else ''}",
        f"{t('signatures.function')} {ps.text(approver.function) if approver else ''}",
        t("signatures.place_date"),
    ]
    right = [
        f"<b>{t('signatures.provider')}</b>",
        ps.text(src.addressee.organisation),
        "",
        t("signatures.name"),
        f"{t('signatures.function')} {t('signatures.provider_function')}",
        t("signatures.place_date"),
    ]
    rows = [
        [Paragraph(a, st["body_tight"]), "", Paragraph(b, st["body_tight"])]
        for a, b in zip(left, right, strict=True)
    ]
    heights = [None, None, 22 * mm, None, None, 9 * mm]
    table = Table(rows, colWidths=[78 * mm, 9 * mm, 78 * mm], rowHeights=heights, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                *ps.padding(top=1, bottom=1),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 2), (0, 2), 0.6, ps.INK),
                ("LINEBELOW", (2, 2), (2, 2), 0.6, ps.INK),
                ("LINEBELOW", (0, 5), (0, 5), 0.4, ps.RULE),
                ("LINEBELOW", (2, 5), (2, 5), 0.4, ps.RULE),
            ]
        )
    )
    return KeepTogether([Paragraph(t("signatures.intro"), st["body"]), Spacer(1, 3 * mm), table])


def addendum_pdf(db: Database, request_id: str, *, today: date | None = None) -> bytes:
    """The addendum of a request's approved decision. Refused (RuleViolation, Dutch) when the
    decision is not an approval with a valid vier-ogen approval, or when it leaves a failing
    point unexplained. Dated like the definitive letter (or today for a decision without one)."""
    from desktop.services import review

    approval = review.approval(db, SUBJECT, request_id)
    if approval is None:
        raise RuleViolation(
            "Een addendum kan alleen bij een goedgekeurd besluit (vier-ogen) worden gemaakt."
        )
    with db.read_session() as s:
        letter = current_letter(s, request_id)
        if letter is not None:
            s.expunge(letter)
        src = gather_in(
            s,
            request_id,
            maker_id=letter.maker_id if letter else None,
            approver_id=approval.approver_id,
        )
        check_explained(src)
        template = addendum_template_in(s, src.care_office_id, src.letterhead.code)
    kenmerk = letter.kenmerk if letter and letter.kenmerk else None
    day = (letter.letter_date if letter and letter.letter_date else None) or today or today_nl()
    return render_addendum(src, template, kenmerk=kenmerk, letter_date=day)


def check_explained(src: LetterSource) -> None:
    """Refuse (RuleViolation, Dutch) the addendum of a decision that leaves a failing point
    without its maatwerkafspraak or voorwaarde."""
    if src.unexplained:
        raise RuleViolation(
            "Het addendum kan niet worden gemaakt: deze punten voldoen niet en zijn "
            "niet toegelicht:\n" + "\n".join(f"• {u}" for u in src.unexplained)
        )


def addendum_template_in(s: Session, care_office_id: str, office_code: str) -> Template:
    """The addendum template of a care office (its own version in letter_settings, if any)."""
    from db.models import CareOffice

    office = s.get(CareOffice, care_office_id)
    inline = (
        ((office.letter_settings or {}).get("templates") or {}).get(TEMPLATE_ID) if office else None
    )
    return load_template(TEMPLATE_ID, office_code, inline)


def addendum_job(job: tuple[LetterSource, Template, str | None, date]) -> bytes | str:
    """render_addendum for a render worker of the region batch (issue 18): the addendum of a
    letter made definitive in the same batch, from the same source; a refused addendum comes
    back as its Dutch message (picklable either way)."""
    from db.errors import ValidationError

    src, template, kenmerk, letter_date = job
    try:
        check_explained(src)
        return render_addendum(src, template, kenmerk=kenmerk, letter_date=letter_date)
    except (RuleViolation, ValidationError) as exc:
        return exc.message


def record_signed(
    db: Database, request_id: str, by: str, *, signed_on: date | str | None = None
) -> RequestDetail:
    """*Addendum getekend*: both parties signed on `signed_on` (after the letter was sent)."""
    from desktop.services import requests as rq

    return rq.transition(db, request_id, by, "ADDENDUM_SIGNED", on=signed_on)
