"""The life of a budget request is one transition table (issue 19: requests/lifecycle.py)."""

from __future__ import annotations

import pytest

from db.errors import RuleViolation
from db.models.enums import RequestState as S
from desktop.services import requests as rq
from desktop.services.requests.lifecycle import STEPS, Event, next_state

# The "Status wijzigen" menu as DOMAIN.md §6.4 has it (the table before the package split).
MANUAL = {
    S.RECEIVED: {S.IN_REVIEW, S.WITHDRAWN},
    S.IN_REVIEW: {S.CLARIFICATION_REQUESTED, S.IN_MEDIATION, S.WITHDRAWN},
    S.CLARIFICATION_REQUESTED: {S.IN_REVIEW, S.IN_MEDIATION, S.WITHDRAWN},
    S.AWAITING_FOUR_EYES: {S.WITHDRAWN},
    S.DECIDED: {S.LETTER_SENT, S.IN_MEDIATION},
    S.LETTER_SENT: {S.ADDENDUM_SIGNED, S.IN_MEDIATION},
    S.IN_MEDIATION: {S.IN_REVIEW, S.WITHDRAWN},
    S.ADDENDUM_SIGNED: set(),
    S.WITHDRAWN: set(),
}


def test_the_manual_steps_are_the_menu() -> None:
    for state in S:
        assert set(rq.allowed_transitions(state)) == {str(t) for t in MANUAL[state]}, state


def test_every_row_names_real_states_and_one_target_per_event_and_state() -> None:
    states = {str(s) for s in S}
    for step in STEPS:
        assert step.sources <= states and step.target in states
    for event in Event:
        if event == Event.MANUAL:
            continue
        rows = [s for s in STEPS if s.event == event]
        starts = [src for s in rows for src in s.sources]
        assert len(starts) == len(set(starts)), event  # never two answers for one state


def test_review_and_work_move_the_state_as_before() -> None:
    assert next_state(Event.SUBMITTED, S.IN_MEDIATION) == S.AWAITING_FOUR_EYES
    assert next_state(Event.SUBMITTED, S.DECIDED) is None
    assert next_state(Event.APPROVED, S.AWAITING_FOUR_EYES) == S.DECIDED
    assert next_state(Event.RETURNED, S.AWAITING_FOUR_EYES) == S.IN_REVIEW
    assert next_state(Event.RETURNED, S.DECIDED) is None  # a late rejection moves nothing
    assert next_state(Event.EDITED, S.DECIDED) == S.IN_REVIEW
    assert next_state(Event.EDITED, S.IN_MEDIATION) is None
    assert next_state(Event.ASKED, S.IN_MEDIATION) is None
    assert next_state(Event.ANSWERED, S.CLARIFICATION_REQUESTED) == S.IN_REVIEW


def test_a_refused_manual_step_says_why_in_dutch(db, users) -> None:  # type: ignore[no-untyped-def]
    from tests.letters_helpers import decided, make_world

    world = make_world(db, users["purchaser"].id)
    rid = decided(db, users, world, approve=False)
    with pytest.raises(
        RuleViolation, match="Van 'In beoordeling' naar 'Addendum getekend' is geen toegestane stap"
    ):
        rq.transition(db, rid, users["purchaser"].id, "ADDENDUM_SIGNED")
    rq.transition(db, rid, users["purchaser"].id, "WITHDRAWN")
    with pytest.raises(RuleViolation, match="kan niet ter vier-ogen worden aangeboden"):
        rq.submit(db, rid, users["purchaser"].id)
