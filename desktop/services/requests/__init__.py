"""Budget requests (aanvragen kwaliteitsbudget) and afwijkingsverzoeken (DOMAIN.md §6).

Inkoopkader 2020 §4.2.7 (seed 001): "Bij een aanvraag met een hoger aandeel andere investeringen
dan 15% beoordeelt het zorgkantoor de onderbouwing die de zorgaanbieder in zijn aanvraag
aandraagt. Het zorgkantoor toetst de aanvraag in ieder geval aan de volgende punten: [C1..C10]"
and "Het streven is om de afspraken over het kwaliteitsbudget binnen zes weken nadat de aanvraag
is ontvangen te maken, maar in ieder geval uiterlijk binnen drie maanden als er bijzonderheden
spelen."

The decision itself is final only after the vier-ogen approval (desktop.services.review): the
subject registered in `subject` hashes the request, its deviation details and its criterion
judgements, and moves the request state on submit / approve / reject / withdraw.

The package, cut along the glossary (issue 19); callers import from here:

* `model`     what the services hand out (RequestDetail, RequestRow, ...) and the ten criteria
* `amounts`   amounts as typed to Decimal, with every problem at its field
* `lifecycle` every state change as one transition table; the manual steps (`transition`)
* `subject`   the request as a vier-ogen subject (hash, rules on submit/approve, state moves)
* `queries`   reading: session-level (`request_in`) and read-only use cases
* `registration`   writing: register and edit a request, its afwijkingsverzoek details
* `judging`        writing: the oordeel and onderbouwing per toetsingspunt
* `deciding`       writing: the besluit and the amounts it grants
* `clarifications` writing: toelichting gevraagd / beantwoord
* `editing`        the old path of the four writing modules above
"""

from desktop.services.requests.amounts import parse_amount, validate_amounts
from desktop.services.requests.clarifications import add_clarification, answer_clarification
from desktop.services.requests.deciding import record_decision
from desktop.services.requests.judging import judge_criteria
from desktop.services.requests.lifecycle import allowed_transitions, transition
from desktop.services.requests.model import (
    _DECISION_LABELS,
    SUBJECT,
    SUPPORT_PARTIES,
    ClarificationInfo,
    Criterion,
    CriterionInfo,
    ProviderChoice,
    RequestBundle,
    RequestDetail,
    RequestRow,
    criteria,
)
from desktop.services.requests.queries import (
    decision_check,
    get_request,
    list_requests,
    may_approve,
    providers,
    request_bundle,
    request_in,
)
from desktop.services.requests.registration import (
    create_request,
    update_deviation,
    update_request,
)
from desktop.services.requests.subject import NO_DECISION, approve, reject, submit
from desktop.services.requests.years import budget_years, working_year

__all__ = [
    "NO_DECISION",
    "SUBJECT",
    "SUPPORT_PARTIES",
    "_DECISION_LABELS",
    "ClarificationInfo",
    "Criterion",
    "CriterionInfo",
    "ProviderChoice",
    "RequestBundle",
    "RequestDetail",
    "RequestRow",
    "add_clarification",
    "allowed_transitions",
    "answer_clarification",
    "approve",
    "budget_years",
    "create_request",
    "criteria",
    "decision_check",
    "get_request",
    "judge_criteria",
    "list_requests",
    "may_approve",
    "parse_amount",
    "providers",
    "record_decision",
    "reject",
    "request_bundle",
    "request_in",
    "working_year",
    "submit",
    "transition",
    "update_deviation",
    "update_request",
    "validate_amounts",
]
