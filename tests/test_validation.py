"""Identifiers, postcodes and amounts (DOMAIN.md §10): one place, Dutch messages naming the field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.errors import ValidationError
from desktop.services import formatting
from desktop.services import validation as v


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("41234567", "41234567"),
        ("01234567", "01234567"),
        (" 4123 4567 ", "41234567"),
        ("41.23.45.67", "41234567"),
    ],
)
def test_kvk_number_accepts_eight_digits_and_keeps_leading_zeros(raw: str, expected: str) -> None:
    assert v.kvk_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "1234567", "123456789", "4123456A", "KvK41234567", None])
def test_kvk_number_refuses_other_input_in_dutch(raw: object) -> None:
    with pytest.raises(ValidationError) as exc:
        v.kvk_number(raw, field="kvk")
    assert exc.value.field == "kvk"
    assert "KvK-nummer moet uit precies 8 cijfers bestaan" in exc.value.message


def test_kvk_branch_number_is_twelve_digits() -> None:
    assert v.kvk_branch_number("000005203686") == "000005203686"
    for bad in ("5203686", "0000052036861", "00000520368X", ""):
        with pytest.raises(ValidationError, match="vestigingsnummer moet uit precies 12 cijfers"):
            v.kvk_branch_number(bad)


def test_agb_code_is_eight_digits_without_prefix_rules() -> None:
    assert v.agb_code("06020101") == "06020101"  # UMCG onderneming (DOMAIN.md §10)
    assert v.agb_code("73123456") == "73123456"
    for bad in ("602010", "060201011", "0602O101", ""):
        with pytest.raises(ValidationError, match="AGB-code moet uit precies 8 cijfers") as exc:
            v.agb_code(bad, field="agb_locatie")
        assert exc.value.field == "agb_locatie"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1234 AB", "1234AB"),
        ("1234ab", "1234AB"),
        (" 3511 cd ", "3511CD"),
        ("9999ZZ", "9999ZZ"),
    ],
)
def test_postcode_is_normalised_for_storage(raw: str, expected: str) -> None:
    assert v.postcode(raw) == expected
    assert formatting.postcode(expected) == expected[:4] + " " + expected[4:]


@pytest.mark.parametrize(
    "raw",
    [
        "0123 AB",
        "123 AB",
        "1234 A",
        "1234 ABC",
        "1234 SA",
        "1234 SD",
        "1234 SS",
        "12345",
        "AB 1234",
        "",
    ],
)
def test_postcode_refuses_invalid_and_excluded_letter_pairs(raw: str) -> None:
    with pytest.raises(ValidationError, match="Postcode moet de vorm 1234 AB hebben"):
        v.postcode(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.234.567,89", "1234567.89"),
        ("1234567,89", "1234567.89"),
        ("€ 12,50", "12.50"),
        ("€\u00a01.234", "1234.00"),
        ("5,-", "5.00"),
        ("5,–", "5.00"),
        ("1234.50", "1234.50"),
        ("0", "0.00"),
        (Decimal("7.1"), "7.10"),
        (12, "12.00"),
    ],
)
def test_amount_parses_dutch_notation(raw: object, expected: str) -> None:
    assert v.amount(raw, "bedrag") == Decimal(expected)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "is verplicht"),
        ("12,345", "geen geldig bedrag"),
        ("abc", "geen geldig bedrag"),
        ("-5", "mag niet negatief zijn"),
        (Decimal("1.005"), "hoogstens 2 cijfers"),
        ("99.999.999.999.999", "onwaarschijnlijk groot"),
        (1.5, "kommagetal"),
    ],
)
def test_amount_refuses_bad_input_with_a_dutch_message(raw: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as exc:
        v.amount(raw, "requested_total", "Aangevraagd bedrag")
    assert exc.value.field == "requested_total"


def test_negative_amount_when_allowed() -> None:
    assert v.amount("-1.250,00", "correctie", allow_negative=True) == Decimal("-1250.00")


@given(
    st.decimals(
        min_value=0,
        max_value=Decimal("9999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_formatted_money_parses_back_to_the_same_amount(value: Decimal) -> None:
    # What the app prints (€ 1.234.567,89) is what a user may type back in.
    text = formatting.money(value)
    assert v.amount(text, "bedrag") == value
    assert v.amount(formatting.money(value, nbsp=True), "bedrag") == value


@given(st.integers(min_value=0, max_value=99_999_999))
def test_any_eight_digit_string_is_a_kvk_number(n: int) -> None:
    text = f"{n:08d}"
    assert v.kvk_number(text) == text
    assert v.agb_code(text) == text


def test_dates_accept_iso_and_dutch_day_first() -> None:
    assert v.iso_date("2026-11-23", "datum") == date(2026, 11, 23)
    assert v.iso_date("23-11-2026", "datum") == date(2026, 11, 23)
    assert v.iso_date("1/3/2026", "datum") == date(2026, 3, 1)
    with pytest.raises(ValidationError, match="geen geldige datum"):
        v.iso_date("31-02-2026", "datum", "Ontvangstdatum")


def test_required_text_and_positive_int() -> None:
    assert v.required_text("  Zorgcentrum De Linde ", "naam", "Naam") == "Zorgcentrum De Linde"
    with pytest.raises(ValidationError, match="Naam is verplicht"):
        v.required_text("   ", "naam", "Naam")
    with pytest.raises(ValidationError, match="hoogstens 5 tekens"):
        v.required_text("abcdef", "code", "Code", 5)
    assert v.positive_int("", "capaciteit", "Capaciteit") is None
    assert v.positive_int("96", "capaciteit", "Capaciteit") == 96
    with pytest.raises(ValidationError, match="heel getal"):
        v.positive_int("9,5", "capaciteit", "Capaciteit")
