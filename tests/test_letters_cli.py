"""`kwaliteitsdialoog letters make / batch / list / sent` (issue 6)."""

from __future__ import annotations

import json

from desktop.cli import main
from tests.letters_helpers import _template_db, db, decided, flat, make_world, pdf_text, users  # noqa: F401 (fixtures)


def test_make_concept_then_definitive_then_sent(db, users, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = str(tmp_path / "test.sqlite")
    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w)
    make = ["letters", "make", "--db", path, "--request", rid]
    out = tmp_path / "concept.pdf"
    assert main([*make, "--out", str(out), "--as", "AdV", "--date", "2026-11-23"]) == 0
    assert "CONCEPT" in pdf_text(out.read_bytes())[0]
    final = tmp_path / "definitief.pdf"
    assert (
        main(
            [
                *make,
                "--out",
                str(final),
                "--definitive",
                "--as",
                "AdV",
                "--date",
                "2026-11-23",
                "--json",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["letters", "list", "--db", path, "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    letter = listing["letters"][0]
    assert letter["status"] == "DEFINITIVE" and letter["kenmerk"].endswith("/KB/2027/000001")
    text = flat(" ".join(pdf_text(final.read_bytes())))
    assert "CONCEPT" not in text and letter["kenmerk"] in text and "23 november 2026" in text
    # Printing it again gives the same bytes.
    again = tmp_path / "opnieuw.pdf"
    assert main([*make, "--out", str(again)]) == 0
    assert again.read_bytes() == final.read_bytes()
    assert (
        main(
            [
                "letters",
                "sent",
                "--db",
                path,
                "--letter",
                letter["id"],
                "--as",
                "AdV",
                "--date",
                "2026-11-24",
            ]
        )
        == 0
    )
    assert "verzonden" in capsys.readouterr().out


def test_unapproved_definitive_refused_in_dutch(db, users, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = str(tmp_path / "test.sqlite")
    w = make_world(db, users["purchaser"].id)
    rid = decided(db, users, w, approve=False)
    code = main(
        [
            "letters",
            "make",
            "--db",
            path,
            "--request",
            rid,
            "--out",
            str(tmp_path / "x.pdf"),
            "--definitive",
            "--as",
            "AdV",
        ]
    )
    assert code == 1
    assert "goedgekeurd besluit" in capsys.readouterr().err


def test_batch_region(db, users, tmp_path, capsys):  # type: ignore[no-untyped-def]
    path = str(tmp_path / "test.sqlite")
    w = make_world(db, users["purchaser"].id)
    decided(db, users, w)
    decided(db, users, make_world(db, users["purchaser"].id, "Stichting B"))
    out = tmp_path / "brieven"
    assert (
        main(
            [
                "letters",
                "batch",
                "--db",
                path,
                "--region",
                w.region_name,
                "--out",
                str(out),
                "--definitive",
                "--as",
                "AdV",
                "--date",
                "2026-11-23",
            ]
        )
        == 0
    )
    files = sorted(p.name for p in out.glob("*.pdf") if not p.name.endswith("_addendum.pdf"))
    assert len(files) == 2 and all("-KB-2027-00000" in f for f in files)
    # Issue 15: each approval's addendum is saved beside its letter.
    assert len(list(out.glob("*_addendum.pdf"))) == 2
    assert "2 brieven en 2 addenda opgeslagen" in capsys.readouterr().out


def test_letterhead_set_and_refused(db, users, tmp_path, capsys):  # type: ignore[no-untyped-def]
    letterhead = ["letters", "letterhead", "--db", str(tmp_path / "test.sqlite"), "--office", "ZK"]
    assert (
        main(
            [
                *letterhead,
                "--as",
                "AdV",
                "--postal-address",
                "Postbus 444",
                "--postcode",
                "2700 ak",
                "--place",
                "Zoetermeer",
                "--phone",
                "071 751 00 52",
                "--email",
                "zorgkantoor@voorbeeld.nl",
                "--kvk-number",
                "33075294",
                "--window-top-mm",
                "48",
                "--json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["postcode"] == "2700AK" and data["window"]["top_mm"] == 48.0
    assert (
        main(
            [
                *letterhead,
                "--as",
                "AdV",
                "--kvk-number",
                "123",
                "--email",
                "geen-adres",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "KvK-nummer" in err and "geen geldig e-mailadres" in err
    assert main(letterhead) == 0
    assert "Postbus 444" in capsys.readouterr().out
