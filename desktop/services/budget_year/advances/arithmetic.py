"""The voorschot in whole cents: the first month, the spread over the months, adjustments and
the December change of a herschikking, the payment date (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import get_month_names

from desktop.services.letters.cycle import ADVANCE_PERCENT

# Dutch month names in lowercase, as in `23 november 2026` (Babel's nl locale, like long_date).
MONTHS_NL: tuple[str, ...] = tuple(get_month_names("wide", locale="nl")[m] for m in range(1, 13))


def first_month(year: int, decided_on: date | None) -> int | None:
    """First month with an advance: 1 when agreed by 1 April t (retroactive), else the first
    month starting on or after the agreement; None when not agreed or agreed after the year."""
    if decided_on is None:
        return None
    if decided_on <= date(year, 4, 1):
        return 1
    if decided_on.year > year:
        return None
    month = decided_on.month if decided_on.day == 1 else decided_on.month + 1
    return month if month <= 12 else None


def spread(total_cents: int, n: int) -> list[int]:
    """`total_cents` over n months in whole cents; the first months take the remainder."""
    if n <= 0:
        return []
    base, rest = divmod(total_cents, n)
    return [base + (1 if i < rest else 0) for i in range(n)]


def monthly_cents(
    agreed_cents: int,
    year: int,
    decided_on: date | None,
    adjustments: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """The advance of each month Jan..Dec in cents. `adjustments`: (from_month, monthly cents)
    in the order they apply (a later one overrides an earlier one from its month on)."""
    out = [0] * 12
    start = first_month(year, decided_on)
    if start is None:
        return out
    n = 13 - start
    share = Decimal(agreed_cents) * ADVANCE_PERCENT * n / (100 * 12)
    total = int(share.to_integral_value(rounding=ROUND_HALF_UP))
    out[start - 1 :] = spread(total, n)
    for from_month, amount in adjustments:
        for m in range(max(from_month, start), 13):
            out[m - 1] = amount
    return out


def with_reallocation(
    months: list[int], year: int, decided_on: date | None, new_cents: int
) -> list[int]:
    """A herschikking (1 November, R13) takes effect on the December advance: it brings the
    year's advance to 75% of the new agreement (for the months the advance covers); never
    below zero -- what was paid too much is settled in the nacalculatie. The months already
    paid stay as they were."""
    start = first_month(year, decided_on)
    if start is None:
        return months
    n = 13 - start
    target = int(
        (Decimal(new_cents) * ADVANCE_PERCENT * n / (100 * 12)).to_integral_value(
            rounding=ROUND_HALF_UP
        )
    )
    out = list(months)
    out[11] = max(target - sum(out[:11]), 0)
    return out


def pay_date(year: int, month: int, decided_on: date) -> date:
    """When month `month`'s advance is paid: the first of the month, retroactive months on the
    agreement date."""
    return max(date(year, month, 1), decided_on)
