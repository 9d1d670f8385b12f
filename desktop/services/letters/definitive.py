"""Concept -> definitief -> verzonden: the vier-ogen check, the kenmerk (gap-free per care
office and year), the stored PDF with its SHA-256, all in the unit of work that writes it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import Database
from db.errors import RuleViolation, ValidationError
from db.models import AuditEvent, BudgetRequest, Letter
from db.models.enums import LetterStatus, RequestState
from db.repo import UnitOfWork
from db.types import utcnow
from desktop.services.guards import live
from desktop.services.letters.checks import check_complete
from desktop.services.letters.context import gather_source
from desktop.services.letters.dates import day_label, today_nl
from desktop.services.letters.model import HERSCHIKKING_TEMPLATE, SUBJECT, LetterInfo, LetterSource
from desktop.services.letters.queries import current_letter, letter_info, profile_in
from desktop.services.letters.render import Rendered, check_fillable, render_letter
from desktop.services.letters.templates import Template
from desktop.services.review.signatories import APPROVER_SIGNS, NOT_APPROVED  # noqa: F401


def next_sequence(s: Session, care_office_id: str, year: int) -> int:
    top = s.exec(
        select(func.max(Letter.sequence)).where(
            Letter.care_office_id == care_office_id, Letter.year == year
        )
    ).one()
    return int(top or 0) + 1


@dataclass(frozen=True)
class Prepared:
    """Everything needed to make one letter definitive, read and checked before the write."""

    request_id: str
    letter_id: str | None  # None: no concept yet (the batch creates the record)
    care_office_id: str
    year: int
    kenmerk_prefix: str  # "ZK/KB/2027/"
    maker_id: str
    approver_id: str
    src: LetterSource
    template: Template


def definitive_refusal(db: Database, request_id: str, by: str | None) -> str | None:
    """Why `by` may not make this request's letter definitive (the vier-ogen part of prepare),
    or None. The letters view asks before the click (issue 14); prepare refuses the same."""
    from desktop.services import review

    if by is None:
        return review.letter_refusal(None, by)
    return review.letter_refusal(review.approval(db, SUBJECT, request_id), by)


def prepare_in(
    s: Session,
    request_id: str,
    letter: Letter | None,
    by: str,
    day: date,
    users: dict[str, Any] | None = None,
    *,
    approval: Any = None,
) -> Prepared:
    """Check the vier-ogen approval, the signatories and every field the definitive letter needs
    (RuleViolation / ValidationError in Dutch), reading in the caller's session; nothing is
    written. `approval`: the request's approval as `review.approvals_in` derived it in this
    session for a batch (else it is derived here)."""
    from desktop.services import review

    if approval is None:
        approval = review.approval_in(s, SUBJECT, request_id)
    maker_id = review.letter_signer(approval, letter.maker_id if letter is not None else None, by)
    assert approval is not None  # letter_signer refuses an unapproved decision
    src, template = gather_source(
        s, request_id, maker_id=maker_id, approver_id=approval.approver_id, users=users
    )
    check_complete(src)
    check_fillable(src, template, letter_date=day)
    head = src.letterhead
    return Prepared(
        request_id,
        letter.id if letter is not None else None,
        src.care_office_id,
        src.budget_year,
        f"{head.code}/{head.kenmerk_domain}/{src.budget_year}/",
        maker_id,
        approval.approver_id,
        src,
        template,
    )


def _definitive_fields(
    p: Prepared, seq: int, kenmerk: str, rendered: Rendered, day: date
) -> dict[str, Any]:
    src = p.src
    addressee = {
        "organisation": src.addressee.organisation,
        "attention_of": src.addressee.attention_of,
        "street": src.addressee.street,
        "house_number": src.addressee.house_number,
        "postcode": src.addressee.postcode,
        "place": src.addressee.place,
        "salutation": src.addressee.salutation,
    }
    return dict(
        sequence=seq,
        kenmerk=kenmerk,
        status=str(LetterStatus.DEFINITIVE),
        letter_date=day,
        addressee=addressee,
        subject=rendered.subject,
        template_id=p.template.id,
        template_version=p.template.version,
        maker_id=p.maker_id,
        approver_id=p.approver_id,
        decision=src.decision,
        pdf=rendered.pdf,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        definitive_at=utcnow(),
        your_reference=src.your_reference,
        your_letter_date=src.your_letter_date,
    )


def store_definitive(
    uow: UnitOfWork, items: list[tuple[Prepared, int, str, Rendered]], day: date
) -> list[Letter]:
    """Write definitive letters (creating the record where there was no concept) with their PDF
    and SHA-256, plus their audit events, in the caller's transaction. New records go in with
    one op-log call for all of them."""
    s = uow.session
    rows: list[Letter] = []
    new: list[Letter] = []
    for p, seq, kenmerk, rendered in items:
        fields = _definitive_fields(p, seq, kenmerk, rendered, day)
        if p.letter_id is None:
            if current_letter(s, p.request_id) is not None:
                raise RuleViolation("Voor deze aanvraag is intussen al een brief gemaakt.")
            row = Letter(
                budget_request_id=p.request_id,
                care_office_id=p.care_office_id,
                year=p.year,
                **fields,
            )
            new.append(row)
        else:
            got = s.get(Letter, p.letter_id)
            if got is None or got.status != LetterStatus.DRAFT:
                raise RuleViolation("Deze brief is intussen al definitief gemaakt.")
            row = uow.update(got, **fields)
        rows.append(row)
    uow.add_all(new)
    uow.add_all(
        [
            AuditEvent(
                actor_id=uow.actor_id,
                entity="letter",
                entity_id=row.id,
                action="definitive",
                details={
                    "kenmerk": row.kenmerk,
                    "sha256": row.sha256,
                    "template_version": row.template_version,
                },
            )
            for row in rows
        ]
    )
    return rows


def make_definitive(
    db: Database, letter_id: str, by: str, *, letter_date: date | None = None
) -> LetterInfo:
    """Concept -> definitief: assigns the kenmerk and stores the PDF with its SHA-256.

    One transaction: the letter, the approval (vier-ogen), the request and everything the
    letter shows are read once, checked, rendered and stored in the unit of work that writes
    it, so an approval withdrawn or a request edited meanwhile cannot slip in between."""
    day = letter_date or today_nl()
    with UnitOfWork(db, by) as uow:
        s = uow.session
        letter = live(s, Letter, letter_id, "Deze brief bestaat niet.")
        if letter.status != LetterStatus.DRAFT:
            raise RuleViolation(
                f"Deze brief is al {LetterStatus(letter.status).label.lower()} "
                f"(kenmerk {letter.kenmerk}); een definitieve brief verandert niet meer."
            )
        profile_in(s, by)
        prepared = prepare_in(s, letter.budget_request_id, letter, by, day)
        seq = next_sequence(s, prepared.care_office_id, prepared.year)
        kenmerk = f"{prepared.kenmerk_prefix}{seq:06d}"
        rendered = render_letter(
            prepared.src, prepared.template, kenmerk=kenmerk, letter_date=day, draft=False
        )
        [row] = store_definitive(uow, [(prepared, seq, kenmerk, rendered)], day)
        return letter_info(s, row)


def mark_sent(db: Database, letter_id: str, by: str, *, sent_on: date | None = None) -> LetterInfo:
    """Definitief -> verzonden; the request moves to "Brief verstuurd" in the same transaction."""
    day = sent_on or today_nl()
    with UnitOfWork(db, by) as uow:
        s = uow.session
        row = live(s, Letter, letter_id, "Deze brief bestaat niet.")
        if row.status == LetterStatus.DRAFT:
            raise RuleViolation(
                "Een concept kan niet als verzonden worden gemarkeerd; maak de brief "
                "eerst definitief."
            )
        if row.status == LetterStatus.SENT:
            raise RuleViolation(f"Deze brief is al verzonden op {day_label(row.sent_on)}.")
        if row.letter_date and day < row.letter_date:
            raise ValidationError("sent_on", "De verzenddatum ligt vóór de datum van de brief.")
        uow.update(row, status=str(LetterStatus.SENT), sent_on=day)
        req = s.get(BudgetRequest, row.budget_request_id)
        if (
            req is not None
            and req.state == RequestState.DECIDED
            and row.template_id != HERSCHIKKING_TEMPLATE
        ):
            uow.update(req, state=str(RequestState.LETTER_SENT), letter_sent_on=day)
        uow.audit("sent", row, sent_on=day.isoformat(), kenmerk=row.kenmerk)
        return letter_info(s, row)
