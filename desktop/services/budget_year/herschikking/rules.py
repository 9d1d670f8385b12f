"""The herschikking's rules: "nooit meer toegekend dan begroot is in de (goedgekeurde)
aanvraag" (per part and in total) and the ceilings of the care office and the regions."""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session

from db.errors import RuleViolation, ValidationError
from desktop.services.budget_year.herschikking.model import ZERO
from desktop.services.budget_year.herschikking.queries import ceilings_in, detail_in
from desktop.services.formatting import money


def check_amounts(
    new_staff: Decimal, new_other: Decimal, req_staff: Decimal, req_other: Decimal
) -> list[ValidationError]:
    """ "Nooit meer toegekend dan begroot is in de (goedgekeurde) aanvraag": per part and in
    total never above the request."""
    errors = []
    if new_staff > req_staff:
        errors.append(
            ValidationError(
                "new_staff",
                f"Meer dan aangevraagd voor extra personeel "
                f"({money(req_staff)}): dat mag niet (§4.2.11).",
            )
        )
    if new_other > req_other:
        errors.append(
            ValidationError(
                "new_other",
                f"Meer dan aangevraagd voor overige investeringen "
                f"({money(req_other)}): dat mag niet (§4.2.11).",
            )
        )
    return errors


def check_round(s: Session, round_id: str) -> None:
    """Refuse a round that breaks a rule: above a request, or above a ceiling."""
    d = detail_in(s, round_id, with_review=False)
    for p in d.proposals:
        if check_amounts(p.new_staff, p.new_other, p.requested_staff, p.requested_other):
            raise RuleViolation(f"{p.provider_name}: het nieuwe bedrag ligt boven de aanvraag.")
        if p.changed and not p.reason.strip():
            raise RuleViolation(f"{p.provider_name}: geef de reden van de bijstelling.")
    ceilings = ceilings_in(s, d.care_office_id, d.year)
    for region_id, ceiling in ceilings.items():
        total = sum(
            (p.new_total for p in d.proposals if region_id is None or p.region_id == region_id),
            ZERO,
        )
        if total > ceiling:
            scope = (
                "het plafond van het zorgkantoor" if region_id is None else "het regionale plafond"
            )
            raise RuleViolation(
                f"De herschikking past niet binnen {scope}: {money(total - ceiling)} "
                f"te veel (plafond {money(ceiling)}, na herschikking {money(total)})."
            )


def cap(
    staff: Decimal, other: Decimal, req_staff: Decimal, req_other: Decimal
) -> tuple[Decimal, Decimal]:
    """Keep the total but move what exceeds one requested part to the other part (both capped)."""
    if staff > req_staff:
        other, staff = min(other + staff - req_staff, req_other), req_staff
    if other > req_other:
        staff, other = min(staff + other - req_other, req_staff), req_other
    return staff, other
