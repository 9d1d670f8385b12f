"""Issue 15: the addendum kwaliteitsbudget (bijlage 6) from the approved decision."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from test_requests_helpers import approved_amounts

from db.errors import RuleViolation, ValidationError
from desktop.services import letters
from desktop.services import requests as rq
from tests import letters_helpers
from tests.letters_helpers import _template_db, db, decided, flat, make_world, pdf_text, users  # noqa: F401 (fixtures)

DAY = date(2026, 11, 23)
OUT = Path(__file__).resolve().parent.parent / "out"


@pytest.fixture
def world(db, users):  # type: ignore[no-untyped-def]
    return make_world(db, users["purchaser"].id)


def _definitive(db, users, rid):  # type: ignore[no-untyped-def]
    info = letters.create_letter(db, rid, users["purchaser"].id)
    return letters.make_definitive(db, info.id, users["purchaser"].id, letter_date=DAY)


def test_addendum_of_an_adjusted_approval_has_every_part(db, users, world):  # type: ignore[no-untyped-def]
    adjusted = approved_amounts("1.100.000,00", "902.000,00", "198.000,00")
    rid = decided(db, users, world, "APPROVED_ADJUSTED", **adjusted)
    info = _definitive(db, users, rid)
    pdf = letters.addendum_pdf(db, rid)
    OUT.mkdir(exist_ok=True)
    (OUT / "addendum_adjusted.pdf").write_bytes(pdf)
    text = flat(" ".join(pdf_text(pdf)))
    for needle in [
        "Addendum op de overeenkomst Wlz 2027",
        "bijlage 6",
        # parties
        "CZ Zorgkantoor",
        "Kamer van Koophandel onder nummer 33075294",
        "Zorggroep De Linde",
        "Lindelaan 12, 3511 AB Utrecht",
        f"kenmerk {info.kenmerk}",
        "akkoord na aanpassing",
        "2 november 2026",
        # amounts per part
        "€ 1.100.000,00",
        "€ 902.000,00",
        "€ 198.000,00",
        "82%",
        "18%",
        # maatwerk, verbeterpunten
        "Maatwerkafspraak",
        "Elke locatie rapporteert per kwartaal",
        "Verbeterpunt",
        "Cliëntervaringen meten per locatie",
        # voorschot and cycle dates
        "€ 68.750,00 per maand",
        *letters_helpers.CYCLE_2027,
        "1 mei 2028",
        "vóór 1 april 2027",
        # two signature blocks
        "Namens het zorgkantoor",
        "Namens de zorgaanbieder",
        "Carla Bakker",
        "Teamleider zorginkoop",
        "Bestuurder",
    ]:
        assert needle in text, needle
    assert "CONCEPT" not in text
    assert letters.addendum_pdf(db, rid) == pdf  # deterministic
    import io

    import pypdf

    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert "sjabloon addendum 2026120601" in str(meta.get("/Keywords"))  # traceable version


def test_no_addendum_for_a_rejection_or_an_unapproved_decision(db, users, world):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world, "REJECTED")
    with pytest.raises(RuleViolation, match="akkoord"):
        letters.addendum_pdf(db, rid)
    other = make_world(db, users["purchaser"].id, "Stichting Het Anker")
    rid2 = decided(db, users, other, approve=False)
    with pytest.raises(RuleViolation, match="vier-ogen"):
        letters.addendum_pdf(db, rid2)


def test_addendum_signed_is_recorded_with_its_date_after_the_letter(db, users, world):  # type: ignore[no-untyped-def]
    rid = decided(db, users, world)
    info = _definitive(db, users, rid)
    with pytest.raises(RuleViolation):  # letter not sent yet
        letters.record_signed(db, rid, users["purchaser"].id, signed_on="2026-12-01")
    letters.mark_sent(db, info.id, users["purchaser"].id, sent_on=date(2026, 11, 24))
    with pytest.raises(ValidationError, match="vóór het versturen"):
        letters.record_signed(db, rid, users["purchaser"].id, signed_on="2026-11-20")
    d = letters.record_signed(db, rid, users["purchaser"].id, signed_on="2026-12-10")
    assert d.state == "ADDENDUM_SIGNED" and d.addendum_signed_on == date(2026, 12, 10)


def test_cli_addendum_and_batch_writes_it_beside_the_letter(db, users, world, tmp_path, capsys):  # type: ignore[no-untyped-def]
    from desktop.cli import main

    rid = decided(db, users, world)
    info = _definitive(db, users, rid)
    rej = decided(
        db, users, make_world(db, users["purchaser"].id, "Stichting Het Anker"), "REJECTED"
    )
    _definitive(db, users, rej)
    path = db.path
    db.dispose()
    out = tmp_path / "addendum.pdf"
    code = main(
        ["letters", "addendum", "--db", str(path), "--request", rid, "--out", str(out), "--json"]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert json.loads(captured.out)["file"] == str(out) and out.read_bytes()[:4] == b"%PDF"
    code = main(
        [
            "letters",
            "addendum",
            "--db",
            str(path),
            "--request",
            rej,
            "--out",
            str(tmp_path / "x.pdf"),
        ]
    )
    assert code == 1 and "akkoord" in capsys.readouterr().err
    code = main(
        [
            "letters",
            "batch",
            "--db",
            str(path),
            "--region",
            world.region_name,
            "--out",
            str(tmp_path / "batch"),
            "--json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(data["written"]) == 2 and len(data["addenda"]) == 1  # none for the rejection
    names = sorted(Path(p).name for p in data["written"] + data["addenda"])
    assert all(Path(p).is_file() for p in data["addenda"])
    assert any(
        n == info.kenmerk.replace("/", "-") + "_Zorggroep-De-Linde_addendum.pdf" for n in names
    )
