"""Nacalculatie (R15-R17, §4.2.12-4.2.13): reimbursable per part never above the agreed
maximum, reclaim = advanced - reimbursable, §4.2.13 extra recorded within its bounds, the
statement PDF with two signature blocks, the NZa summary."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from budget_year_helpers import add_agreement
from hypothesis import given, settings
from hypothesis import strategies as st
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from db.errors import RuleViolation, ValidationError
from desktop.services import review
from desktop.services.budget_year import nacalculatie as nc
from desktop.services.budget_year import realisation as rz

cents = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) / 100)
YEAR = 2025


def _oost(db, users, world, **extra) -> str:  # type: ignore[no-untyped-def]
    """Zorggroep Oost with € 1.200.000,00 agreed for YEAR (decided 1 March); its provider id."""
    pid, _ = add_agreement(
        db,
        users["lead"].id,
        world.region_id,
        name="Zorggroep Oost",
        total="1200000.00",
        year=YEAR,
        decided_on=date(YEAR, 3, 1),
        **extra,
    )
    return pid


def _year_report(db, by: str, pid: str, staff: str, other: str, **figures) -> None:  # type: ignore[no-untyped-def]
    """The annual realisation report over YEAR, received 20 March of the year after."""
    rz.record_report(
        db,
        by,
        provider_id=pid,
        year=YEAR,
        period="YEAR",
        received_date="2026-03-20",
        staff_costs=staff,
        other_costs=other,
        **figures,
    )


@settings(max_examples=400, deadline=None)
@given(
    agreed_staff=cents,
    agreed_other=cents,
    realised_staff=cents,
    realised_other=cents,
    advanced=cents,
    extra_request=cents,
)
def test_property_reimbursable_capped_and_reclaim(
    agreed_staff, agreed_other, realised_staff, realised_other, advanced, extra_request
) -> None:
    parts = (agreed_staff, agreed_other, realised_staff, realised_other, advanced)
    extra_cap = agreed_staff + extra_request
    s = nc.settle(*parts, extra_cap)
    assert s.reimbursable_staff <= agreed_staff and s.reimbursable_other <= agreed_other
    assert s.reimbursable_staff <= realised_staff and s.reimbursable_other <= realised_other
    assert s.reclaim == advanced - s.reimbursable
    assert s.extra_allowed <= max(realised_staff - agreed_staff, Decimal(0))
    assert s.extra_allowed <= extra_request
    full = nc.settle(*parts, extra_cap, s.extra_allowed)
    assert full.balance == full.reclaim - s.extra_allowed
    if s.extra_allowed < Decimal("1e9"):
        with pytest.raises(ValidationError):
            nc.settle(*parts, extra_cap, s.extra_allowed + Decimal("0.01"))


def test_statement_pdf_two_signatures_and_nza_summary(db, users, world, tmp_path) -> None:  # noqa: F811
    from openpyxl import load_workbook

    from desktop.services.budget_year.nacalculatie_docs import nza_summary_xlsx, statement_pdf

    by, lead = users["purchaser"].id, users["lead"].id
    pid = _oost(db, users, world, requested="1500000.00")
    with pytest.raises(RuleViolation, match="nog niet ontvangen"):
        nc.record(db, by, YEAR, pid)
    _year_report(
        db,
        by,
        pid,
        "1.150.000,00",
        "120.000,00",
        sv_wages="9.000.000,00",
        fte_baseline="100",
        fte_realised="118,5",
        clients="110",
        clients_baseline="100",
        sv_days="80000",
        hired_invoices="300.000,00",
        turnover_change="-50.000,00",
    )
    rz.record_report(
        db,
        by,
        provider_id=pid,
        year=YEAR,
        period="AUDIT",
        received_date="2026-04-28",
        staff_costs="",
        other_costs="",
    )
    s = nc.provider_settlement(db, YEAR, pid).settlement
    # staff 1.150.000 > agreed 1.020.000 -> 1.020.000; other 120.000 < 180.000 -> 120.000
    assert s.reimbursable == Decimal("1140000.00") and s.advanced == Decimal("900000.00")
    assert s.reclaim == Decimal("-240000.00") and s.extra_allowed == Decimal("130000.00")
    with pytest.raises(ValidationError):
        nc.record(
            db,
            by,
            YEAR,
            pid,
            extra_reimbursement="200.000,00",
            extra_note="Landelijk onder plafond.",
        )
    done = nc.record(
        db,
        by,
        YEAR,
        pid,
        extra_reimbursement="100.000,00",
        extra_note="Landelijk onder het plafond; personeel aantoonbaar ingezet.",
    )
    assert done.settlement.balance == Decimal("-340000.00") and done.review_state == "NONE"
    draft = tmp_path / "concept.pdf"
    draft.write_bytes(statement_pdf(db, YEAR, pid))
    review.submit(db, nc.SUBJECT, done.recorded_id, by)
    review.approve(db, nc.SUBJECT, done.recorded_id, lead)
    pdf = tmp_path / "nacalculatie.pdf"
    pdf.write_bytes(statement_pdf(db, YEAR, pid))
    out = Path(__file__).parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "nacalculatie.pdf").write_bytes(pdf.read_bytes())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Nacalculatie kwaliteitsbudget 2025" in text and "Zorggroep Oost" in text
    assert "€ 1.140.000,00" in text and "€ 340.000,00" in text and "Na te betalen" in text
    assert text.count("Handtekening:") == 2 and "Namens Zorggroep Oost" in text
    assert "Extra fte" in text and "8,50" in text  # 118,5 - 100 x 110/100
    assert "CONCEPT" not in text
    import pypdf

    assert "CONCEPT" in pypdf.PdfReader(draft).pages[0].extract_text()
    assert "CONCEPT" not in pypdf.PdfReader(pdf).pages[0].extract_text()
    xlsx = nza_summary_xlsx(db, YEAR, tmp_path / "nza.xlsx", care_office_id=world.care_office_id)
    wb = load_workbook(xlsx)
    rows = list(wb["Nacalculatie"].iter_rows(values_only=True))
    assert rows[3][0] == "Zorggroep Oost" and Decimal(str(rows[3][11])) == Decimal("-340000")
    assert rows[-1][0] == "Totaal" and wb.sheetnames == ["Nacalculatie", "Budget"]


def test_cli_nacalculatie(db, users, world, tmp_path, capsys) -> None:  # noqa: F811
    from desktop.cli import main

    by = users["purchaser"].id
    pid = _oost(db, users, world)
    figures = dict(sv_wages="1", sv_days="1", hired_invoices="1", turnover_change="1")
    _year_report(db, by, pid, "800.000,00", "100.000,00", **figures)
    db.dispose()
    out = tmp_path / "st.pdf"
    nacalculatie = ["budget", "nacalculatie", "--db", str(db.path), "--year", str(YEAR)]
    assert main([*nacalculatie, "--provider", pid, "--out", str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settlements"][0]["reclaim"] == "0.00"  # advanced 900.000 = realised 900.000
    assert out.read_bytes().startswith(b"%PDF")
    assert main([*nacalculatie, "--provider", "bestaat-niet", "--out", str(out)]) == 1
