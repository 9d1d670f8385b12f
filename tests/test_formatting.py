"""Dutch display formats (DOMAIN.md §8.2, §10): amounts, dates, percentages, address lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.services import formatting as f

MONTHS = (
    "januari februari maart april mei juni juli augustus september oktober november december"
).split()


@pytest.mark.parametrize(
    "amount, text",
    [
        (Decimal("1234567.89"), "€ 1.234.567,89"),
        (Decimal("0"), "€ 0,00"),
        (Decimal("5"), "€ 5,00"),
        (Decimal("0.5"), "€ 0,50"),
        (Decimal("1000"), "€ 1.000,00"),
        (12, "€ 12,00"),
    ],
)
def test_money_has_euro_sign_space_dots_and_comma(amount: Decimal, text: str) -> None:
    assert f.money(amount) == text


def test_money_variants() -> None:
    assert f.money(Decimal("50000"), whole=True) == "€ 50.000"
    assert f.money(Decimal("1234567.89"), nbsp=True) == "€\u00a01.234.567,89"
    assert f.money(None) == ""
    with pytest.raises(TypeError):
        f.money(1.5)  # type: ignore[arg-type]


@given(
    st.decimals(
        min_value=0,
        max_value=Decimal("999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_money_always_looks_dutch(value: Decimal) -> None:
    text = f.money(value)
    assert text.startswith("€ ") and text[-3] == ","
    whole, cents = text[2:].split(",")
    groups = whole.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    assert Decimal(whole.replace(".", "") + "." + cents) == value


def test_long_date_is_day_month_in_letters_year() -> None:
    assert f.long_date(date(2026, 11, 23)) == "23 november 2026"
    assert f.long_date(date(2027, 1, 5)) == "5 januari 2027"  # no leading zero
    assert f.long_date(None) == ""


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_long_date_for_any_day(d: date) -> None:
    assert f.long_date(d) == f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def test_short_date_and_timestamp() -> None:
    assert f.short_date(date(2026, 3, 1)) == "01-03-2026"
    # Summer time in the Netherlands: 12:05 UTC is 14:05.
    assert f.timestamp(datetime(2026, 7, 1, 12, 5, tzinfo=UTC)) == "1 juli 2026 om 14:05"
    assert f.timestamp(datetime(2026, 11, 23, 8, 0, tzinfo=UTC)) == "23 november 2026 om 09:00"


def test_percentages_and_the_85_15_ratio() -> None:
    assert f.percent(85) == "85%"
    assert f.percent(Decimal("17.25"), 1) == "17,3%"
    assert f.ratio(85, 15) == "85%/15%"
    assert f.ratio(Decimal("83.5"), Decimal("16.5"), 1) == "83,5%/16,5%"
    assert f.number(1234567) == "1.234.567"


def test_address_line_for_window_envelopes() -> None:
    assert f.postcode("3511ab") == "3511 AB"
    assert f.address_place_line("3511AB", "Utrecht") == "3511 AB  UTRECHT"
