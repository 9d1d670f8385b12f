"""The letter's vier-ogen rule (DOMAIN.md §2: an assessment letter needs two distinct users):
only an approved decision makes a definitive letter, and the one who makes it definitive (the
maker, who signs beside the approver) is never the teamleider who approved the decision."""

from __future__ import annotations

from db.errors import RuleViolation
from desktop.services.review.facts import Approval

NOT_APPROVED = (
    "Alleen een goedgekeurd besluit levert een definitieve brief op: het besluit over "
    "deze aanvraag heeft (nog) geen geldige vier-ogen goedkeuring van een teamleider. "
    "De brief blijft een concept."
)
APPROVER_SIGNS = (
    "De teamleider die het besluit goedkeurde kan niet ook de opsteller van de brief "
    "zijn (vier-ogen). Laat een collega de brief definitief maken."
)
NO_PROFILE = "Kies eerst uw profiel (Extra › Mijn profiel)."


def letter_refusal(approval: Approval | None, by: str | None) -> str | None:
    """Why `by` may not make the letter of a decision with this approval definitive, or None
    (the view asks before the click; `letter_signer` refuses the same)."""
    if by is None:
        return NO_PROFILE
    if approval is None:
        return NOT_APPROVED
    if by == approval.approver_id:
        return APPROVER_SIGNS
    return None


def letter_signer(approval: Approval | None, maker_id: str | None, by: str) -> str:
    """Who signs a definitive letter as its maker: the draft's maker, or `by` when the approving
    teamleider started the draft. RuleViolation (Dutch) when the decision is not approved or
    only the approver is left to sign."""
    if approval is None:
        raise RuleViolation(NOT_APPROVED)
    maker = maker_id or by
    if maker == approval.approver_id:
        maker = by  # the approving teamleider started the draft: whoever finishes it signs
    if maker == approval.approver_id:
        raise RuleViolation(APPROVER_SIGNS)
    return maker
