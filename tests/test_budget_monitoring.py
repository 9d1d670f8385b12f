"""Monitoring (issue 16 item 3): agreed, advanced, realised, projected, split, fte and the
signals, per provider and region; the CLI and the Excel export."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from budget_year_helpers import add_agreement
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from desktop.services.budget_year import realisation as rz
from desktop.services.budget_year.monitoring import monitor, realised_by_provider

YEAR = 2026
AS_OF = date(2026, 11, 5)


def _year(db, users, world):  # type: ignore[no-untyped-def]
    lead, by = users["lead"].id, users["purchaser"].id
    ids = {}
    for name, total in (
        ("Op Plan", "1200000.00"),
        ("Onderbesteder", "1200000.00"),
        ("Overschrijder", "1200000.00"),
        ("Stil", "600000.00"),
    ):
        ids[name], _ = add_agreement(
            db,
            lead,
            world.region_id,
            name=name,
            total=total,
            year=YEAR,
            decided_on=date(YEAR, 3, 1),
        )

    def report(name: str, period: str, received: str, staff: str, other: str, **kw) -> None:  # type: ignore[no-untyped-def]
        rz.record_report(
            db,
            by,
            provider_id=ids[name],
            year=YEAR,
            period=period,
            today=AS_OF,
            received_date=received,
            staff_costs=staff,
            other_costs=other,
            **kw,
        )

    # t/m september = 9 months: on plan 900.000 (75%), underspend 621.000 (69% of plan), over 1.000.000
    report(
        "Op Plan",
        "MAY",
        "2026-05-20",
        "340000",
        "60000",
        fte_baseline="100",
        fte_realised="106",
        fte_planned="8",
        clients="100",
        clients_baseline="100",
    )
    report("Op Plan", "JUL", "2026-07-20", "510000", "90000")
    report("Op Plan", "OCT", "2026-10-20", "765000", "135000")
    report("Onderbesteder", "OCT", "2026-10-30", "527850", "93150")
    report("Overschrijder", "MAY", "2026-06-15", "400000", "100000")
    report("Overschrijder", "OCT", "2026-10-25", "650000", "350000")
    return ids


def test_signals_projection_and_region_totals(db, users, world) -> None:  # noqa: F811
    ids = _year(db, users, world)
    m = monitor(db, YEAR, as_of=AS_OF)
    rows = {r.provider_name: r for r in m.rows}
    plan = rows["Op Plan"]
    assert plan.projected == Decimal("1200000.00") and plan.signals == ()
    assert plan.projection_note.startswith("Lineair doorgetrokken: gerealiseerd t/m sep")
    assert plan.extra_fte == Decimal("6.00") and plan.fte_per_client == Decimal("1.060")
    assert plan.planned_fte_per_client == Decimal("1.080")
    assert plan.advanced == Decimal("825000.00")  # 11 months of 75.000 paid by 5 November
    under = rows["Onderbesteder"]
    assert under.projected == Decimal("828000.00") and under.projected_pct == 69
    assert under.signal_codes[0] == "UNDERSPEND"
    assert "MISSING" in under.signal_codes  # May and July reports never came
    over = rows["Overschrijder"]
    assert {"OVERSPEND", "SPLIT_DRIFT", "LATE", "MISSING"} <= set(over.signal_codes)
    assert all(s.symbol and s.label for s in over.signals)  # readable without colour
    stil = rows["Stil"]
    assert stil.projected is None and stil.signal_codes == ("MISSING",)
    (region,) = m.regions
    assert region.agreed == Decimal("4200000.00") and region.signals["UNDERSPEND"] == 1
    money = realised_by_provider(db, YEAR)
    assert money[ids["Overschrijder"]].total == Decimal("1000000.00")
    assert money[ids["Overschrijder"]].months == 9 and ids["Stil"] not in money
    # Before the May date nothing is missing yet.
    early = {r.provider_name: r for r in monitor(db, YEAR, as_of=date(YEAR, 5, 1)).rows}
    assert early["Stil"].signals == ()


def test_cli_monitor_json_region_filter_and_xlsx(db, users, world, tmp_path, capsys) -> None:  # noqa: F811
    from openpyxl import load_workbook

    from desktop.cli import main

    _year(db, users, world)
    db.dispose()
    out = tmp_path / "monitoring.xlsx"
    monitor = ["budget", "monitor", "--db", str(db.path), "--year", str(YEAR)]
    assert main([*monitor, "--today", "05-11-2026", "--json", "--xlsx", str(out)]) == 0
    data = json.loads(capsys.readouterr().out)
    under = next(p for p in data["providers"] if p["provider"] == "Onderbesteder")
    assert under["projected"] == "828000.00" and under["signals"][0]["code"] == "UNDERSPEND"
    wb = load_workbook(out)
    assert wb.sheetnames == ["Zorgaanbieders", "Regio's", "Toelichting"]
    texts = [c.value for row in wb["Zorgaanbieders"].iter_rows() for c in row if c.value]
    assert "▼ Onderbesteding, ✗ Ontbreekt" in texts
    assert main([*monitor, "--region", "Nergensland"]) == 1
    assert "Regio 'Nergensland' bestaat niet" in capsys.readouterr().err


def test_calendar_tracks_r11_to_r17_per_provider(db, users, world) -> None:  # noqa: F811
    from desktop.services.calendar import provider_cycle

    ids = _year(db, users, world)

    def statuses(name: str) -> dict[str, str]:
        return {
            m.milestone.code: m.status for m in provider_cycle(db, ids[name], YEAR, today=AS_OF)
        }

    plan = statuses("Op Plan")
    assert plan["R11"] == "DONE" and plan["R12.1"] == plan["R12.2"] == plan["R12.3"] == "DONE"
    assert plan["R14"] == "OPEN"  # before 1 April next year
    over = statuses("Overschrijder")
    assert over["R12.1"] == "DONE_LATE" and over["R12.2"] == "OVERDUE"
    assert statuses("Stil")["R12.3"] == "OVERDUE"
    late = {
        m.milestone.code: m
        for m in provider_cycle(db, ids["Stil"], YEAR, today=date(YEAR + 1, 6, 2))
    }
    assert late["R14"].status == "OVERDUE" and late["R15"].status == "OVERDUE"
