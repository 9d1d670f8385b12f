"""Herschikking (reallocation) around 1 November (Inkoopkader 2020 §4.2.11, DOMAIN.md R13).

"Bij de herschikking [...] kunnen de afspraken zowel naar boven als naar beneden bijgesteld
worden. [...] Uitgangspunt is dat een afspraak naar beneden bijgesteld wordt als de middelen
niet zijn besteed conform de aanvraag. De daarmee beschikbare middelen worden ingezet voor
aanvullende afspraken op basis van maatwerk. [...] Hierbij wordt nooit meer toegekend dan
begroot is in de (goedgekeurde) aanvraag." Zorgkantoren bewaken "de macro kaders en regionale
ruimte" (§4.2.10): the care-office ceiling and the regional ceilings stay kept.

One round per care office and year, with a proposal per agreed budget prefilled from the
monitoring signals; the round is approved as one set under the vier-ogen rule (subject type
"reallocation_round"); once approved, its amounts are the agreement (agreements.py).

The package: model (records), queries (reading), rules (the checks), proposals (open a round,
edit a proposal), subject (the vier-ogen wiring, registered on import).
"""

from desktop.services.budget_year.herschikking import subject  # noqa: F401 - registers the subject
from desktop.services.budget_year.herschikking.model import (
    SUBJECT,
    THOUSAND,
    ZERO,
    ProposalRow,
    RoundDetail,
)
from desktop.services.budget_year.herschikking.proposals import open_round, update_proposal
from desktop.services.budget_year.herschikking.queries import find_round, get_round, rounds
from desktop.services.budget_year.herschikking.rules import cap, check_amounts, check_round

__all__ = [
    "SUBJECT",
    "THOUSAND",
    "ZERO",
    "ProposalRow",
    "RoundDetail",
    "cap",
    "check_amounts",
    "check_round",
    "find_round",
    "get_round",
    "open_round",
    "rounds",
    "update_proposal",
]
