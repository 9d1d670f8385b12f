"""Full-text search: diacritics, triggers keep the index in sync, filters, highlights, CLI."""

from __future__ import annotations

import json
from datetime import date

from site_visit_helpers import completed_visit
from test_themes import _TEMPLATE, assess, db  # noqa: F401 (fixture)


def _notes(db, users=None):  # type: ignore[no-untyped-def]
    from copy import copy

    from desktop.services.diagnosis import add_note

    w = copy(_TEMPLATE["world"])
    w.n1 = add_note(
        db,
        provider_id=w.p1,
        location_id=w.l1,
        kind="SIGNAL",
        theme_codes=["T5"],
        text="De cliëntenraad voelt zich niet gehoord door het bestuur.",
        noted_on=date(2025, 4, 1),
        actor_id=w.actor,
    ).id
    w.n2 = add_note(
        db,
        provider_id=w.p2,
        location_id=w.l4,
        kind="STRENGTH",
        theme_codes=["T1"],
        text="Cliëntenraad zeer betrokken bij het kwaliteitsplan.",
        noted_on=date(2024, 4, 1),
        actor_id=w.actor,
    ).id
    assess(
        db,
        w,
        w.l3,
        "T3",
        "MODERATE",
        2025,
        rationale="Medicatiefouten worden niet systematisch gemeld; geen dubbele controle.",
    )
    completed_visit(
        db,
        w.actor,
        w.l2,
        date(2025, 9, 1),
        {
            "location_name": "De Beuk",
            "t2_signal": "POSITIEF",
            "t2_observation": "Mooie tuin, bewoners wandelen dagelijks.",
        },
    )
    return w


def test_diacritics_insensitive_with_highlight(db):
    from desktop.services.search import search

    w = _notes(db)
    res = search(db, "clientenraad")
    assert {h.ref_id for h in res.hits} == {w.n1, w.n2}
    hit = next(h for h in res.hits if h.ref_id == w.n1)
    assert "[cliëntenraad]" in hit.snippet_plain.lower()
    assert "<b" in hit.snippet_html and hit.location_name == "Huize De Linde"
    assert hit.kind_label == "Signaal" and hit.theme_codes == ("T5",)


def test_filters_region_theme_kind_period_source(db):
    from desktop.services.search import search

    w = _notes(db)
    assert [h.ref_id for h in search(db, "clientenraad", region_id=w.region).hits] == [w.n1]
    assert [h.ref_id for h in search(db, "clientenraad", theme_code="T1").hits] == [w.n2]
    assert [h.ref_id for h in search(db, "clientenraad", kind="STRENGTH").hits] == [w.n2]
    assert [h.ref_id for h in search(db, "clientenraad", date_from=date(2025, 1, 1)).hits] == [w.n1]
    med = search(db, "dubbele controle")
    assert [h.source for h in med.hits] == ["assessment"]
    assert med.hits[0].kind_label == "Matig"
    visit = search(db, "tuin", source="visit")
    assert visit.hits[0].location_name == "De Beuk" and visit.hits[0].theme_codes == ("T2",)
    assert search(db, "Beuk", source="visit").hits == ()  # names/codes are not indexed
    assert search(db, '"niet gehoord"').hits[0].ref_id == w.n1
    assert search(db, 'AND OR ( * "').hits == ()  # FTS syntax is neutralised


def test_triggers_follow_edit_and_soft_delete_and_rebuild(db):
    from desktop.services.diagnosis import delete_note, edit_note
    from desktop.services.search import rebuild_index, search

    w = _notes(db)
    edit_note(
        db,
        w.n1,
        actor_id=w.actor,
        kind="SIGNAL",
        theme_codes=["T5"],
        text="Bestuur en ondernemingsraad overleggen weinig.",
        noted_on=date(2025, 4, 1),
    )
    assert [h.ref_id for h in search(db, "clientenraad").hits] == [w.n2]
    assert [h.ref_id for h in search(db, "ondernemingsraad").hits] == [w.n1]
    delete_note(db, w.n2, actor_id=w.actor)
    assert search(db, "clientenraad").hits == ()
    assert rebuild_index(db) == 3  # one note, one rationale, one visit
    assert [h.ref_id for h in search(db, "ondernem").hits] == [w.n1]


def test_cli_search_json(db, db_path, capsys):
    from desktop.cli import main

    w = _notes(db)
    assert main(["search", "--db", str(db_path), "clientenraad", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {h["id"] for h in data["hits"]} == {w.n1, w.n2}
    assert all("[" in h["snippet"] for h in data["hits"])


def test_cli_rebuild(db, db_path, capsys):  # type: ignore[no-untyped-def]
    from desktop.cli import main

    _notes(db)
    assert main(["themes", "rebuild", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Zoekindex opnieuw opgebouwd (4 teksten), 1 actuele oordelen.")
