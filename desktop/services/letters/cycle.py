"""The kwaliteitsbudget cycle dates of year t that a letter mentions (DOMAIN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from desktop.services.budget_cycle import cycle


@dataclass(frozen=True)
class CycleDates:
    year: int
    addendum_by: date  # R9: addendum signed by both parties before this day (1 April)
    advance_from: date  # R11: 75% voorschot from 1 January t at the earliest
    approval_for_retroactive_advance: date  # R11: approved by 1 April t -> retroactive
    realisation_reports: tuple[date, date, date]  # R12: before 31 May, 31 Jul, 31 Oct t
    reallocation: date  # R13: herschikking 1 November t
    year_realisation_by: date  # R14: realisation of the whole year before 1 April t+1
    accountant_report_by: date  # R15: rapport van feitelijke bevindingen 1 May t+1
    final_accounting_by: date  # R16: nacalculatie before 1 June t+1


ADVANCE_PERCENT = 75


def monthly_advance(agreed_total: Decimal) -> Decimal:
    """S1 §4.2.9: "Het voorschot bedraagt 75% van het bedrag dat op maandbasis voor een
    zorgaanbieder afgesproken is": 75% of total/12, rounded once, half up, to the cent."""
    return (agreed_total * ADVANCE_PERCENT / 1200).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def monthly_amount(agreed_total: Decimal) -> Decimal:
    return (agreed_total / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _calendar_end(code: str, year: int, fallback: date) -> date:
    """The date of rule `code` in the budget cycle (resources/reference/budget_cycle.yaml), so
    the letter and the calendar view say the same."""
    for m in cycle(year):
        if m.code == code and m.end is not None:
            return m.end
    return fallback


@lru_cache(maxsize=32)
def cycle_dates(year: int) -> CycleDates:
    return CycleDates(
        year=year,
        # R9: "uiterlijk eind maart ... vastgelegd in een addendum" (§4.2.8), 1 April in the
        # §4.2.14 table and in the calendar: the letter says "vóór 1 april".
        addendum_by=_calendar_end("R9", year, date(year, 4, 1)),
        advance_from=date(year, 1, 1),
        approval_for_retroactive_advance=date(year, 4, 1),
        realisation_reports=(date(year, 5, 31), date(year, 7, 31), date(year, 10, 31)),
        reallocation=date(year, 11, 1),
        year_realisation_by=date(year + 1, 4, 1),
        accountant_report_by=date(year + 1, 5, 1),
        final_accounting_by=date(year + 1, 6, 1),
    )
