"""Realisatie (R12, R14, §4.2.12): reports per period, late ones flagged, fte against 2018 for
an unchanged client population, and the all-or-nothing sheet import with Dutch messages."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from budget_year_helpers import add_agreement
from sqlmodel import func, select
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

from db.errors import ValidationErrors
from db.models.budget_year import RealisationReport
from desktop.services.budget_year import realisation as rz
from desktop.services.budget_year.realisation_import import import_realisation

EXAMPLE = Path(__file__).parents[1] / "resources" / "examples" / "realisatie_kwaliteitsbudget.csv"
TODAY = date(2028, 6, 1)
HEADER = (
    "jaar;periode;kvk;aanbieder;datum_ontvangst;kosten_personeel;kosten_overig;fte_2018;"
    "fte_gerealiseerd;clienten_vv4_vv10;clienten_2018;sv_loon;sv_dagen;facturen_inhuur;"
    "omzetontwikkeling\n"
)


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return s.exec(select(func.count()).select_from(RealisationReport)).one()


def _report_2027(db, by, pid, period, received, staff, other, **figures):  # type: ignore[no-untyped-def]
    """A realisation report over 2027 for `period`, entered on TODAY."""
    return rz.record_report(
        db,
        by,
        provider_id=pid,
        year=2027,
        period=period,
        today=TODAY,
        received_date=received,
        staff_costs=staff,
        other_costs=other,
        **figures,
    )


def test_form_entry_flags_late_and_corrects_for_population(db, users, world) -> None:  # noqa: F811
    pid, _ = add_agreement(
        db, users["lead"].id, world.region_id, name="Zorggroep Oost", total="1200000.00"
    )
    by = users["purchaser"].id
    rep = _report_2027(
        db,
        by,
        pid,
        "MAY",
        "02-06-2027",
        "300.000,00",
        "50.000,00",
        fte_baseline="100",
        fte_realised="112,5",
        clients="110",
        clients_baseline="100",
    )
    assert rep.late and rep.due == date(2027, 5, 31)
    # 100 fte for 100 clients in 2018; 110 clients now need 110 fte: 2,5 extra, not 12,5.
    assert rep.extra_fte == Decimal("2.50")
    assert rep.fte_per_client == Decimal("1.023")
    with pytest.raises(ValidationErrors) as exc:
        _report_2027(db, by, pid, "YEAR", "31-03-2028", "-5", "1,234")
    msgs = exc.value.by_field
    assert "negatief" in msgs["staff_costs"] and "geen geldig bedrag" in msgs["other_costs"]
    assert "rondrekening" in msgs["sv_wages"]  # the year report needs the rondrekening
    on_time = _report_2027(db, by, pid, "MAY", "2027-05-31", "300000", "0")
    assert not on_time.late and on_time.id == rep.id  # corrected, not doubled
    assert _count(db) == 1


def test_example_file_imports(db, users, world, tmp_path) -> None:  # noqa: F811
    pid, _ = add_agreement(
        db,
        users["lead"].id,
        world.region_id,
        name="Stichting Voorbeeldzorg Lindenhof",
        total="900000.00",
        kvk="41234567",
    )
    rep = import_realisation(db, EXAMPLE, by=users["purchaser"].id, today=TODAY)
    assert rep.ok and rep.written and rep.created == 4, rep.errors
    reps = rz.reports(db, pid, 2027)
    assert [r.period for r in reps] == ["MAY", "JUL", "OCT", "YEAR"]
    assert [r.late for r in reps] == [False, False, True, False]
    assert reps[-1].sv_days == 112400 and reps[-1].staff_costs == Decimal("680000.00")
    again = import_realisation(db, EXAMPLE, by=users["purchaser"].id, today=TODAY)
    assert again.corrected == 4 and again.created == 0 and _count(db) == 4


def test_bad_rows_each_get_a_dutch_message_and_nothing_is_written(
    db, users, world, tmp_path
) -> None:  # noqa: F811
    add_agreement(
        db, users["lead"].id, world.region_id, name="Zorggroep Oost", total="1.00", kvk="12345678"
    )
    bad = tmp_path / "realisatie.csv"
    bad.write_text(
        HEADER
        + "2027;mei;12345678;;28-05-2027;100.000,00;10.000,00;10;11;20;20;;;;\n"  # good
        + "2027;maart;12345678;;28-05-2027;1;1;;;;;;;;\n"  # bad period
        + "2027;juli;99999999;;28-07-2027;1;1;;;;;;;;\n"  # unknown provider
        + "2027;juli;12345678;;28-07-2027;veel;1;;;;;;;;\n"  # bad amount
        + "2027;jaar;12345678;;25-03-2028;1;1;;;;;;;;\n"  # rondrekening missing
        + "2027;mei;12345678;;29-05-2027;1;1;;;;;;;;\n"  # same period twice
        + "2027;oktober;;Onbekend Zorg;31-10-2027;1;1;;;;;;;;\n"
        + "2027;oktober;12345678;;31-10-2099;1;1;;;;;;;;\n",
        encoding="utf-8",
    )
    rep = import_realisation(db, bad, today=TODAY)
    assert not rep.ok and not rep.written and _count(db) == 0
    by_line: dict[int, list[str]] = {}
    for e in rep.errors:
        by_line.setdefault(e.line, []).append(f"{e.column}: {e.message}")
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9]
    assert "Onbekende periode 'maart'" in by_line[3][0]
    assert "Geen zorgaanbieder met KvK-nummer 99999999" in by_line[4][0]
    assert by_line[5][0].startswith("kosten_personeel: ") and "geen geldig bedrag" in by_line[5][0]
    assert any(m.startswith("sv_loon:") and "rondrekening" in m for m in by_line[6])
    assert "ook al in regel 2" in by_line[7][0]
    assert "Geen zorgaanbieder met de naam 'Onbekend Zorg'" in by_line[8][0]
    assert "toekomst" in by_line[9][0]


def test_xlsx_sheet_and_cli_dry_run(db, users, world, tmp_path, capsys) -> None:  # noqa: F811
    from openpyxl import Workbook

    from desktop.cli import main

    add_agreement(
        db, users["lead"].id, world.region_id, name="Zorggroep Oost", total="1.00", kvk="12345678"
    )
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(";"))
    ws.append([2026, "Mei", "12345678", None, date(2026, 5, 20), 1234.5, 99, 10.25, 11, 20, 20])
    path = tmp_path / "realisatie.xlsx"
    wb.save(path)
    db.dispose()
    assert (
        main(
            [
                "budget",
                "realisation",
                "import",
                "--db",
                str(db.path),
                str(path),
                "--dry-run",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["created"] == 1 and not data["written"]
    assert _count(db) == 0
    assert main(["budget", "realisation", "import", "--db", str(db.path), str(path)]) == 0
    assert "1 nieuw" in capsys.readouterr().out
    reps = rz.reports(db, rz_provider(db), 2026)
    assert reps[0].staff_costs == Decimal("1234.50") and reps[0].fte_baseline == Decimal("10.25")
    broken = tmp_path / "kapot.xlsx"
    shutil.copyfile(EXAMPLE, broken)  # CSV text with an .xlsx name
    assert main(["budget", "realisation", "import", "--db", str(db.path), str(broken)]) == 1
    assert "geen leesbaar Excel-bestand" in capsys.readouterr().err


def rz_provider(db) -> str:  # type: ignore[no-untyped-def]
    with db.read_session() as s:
        return s.exec(select(RealisationReport.provider_id)).first()
