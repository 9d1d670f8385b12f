"""The budget-year section through real widgets (offscreen): monitoring table, filters, sorting,
chart, export; the herschikking round."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from gui_helpers import settle, shown
from gui_helpers import ui_context as _ctx
from test_budget_monitoring import AS_OF, YEAR, _year
from test_requests_helpers import _request_template, db, db_path, users, world  # noqa: F401

# Issue 19: these views read and write only through the database worker (tests/gui_thread.py).
pytestmark = pytest.mark.usefixtures("no_database_on_gui_thread")

OUT = Path(__file__).parents[1] / "out"


def _settle(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    settle(qtbot, ctx, rounds=4)


@pytest.fixture
def section(qtbot, db, users, world):  # type: ignore[no-untyped-def]
    from desktop.ui.budget_year.monitoring_view import BudgetYearSection

    _year(db, users, world)
    ctx = _ctx(db, users["purchaser"])
    view = shown(qtbot, BudgetYearSection(ctx))
    view.year.setValue(YEAR)
    _settle(qtbot, ctx)
    view.monitoring.load(YEAR, None, as_of=AS_OF)
    _settle(qtbot, ctx)
    yield ctx, view
    ctx.executor.shutdown()


def _column(table, c: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [table.item(r, c).text() for r in range(table.rowCount())]


def test_monitoring_table_filters_sorts_and_exports(qtbot, section, tmp_path) -> None:
    from openpyxl import load_workbook

    from desktop.ui.qt import Qt

    ctx, view = section
    tab = view.monitoring
    t = tab.table
    assert t.rowCount() == 4
    assert _column(t, 0) == ["Onderbesteder", "Op Plan", "Overschrijder", "Stil"]
    assert "▼ Onderbesteding" in _column(t, 1)[0]
    OUT.mkdir(exist_ok=True)
    view.grab().save(str(OUT / "begrotingsjaar-monitoring-1366.png"))
    view.resize(1024, 600)
    qtbot.wait(50)
    view.grab().save(str(OUT / "begrotingsjaar-monitoring-1024.png"))
    # sort on the projection: numbers, not text (and the provider without one first)
    t.sortItems(7, Qt.SortOrder.AscendingOrder)
    assert _column(t, 0) == ["Stil", "Onderbesteder", "Op Plan", "Overschrijder"]
    # filter on a signal, then on text
    tab.signal.setCurrentIndex(tab.signal.findData("UNDERSPEND"))
    assert _column(t, 0) == ["Onderbesteder"]
    assert tab.chart._row is not None and tab.chart._row.provider_name == "Onderbesteder"
    assert "69%" in tab.detail.text()
    tab.signal.setCurrentIndex(0)
    qtbot.keyClicks(tab.search, "over")
    assert _column(t, 0) == ["Overschrijder"]
    assert "t/m sep" in tab.detail.text() or "Lineair" in tab.detail.text()
    out = tmp_path / "monitoring.xlsx"
    tab.export_to(str(out))
    _settle(qtbot, ctx)
    rows = list(load_workbook(out)["Zorgaanbieders"].iter_rows(values_only=True))
    assert rows[3][0] == "Overschrijder" and len(rows) == 4  # the filtered view is exported
    assert Decimal(str(rows[3][2])) == Decimal("1200000")
    assert date.today()  # the view never needs today's real data to render


def test_herschikking_round_through_the_widgets(qtbot, section, db, users, world, tmp_path) -> None:  # noqa: F811
    from desktop.services.budget_year.agreements import agreements_in
    from desktop.services.letters.service import set_letterhead

    ctx, view = section
    set_letterhead(
        db, world.care_office_id, users["lead"].id, phone="070 123 45 67", email="inkoop@zk.example"
    )
    view.tabs.setCurrentWidget(view.herschikking)
    tab = view.herschikking
    view.office.setCurrentIndex(view.office.findData(world.care_office_id))
    _settle(qtbot, ctx)
    assert tab.open_btn.isEnabled() and not tab.submit_btn.isEnabled()
    qtbot.mouseClick(tab.open_btn, Qt_left())
    _settle(qtbot, ctx)
    assert tab.round is not None and tab.table.rowCount() == 4
    names = [tab.table.item(r, 0).text() for r in range(4)]
    tab.table.selectRow(names.index("Onderbesteder"))
    assert tab.fields["new_staff"].text() == "703.800,00"  # 85% of 828.000 prefilled
    # above the request: refused at the field, nothing saved
    tab.fields["new_staff"].set_text("1.100.000,00")
    qtbot.mouseClick(tab.save_btn, Qt_left())
    _settle(qtbot, ctx)
    assert tab.fields["new_staff"].error.isVisible()
    assert "Meer dan aangevraagd" in tab.fields["new_staff"].error.text()
    tab.fields["new_staff"].set_text("731.000,00")
    tab.fields["new_other"].set_text("129.000,00")
    tab.fields["reason"].set_text("Na overleg: personeel stroomt in december in.")
    qtbot.mouseClick(tab.save_btn, Qt_left())
    _settle(qtbot, ctx)
    assert not tab.fields["new_staff"].error.isVisible()
    assert "860.000,00" in tab.table.item(names.index("Onderbesteder"), 4).text()
    OUT.mkdir(exist_ok=True)
    view.grab().save(str(OUT / "begrotingsjaar-herschikking-1366.png"))
    qtbot.mouseClick(tab.submit_btn, Qt_left())
    _settle(qtbot, ctx)
    qtbot.mouseClick(tab.approve_btn, Qt_left())  # a zorginkoper may not approve
    _settle(qtbot, ctx)
    assert "Alleen een teamleider" in tab.banner.text()
    ctx.set_user(users["lead"])
    qtbot.mouseClick(tab.approve_btn, Qt_left())
    _settle(qtbot, ctx)
    assert tab.round.review_state == "APPROVED", tab.banner.text()
    with db.read_session() as s:
        agreed = {a.provider_name: a.agreed_total for a in agreements_in(s, YEAR)}
    assert agreed["Onderbesteder"] == Decimal("860000.00")
    tab.write_letters(str(tmp_path))
    _settle(qtbot, ctx)
    assert len(list(tmp_path.glob("herschikkingsbrief-*.pdf"))) == 1
    assert "1 definitieve brief opgeslagen" in tab.banner.text() and "kenmerk" in tab.banner.text()
    from desktop.services.budget_year.herschikking_letter import round_letters

    [stored] = round_letters(db, tab.round.id)  # kept like a beoordelingsbrief
    assert stored.kenmerk and "/HS/" in stored.kenmerk
    assert tmp_path.joinpath(
        f"herschikkingsbrief-{stored.kenmerk.replace('/', '-')}-onderbesteder.pdf"
    ).exists()


def Qt_left():  # type: ignore[no-untyped-def]  # noqa: N802
    from desktop.ui.qt import Qt

    return Qt.MouseButton.LeftButton


def test_location_tab_shows_the_years_money(qtbot, db, users, world) -> None:  # noqa: F811
    from desktop.ui.budget_year.location_tab import BudgetYearTab

    ctx = _ctx(db, users["purchaser"])
    _year(db, users, world)
    from sqlmodel import select

    from db.models import Location, Provider

    with db.read_session() as s:
        loc = s.exec(
            select(Location.id)
            .join(Provider, Provider.id == Location.provider_id)
            .where(Provider.name == "Onderbesteder")
        ).first()
    tab = BudgetYearTab(ctx)
    qtbot.addWidget(tab)
    tab.years = (YEAR,)
    tab.set_location(loc)
    _settle(qtbot, ctx)
    text = tab.text.text()
    assert "Onderbesteder" in text and "€ 1.200.000,00" in text and "▼ Onderbesteding" in text
    ctx.executor.shutdown()


def test_realisation_entered_by_hand(qtbot, section, db) -> None:  # noqa: F811
    from desktop.services.budget_year import realisation as rz

    ctx, view = section
    tab = view.monitoring
    names = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    tab.table.selectRow(names.index("Stil"))
    dlg = tab.enter_realisation()
    dlg.period.setCurrentIndex(dlg.period.findData("MAY"))
    qtbot.keyClicks(dlg.fields["received_date"].editor, "30-05-2026")
    qtbot.keyClicks(dlg.fields["staff_costs"].editor, "12O.000")  # letter O
    qtbot.keyClicks(dlg.fields["other_costs"].editor, "20.000,00")
    qtbot.keyClicks(dlg.fields["clients"].editor, "veel")
    dlg.save()
    _settle(qtbot, ctx)
    assert dlg.isVisible()
    assert "geen geldig bedrag" in dlg.fields["staff_costs"].error.text()
    assert "heel getal" in dlg.fields["clients"].error.text()
    pid = next(r.provider_id for r in tab.rows if r.provider_name == "Stil")
    assert rz.reports(db, pid, YEAR) == []  # nothing written
    dlg.resize(1024, 600)
    dlg.grab().save(str(OUT / "begrotingsjaar-realisatie-dialoog.png"))
    dlg.fields["staff_costs"].set_text("120.000,00")
    dlg.fields["clients"].set_text("80")
    dlg.save()
    _settle(qtbot, ctx)
    assert not dlg.isVisible()
    (rep,) = rz.reports(db, pid, YEAR)
    assert rep.staff_costs == Decimal("120000.00") and rep.clients == 80 and not rep.late
    # the section heard the realisation_report the executor announced, and shows it
    row = next(r for r in tab.rows if r.provider_name == "Stil")
    assert row.realised_staff == Decimal("120000.00")


def test_advances_and_settlement_tabs(qtbot, section, tmp_path) -> None:  # noqa: F811
    ctx, view = section
    view.tabs.setCurrentWidget(view.advances)
    _settle(qtbot, ctx)
    adv = view.advances
    assert adv.table.rowCount() == 4
    names = [adv.table.item(r, 0).text() for r in range(4)]
    assert adv.table.item(names.index("Stil"), 3).text() == "€ 37.500,00"  # January, 75% of 50.000
    view.grab().save(str(OUT / "begrotingsjaar-voorschotten-1366.png"))
    out = tmp_path / "voorschotten.csv"
    adv.export_to(str(out))
    assert "Stil" in out.read_text(encoding="utf-8-sig")
    adv.table.selectRow(names.index("Stil"))
    adv.adjust(adv.schedule.rows[adv.selected_index()].request_id, 13, "10", "kort")
    _settle(qtbot, ctx)
    assert "Vanaf maand" in adv.banner.text() or "minstens 10" in adv.banner.text()
    view.tabs.setCurrentWidget(view.settlement)
    _settle(qtbot, ctx)
    st = view.settlement
    assert st.table.rowCount() == 4 and st.table.item(0, 2).text() == "jaarrealisatie ontbreekt"
    st.table.selectRow(0)
    st.record()
    _settle(qtbot, ctx)
    assert "nog niet ontvangen" in st.banner.text()


def test_adjustment_and_settlement_vier_ogen_in_the_tabs(qtbot, section, db, users) -> None:  # noqa: F811
    from desktop.services.budget_year import realisation as rz

    ctx, view = section
    adv = view.advances
    _settle(qtbot, ctx)
    names = [adv.table.item(r, 0).text() for r in range(adv.table.rowCount())]
    rid = adv.schedule.rows[names.index("Op Plan")].request_id
    adv.adjust(rid, 9, "60.000,00", "Besproken met de aanbieder: realisatie blijft achter.")
    _settle(qtbot, ctx)
    assert adv.adj_table.rowCount() == 1 and adv.adj_table.item(0, 4).text() == "Niet aangeboden"
    adv.adj_table.selectRow(0)
    qtbot.mouseClick(adv.submit_btn, Qt_left())
    _settle(qtbot, ctx)
    ctx.set_user(users["lead"])
    adv.adj_table.selectRow(0)
    qtbot.mouseClick(adv.approve_btn, Qt_left())
    _settle(qtbot, ctx)
    assert adv.adj_table.item(0, 4).text() == "Goedgekeurd", adv.banner.text()
    row = names.index("Op Plan")
    assert adv.table.item(row, 3 + 8).text() == "€ 60.000,00"  # September on
    # nacalculatie of Op Plan (its year report arrives in March of the next year)
    pid = next(r.provider_id for r in view.monitoring.rows if r.provider_name == "Op Plan")
    rz.record_report(
        db,
        users["purchaser"].id,
        provider_id=pid,
        year=YEAR,
        period="YEAR",
        today=date(YEAR + 1, 4, 1),
        received_date=f"{YEAR + 1}-03-20",
        staff_costs="1.000.000,00",
        other_costs="190.000,00",
        sv_wages="1",
        sv_days="1",
        hired_invoices="1",
        turnover_change="1",
    )
    ctx.set_user(users["purchaser"])
    st = view.settlement
    st.load(YEAR, None)
    _settle(qtbot, ctx)
    names = [st.table.item(r, 0).text() for r in range(st.table.rowCount())]
    st.table.selectRow(names.index("Op Plan"))
    st.record()
    _settle(qtbot, ctx)
    st.table.selectRow(names.index("Op Plan"))
    qtbot.mouseClick(st.buttons["Ter vier-ogen aanbieden"], Qt_left())
    _settle(qtbot, ctx)
    ctx.set_user(users["lead"])
    st.table.selectRow(names.index("Op Plan"))
    qtbot.mouseClick(st.buttons["Goedkeuren (teamleider)"], Qt_left())
    _settle(qtbot, ctx)
    assert st.table.item(names.index("Op Plan"), 7).text() == "✓ goedgekeurd", st.banner.text()
    view.resize(1366, 768)
    view.tabs.setCurrentWidget(st)
    view.grab().save(str(OUT / "begrotingsjaar-nacalculatie-1366.png"))


def test_teamleider_queue_lists_and_approves_a_herschikking(qtbot, db, users, world) -> None:  # noqa: F811
    from desktop.services import review
    from desktop.services.budget_year import herschikking as hs
    from desktop.ui.requests.queue_view import ReviewQueueSection

    _year(db, users, world)
    r = hs.open_round(db, users["purchaser"].id, world.care_office_id, YEAR, as_of=AS_OF)
    review.submit(db, hs.SUBJECT, r.id, users["purchaser"].id)
    ctx = _ctx(db, users["lead"])
    view = shown(qtbot, ReviewQueueSection(ctx))
    _settle(qtbot, ctx)
    titles = [view.table.item(i, 0).text() for i in range(view.table.rowCount())]
    assert any("herschikking 2026" in t for t in titles)
    view.table.selectRow(next(i for i, t in enumerate(titles) if "herschikking" in t))
    _settle(qtbot, ctx)
    assert view.approve_button.isEnabled() and "Herschikking" in view.summary.text()
    view.grab().save(str(OUT / "te-beoordelen-herschikking-1366.png"))
    from gui_answers import answer_next

    asked = answer_next("Goedkeuren")
    view.approve()
    assert asked and "herschikking" in asked[0]
    _settle(qtbot, ctx)
    assert "Goedgekeurd" in view.banner.text()
    assert hs.get_round(db, r.id).review_state == "APPROVED"
    ctx.executor.shutdown()


def test_the_providers_realisation_report_is_attached_where_the_realisation_is_recorded(
    qtbot, section, db, tmp_path
) -> None:  # noqa: F811
    """Issue 20: the dialog "Realisatie invoeren" keeps the provider's own realisation report
    (verslag) with the period's record: before saving it says to save first; a saved period
    shows its Stukken; another period shows its own (none)."""
    from desktop.services.budget_year import realisation as rz
    from desktop.services.documents import service

    ctx, view = section
    tab = view.monitoring
    names = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    tab.table.selectRow(names.index("Stil"))
    pid = next(r.provider_id for r in tab.rows if r.provider_name == "Stil")
    dlg = tab.enter_realisation()
    _settle(qtbot, ctx)
    dlg.period.setCurrentIndex(dlg.period.findData("JUL"))
    assert dlg.documents.target_id is None and not dlg.documents.add_button.isEnabled()
    assert "Sla eerst op" in dlg.documents.hint.text()
    dlg.close()
    rep = rz.record_report(
        db,
        ctx.user.id,
        provider_id=pid,
        year=YEAR,
        period="JUL",
        received_date="30-07-2026",
        staff_costs="60000",
        other_costs="8000",
    )
    dlg = tab.enter_realisation()
    _settle(qtbot, ctx)
    dlg.period.setCurrentIndex(dlg.period.findData("JUL"))
    assert dlg.documents.target_id == rep.id and dlg.documents.add_button.isEnabled()
    verslag = tmp_path / "Realisatie juli 2026.pdf"
    from documents_helpers import make_pdf

    verslag.write_bytes(make_pdf(pages=2))
    dlg.documents.add_files([str(verslag)], "REPORT")
    _settle(qtbot, ctx)
    assert dlg.documents.table.rowCount() == 1
    [doc] = service.list_documents(db, "realisation_report", rep.id)
    assert doc.title == "Realisatie juli 2026.pdf" and doc.provider_id == pid
    dlg.period.setCurrentIndex(dlg.period.findData("OCT"))
    _settle(qtbot, ctx)
    assert dlg.documents.target_id is None and dlg.documents.table.rowCount() == 0
    dlg.period.setCurrentIndex(dlg.period.findData("JUL"))
    _settle(qtbot, ctx)
    assert dlg.documents.table.rowCount() == 1
    for w, h in ((1366, 768), (1024, 600)):
        dlg.resize(min(w, 640), min(h, 720))
        qtbot.wait(20)
        dlg.grab().save(str(OUT / f"realisatie-stukken-{w}x{h}.png"))
    dlg.close()
