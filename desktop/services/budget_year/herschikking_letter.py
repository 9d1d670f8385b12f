"""Herschikkingsbrief: one letter per provider whose agreement a herschikking round changed,
from the versioned template resources/letters/herschikkingsbrief/ (same letter machinery as
the beoordelingsbrief: letterhead, window address, reference line, overrides per care office,
signatures of the maker and the vier-ogen approver)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from db.engine import Database
from db.errors import RuleViolation
from desktop.services import pdf_style as ps
from desktop.services import review
from desktop.services.budget_year.herschikking import SUBJECT, get_round
from desktop.services.formatting import money
from desktop.services.letters import render as lr
from desktop.services.letters.service import gather, today_nl
from desktop.services.letters.templates import fill, load_template

TEMPLATE = "herschikkingsbrief"


def _kenmerk(code: str, year: int, n: int) -> str:
    return f"{code}/HS/{year}/{n:04d}"


def letters(db: Database, round_id: str, *, letter_date: date | None = None,
            draft: bool = False) -> list[tuple[str, str, lr.Rendered]]:
    """(provider name, kenmerk, rendered PDF) for every changed provider of the round. A
    definitive letter needs an approved round; a draft says CONCEPT."""
    from desktop.services.letters.service import get_letterhead

    d = get_round(db, round_id)
    approval = review.approval(db, SUBJECT, round_id)
    if not draft and approval is None:
        raise RuleViolation("De herschikking is nog niet goedgekeurd (vier-ogen); maak eerst een "
                            "concept of laat de ronde goedkeuren.")
    day = letter_date or today_nl()
    head = get_letterhead(db, d.care_office_id)
    template = load_template(TEMPLATE, head.code)
    users: dict = {}
    out = []
    changed = [p for p in d.proposals if p.changed]
    for n, p in enumerate(changed, start=1):
        src = gather(db, p.request_id, maker_id=d.author_id,
                     approver_id=approval.approver_id if approval else None, users=users)
        kenmerk = None if draft else _kenmerk(head.code, d.year, n)
        values = lr._values(src, kenmerk, day)
        values.update({k: ps.text(v) for k, v in {
            "afspraak_oud": lr._eur(p.previous_total), "afspraak_nieuw": lr._eur(p.new_total),
            "verschil": ("+ " if p.change > 0 else "– ") + lr._eur(abs(p.change)),
            "personeel_nieuw": lr._eur(p.new_staff), "overig_nieuw": lr._eur(p.new_other),
            "aanvraag_totaal": lr._eur(p.requested_total), "reden": p.reason,
            "richting": template.get("richting", "up" if p.change > 0 else "down", default=""),
        }.items()})
        story, subject, title = _story(src, template, values, p, strict=not draft)
        out.append((p.provider_name, kenmerk or "", lr._build(src, story, subject, title, kenmerk=kenmerk,
                                                               letter_date=day, draft=draft)))
    return out


def _story(src, template, values: dict[str, str], p, *, strict: bool) -> tuple[list, str, str]:  # noqa: ANN001
    st = ps.styles()

    def block(path: str) -> str:
        return fill(str(template.get(*path.split("."), default="") or ""), values, where=path,
                    template=template, strict=strict)

    subject = block("subject")
    story: list = [lr._para(f"<b>Betreft</b>: {ps.text(subject)}", st["body_tight"]), Spacer(1, 9 * mm),
                   lr._para(ps.text(src.addressee.salutation or "Geachte heer, mevrouw,"), st["body"])]
    for key in ("aanleiding", "uitkomst"):
        story.append(lr._para(ps.text(template.get("headings", key, default="")), lr._HEADING))
        story.append(lr._para(block(f"blocks.{key}"), st["body"]))
    rows = [["", "Was", "Wordt", "Aanvraag"],
            ["Extra zorgpersoneel", money(p.previous_staff), money(p.new_staff), money(p.requested_staff)],
            ["Overige investeringen", money(p.previous_other), money(p.new_other), money(p.requested_other)],
            ["Totaal", money(p.previous_total), money(p.new_total), money(p.requested_total)]]
    table = Table([[lr._para(f"<b>{ps.text(c)}</b>" if i == 3 else ps.text(c), st["body_tight"])
                    for c in r] for i, r in enumerate(rows)],
                  colWidths=[lr.BODY_W * 0.34] + [lr.BODY_W * 0.22] * 3, hAlign="LEFT")
    table.setStyle(TableStyle(ps.table_style_commands()))
    story += [Spacer(1, 2), table, Spacer(1, 6)]
    story.append(lr._para(block("blocks.reden_intro"), st["body"]))
    story.append(lr._para(ps.text(p.reason), st["bullet"], bulletText="•"))
    story.append(lr._para(ps.text(template.get("headings", "vervolg", default="")), lr._HEADING))
    story.append(lr._para(block("blocks.vervolg"), st["body"]))
    closing: list = [lr._para(block("blocks.slot"), st["body"]),
                     lr._para(ps.text(template.get("closing", default="")), st["body"]), Spacer(1, 14 * mm)]
    people = [x for x in (src.maker, src.approver) if x is not None]
    if people:
        sig = Table([[lr._para(f"<b>{ps.text(x.name)}</b>", st["body_tight"]) for x in people],
                     [lr._para(ps.text(x.function), st["body_tight"]) for x in people]],
                    colWidths=[lr.BODY_W / 2] * len(people), hAlign="LEFT")
        sig.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        closing.append(sig)
    story.append(KeepTogether(closing))
    return story, subject, block("document_title")


def write_letters(db: Database, round_id: str, out_dir: Path | str, *, letter_date: date | None = None,
                  draft: bool = False) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, kenmerk, rendered in letters(db, round_id, letter_date=letter_date, draft=draft):
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60]
        stem = (kenmerk.replace("/", "-") + "-" if kenmerk else "concept-") + slug
        path = out_dir / f"herschikkingsbrief-{stem}.pdf"
        path.write_bytes(rendered.pdf)
        paths.append(path)
    return paths
