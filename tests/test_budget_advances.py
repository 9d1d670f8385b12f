"""Voorschot (R11, Inkoopkader 2020 §4.2.9): 75% of the agreed monthly amount, retroactive to
1 January when agreed by 1 April, months that add up to the cent, adjustments under vier-ogen."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from budget_year_helpers import add_agreement
from hypothesis import given, settings
from hypothesis import strategies as st
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from db.errors import RuleViolation, ValidationErrors
from desktop.services import review
from desktop.services.budget_year import advances as adv

YEAR = 2027


@settings(max_examples=300, deadline=None)
@given(
    agreed=st.integers(min_value=0, max_value=10**12),
    decided=st.dates(min_value=date(YEAR - 1, 10, 1), max_value=date(YEAR, 4, 1)),
)
def test_timely_agreement_advances_75_percent_from_january_to_the_cent(
    agreed: int, decided: date
) -> None:
    months = adv.monthly_cents(agreed, YEAR, decided)
    expected = (Decimal(agreed) * 75 / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert sum(months) == int(expected)  # the annual 75% to the cent
    assert all(m > 0 for m in months) or expected < 12  # retroactive: every month from January
    assert max(months) - min(months) <= 1  # whole cents, spread evenly


@settings(max_examples=300, deadline=None)
@given(
    agreed=st.integers(min_value=0, max_value=10**12),
    decided=st.dates(min_value=date(YEAR, 4, 2), max_value=date(YEAR, 12, 31)),
)
def test_late_agreement_has_no_retroactive_months(agreed: int, decided: date) -> None:
    months = adv.monthly_cents(agreed, YEAR, decided)
    start = adv.first_month(YEAR, decided)
    assert start is None or start > 3
    first = start or 13
    assert all(m == 0 for m in months[: first - 1])  # nothing before the agreement
    n = 13 - first
    expected = (Decimal(agreed) * 75 * n / (100 * 12)).quantize(
        Decimal(1), rounding="ROUND_HALF_UP"
    )
    assert sum(months) == int(expected)
    if first <= 12:
        assert date(YEAR, first, 1) >= decided  # never paid for a month before the agreement


def test_retroactive_months_are_paid_on_the_agreement_date() -> None:
    assert adv.pay_date(YEAR, 1, date(YEAR, 3, 10)) == date(YEAR, 3, 10)
    assert adv.pay_date(YEAR, 6, date(YEAR, 3, 10)) == date(YEAR, 6, 1)
    assert adv.first_month(YEAR, date(YEAR, 4, 1)) == 1  # "uiterlijk 1 april": still retroactive
    assert adv.first_month(YEAR, date(YEAR, 4, 2)) == 5
    assert adv.first_month(YEAR, date(YEAR, 5, 1)) == 5
    assert adv.first_month(YEAR, None) is None


def test_schedule_per_provider_and_totals_per_region(db, users, world) -> None:  # noqa: F811
    lead = users["lead"].id
    add_agreement(db, lead, world.region_id, name="Zorggroep Oost", total="1200000.00")
    add_agreement(
        db,
        lead,
        world.region_id,
        name="Stichting Laat",
        total="1000000.01",
        decided_on=date(YEAR, 6, 15),
    )
    sch = adv.advance_schedule(db, YEAR)
    by_name = {r.provider_name: r for r in sch.rows}
    oost = by_name["Zorggroep Oost"]
    assert oost.months == (Decimal("75000.00"),) * 12 and oost.retroactive
    late = by_name["Stichting Laat"]
    assert late.months[:6] == (Decimal("0.00"),) * 6 and not late.retroactive
    assert late.total == Decimal("375000.00")  # 75% x 1.000.000,01 x 6/12 = 375.000,00375
    ((_, months),) = sch.by_region
    assert sum(months) == oost.total + late.total
    assert oost.paid_by(date(YEAR, 2, 14), YEAR) == Decimal("0.00")  # before the agreement
    assert oost.paid_by(date(YEAR, 2, 15), YEAR) == Decimal("150000.00")  # Jan + Feb retroactive
    assert oost.paid_by(date(YEAR, 3, 1), YEAR) == Decimal("225000.00")


def test_adjustment_counts_only_after_vier_ogen(db, users, world) -> None:  # noqa: F811
    purchaser, lead = users["purchaser"].id, users["lead"].id
    _, rid = add_agreement(db, lead, world.region_id, name="Zorggroep Oost", total="1200000.00")
    with pytest.raises(ValidationErrors) as exc:
        adv.propose_adjustment(db, rid, purchaser, from_month="13", monthly_amount="abc", reason="")
    assert set(exc.value.by_field) == {"from_month", "monthly_amount", "reason"}
    adj = adv.propose_adjustment(
        db,
        rid,
        purchaser,
        from_month=7,
        monthly_amount="50.000,00",
        reason="Realisatie t/m juni blijft achter; afgesproken in overleg.",
    )
    assert adv.advance_schedule(db, YEAR).rows[0].months[6] == Decimal("75000.00")  # not yet
    review.submit(db, adv.SUBJECT, adj, purchaser)
    with pytest.raises(RuleViolation):
        review.approve(db, adv.SUBJECT, adj, purchaser)  # not a teamleider
    review.approve(db, adv.SUBJECT, adj, lead)
    row = adv.advance_schedule(db, YEAR).rows[0]
    assert row.months[5] == Decimal("75000.00") and row.months[6:] == (Decimal("50000.00"),) * 6
    assert row.adjusted_from == 7
    queue_titles = [q.title for q in review.queue(db)]
    assert not queue_titles  # approved: off the queue


def test_cli_advances_json_and_injection_safe_exports(db, users, world, tmp_path, capsys) -> None:  # noqa: F811
    from openpyxl import load_workbook

    from desktop.cli import main

    add_agreement(
        db, users["lead"].id, world.region_id, name='=HYPERLINK("http://x")', total="120000.00"
    )
    db.dispose()
    out = tmp_path / "voorschot.xlsx"
    csv_out = tmp_path / "voorschot.csv"
    advances = ["budget", "advances", "--db", str(db.path), "--year", str(YEAR)]
    assert main([*advances, "--json", "--xlsx", str(out), "--csv", str(csv_out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["providers"][0]["months"][0] == "7500.00"
    ws = load_workbook(out).active
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert Decimal(str(ws.cell(row=4, column=7).value)) == Decimal("7500")
    text = csv_out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "7500,00" in text
    assert main([*advances, "--care-office", "bestaat-niet"]) == 1


def test_timely_boundary(db, users, world) -> None:  # noqa: F811
    lead = users["lead"].id
    add_agreement(db, lead, world.region_id, name="A", total="12.00", decided_on=date(YEAR, 4, 1))
    add_agreement(
        db,
        lead,
        world.region_id,
        name="B",
        total="12.00",
        decided_on=date(YEAR, 4, 1) + timedelta(days=1),
    )
    rows = {r.provider_name: r for r in adv.advance_schedule(db, YEAR).rows}
    assert rows["A"].total == Decimal("9.00") and rows["B"].total == Decimal("6.00")


def test_cli_adjustment_and_vier_ogen(db, users, world, capsys) -> None:  # noqa: F811
    from desktop.cli import main

    _, rid = add_agreement(
        db, users["lead"].id, world.region_id, name="Zorggroep Oost", total="1200000.00"
    )
    db.dispose()
    base = ["budget"]
    assert (
        main(
            [
                *base,
                "adjust-advance",
                "--db",
                str(db.path),
                "--request",
                rid,
                "--from-month",
                "9",
                "--amount",
                "60.000,00",
                "--reason",
                "Realisatie blijft achter, besproken.",
                "--as",
                "AdV",
                "--json",
            ]
        )
        == 0
    )
    adj = json.loads(capsys.readouterr().out)["id"]
    review_args = [
        *base,
        "review",
        "--db",
        str(db.path),
        "--subject",
        "advance_adjustment",
        "--id",
        adj,
    ]
    assert main([*review_args[:2], "approve", *review_args[2:], "--as", "CB"]) == 1  # not submitted
    assert "niet ter beoordeling aangeboden" in capsys.readouterr().err
    assert main([*review_args[:2], "submit", *review_args[2:], "--as", "AdV"]) == 0
    assert main([*review_args[:2], "approve", *review_args[2:], "--as", "CB"]) == 0
    capsys.readouterr()
    assert main(["budget", "advances", "--db", str(db.path), "--year", str(YEAR), "--json"]) == 0
    months = json.loads(capsys.readouterr().out)["providers"][0]["months"]
    assert months[7] == "75000.00" and months[8] == "60000.00"


@pytest.mark.parametrize(
    "sub",
    [
        [],
        ["advances"],
        ["adjust-advance"],
        ["realisation", "import"],
        ["monitor"],
        ["herschikking"],
        ["nacalculatie"],
        ["review"],
    ],
)
def test_budget_help_is_dutch_and_works(sub, capsys) -> None:
    from desktop.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["budget", *sub, "--help"])
    assert exc.value.code == 0
    assert "gebruik: kwaliteitsdialoog budget" in capsys.readouterr().out


@settings(max_examples=300, deadline=None)
@given(
    decided=st.integers(min_value=0, max_value=10**11),
    new=st.integers(min_value=0, max_value=10**11),
    day=st.dates(min_value=date(YEAR, 1, 1), max_value=date(YEAR, 10, 31)),
)
def test_herschikking_changes_only_december(decided: int, new: int, day: date) -> None:
    before = adv.monthly_cents(decided, YEAR, day)
    after = adv.with_reallocation(before, YEAR, day, new)
    assert after[:11] == before[:11]  # what was paid stays paid
    assert after[11] >= 0
    start = adv.first_month(YEAR, day)
    target = int(
        (Decimal(new) * 75 * (13 - start) / 1200).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    )
    assert sum(after) == max(target, sum(before[:11]))  # the year reaches 75% of the new amount
