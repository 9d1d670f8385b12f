"""Reading letters: one letter, the letter of a request, the list with every name it shows, the
decisions still waiting for a letter, and the regions to choose from."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import QueryableAttribute, aliased, defer
from sqlmodel import Session, col, select

from common.gc_pause import collector_paused
from db.engine import Database
from db.errors import NotFound, RuleViolation
from db.models import AppUser, BudgetRequest, CareOffice, Letter, Provider, Region
from db.models.enums import Decision, LetterStatus, RequestState
from desktop.services.guards import live
from desktop.services.letters.model import (
    HERSCHIKKING_TEMPLATE,
    SUBJECT,
    LetterInfo,
    PendingDecision,
)

# The PDF bytes column, for `defer` (SQLModel types the class attribute as its value type; at
# class level it is the instrumented attribute that loader options take).
PDF = cast("QueryableAttribute[Any]", Letter.pdf)


def letter_info(s: Session, letter: Letter, pdf_size: int | None = None) -> LetterInfo:
    req = s.get(BudgetRequest, letter.budget_request_id)
    prov = s.get(Provider, req.provider_id) if req else None
    region = s.get(Region, req.region_id) if req else None
    office = s.get(CareOffice, letter.care_office_id)
    maker = s.get(AppUser, letter.maker_id) if letter.maker_id else None
    approver = s.get(AppUser, letter.approver_id) if letter.approver_id else None
    return _make_info(
        letter,
        pdf_size if pdf_size is not None else (len(letter.pdf) if letter.pdf else 0),
        prov.name if prov else "?",
        region.name if region else "",
        office.code if office else "",
        req.decision if req else "",
        maker.name if maker else "",
        approver.name if approver else "",
    )


def _make_info(
    letter: Letter,
    pdf_size: int,
    provider: str,
    region: str,
    office_code: str,
    request_decision: str | None,
    maker: str,
    approver: str,
) -> LetterInfo:
    decision = letter.decision or request_decision or ""
    return LetterInfo(
        id=letter.id,
        request_id=letter.budget_request_id,
        provider_name=provider,
        region_name=region,
        care_office_code=office_code,
        year=letter.year,
        status=letter.status,
        status_label=LetterStatus(letter.status).label,
        decision=decision,
        decision_label=Decision(decision).label if decision in Decision.__members__ else "",
        kenmerk=letter.kenmerk,
        letter_date=letter.letter_date,
        subject=letter.subject,
        template_id=letter.template_id,
        template_version=letter.template_version,
        maker_name=maker,
        approver_name=approver,
        sha256=letter.sha256,
        sent_on=letter.sent_on,
        pdf_size=pdf_size,
    )


def profile_in(s: Session, by: str) -> AppUser:
    """The live profile of the user working on letters; RuleViolation (Dutch) when unknown."""
    user = s.get(AppUser, by)
    if user is None or user.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: kies eerst uw profiel.")
    return user


def get_letter(db: Database, letter_id: str) -> LetterInfo:
    with db.read_session() as s:
        letter = live(s, Letter, letter_id, "Deze brief bestaat niet.")
        return letter_info(s, letter)


def letter_for_request(db: Database, request_id: str) -> LetterInfo | None:
    with db.read_session() as s:
        letter = current_letter(s, request_id)
        return letter_info(s, letter) if letter else None


def current_letter(s: Session, request_id: str) -> Letter | None:
    return s.exec(
        select(Letter)
        .where(
            Letter.budget_request_id == request_id,
            Letter.template_id != HERSCHIKKING_TEMPLATE,
            Letter.deleted_at == None,  # noqa: E711
        )
        .order_by(col(Letter.created_at).desc())
    ).first()


def region_id_of(s: Session, region: str | None) -> str | None:
    if not region:
        return None
    rows = s.exec(select(Region)).all()
    key = region.strip().casefold()
    for r in rows:
        names = [r.name, str(r.number), r.id, *(r.aliases or [])]
        if any(str(n).casefold() == key for n in names):
            return r.id
    raise NotFound(f"Regio '{region}' bestaat niet.")


def list_letters(
    db: Database,
    *,
    region: str | None = None,
    status: str | None = None,
    year: int | None = None,
    herschikking: bool = False,
) -> list[LetterInfo]:
    """Beoordelingsbrieven, or with `herschikking` the stored herschikkingsbrieven."""
    with db.read_session() as s:
        region_id = region_id_of(s, region)
        # One query with every name the list shows; the PDF bytes stay in the database (only
        # their length is read).
        maker, approver = aliased(AppUser), aliased(AppUser)
        q = (
            sa_select(
                Letter,
                func.coalesce(func.length(Letter.pdf), 0),
                col(Provider.name),
                col(Region.name),
                col(CareOffice.code),
                col(BudgetRequest.decision),
                col(maker.name),
                col(approver.name),
            )
            .options(defer(PDF))
            .join(BudgetRequest, col(BudgetRequest.id) == Letter.budget_request_id)
            .join(Provider, col(Provider.id) == BudgetRequest.provider_id, isouter=True)
            .join(Region, col(Region.id) == BudgetRequest.region_id, isouter=True)
            .join(CareOffice, col(CareOffice.id) == Letter.care_office_id, isouter=True)
            .join(maker, col(maker.id) == Letter.maker_id, isouter=True)
            .join(approver, col(approver.id) == Letter.approver_id, isouter=True)
            .where(
                col(Letter.deleted_at).is_(None),
                (col(Letter.template_id) == HERSCHIKKING_TEMPLATE)
                if herschikking
                else (col(Letter.template_id) != HERSCHIKKING_TEMPLATE),
            )
        )
        if region_id:
            q = q.where(col(BudgetRequest.region_id) == region_id)
        if status:
            q = q.where(col(Letter.status) == status)
        if year:
            q = q.where(col(Letter.year) == year)
        out = [
            _make_info(
                x, int(size), pname or "?", rname or "", code or "", rdec, mname or "", aname or ""
            )
            for x, size, pname, rname, code, rdec, mname, aname in s.execute(q).all()
        ]
    out.sort(key=lambda i: (i.status != LetterStatus.DRAFT, i.kenmerk or "", i.provider_name))
    return out


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def pending_decisions(db: Database, *, region: str | None = None) -> list[PendingDecision]:
    """Decided requests (state "Besloten", letter not yet sent) with a valid vier-ogen approval
    and no letter record yet."""
    from desktop.services import review

    with db.read_session() as s:
        region_id = region_id_of(s, region)
        q = (
            select(BudgetRequest, Provider.name, Region.name)
            .join(Provider, col(Provider.id) == BudgetRequest.provider_id)
            .join(Region, col(Region.id) == BudgetRequest.region_id)
            .where(
                BudgetRequest.deleted_at == None,  # noqa: E711
                BudgetRequest.decision != None,  # noqa: E711
                BudgetRequest.state == RequestState.DECIDED,
            )
        )
        if region_id:
            q = q.where(BudgetRequest.region_id == region_id)
        with_letter = set(
            s.exec(
                select(Letter.budget_request_id).where(
                    Letter.deleted_at == None,  # noqa: E711
                    Letter.template_id != HERSCHIKKING_TEMPLATE,
                )
            ).all()
        )
        candidates = [(r, pn, rn) for r, pn, rn in s.exec(q).all() if r.id not in with_letter]
        # Derived for all decisions at once: the same rule, one query per kind of fact.
        approved = review.approvals_in(s, SUBJECT, [r.id for r, _, _ in candidates])
        rows = [(r, pn, rn) for r, pn, rn in candidates if approved[r.id] is not None]
    out = []
    for r, pn, rn in rows:
        decision = Decision(r.decision or "")
        out.append(
            PendingDecision(
                r.id, pn, rn, r.budget_year, decision.value, decision.label, r.approved_total
            )
        )
    out.sort(key=lambda p: (p.region_name, p.provider_name))
    return out


def region_names(db: Database) -> list[str]:
    """Region names for the batch choice, in region number order."""
    with db.read_session() as s:
        return [
            r.name
            for r in s.exec(
                select(Region)
                .where(Region.deleted_at == None)  # noqa: E711
                .order_by(col(Region.number))
            ).all()
        ]
