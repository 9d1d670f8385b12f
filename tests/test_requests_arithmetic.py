"""Pure arithmetic: the 85/15 split and the deadlines (no database)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.services.budget import add_months, deadline, deadline_status, split
from desktop.services.requests import validate_amounts

cents = st.integers(min_value=0, max_value=10**12).map(lambda c: Decimal(c) / 100)


@settings(max_examples=120, deadline=None)
@given(staff=cents, other=cents, decimals=st.integers(min_value=0, max_value=2))
def test_split_percentages_always_sum_to_100(staff, other, decimals):
    if staff + other == 0:
        return
    sp = split(staff, other, decimals)
    assert sp.staff_pct + sp.other_pct == 100
    assert sp.other_pct == sp.other_pct.quantize(Decimal(1).scaleb(-decimals))
    # The label shows exactly these two figures.
    left, right = sp.label.split("/")
    assert (
        Decimal(left.rstrip("%").replace(",", ".")) + Decimal(right.rstrip("%").replace(",", "."))
        == 100
    )


@settings(max_examples=120, deadline=None)
@given(staff=cents, other=cents)
def test_deviation_is_decided_exactly_not_on_rounded_figures(staff, other):
    if staff + other == 0:
        return
    sp = split(staff, other)
    exact = other / (staff + other) * 100
    assert sp.is_deviation == (other * 100 > 15 * (staff + other))
    if sp.kind == "STANDARD":
        assert other * 100 == 15 * (staff + other)
    # Rounding is consistent with the exact share (half up).
    assert abs(sp.other_pct - exact) <= Decimal("0.5")


@settings(max_examples=100, deadline=None)
@given(
    total_cents=st.integers(min_value=1, max_value=10**12),
    other_share=st.integers(min_value=0, max_value=10_000),
)
def test_split_of_a_total_sums_to_the_cent(total_cents, other_share):
    """Any total split into staff + other in cents adds up exactly and validates."""
    total = Decimal(total_cents) / 100
    other = (Decimal(total_cents * other_share // 10_000)) / 100
    staff = total - other
    assert staff + other == total
    parsed = validate_amounts(
        {
            "initial_reserved_amount": "0",
            "requested_total": total,
            "requested_staff_amount": staff,
            "requested_other_amount": other,
        }
    )
    assert (
        parsed["requested_staff_amount"] + parsed["requested_other_amount"]
        == parsed["requested_total"]
    )


def test_split_examples():
    assert split(Decimal("850000"), Decimal("150000")).label == "85%/15%"
    assert split(Decimal("850000"), Decimal("150000")).kind == "STANDARD"
    assert split(Decimal("960000"), Decimal("240000")).label == "80%/20%"
    assert split(Decimal("90"), Decimal("10")).kind == "MORE_STAFF"
    # 15,004% prints as 15,0% (the ",0" says it is rounded) and is a deviation.
    sp = split(Decimal("84996"), Decimal("15004"))
    assert sp.label == "85,0%/15,0%" and sp.is_deviation
    # Issue 15: a deviation of 15,4% never prints as "85%/15%".
    sp = split(Decimal("84.6"), Decimal("15.4"))
    assert sp.label == "84,6%/15,4%" and sp.is_deviation
    assert (sp.staff_text, sp.other_text) == ("84,6%", "15,4%")
    # Whole percents only when exact; otherwise one decimal, half up; always 100 together.
    assert split(Decimal("85.5"), Decimal("14.5")).label == "85,5%/14,5%"
    assert split(Decimal("74.4"), Decimal("25.6")).label == "74,4%/25,6%"
    assert split(Decimal("2"), Decimal("1")).label == "66,7%/33,3%"
    assert split(Decimal("77.25"), Decimal("22.75"), 1).label == "77,2%/22,8%"
    assert split(Decimal("85.5"), Decimal("14.5"), 0).label == "85%/15%"


@settings(max_examples=200, deadline=None)
@given(staff=cents, other=cents)
def test_every_default_split_label_adds_up_to_100_and_is_whole_only_when_exact(staff, other):
    if staff + other == 0:
        return
    sp = split(staff, other)
    left, right = (Decimal(x.rstrip("%").replace(",", ".")) for x in sp.label.split("/"))
    assert left + right == 100
    exact_whole = (other * 100) % (staff + other) == 0
    assert ("," not in sp.label) == exact_whole
    if not exact_whole:
        assert right == right.quantize(Decimal("0.1")) and abs(
            right - other * 100 / (staff + other)
        ) <= Decimal("0.05")


@pytest.mark.parametrize(
    "received,expected",
    [
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2027, 11, 30), date(2028, 2, 29)),  # leap year
        (date(2027, 11, 29), date(2028, 2, 29)),
        (date(2028, 2, 29), date(2028, 5, 29)),
        (date(2026, 10, 31), date(2027, 1, 31)),
        (date(2026, 12, 31), date(2027, 3, 31)),
        (date(2026, 5, 31), date(2026, 8, 31)),
        (date(2026, 3, 31), date(2026, 6, 30)),
    ],
)
def test_three_months_with_bijzonderheden_clamp_to_month_end(received, expected):
    assert deadline(received, True) == expected


@pytest.mark.parametrize(
    "received,expected",
    [
        (date(2026, 11, 2), date(2026, 12, 14)),
        (date(2027, 12, 31), date(2028, 2, 11)),
        (date(2028, 1, 20), date(2028, 3, 2)),  # through 29 February
        (date(2027, 1, 20), date(2027, 3, 3)),
    ],
)
def test_six_weeks_is_42_days(received, expected):
    assert deadline(received, False) == expected == received + timedelta(days=42)


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(min_value=0, max_value=36),
)
def test_add_months_never_overflows_and_keeps_day_when_possible(d, n):
    r = add_months(d, n)
    assert (r.year * 12 + r.month) - (d.year * 12 + d.month) == n
    assert r.day == d.day or (r.day < d.day and (r + timedelta(days=1)).day == 1)


def test_deadline_status_boundaries():
    due = date(2026, 12, 14)
    assert deadline_status(due, date(2026, 12, 6), "IN_REVIEW") == "ON_TRACK"
    assert deadline_status(due, date(2026, 12, 7), "IN_REVIEW") == "AT_RISK"  # 7 days left
    assert deadline_status(due, date(2026, 12, 14), "IN_REVIEW") == "AT_RISK"
    assert deadline_status(due, date(2026, 12, 15), "IN_REVIEW") == "OVERDUE"
    assert deadline_status(due, date(2027, 1, 15), "DECIDED") == "DONE"
    assert deadline_status(due, date(2027, 1, 15), "WITHDRAWN") == "DONE"


@settings(max_examples=150, deadline=None)
@given(
    staff=st.integers(min_value=0, max_value=10**14),
    other=st.integers(min_value=0, max_value=10**14),
)
def test_fast_list_split_equals_the_decimal_split(staff, other):
    from desktop.services.budget import split_cents

    if staff + other == 0:
        return
    sp = split(Decimal(staff) / 100, Decimal(other) / 100)
    assert split_cents(staff, other) == (sp.label, sp.kind)
