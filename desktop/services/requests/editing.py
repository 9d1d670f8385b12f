"""Writing budget requests: register, edit, judge the criteria, record the decision,
clarifications. Every use case is one unit of work; a changed version leaves the vier-ogen
track (subject._after_edit). The old path of the writing use cases; they live in
`registration`, `judging`, `deciding` and `clarifications` (issue 19)."""

from desktop.services.requests.clarifications import add_clarification, answer_clarification
from desktop.services.requests.deciding import record_decision
from desktop.services.requests.judging import judge_criteria
from desktop.services.requests.registration import (
    create_request,
    update_deviation,
    update_request,
)

__all__ = [
    "add_clarification",
    "answer_clarification",
    "create_request",
    "judge_criteria",
    "record_decision",
    "update_deviation",
    "update_request",
]
