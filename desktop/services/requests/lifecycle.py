"""The life of a budget request (DOMAIN.md §6.4) as ONE transition table.

Every state change of a request is a row here: the event that causes it, the states it may
start from, the state it leads to. The use cases name the event (`move(uow, req, event)`); a
state not in the row's sources is refused (`required=True`: a Dutch RuleViolation) or leaves
the request where it is (an edit or a clarification that does not move the state). The manual
steps of the "Status wijzigen" menu are the MANUAL rows (`allowed_transitions`, `transition`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from db.engine import Database
from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models import BudgetRequest
from db.models.enums import RequestState as S
from db.models.enums import ReviewKind
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.requests.model import SUBJECT, RequestDetail
from desktop.services.requests.queries import _detail, _get, _require_role
from desktop.services.validation import date_or_error


class Event(StrEnum):
    MANUAL = "manual"  # the user picks the next state (transition())
    DECIDED = "decided"  # a decision is recorded on a request still "ontvangen"
    EDITED = "edited"  # a new version of a request under review or decided
    ASKED = "asked"  # a clarification question
    ANSWERED = "answered"  # the last open clarification answered
    SUBMITTED = "submitted"  # vier-ogen: offered to a teamleider
    APPROVED = "approved"  # vier-ogen: approved, the decision is final
    RETURNED = "returned"  # vier-ogen: rejected or withdrawn


@dataclass(frozen=True)
class Step:
    event: Event
    sources: frozenset[str]
    target: str


def _step(event: Event, sources: set[S], target: S) -> Step:
    return Step(event, frozenset(str(x) for x in sources), str(target))


_OPEN = {S.RECEIVED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.IN_MEDIATION}

STEPS: tuple[Step, ...] = (
    # -- chosen by the user ("Status wijzigen") ------------------------------------------------
    _step(Event.MANUAL, {S.RECEIVED, S.CLARIFICATION_REQUESTED, S.IN_MEDIATION}, S.IN_REVIEW),
    _step(Event.MANUAL, {S.IN_REVIEW}, S.CLARIFICATION_REQUESTED),
    _step(
        Event.MANUAL,
        {S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.DECIDED, S.LETTER_SENT},
        S.IN_MEDIATION,
    ),
    _step(
        Event.MANUAL,
        {S.RECEIVED, S.IN_REVIEW, S.CLARIFICATION_REQUESTED, S.AWAITING_FOUR_EYES, S.IN_MEDIATION},
        S.WITHDRAWN,
    ),
    _step(Event.MANUAL, {S.DECIDED}, S.LETTER_SENT),
    _step(Event.MANUAL, {S.LETTER_SENT}, S.ADDENDUM_SIGNED),
    # -- caused by the work on the request ------------------------------------------------------
    _step(Event.DECIDED, {S.RECEIVED}, S.IN_REVIEW),
    _step(Event.EDITED, {S.RECEIVED, S.AWAITING_FOUR_EYES, S.DECIDED}, S.IN_REVIEW),
    _step(Event.ASKED, {S.RECEIVED, S.IN_REVIEW}, S.CLARIFICATION_REQUESTED),
    _step(Event.ANSWERED, {S.CLARIFICATION_REQUESTED}, S.IN_REVIEW),
    # -- the vier-ogen review (subject.before) ---------------------------------------------------
    _step(Event.SUBMITTED, _OPEN, S.AWAITING_FOUR_EYES),
    _step(Event.APPROVED, {S.AWAITING_FOUR_EYES}, S.DECIDED),
    _step(Event.RETURNED, {S.AWAITING_FOUR_EYES}, S.IN_REVIEW),
)

# What may be done to a request in which state (not moves, but the same life).
EDITABLE = frozenset(str(x) for x in (*_OPEN, S.AWAITING_FOUR_EYES, S.DECIDED))
DECIDABLE = EDITABLE
CLARIFIABLE = frozenset(str(x) for x in S) - {
    str(S.WITHDRAWN),
    str(S.LETTER_SENT),
    str(S.ADDENDUM_SIGNED),
}

_REFUSALS = {
    Event.SUBMITTED: "Een aanvraag met status '{label}' kan niet ter vier-ogen worden aangeboden.",
    Event.APPROVED: "Deze aanvraag staat niet ter vier-ogen.",
}


def next_state(event: Event, state: str, target: str | None = None) -> str | None:
    """The state `event` leads to from `state` (for MANUAL: `target` if allowed), or None."""
    for step in STEPS:
        if (
            step.event == event
            and state in step.sources
            and (target is None or step.target == target)
        ):
            return step.target
    return None


def require(event: Event, req: BudgetRequest) -> str:
    """The state `event` leads to; refused in Dutch when the request's state cannot start it."""
    target = next_state(event, req.state)
    if target is None:
        raise RuleViolation(
            _REFUSALS.get(event, "Deze stap is bij status '{label}' niet toegestaan.").format(
                label=S(req.state).label
            )
        )
    return target


def move(
    uow: UnitOfWork, req: BudgetRequest, event: Event, *, required: bool = False, **fields: Any
) -> bool:
    """Apply `event` to the request in the caller's unit of work (with `fields`, e.g. the
    decision date). Returns whether the state changed; with `required` a state the event
    cannot start from is refused in Dutch (`require`)."""
    target = require(event, req) if required else next_state(event, req.state)
    if target is None:
        return False
    uow.update(req, state=target, **fields)
    return True


def allowed_transitions(state: str) -> tuple[str, ...]:
    return tuple(
        sorted({s.target for s in STEPS if s.event == Event.MANUAL and state in s.sources})
    )


def transition(
    db: Database, request_id: str, by: str, target: str, *, on: object = None, note: str = ""
) -> RequestDetail:
    """Move a request: start review, mediation start/end, withdrawal (by the provider), letter
    sent, addendum signed. Decisions go through record_decision + the vier-ogen review."""
    if target not in S.__members__:
        raise ValidationError("state", f"Onbekende status '{target}'.")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if next_state(Event.MANUAL, req.state, target) is None:
            raise RuleViolation(
                f"Van '{S(req.state).label}' naar '{S(target).label}' is geen toegestane stap."
            )
        errors: list[ValidationError] = []
        day = date_or_error(on, "on", "Datum", errors) if on not in (None, "") else date.today()
        if errors:
            raise ValidationErrors(errors)
        assert day is not None
        if day < req.received_date:
            raise ValidationError(
                "on", f"De datum ligt vóór de ontvangstdatum ({req.received_date:%d-%m-%Y})."
            )
        changes: dict[str, Any] = {"state": str(target)}
        if target == S.LETTER_SENT:
            if review.approval_in(s, SUBJECT, req.id) is None:
                raise RuleViolation(
                    "De brief kan pas worden verstuurd na de vier-ogen goedkeuring."
                )
            changes["letter_sent_on"] = day
        elif target == S.ADDENDUM_SIGNED:
            if req.letter_sent_on and day < req.letter_sent_on:
                raise ValidationError(
                    "on", "Het addendum kan niet vóór het versturen van de brief zijn getekend."
                )
            changes["addendum_signed_on"] = day
        elif target == S.IN_MEDIATION:
            changes["mediation"] = {
                **(req.mediation or {}),
                "started_on": day.isoformat(),
                "note": note.strip(),
            }
        elif req.state == S.IN_MEDIATION and target == S.IN_REVIEW:
            changes["mediation"] = {
                **(req.mediation or {}),
                "ended_on": day.isoformat(),
                "outcome": note.strip(),
            }
        elif target == S.WITHDRAWN and req.state == S.AWAITING_FOUR_EYES:
            review.record_step(
                uow,
                SUBJECT,
                req.id,
                ReviewKind.WITHDRAWN,
                by,
                review.content_hash_in(s, SUBJECT, req.id),
                "Aanvraag ingetrokken",
            )
        uow.update(req, **changes)
        uow.audit("transition", req, state=str(target), note=note.strip())
        return _detail(s, req)
