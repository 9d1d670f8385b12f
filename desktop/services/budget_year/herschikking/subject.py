"""The round as a vier-ogen subject ("reallocation_round"): its content, the rows a change
of which voids an approval, and the rules checked before submitting and approving."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from db.errors import NotFound, RuleViolation
from db.models import CareOffice
from db.models.budget_year import ReallocationProposal, ReallocationRound
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.budget_year.herschikking.model import SUBJECT
from desktop.services.budget_year.herschikking.rules import check_round


def _content(s: Session, round_id: str) -> dict[str, Any]:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    props = s.exec(
        select(ReallocationProposal).where(ReallocationProposal.round_id == round_id)
    ).all()
    return {
        "care_office_id": rnd.care_office_id,
        "year": rnd.year,
        "note": rnd.note,
        "deleted": rnd.deleted_at is not None,
        "proposals": {
            p.id: {
                "request": p.budget_request_id,
                "staff": p.new_staff,
                "other": p.new_other,
                "reason": p.reason,
                "deleted": p.deleted_at is not None,
            }
            for p in props
        },
    }


def _watched(s: Session, round_id: str) -> list[review.Watched]:
    out: list[review.Watched] = [(SUBJECT, round_id, frozenset({"care_office_id", "year", "note"}))]
    for pid in s.exec(
        select(ReallocationProposal.id).where(ReallocationProposal.round_id == round_id)
    ).all():
        out.append(("reallocation_proposal", pid, frozenset({"new_staff", "new_other", "reason"})))
    return out


def _describe(s: Session, round_id: str) -> str:
    rnd = s.get(ReallocationRound, round_id)
    office = s.get(CareOffice, rnd.care_office_id) if rnd else None
    return f"{office.short_name if office else '?'} – herschikking {rnd.year if rnd else '?'}"


def _before(uow: UnitOfWork, round_id: str, kind: str, by: str) -> None:
    if kind in ("SUBMITTED", "APPROVED"):
        check_round(uow.session, round_id)


def _still_valid(s: Session, round_id: str) -> bool:
    try:
        check_round(s, round_id)
    except (RuleViolation, NotFound):
        return False
    return True


review.register_subject(
    SUBJECT,
    review.SubjectSpec(
        content=_content,
        watched=_watched,
        author=lambda s, i: r.author_id if (r := s.get(ReallocationRound, i)) else None,
        describe=_describe,
        before=_before,
        still_valid=_still_valid,
    ),
)
