"""Voorschot (advance) on the agreed kwaliteitsbudget (Inkoopkader 2020 §4.2.9, DOMAIN.md R11).

"Als de afspraken over het kwaliteitsbudget tijdig zijn overeengekomen, ontvangen zorgaanbieders
een voorschot op zijn vroegst beginnend 1 januari. Het voorschot bedraagt 75% van het bedrag dat
op maandbasis voor een zorgaanbieder afgesproken is. [...] Het voorschot wordt indien nodig en
na overleg tussentijds aangepast in lijn met de daadwerkelijke realisatie. Wanneer het plan
wordt goedgekeurd (uiterlijk 1 april) worden de voorschotten met terugwerkende kracht tot
1 januari uitgekeerd." (S1 §4.2.9)

Rules as built:
* agreed by 1 April t: advance for all twelve months; the months before the agreement are paid
  retroactively on the agreement date;
* agreed later: advance from the first month that starts on or after the agreement date;
* the advance of the months covered is 75% x agreed total x months/12, rounded half up to the
  cent once, then spread in whole cents (the first months get the remainder cents), so the
  months add up to the cent;
* an approved AdvanceAdjustment (vier-ogen) sets the monthly amount from its month on.

The package: arithmetic (pure, in cents), schedule (reading, export rows), adjusting (the
vier-ogen subject, registered on import).
"""

from desktop.services.budget_year.advances.adjusting import (
    AdjustmentRow,
    adjustments,
    may_review,
    propose_adjustment,
)
from desktop.services.budget_year.advances.arithmetic import (
    MONTHS_NL,
    first_month,
    monthly_cents,
    pay_date,
    spread,
    with_reallocation,
)
from desktop.services.budget_year.advances.schedule import (
    SUBJECT,
    AdvanceSchedule,
    ProviderAdvance,
    advance_schedule,
    approved_adjustments,
    provider_advance,
    schedule_in,
    schedule_rows,
)

__all__ = [
    "MONTHS_NL",
    "SUBJECT",
    "AdjustmentRow",
    "AdvanceSchedule",
    "ProviderAdvance",
    "adjustments",
    "advance_schedule",
    "approved_adjustments",
    "first_month",
    "may_review",
    "monthly_cents",
    "pay_date",
    "propose_adjustment",
    "provider_advance",
    "schedule_in",
    "schedule_rows",
    "spread",
    "with_reallocation",
]
