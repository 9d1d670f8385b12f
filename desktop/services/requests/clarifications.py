"""Clarifications (toelichting gevraagd): a question to the provider and its answer; the
request waits while a question is open (lifecycle ASKED / ANSWERED)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

import desktop.services.requests.lifecycle as lifecycle
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import Clarification
from db.repo import UnitOfWork
from desktop.services.requests.model import RequestDetail
from desktop.services.requests.queries import _detail, _get, _require_role
from desktop.services.validation import date_or_error


def _said(
    text: str, field: str, label: str, on: object, on_field: str, errors: list[ValidationError]
) -> tuple[str, date | None]:
    """A question or an answer: its text (required) and its date, each problem at its field."""
    text = (text or "").strip()
    if not text:
        errors.append(ValidationError(field, f"{label} is verplicht."))
    return text, date_or_error(on, on_field, f"Datum {label.lower()}", errors)


def add_clarification(
    db: Database, request_id: str, by: str, question: str, asked_on: object
) -> RequestDetail:
    errors: list[ValidationError] = []
    question, asked = _said(question, "question", "Vraag", asked_on, "asked_on", errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if asked and asked < req.received_date:
            errors.append(
                ValidationError(
                    "asked_on",
                    "De datum van de vraag ligt vóór de "
                    f"ontvangstdatum ({req.received_date:%d-%m-%Y}).",
                )
            )
        if req.state not in lifecycle.CLARIFIABLE:
            raise RuleViolation("Bij deze status kan geen toelichting meer worden gevraagd.")
        if errors:
            raise ValidationErrors(errors)
        assert asked is not None
        uow.add(Clarification(budget_request_id=req.id, question=question, asked_on=asked))
        lifecycle.move(uow, req, lifecycle.Event.ASKED)
        return _detail(s, req)


def answer_clarification(
    db: Database, clarification_id: str, by: str, answer: str, answered_on: object
) -> RequestDetail:
    errors: list[ValidationError] = []
    answer, answered = _said(answer, "answer", "Antwoord", answered_on, "answered_on", errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        c = s.get(Clarification, clarification_id)
        if c is None:
            raise NotFound("Deze toelichting bestaat niet.")
        if answered and answered < c.asked_on:
            errors.append(
                ValidationError("answered_on", "Het antwoord kan niet vóór de vraag liggen.")
            )
        if errors:
            raise ValidationErrors(errors)
        uow.update(c, answer=answer, answered_on=answered)
        req = _get(s, c.budget_request_id)
        open_left = s.exec(
            select(Clarification).where(
                Clarification.budget_request_id == req.id,
                Clarification.answered_on == None,  # noqa: E711
                Clarification.deleted_at == None,  # noqa: E711
            )
        ).first()
        if open_left is None:
            lifecycle.move(uow, req, lifecycle.Event.ANSWERED)
        return _detail(s, req)
