"""Regional overview: heatmap, urgency order, disagreement with visits, exports, CLI."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from site_visit_helpers import completed_visit
from test_themes import _TEMPLATE, assess, db  # noqa: F401 (fixture)


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from copy import copy

    w = copy(_TEMPLATE["world"])
    # l1: two concerns, one worsening; l2: all fine; l3: one concern, visit disagrees
    assess(db, w, w.l1, "T6", "SUFFICIENT", 2024)
    assess(db, w, w.l1, "T6", "INSUFFICIENT", 2025)
    assess(db, w, w.l1, "T4", "MODERATE", 2025)
    assess(db, w, w.l2, "T1", "GOOD", 2025)
    assess(db, w, w.l3, "T3", "MODERATE", 2022)
    assess(db, w, w.l3, "T2", "SUFFICIENT", 2025)
    assess(db, w, w.l4, "T1", "INSUFFICIENT", 2025)  # other region
    completed_visit(
        db,
        w.actor,
        w.l3,
        date(2025, 9, 1),
        {
            "t2_observation": "Weinig activiteiten, bewoners vervelen zich.",
            "t2_signal": "ZORG",
            "t2_rating": "MODERATE",
        },
    )
    return w


def test_heatmap_sorted_by_urgency_with_trend_and_disagreement(db, world):
    from desktop.services.regional import heatmap

    hm = heatmap(db, region_id=world.region)
    assert [r.location_name for r in hm.rows] == ["Huize De Linde", "Het Anker", "De Beuk"]
    linde = hm.rows[0]
    assert linde.concerns == 2 and linde.worsened == 1
    t6 = linde.cells[5]
    assert (t6.rating, t6.previous_rating, t6.direction) == ("INSUFFICIENT", "SUFFICIENT", -1)
    anker = hm.rows[1]
    assert anker.cells[1].disagreement == "Oordeel adviseur voldoende, bezoekoordeel matig"
    assert anker.disagreements == 1 and anker.last_visit == date(2025, 9, 1)
    assert hm.counts()["INSUFFICIENT"] == 1  # l4 is in another region


def test_heatmap_filters_provider_and_theme(db, world):
    from desktop.services.regional import heatmap

    hm = heatmap(db, region_id=world.region, provider_id=world.p2)
    assert [r.location_name for r in hm.rows] == ["Het Anker"]
    hm = heatmap(db, region_id=world.region, theme_filter=["T6"], only_rating_at_least=2)
    assert hm.theme_codes == ("T6",) and [r.location_name for r in hm.rows] == ["Huize De Linde"]
    hm = heatmap(db, region_id=world.region, sort="name")
    assert [r.location_name for r in hm.rows] == ["De Beuk", "Het Anker", "Huize De Linde"]


def test_distribution_per_theme_per_year(db, world):
    from desktop.services.regional import distribution

    dist = {d.theme_code: d for d in distribution(db, region_id=world.region)}
    t6 = dict(dist["T6"].years)
    assert dict(t6[2024])["SUFFICIENT"] == 1 and dict(t6[2025])["INSUFFICIENT"] == 1
    assert dist["T8"].years == ()


def test_exports_read_back(db, world, tmp_path):
    from openpyxl import load_workbook

    from desktop.services.exports import heatmap_to_csv, heatmap_to_xlsx
    from desktop.services.regional import heatmap

    hm = heatmap(db, region_id=world.region, title="Regio-overzicht Utrecht")
    xlsx = heatmap_to_xlsx(hm, tmp_path / "m.xlsx")
    wb = load_workbook(xlsx)
    ws = wb["Regio-overzicht"]
    assert ws["A1"].value == "Regio-overzicht Utrecht"
    assert ws["A4"].value == "Huize De Linde"
    header = [c.value for c in ws[3]]
    t6_col = header.index("T6 Personeelssamenstelling") + 1
    assert ws.cell(row=4, column=t6_col).value == "Onvoldoende (✖)"
    assert ws.cell(row=4, column=t6_col).fill.fgColor.rgb.endswith("C0392B")
    assert "Toelichting" in wb.sheetnames
    path = heatmap_to_csv(hm, tmp_path / "m.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0][:3] == ["Locatie", "Plaats", "Zorgaanbieder"]
    assert rows[2][0] == "Het Anker" and "Stichting Ühlenbeck" in rows[2]


def test_cli_matrix_json_xlsx_csv(db, world, db_path, tmp_path, capsys):
    from openpyxl import load_workbook

    from desktop.cli import main

    rc = main(
        [
            "themes",
            "matrix",
            "--db",
            str(db_path),
            "--region",
            world.region_name.lower(),
            "--json",
            "--xlsx",
            str(tmp_path / "x.xlsx"),
            "--csv",
            str(tmp_path / "x.csv"),
        ]
    )
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["locations"][0]["location"] == "Huize De Linde"
    assert data["locations"][0]["cells"]["T6"]["rating"] == "INSUFFICIENT"
    assert load_workbook(tmp_path / "x.xlsx")["Regio-overzicht"]["A4"].value == "Huize De Linde"
    assert (tmp_path / "x.csv").read_text(encoding="utf-8-sig").startswith("Locatie;")
    rc = main(["themes", "matrix", "--db", str(db_path), "--region", "Atlantis", "--json"])
    assert rc == 1
    assert "Regio 'Atlantis' bestaat niet" in capsys.readouterr().err


def test_current_rating_follows_soft_delete_and_rebuild(db, world):
    from sqlmodel import select

    from db.models import ThemeAssessment
    from db.repo import UnitOfWork
    from desktop.services.regional import heatmap, rebuild_current

    with UnitOfWork(db, world.actor) as uow:
        latest = uow.exec(
            select(ThemeAssessment).where(
                ThemeAssessment.location_id == world.l1,
                ThemeAssessment.theme_code == "T6",
                ThemeAssessment.rating == "INSUFFICIENT",
            )
        ).one()
        uow.delete(latest)
    cell = heatmap(db, region_id=world.region, sort="name").rows[2].cells[5]
    assert (cell.rating, cell.previous_rating) == ("SUFFICIENT", None)
    before = heatmap(db, region_id=world.region)
    assert rebuild_current(db) == 6  # live location x theme pairs
    assert heatmap(db, region_id=world.region) == before


def _ratings_rows(db):  # type: ignore[no-untyped-def]
    import sqlite3

    from desktop.services.themes import db_file

    conn = sqlite3.connect(str(db_file(db)))
    try:
        return sorted(
            conn.execute(
                "SELECT * FROM location_ratings WHERE "
                "COALESCE(t1_rating, t2_rating, t3_rating, t4_rating, t5_rating, "
                "t6_rating, t7_rating, t8_rating) IS NOT NULL"
            )
        )
    finally:
        conn.close()


def test_the_per_location_ratings_row_follows_every_change_and_equals_a_rebuild(db, world):
    """Issue 18: the heatmap reads location_ratings (one row per location, kept by triggers on
    theme_current); after new, replaced and deleted assessments it says what a rebuild says."""
    from sqlmodel import select

    from db.models import ThemeAssessment
    from db.models.quality import RATINGS_THEMES
    from db.repo import UnitOfWork
    from desktop.services.regional import heatmap, rebuild_current
    from desktop.services.themes import theme_codes

    assert theme_codes() == RATINGS_THEMES  # one column triple per theme of the reference
    assess(db, world, world.l2, "T1", "MODERATE", 2026)  # replaces l2's T1
    with UnitOfWork(db, world.actor) as uow:  # l3's only T3 assessment goes: its cell empties
        uow.delete(
            uow.exec(
                select(ThemeAssessment).where(
                    ThemeAssessment.location_id == world.l3, ThemeAssessment.theme_code == "T3"
                )
            ).one()
        )
    rows = {r.location_name: r for r in heatmap(db, region_id=world.region).rows}
    assert (rows["Het Anker"].cells[2].rating, rows["Het Anker"].concerns) == (None, 0)
    t1 = rows["De Beuk"].cells[0]
    assert (t1.rating, t1.previous_rating, t1.direction) == ("MODERATE", "GOOD", -1)
    kept = _ratings_rows(db)
    assert len(kept) == 4 and any(r[1:4] == ("MODERATE", "2026-06-01", "GOOD") for r in kept), kept
    rebuild_current(db)
    assert _ratings_rows(db) == kept
