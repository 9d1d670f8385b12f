"""The kwaliteitsbudget cycle dates of year t that a letter mentions (DOMAIN.md §7)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CycleDates:
    year: int
    addendum_by: date  # R9: addendum signed by both parties, "uiterlijk eind maart"
    advance_from: date  # R11: 75% voorschot from 1 January t at the earliest
    approval_for_retroactive_advance: date  # R11: approved by 1 April t -> retroactive
    realisation_reports: tuple[date, date, date]  # R12: before 31 May, 31 Jul, 31 Oct t
    reallocation: date  # R13: herschikking 1 November t
    year_realisation_by: date  # R14: realisation of the whole year before 1 April t+1
    accountant_report_by: date  # R15: rapport van feitelijke bevindingen 1 May t+1
    final_accounting_by: date  # R16: nacalculatie before 1 June t+1


ADVANCE_PERCENT = 75


def cycle_dates(year: int) -> CycleDates:
    return CycleDates(
        year=year,
        addendum_by=date(year, 3, 31),
        advance_from=date(year, 1, 1),
        approval_for_retroactive_advance=date(year, 4, 1),
        realisation_reports=(date(year, 5, 31), date(year, 7, 31), date(year, 10, 31)),
        reallocation=date(year, 11, 1),
        year_realisation_by=date(year + 1, 4, 1),
        accountant_report_by=date(year + 1, 5, 1),
        final_accounting_by=date(year + 1, 6, 1),
    )
