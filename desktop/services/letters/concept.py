"""The concept of a beoordelingsbrief: start it for a decided request and preview it with the
CONCEPT watermark (a definitive letter gives its stored bytes)."""

from __future__ import annotations

from datetime import date

from db.engine import Database
from db.errors import RuleViolation
from db.models import Letter
from db.models.enums import LetterStatus
from db.repo import UnitOfWork
from desktop.services.guards import live
from desktop.services.letters.context import gather_source
from desktop.services.letters.dates import today_nl
from desktop.services.letters.model import SUBJECT, LetterInfo
from desktop.services.letters.queries import current_letter, get_letter, letter_info, profile_in
from desktop.services.letters.render import render_letter
from desktop.services.letters.templates import DEFAULT_TEMPLATE


def create_letter(db: Database, request_id: str, by: str) -> LetterInfo:
    """Start a letter (concept) for a decided request; returns the existing one if there is."""
    from desktop.services import requests as rq

    r = rq.get_request(db, request_id)
    if not r.decision:
        raise RuleViolation(
            "Voor deze aanvraag is nog geen besluit vastgelegd; er kan nog geen "
            "brief worden gemaakt."
        )
    with UnitOfWork(db, by) as uow:
        s = uow.session
        profile_in(s, by)
        existing = current_letter(s, request_id)
        if existing is not None:
            return letter_info(s, existing)
        letter = uow.add(
            Letter(
                budget_request_id=request_id,
                care_office_id=r.care_office_id,
                year=r.budget_year,
                status=str(LetterStatus.DRAFT),
                your_reference=r.external_reference,
                your_letter_date=r.letter_date,
                template_id=DEFAULT_TEMPLATE,
                maker_id=by,
                decision=r.decision,
            )
        )
        return letter_info(s, letter)


def letter_pdf(db: Database, letter_id: str, *, today: date | None = None) -> bytes:
    """The PDF to show, save or print: the stored bytes of a definitive letter (identical every
    time), or a freshly rendered concept with the CONCEPT watermark (read in one session)."""
    from desktop.services import review

    with db.read_session() as s:
        letter = live(s, Letter, letter_id, "Deze brief bestaat niet.")
        if letter.status != LetterStatus.DRAFT:
            assert letter.pdf is not None
            return bytes(letter.pdf)
        approval = review.approval_in(s, SUBJECT, letter.budget_request_id)
        src, template = gather_source(
            s,
            letter.budget_request_id,
            maker_id=letter.maker_id,
            approver_id=approval.approver_id if approval else None,
        )
    return render_letter(
        src, template, kenmerk=None, letter_date=today or today_nl(), draft=True
    ).pdf


def concept_pdf(
    db: Database, request_id: str, by: str, *, today: date | None = None
) -> tuple[LetterInfo, bytes]:
    """Create (or reuse) the letter of a request and return its PDF (concept or definitive)."""
    info = create_letter(db, request_id, by)
    return get_letter(db, info.id), letter_pdf(db, info.id, today=today)
