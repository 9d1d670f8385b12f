"""Judging the toetsingspunten of a request: per criterion an oordeel with its written
onderbouwing (DOMAIN.md §2)."""

from __future__ import annotations

from db.engine import Database
from db.errors import ValidationError, ValidationErrors
from db.models import CriterionJudgement
from db.models.enums import Judgement
from db.repo import UnitOfWork
from desktop.services.requests.model import RequestDetail
from desktop.services.requests.queries import _criteria_for, _detail, _get, _judgements
from desktop.services.requests.subject import _after_edit, _before_edit


def judge_criteria(
    db: Database, request_id: str, by: str, judgements: dict[str, tuple[str, str]]
) -> RequestDetail:
    """Set judgement + reasoning for one or more criteria ({code: (judgement, reasoning)}).
    A judgement without a reasoning is refused (DOMAIN.md §2: every judgement carries its
    written onderbouwing)."""
    with db.read_session() as s0:
        known = {c.code: c for c in _criteria_for(s0, _get(s0, request_id))}
    errors: list[ValidationError] = []
    clean: dict[str, tuple[str, str]] = {}
    for code, (judgement, reasoning) in judgements.items():
        if code not in known:
            errors.append(ValidationError(f"criterion:{code}", f"Onbekend criterium '{code}'."))
            continue
        judgement = (judgement or "").strip()
        reasoning = (reasoning or "").strip()
        if not judgement and not reasoning:
            clean[code] = ("", "")
            continue
        if judgement not in Judgement.__members__:
            errors.append(
                ValidationError(
                    f"criterion:{code}", f"Kies een oordeel bij criterium {known[code].number}."
                )
            )
        elif not reasoning:
            errors.append(
                ValidationError(
                    f"criterion:{code}",
                    f"Geef een onderbouwing bij criterium "
                    f"{known[code].number} ({known[code].short_nl}).",
                )
            )
        else:
            clean[code] = (judgement, reasoning)
    if errors:
        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        req, before = _before_edit(uow, request_id, by)
        existing = _judgements(s, req.id)
        for code, (judgement, reasoning) in clean.items():
            row = existing.get(code)
            if not judgement:
                if row is not None:
                    uow.delete(row)
            elif row is None:
                uow.add(
                    CriterionJudgement(
                        budget_request_id=req.id,
                        criterion=code,
                        judgement=judgement,
                        reasoning=reasoning,
                        author_id=by,
                    )
                )
            else:
                uow.update(row, judgement=judgement, reasoning=reasoning, author_id=by)
        _after_edit(uow, req, before)
        return _detail(s, req)
