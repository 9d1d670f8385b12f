"""The kwaliteitsmonitor PDF read back (issue 17): sections, figures, Dutch amounts, template
version; and the demo outcomes (targets, agreements, interventions) in the small demo."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401
from test_steering import _assess, _grant, evening_shift_agreement, region  # noqa: F401


def _text(path) -> str:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split()), reader


def test_monitor_pdf_has_its_sections_and_figures(db, users, world, region, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.cli import main
    from desktop.services.steering.agreements import check_agreement
    from desktop.services.steering.interventions import start_intervention
    from desktop.services.steering.monitor_report import SECTIONS, TEMPLATE_VERSION
    from desktop.services.steering.targets import set_decision_targets

    actor = users["purchaser"].id
    rid = _grant(db, actor, world, region.p["C"], 2026, 1_234_567)
    set_decision_targets(db, rid, ["T3"], actor_id=actor)
    _assess(db, actor, region.loc["C"], "T3", "GOOD", 2026)
    a = evening_shift_agreement(db, actor, region.p["C"], budget_request_id=rid)
    check_agreement(db, a.id, outcome="MISSED", actor_id=actor, checked_on="02-03-2026")
    start_intervention(
        db,
        provider_id=region.p["C"],
        step="VERBETERPLAN",
        actor_id=actor,
        description="Verbeterplan personeelssamenstelling.",
        theme_codes_=["T6"],
        deadline=date.today() + timedelta(days=60),
        igj_reported_on=date.today(),
    )
    from desktop.services.budget_year import realisation as rz

    for period, staff, other, received in (
        ("MAY", "300000", "50000", "31-05-2026"),
        ("OCT", "700000", "112345,67", "30-10-2026"),
    ):
        rz.record_report(
            db,
            actor,
            provider_id=region.p["C"],
            year=2026,
            period=period,
            received_date=received,
            staff_costs=staff,
            other_costs=other,
        )
    out = tmp_path / "monitor.pdf"
    assert (
        main(
            [
                "kwaliteitsmonitor",
                "--db",
                str(db.path),
                "--provider",
                "Zorggroep C",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text, reader = _text(out)
    for title in SECTIONS:
        assert title in text, title
    assert reader.metadata.title == "Kwaliteitsmonitor Zorggroep C"
    assert TEMPLATE_VERSION in text  # versioned template in the footer
    assert "€ 1.234.567,00" in text and "€ 1.800.000,00" in text  # money agreed per year
    # realised beside agreed: the latest (cumulative) report of 2026, none yet for 2025
    assert "€ 812.345,67 (t/m september)" in text and "€ 350.000,00" not in text
    assert "nog niet gemeld" in text  # 2025: no realisation report, said so
    assert "Gerealiseerd: de personeels- en overige kosten" in text
    assert "Vaste gezichten in de avonddienst" in text and "Niet behaald" in text
    assert "Figuur 1" in text and "1/1 te vergelijken" in text  # the effect figure, labelled
    assert "Verbeterplan met termijn" in text and "Melding IGJ" in text
    assert "Locatie C: ● Goed" not in text and "T3: ▲ Matig (2025) → ● Goed (2026)" in text
    assert "Pagina 1 van" in text


def test_monitor_for_a_provider_without_anything(db, world, tmp_path):  # type: ignore[no-untyped-def]
    from desktop.services.steering.monitor_report import save_monitor_pdf

    path = save_monitor_pdf(db, world.provider_id, tmp_path / "leeg.pdf")
    text, _ = _text(path)
    assert "Er zijn nog geen maatwerkafspraken" in text and "Er lopen geen interventies" in text
    assert "geen toegekend kwaliteitsbudget" in text


def test_small_demo_relates_money_and_outcomes(tmp_path):  # type: ignore[no-untyped-def]
    import sqlite3

    from desktop.services.database import open_database
    from desktop.services.demo import generate_demo
    from desktop.services.steering.effect import provider_effect
    from desktop.services.steering.signals import signals

    path = tmp_path / "demo.sqlite"
    database = open_database(path)
    try:
        generate_demo(database, "small", 42, today=date(2026, 11, 23))
    finally:
        database.dispose()
    conn = sqlite3.connect(path)
    targets = conn.execute("SELECT count(*) FROM decision_target").fetchone()[0]
    statuses = dict(conn.execute("SELECT status, count(*) FROM custom_agreement GROUP BY 1"))
    steps = conn.execute("SELECT count(*) FROM intervention").fetchone()[0]
    pids = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT r.provider_id FROM decision_target t JOIN budget_request r "
            "ON r.id = t.budget_request_id ORDER BY 1"
        )
    ]
    conn.close()
    assert targets > 5 and statuses.get("MET", 0) > 0 and statuses.get("MISSED", 0) > 0
    assert statuses.get("OPEN", 0) > 0 and steps > 0
    improved = worsened = 0
    for pid in pids:
        e = provider_effect(path, pid, date(2026, 11, 23))
        for t in e.themes:
            if t.targeted:
                improved += t.count(1)
                worsened += t.count(-1)
    assert improved > worsened  # on the targeted themes the money shows more often than not
    assert any(s.kind == "MISSED" for s in signals(path, today=date(2026, 11, 23)))
    assert Decimal(0) < Decimal(improved)
