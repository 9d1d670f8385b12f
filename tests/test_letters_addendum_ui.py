"""Issue 15: the addendum buttons of the Brieven section, through the real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gui_helpers import shown

from desktop.services import letters
from desktop.services import requests as rq
from tests.letters_helpers import _template_db, db, decided, flat, make_world, pdf_text, users  # noqa: F401 (fixtures)
from tests.test_letters_ui import _section, _settle

OUT = Path(__file__).resolve().parent.parent / "out"


def test_addendum_save_and_signed_date_from_the_letters_view(qtbot, db, users, tmp_path):  # type: ignore[no-untyped-def]
    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w)
    info = letters.create_letter(db, rid, users["purchaser"].id)
    info = letters.make_definitive(
        db, info.id, users["purchaser"].id, letter_date=date(2026, 11, 23)
    )
    ctx, view = _section(qtbot, db, users["purchaser"])
    assert view.select_request(rid)
    _settle(qtbot, ctx)
    assert view.addendum_button.isEnabled() and not view.signed_button.isEnabled()  # not sent yet
    target = tmp_path / "addendum.pdf"
    view.ask_addendum_path = lambda suggested: str(target)  # type: ignore[method-assign]
    view.addendum_button.click()
    _settle(qtbot, ctx)
    assert "Namens de zorgaanbieder" in flat(" ".join(pdf_text(target.read_bytes())))
    view.sent_button.click()
    _settle(qtbot, ctx)
    assert view.signed_button.isEnabled()
    OUT.mkdir(exist_ok=True)
    view.resize(1366, 768)
    view.grab().save(str(OUT / "letters_addendum_buttons_1366.png"))
    view.resize(1024, 600)
    view.grab().save(str(OUT / "letters_addendum_buttons_1024.png"))
    # A date before the letter was sent is refused in Dutch; a later one is recorded.
    view.ask_signed_date = lambda provider: date(2026, 11, 20)  # type: ignore[method-assign]
    view.signed_button.click()
    _settle(qtbot, ctx)
    assert view.message.isVisible() and "vóór het versturen" in view.message.text()
    signed = letters.get_letter(db, info.id).sent_on  # sent today; signed the same day
    view.ask_signed_date = lambda provider: signed  # type: ignore[method-assign]
    view.signed_button.click()
    _settle(qtbot, ctx)
    d = rq.get_request(db, rid)
    assert d.state == "ADDENDUM_SIGNED" and d.addendum_signed_on == signed


def test_signed_date_dialog_and_rejected_letter_has_no_addendum(qtbot, db, users):  # type: ignore[no-untyped-def]
    from desktop.ui.letters.addendum_actions import SignedDateDialog

    dialog = shown(qtbot, SignedDateDialog("Zorggroep De Linde"), (420, 160))
    OUT.mkdir(exist_ok=True)
    dialog.grab().save(str(OUT / "addendum_signed_dialog.png"))
    assert isinstance(dialog.value(), date)
    w = make_world(db, users["purchaser"].id, "Stichting Het Anker")
    rid = decided(db, users, w, "REJECTED")
    info = letters.create_letter(db, rid, users["purchaser"].id)
    letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=date(2026, 11, 23))
    ctx, view = _section(qtbot, db, users["purchaser"])
    assert view.select_request(rid)
    _settle(qtbot, ctx)
    assert not view.addendum_button.isEnabled() and not view.signed_button.isEnabled()
