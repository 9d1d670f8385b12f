"""Issue 15: own toetspunten beside the ten (service, requests, letters, dialog)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_requests_helpers import record_accepted

from db.errors import RuleViolation, ValidationError, ValidationErrors
from desktop.services import letters, toetspunten
from desktop.services import requests as rq
from tests.letters_helpers import (  # noqa: F401 (fixtures)
    _template_db,
    db,
    flat,
    letter_request,
    make_world,
    pdf_text,
    users,
)

OUT = Path(__file__).resolve().parent.parent / "out"
TEXT = "Of het plan aansluit bij de regionale aanpak van wonen met dementie in de wijk"


@pytest.fixture
def world(db, users):  # type: ignore[no-untyped-def]
    return make_world(db, users["purchaser"].id)


def test_only_a_teamleider_adds_and_bad_input_is_refused(db, users, world):  # type: ignore[no-untyped-def]
    with pytest.raises(RuleViolation, match="teamleider"):
        toetspunten.add_toetspunt(
            db,
            users["purchaser"].id,
            care_office_id=world.care_office_id,
            text=TEXT,
            valid_from="2026-09-01",
        )
    with pytest.raises(ValidationErrors) as exc:
        toetspunten.add_toetspunt(
            db,
            users["lead"].id,
            care_office_id=world.care_office_id,
            text="  ",
            valid_from="31-02-2026",
        )
    assert set(exc.value.by_field) == {"text", "valid_from"}
    assert toetspunten.list_toetspunten(db) == []


def test_own_toetspunt_is_judged_like_the_ten_and_printed_in_the_letter(db, users, world):  # type: ignore[no-untyped-def]
    own = toetspunten.add_toetspunt(
        db,
        users["lead"].id,
        care_office_id=world.care_office_id,
        region_id=world.region_id,
        text=TEXT,
        short="Dementie in de wijk",
        valid_from="2026-09-01",
    )
    later = toetspunten.add_toetspunt(
        db,
        users["lead"].id,
        care_office_id=world.care_office_id,
        text="Geldt pas voor aanvragen vanaf 2027",
        valid_from="2027-01-01",
    )
    r = letter_request(db, users, world, ("1.200.000,00", "960.000,00", "240.000,00"))
    codes = [c.code for c in r.criteria]
    assert codes[-1] == own.code and later.code not in codes and len(codes) == 11
    ten = {c.code: ("MEETS", "Onderbouwd.") for c in rq.criteria()}
    rq.judge_criteria(db, r.id, users["purchaser"].id, ten)
    with pytest.raises(ValidationErrors) as exc:  # the own toetspunt must be judged as well
        rq.record_decision(
            db, r.id, users["purchaser"].id, decision="APPROVED", rationale="Akkoord."
        )
    assert "11 (Dementie in de wijk)" in exc.value.message
    rq.judge_criteria(
        db,
        r.id,
        users["purchaser"].id,
        {own.code: ("DOES_NOT_MEET", "Geen relatie met de wijkaanpak.")},
    )
    with pytest.raises(ValidationErrors, match=f"toetsingspunt 11: {TEXT}"):
        rq.record_decision(
            db, r.id, users["purchaser"].id, decision="APPROVED", rationale="Akkoord."
        )
    record_accepted(
        db, users, r.id, {own.code: ("MAATWERK", "Wijkaanpak uitwerken met de gemeente.")}
    )
    rq.submit(db, r.id, users["purchaser"].id)
    rq.approve(db, r.id, users["lead"].id)
    info = letters.create_letter(db, r.id, users["purchaser"].id)
    info = letters.make_definitive(
        db, info.id, users["purchaser"].id, letter_date=date(2026, 11, 23)
    )
    text = flat(" ".join(pdf_text(letters.letter_pdf(db, info.id))))
    assert TEXT in text and "toetspunten vanaf nummer 11 zijn aanvullende toetspunten" in text
    assert "toetsingspunt 11 – maatwerkafspraak: Wijkaanpak uitwerken met de gemeente." in text
    # Retired after the receipt date: the request keeps it; a later request does not get it.
    toetspunten.retire_toetspunt(db, users["lead"].id, own.id, "2026-12-31")
    assert rq.get_request(db, r.id).criteria[-1].code == own.code
    with pytest.raises(ValidationError, match="vóór de begindatum"):
        toetspunten.retire_toetspunt(db, users["lead"].id, own.id, "2026-01-01")


def test_other_region_does_not_get_a_regional_toetspunt(db, users, world):  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from db.models import Region, RegionAssignment

    with db.read_session() as s:
        other = s.exec(
            select(Region)
            .join(RegionAssignment, RegionAssignment.region_id == Region.id)
            .where(
                RegionAssignment.care_office_id == world.care_office_id,
                Region.id != world.region_id,
            )
        ).first()
    assert other is not None
    toetspunten.add_toetspunt(
        db,
        users["lead"].id,
        care_office_id=world.care_office_id,
        region_id=other.id,
        text=TEXT,
        valid_from="2026-01-01",
    )
    r = letter_request(db, users, world, ("1.000.000,00", "850.000,00", "150.000,00"))
    assert len(r.criteria) == 10


def test_dialog_adds_lists_and_retires(qtbot, db, users, world):  # type: ignore[no-untyped-def]
    from desktop.ui.context import AppContext
    from desktop.ui.requests.toetspunten_dialog import ToetspuntenDialog

    ctx = AppContext(db.path)
    ctx.set_db(db)
    ctx.set_user(users["lead"])
    dlg = ToetspuntenDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()

    def settle() -> None:
        for _ in range(3):
            ctx.executor.wait_idle(30)
            qtbot.wait(30)

    settle()
    dlg.office.setCurrentIndex(dlg.office.findData(world.care_office_id))
    settle()
    dlg.valid_from.editor.setText("31-2-2026")
    dlg.text.set_text(TEXT)
    dlg.add_button.click()
    settle()
    assert "geen geldige datum" in dlg.valid_from.error.text()
    dlg.valid_from.editor.setText("1-9-2026")
    dlg.short.editor.setText("Dementie in de wijk")
    dlg.region.setCurrentIndex(dlg.region.findData(world.region_id))
    dlg.add_button.click()
    settle()
    assert dlg.table.rowCount() == 1 and "vastgelegd" in dlg.banner.text()
    assert dlg.table.item(0, 2).text() == f"regio {world.region_name}"
    OUT.mkdir(exist_ok=True)
    dlg.resize(1366, 768)
    dlg.grab().save(str(OUT / "toetspunten_dialog_1366.png"))
    dlg.resize(1024, 600)
    dlg.grab().save(str(OUT / "toetspunten_dialog_1024.png"))
    dlg.table.selectRow(0)
    dlg.retire_until.editor.setText("31-12-2027")
    dlg.retire_button.click()
    settle()
    assert dlg.table.item(0, 4).text() == "31 december 2027"
    ctx.set_user(users["purchaser"])
    dlg.text.set_text("Nog een toetspunt")
    dlg.add_button.click()
    settle()
    assert "teamleider" in dlg.banner.text()
    ctx.executor.shutdown()
