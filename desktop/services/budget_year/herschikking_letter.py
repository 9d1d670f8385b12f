"""Herschikkingsbrief: one letter per provider whose agreement a herschikking round changed,
from the versioned template resources/letters/herschikkingsbrief/ (same letter machinery as
the beoordelingsbrief: letterhead, window address, reference line, overrides per care office,
signatures of the maker and the vier-ogen approver)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle
from sqlalchemy import and_, func
from sqlmodel import col, select

from db.engine import Database
from db.errors import RuleViolation
from db.models import AuditEvent, CareOffice, Letter
from db.models.enums import LetterStatus
from db.repo import UnitOfWork
from db.types import utcnow
from desktop.services import pdf_style as ps
from desktop.services import review
from desktop.services.budget_year.herschikking import SUBJECT, get_round
from desktop.services.formatting import money
from desktop.services.letters import render as lr
from desktop.services.letters.model import HERSCHIKKING_TEMPLATE, LetterInfo
from desktop.services.letters.service import gather, today_nl
from desktop.services.letters.templates import fill, load_template

TEMPLATE = HERSCHIKKING_TEMPLATE


def _kenmerk(code: str, year: int, n: int) -> str:
    return f"{code}/HS/{year}/{n:04d}"


def letters(
    db: Database,
    round_id: str,
    *,
    letter_date: date | None = None,
    draft: bool = False,
    kenmerken: dict[str, str] | None = None,
) -> list[tuple[str, str, lr.Rendered]]:
    """Render (not store): (provider name, kenmerk, PDF) for every changed provider of the
    round. A definitive rendering needs an approved round; a draft says CONCEPT. `kenmerken`:
    request id -> kenmerk (the stored letters' numbers, see store_letters)."""
    from desktop.services.letters.service import get_letterhead

    d = get_round(db, round_id)
    approval = review.approval(db, SUBJECT, round_id)
    if not draft and approval is None:
        raise RuleViolation(
            "De herschikking is nog niet goedgekeurd (vier-ogen); maak eerst een "
            "concept of laat de ronde goedkeuren."
        )
    day = letter_date or today_nl()
    head = get_letterhead(db, d.care_office_id)
    template = load_template(TEMPLATE, head.code)
    users: dict = {}
    out = []
    changed = [p for p in d.proposals if p.changed]
    for n, p in enumerate(changed, start=1):
        src = gather(
            db,
            p.request_id,
            maker_id=d.author_id,
            approver_id=approval.approver_id if approval else None,
            users=users,
        )
        kenmerk = (
            None if draft else (kenmerken or {}).get(p.request_id) or _kenmerk(head.code, d.year, n)
        )
        values = lr.letter_values(src, kenmerk, day)
        values.update(
            {
                k: ps.text(v)
                for k, v in {
                    "afspraak_oud": lr.amount(p.previous_total),
                    "afspraak_nieuw": lr.amount(p.new_total),
                    "verschil": ("+ " if p.change > 0 else "– ") + lr.amount(abs(p.change)),
                    "personeel_nieuw": lr.amount(p.new_staff),
                    "overig_nieuw": lr.amount(p.new_other),
                    "aanvraag_totaal": lr.amount(p.requested_total),
                    "reden": p.reason,
                    "richting": template.get(
                        "richting", "up" if p.change > 0 else "down", default=""
                    ),
                }.items()
            }
        )
        story, subject, title = _story(src, template, values, p, strict=not draft)
        out.append(
            (
                p.provider_name,
                kenmerk or "",
                lr.build_letter(
                    src, story, subject, title, kenmerk=kenmerk, letter_date=day, draft=draft
                ),
            )
        )
    return out


def _story(src, template, values: dict[str, str], p, *, strict: bool) -> tuple[list, str, str]:  # noqa: ANN001
    st = ps.styles()

    def block(path: str) -> str:
        return fill(
            str(template.get(*path.split("."), default="") or ""),
            values,
            where=path,
            template=template,
            strict=strict,
        )

    subject = block("subject")
    story: list = [
        lr.paragraph(f"<b>Betreft</b>: {ps.text(subject)}", st["body_tight"]),
        Spacer(1, 9 * mm),
        lr.paragraph(ps.text(src.addressee.salutation or "Geachte heer, mevrouw,"), st["body"]),
    ]
    for key in ("aanleiding", "uitkomst"):
        story.append(lr.paragraph(ps.text(template.get("headings", key, default="")), lr.HEADING))
        story.append(lr.paragraph(block(f"blocks.{key}"), st["body"]))
    rows = [
        ["", "Was", "Wordt", "Aanvraag"],
        [
            "Extra zorgpersoneel",
            money(p.previous_staff),
            money(p.new_staff),
            money(p.requested_staff),
        ],
        [
            "Overige investeringen",
            money(p.previous_other),
            money(p.new_other),
            money(p.requested_other),
        ],
        ["Totaal", money(p.previous_total), money(p.new_total), money(p.requested_total)],
    ]
    table = Table(
        [
            [
                lr.paragraph(f"<b>{ps.text(c)}</b>" if i == 3 else ps.text(c), st["body_tight"])
                for c in r
            ]
            for i, r in enumerate(rows)
        ],
        colWidths=[lr.BODY_W * 0.34] + [lr.BODY_W * 0.22] * 3,
        hAlign="LEFT",
    )
    table.setStyle(TableStyle(ps.table_style_commands()))
    story += [Spacer(1, 2), table, Spacer(1, 6)]
    story.append(lr.paragraph(block("blocks.reden_intro"), st["body"]))
    story.append(lr.paragraph(ps.text(p.reason), st["bullet"], "•"))
    story.append(lr.paragraph(ps.text(template.get("headings", "vervolg", default="")), lr.HEADING))
    story.append(lr.paragraph(block("blocks.vervolg"), st["body"]))
    closing: list = [
        lr.paragraph(block("blocks.slot"), st["body"]),
        lr.paragraph(ps.text(template.get("closing", default="")), st["body"]),
        Spacer(1, 14 * mm),
    ]
    people = [x for x in (src.maker, src.approver) if x is not None]
    if people:
        sig = Table(
            [
                [lr.paragraph(f"<b>{ps.text(x.name)}</b>", st["body_tight"]) for x in people],
                [lr.paragraph(ps.text(x.function), st["body_tight"]) for x in people],
            ],
            colWidths=[lr.BODY_W / 2] * len(people),
            hAlign="LEFT",
        )
        sig.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        closing.append(sig)
    story.append(KeepTogether(closing))
    return story, subject, block("document_title")


def _stored(s, round_id: str, content_hash: str) -> dict[str, Letter]:  # noqa: ANN001
    """Stored herschikkingsbrieven of this version of the round: request id -> letter."""
    rows = s.exec(
        select(Letter, AuditEvent)
        .join(
            AuditEvent,
            and_(
                col(AuditEvent.entity_id) == Letter.id,
                col(AuditEvent.entity) == "letter",
                col(AuditEvent.action) == "definitive",
            ),
        )
        .where(Letter.template_id == TEMPLATE, Letter.deleted_at == None)  # noqa: E711
    ).all()
    return {
        x.budget_request_id: x
        for x, ev in rows
        if (ev.details or {}).get("round_id") == round_id
        and (ev.details or {}).get("content_hash") == content_hash
    }


def round_letters(db: Database, round_id: str) -> list[LetterInfo]:
    """The stored (definitive) herschikkingsbrieven of the round's approved version."""
    from desktop.services.letters.service import get_letter

    approval = review.approval(db, SUBJECT, round_id)
    if approval is None:
        return []
    with db.read_session() as s:
        ids = [x.id for x in _stored(s, round_id, approval.content_hash).values()]
    return sorted((get_letter(db, i) for i in ids), key=lambda i: i.kenmerk or "")


def store_letters(
    db: Database, round_id: str, by: str, *, letter_date: date | None = None
) -> list[LetterInfo]:
    """Make the herschikkingsbrieven of an approved round definitive and store them like the
    beoordelingsbrieven (table `letter`, template `herschikkingsbrief`): a kenmerk
    `{CODE}/HS/{year}/{000123}` from the care office's letter sequence, the PDF bytes with
    their SHA-256, maker and approver, and an audit event naming the round and the approved
    version. Idempotent: letters already stored for this version are returned as they are
    (printing again gives the same bytes); a re-approved round gets new letters."""
    approval = review.approval(db, SUBJECT, round_id)
    if approval is None:
        raise RuleViolation(
            "De herschikking is nog niet goedgekeurd (vier-ogen); er kunnen nog "
            "geen definitieve herschikkingsbrieven worden gemaakt."
        )
    d = get_round(db, round_id)
    day = letter_date or today_nl()
    changed = {p.request_id: p for p in d.proposals if p.changed}
    with db.read_session() as s:
        stored = _stored(s, round_id, approval.content_hash)
        missing = [rid for rid in changed if rid not in stored]
        office = s.get(CareOffice, d.care_office_id)
        top = s.exec(
            select(func.max(Letter.sequence)).where(
                Letter.care_office_id == d.care_office_id, Letter.year == d.year
            )
        ).one()
    if missing:
        code = office.code if office else "ZK"
        seqs = {rid: int(top or 0) + n for n, rid in enumerate(missing, start=1)}
        kenmerken = {rid: f"{code}/HS/{d.year}/{seq:06d}" for rid, seq in seqs.items()}
        rendered = {
            k: r for _name, k, r in letters(db, round_id, letter_date=day, kenmerken=kenmerken)
        }
        version = load_template(TEMPLATE, code).version
        with UnitOfWork(db, by) as uow:
            rows = []
            for rid in missing:
                r = rendered[kenmerken[rid]]
                rows.append(
                    Letter(
                        budget_request_id=rid,
                        care_office_id=d.care_office_id,
                        year=d.year,
                        sequence=seqs[rid],
                        kenmerk=kenmerken[rid],
                        status=str(LetterStatus.DEFINITIVE),
                        letter_date=day,
                        subject=r.subject,
                        template_id=TEMPLATE,
                        template_version=version,
                        maker_id=d.author_id,
                        approver_id=approval.approver_id,
                        pdf=r.pdf,
                        sha256=hashlib.sha256(r.pdf).hexdigest(),
                        definitive_at=utcnow(),
                    )
                )
            uow.add_all(rows)
            uow.add_all(
                [
                    AuditEvent(
                        actor_id=by,
                        entity="letter",
                        entity_id=x.id,
                        action="definitive",
                        details={
                            "kenmerk": x.kenmerk,
                            "sha256": x.sha256,
                            "template_version": version,
                            "round_id": round_id,
                            "content_hash": approval.content_hash,
                        },
                    )
                    for x in rows
                ]
            )
    return round_letters(db, round_id)


def write_letters(
    db: Database,
    round_id: str,
    out_dir: Path | str,
    *,
    letter_date: date | None = None,
    draft: bool = False,
    by: str | None = None,
) -> list[Path]:
    """Save the round's letters as PDF files: concepts rendered fresh, or the stored
    definitive letters (made and stored first where needed, by `by`, by default the round's
    author)."""
    from desktop.services.letters.service import letter_pdf

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if draft:
        made = [
            (name, k, r.pdf)
            for name, k, r in letters(db, round_id, letter_date=letter_date, draft=True)
        ]
    else:
        author = by or get_round(db, round_id).author_id
        made = [
            (i.provider_name, i.kenmerk or "", letter_pdf(db, i.id))
            for i in store_letters(db, round_id, author, letter_date=letter_date)
        ]
    paths = []
    for name, kenmerk, pdf in made:
        slug = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:60]
        stem = (kenmerk.replace("/", "-") + "-" if kenmerk else "concept-") + slug
        path = out_dir / f"herschikkingsbrief-{stem}.pdf"
        path.write_bytes(pdf)
        paths.append(path)
    return paths
