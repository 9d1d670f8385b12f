"""Dutch display formats, in one place (DOMAIN.md §8.2, §10; P-TA-EURO, P-TA-DATUM).

    money(Decimal("1234567.89"))  -> "€ 1.234.567,89"
    long_date(date(2026, 11, 23)) -> "23 november 2026"
    ratio(85, 15)                 -> "85%/15%"

Babel does the locale work. Amounts use a normal space after the euro sign by default (text
that is copied, searched or extracted from a PDF should not contain a no-break space); pass
`nbsp=True` where a line break must never split "€" from the amount.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_datetime, get_timezone
from babel.numbers import format_currency, format_decimal

LOCALE = "nl_NL"
NBSP = "\u00a0"


def money(amount: Decimal | int | None, *, nbsp: bool = False, whole: bool = False) -> str:
    """`€ 1.234.567,89`; `whole=True` gives `€ 1.234.568` for round figures in prose."""
    if amount is None:
        return ""
    if isinstance(amount, float):
        raise TypeError("money() takes Decimal, never float")
    value = Decimal(amount)
    if whole:
        text = format_currency(value, "EUR", locale=LOCALE, format="¤ #,##0", currency_digits=False)
    else:
        text = format_currency(value, "EUR", locale=LOCALE)
    return text if nbsp else text.replace(NBSP, " ")


def number(value: Decimal | int, decimals: int = 0) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(value), format=pattern, locale=LOCALE)


def percent(value: Decimal | int | None, decimals: int = 0) -> str:
    """`85%` (Dutch writes no space before % in this notation, as in S1 "85%/15%")."""
    if value is None:
        return ""
    q = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(q, rounding=ROUND_HALF_UP)
    pattern = "0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE) + "%"


def ratio(staff_pct: Decimal | int, other_pct: Decimal | int, decimals: int = 0) -> str:
    """`85%/15%` notation of the staff/other split (S1 §4.2)."""
    return f"{percent(staff_pct, decimals)}/{percent(other_pct, decimals)}"


def long_date(value: date | None) -> str:
    """`23 november 2026`: day without leading zero, month in lowercase letters."""
    if value is None:
        return ""
    return format_date(value, format="d MMMM y", locale="nl")


def short_date(value: date | None) -> str:
    """`23-11-2026` for dense tables."""
    if value is None:
        return ""
    return format_date(value, format="dd-MM-y", locale="nl")


def timestamp(value: datetime | None) -> str:
    """`23 november 2026 om 14:05` in the Dutch time zone."""
    if value is None:
        return ""
    return format_datetime(
        value, format="d MMMM y 'om' HH:mm", tzinfo=get_timezone("Europe/Amsterdam"), locale="nl"
    )


def postcode(value: str) -> str:
    """`1234AB` -> `1234 AB`."""
    v = value.replace(" ", "").upper()
    return f"{v[:4]} {v[4:]}" if len(v) == 6 else value


def address_place_line(pc: str, place: str) -> str:
    """Address block line: postcode, two spaces, place in capitals: `1234 AB  UTRECHT`."""
    return f"{postcode(pc)}  {place.upper()}".strip()
