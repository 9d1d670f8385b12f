"""CSV import of providers and locations (issue 2 item 7): line-precise Dutch errors, all or
nothing unless --skip-invalid, Excel-style files accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.errors import ValidationError
from desktop.services.directory import counts, load_directory
from desktop.services.importer import COLUMNS, import_csv

EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "examples" / "aanbieders_locaties.csv"
HEADER = "aanbieder;kvk;agb_aanbieder;locatie;postcode;plaats;agb_locatie;capaciteit;regio"


# `db` comes from tests/conftest.py: a copy of one initialised template database.


def _write(tmp_path: Path, text: str, name: str = "import.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_the_example_file_imports_every_row(db) -> None:  # type: ignore[no-untyped-def]
    report = import_csv(db, EXAMPLE)
    assert report.ok and report.written
    assert (report.rows, report.providers_created, report.locations_created) == (4, 2, 4)
    rows = {r.name: r for r in load_directory(db.path).locations}
    linde = rows["Zorgcentrum De Linde"]
    assert (linde.provider_kvk, linde.agb_code, linde.postcode, linde.capacity) == (
        "41234567",
        "73020001",
        "3521AB",
        96,
    )
    assert linde.region_name == "Utrecht" and linde.care_office_name == "Zilveren Kruis"
    assert rows["Woonzorgcentrum Vechtstede"].region_name == "Amsterdam"  # region given as 27
    # Every column of the example is a documented column.
    header = EXAMPLE.read_text(encoding="utf-8").splitlines()[0].split(";")
    assert header == list(COLUMNS)


def test_importing_the_same_file_twice_adds_nothing(db) -> None:  # type: ignore[no-untyped-def]
    import_csv(db, EXAMPLE)
    again = import_csv(db, EXAMPLE)
    assert again.ok and not again.written
    assert (again.providers_created, again.locations_created, again.already_present) == (0, 0, 4)
    assert counts(db.path)["location"] == 4


def test_bad_rows_are_reported_with_line_numbers_and_nothing_is_written(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "Zorggroep Goed;41234567;73010001;Huize Goed;3511 AB;Utrecht;73020001;80;Utrecht",
                "Zorggroep Fout;4123456;;Huize Fout;0123 AB;Utrecht;;tachtig;Utrecht",
                "",
                "Zorggroep Regio;52345678;;Huize Regio;1017 GH;Amsterdam;7302000;40;Atlantis",
            ]
        )
        + "\n",
    )
    before = counts(db.path)
    report = import_csv(db, path)
    assert not report.ok and not report.written
    found = {(e.line, e.column) for e in report.errors}
    assert found == {
        (3, "kvk"),
        (3, "postcode"),
        (3, "capaciteit"),
        (5, "agb_locatie"),
        (5, "regio"),
    }
    messages = {(e.line, e.column): e.message for e in report.errors}
    assert "KvK-nummer moet uit precies 8 cijfers bestaan" in messages[(3, "kvk")]
    assert "Onbekende zorgkantoorregio 'Atlantis'" in messages[(5, "regio")]
    assert str(report.errors[0]).startswith("regel 3, kolom ")
    assert counts(db.path) == before  # not even the good row


def test_skip_invalid_imports_the_good_rows_in_one_go(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "Zorggroep Goed;41234567;73010001;Huize Goed;3511 AB;Utrecht;73020001;80;Utrecht",
                "Zorggroep Fout;4123456;;Huize Fout;3511 AB;Utrecht;;;Utrecht",
                "Zorggroep Goed;41234567;73010001;Huize Ook Goed;3512 CD;Utrecht;73020002;;26",
            ]
        ),
    )
    report = import_csv(db, path, skip_invalid=True)
    assert report.written and [e.line for e in report.errors] == [3]
    assert (report.providers_created, report.locations_created) == (1, 2)
    assert {r.name for r in load_directory(db.path).locations} == {"Huize Goed", "Huize Ook Goed"}


def test_dry_run_reports_but_writes_nothing(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = import_csv(db, EXAMPLE, dry_run=True)
    assert report.ok and report.dry_run and not report.written
    assert report.locations_created == 4  # what would be imported
    assert counts(db.path)["location"] == 0


def test_excel_csv_with_bom_and_comma_is_accepted(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "\ufeffAanbieder,KvK,Locatie,Postcode,Plaats,Regio,Capaciteit\r\n"
        '"Stichting Zorg, Welzijn en Wonen",61234567,"Zorgcentrum ""De Kroon""",8011 AB,Zwolle,Zwolle,120\r\n'
    )
    report = import_csv(db, _write(tmp_path, text))
    assert report.ok and report.delimiter == ","
    (row,) = load_directory(db.path).locations
    assert (
        row.name == 'Zorgcentrum "De Kroon"'
        and row.provider_name == "Stichting Zorg, Welzijn en Wonen"
    )


def test_windows_1252_file_is_read(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "aanbieder;kvk;locatie;postcode;plaats;regio\nZorggroep Cliëntenzorg;71234567;Huize Ùtrecht;3511AB;Utrecht;Utrecht\n"
    report = import_csv(db, _write(tmp_path, text, encoding="cp1252"))
    assert report.ok
    assert load_directory(db.path).locations[0].provider_name == "Zorggroep Cliëntenzorg"


def test_line_numbers_count_physical_lines_of_quoted_multiline_fields(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "aanbieder;kvk;locatie;postcode;plaats;regio\n"
        '"Zorggroep\nMet Enter";41234567;Huize A;3511AB;Utrecht;Utrecht\n'
        "Zorggroep B;123;Huize B;3511AB;Utrecht;Utrecht\n"
    )
    report = import_csv(db, _write(tmp_path, text))
    assert [(e.line, e.column) for e in report.errors] == [(4, "kvk")]


def test_inconsistent_and_duplicate_rows_are_refused(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "\n".join(
            [
                HEADER,
                "Zorggroep A;41234567;;Huize Een;3511 AB;Utrecht;73020001;;Utrecht",
                "Zorggroep Anders;41234567;;Huize Twee;3511 AB;Utrecht;73020002;;Utrecht",
                "Zorggroep A;41234567;;Huize Drie;3511 AB;Utrecht;73020001;;Utrecht",
            ]
        ),
    )
    report = import_csv(db, path)
    errors = {(e.line, e.column): e.message for e in report.errors}
    assert "hoort in regel 2 bij 'Zorggroep A'" in errors[(3, "aanbieder")]
    assert "staat ook al in regel 2" in errors[(4, "agb_locatie")]
    assert not report.written


def test_missing_required_columns_refuse_the_whole_file(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="mist de verplichte kolom.*kvk.*regio") as exc:
        import_csv(db, _write(tmp_path, "aanbieder;locatie;postcode;plaats\nA;B;3511AB;Utrecht\n"))
    assert exc.value.field == "file"
    with pytest.raises(ValidationError, match="is leeg"):
        import_csv(db, _write(tmp_path, "", name="leeg.csv"))
    with pytest.raises(ValidationError, match="bestaat niet"):
        import_csv(db, tmp_path / "weg.csv")


def test_unknown_columns_and_too_many_fields_are_reported(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path,
        "aanbieder;kvk;locatie;postcode;plaats;regio;opmerking\n"
        "A;41234567;L;3511AB;Utrecht;Utrecht;x;extra\n",
    )
    report = import_csv(db, path)
    assert [(e.line, e.column) for e in report.errors][0] == (1, "opmerking")
    assert any(e.line == 2 and "scheidingsteken" in e.message for e in report.errors)
