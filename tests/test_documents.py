"""Stukken (issue 20): attach, dedupe, check on every read, tombstones, CLI, text search."""

from __future__ import annotations

import json
from datetime import date

import pytest
from documents_helpers import PHRASE, PNG_1PX, add_plan_pdf, make_docx, make_pdf, make_world

from db.errors import NotFound, ValidationError


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    return make_world(db)


def test_attach_to_every_target_kind_with_type_date_and_who(db, world):
    from desktop.services.budget_year import realisation as rz
    from desktop.services.documents import service

    pdf = make_pdf(pages=2)
    report = rz.record_report(
        db,
        world.user,
        provider_id=world.provider,
        year=2026,
        period="OCT",
        received_date="30-10-2026",
        staff_costs="70000",
        other_costs="5000",
    )
    targets = [
        ("provider", world.provider),
        ("location", world.location),
        ("quality_plan", world.plan),
        ("budget_request", world.request),
        ("site_visit", world.visit),
        ("realisation_report", report.id),
    ]
    for kind, rid in targets:
        info = service.add_document(
            db,
            world.user,
            kind,
            rid,
            f"{kind}.pdf",
            pdf,
            doc_type="kwaliteitsplan",
            received_on=date(2026, 3, 2),
        )
        assert info.target_kind == kind and info.target_id == rid
        assert info.provider_id == world.provider
        assert info.type_label == "Kwaliteitsplan" and info.received_on == date(2026, 3, 2)
        assert info.added_by == "Anna de Vries" and info.state == "local"
    docs = service.list_documents(db, "location", world.location)
    assert [d.title for d in docs] == ["location.pdf"]
    assert "Huize De Linde" in docs[0].target_label
    [verslag] = service.list_documents(db, "realisation_report", report.id)
    assert verslag.target_label == "Realisatie 2026 t/m september Zorggroep De Linde"
    assert len(service.list_documents(db, provider_id=world.provider)) == 6
    # metadata goes through the op-log like every record (it syncs)
    with db.read_session() as s:
        from sqlalchemy import text

        n = s.execute(text("SELECT count(*) FROM sync_op WHERE entity = 'document'")).scalar()
    assert n == 6


def test_same_file_twice_is_stored_once_beside_the_database(db, world):
    from desktop.services.documents import service
    from desktop.services.documents.store import store_dir

    pdf = make_pdf(pages=1)
    a = service.add_document(db, world.user, "location", world.location, "plan.pdf", pdf)
    b = service.add_document(db, world.user, "quality_plan", world.plan, "kopie.pdf", pdf)
    assert a.sha256 == b.sha256 and a.id != b.id
    folder = store_dir(db.path)
    assert folder.parent == db.path.parent and folder != db.path.parent  # beside, not inside
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].name == a.sha256
    assert service.read_bytes(db, a.sha256) == pdf


def test_refuses_wrong_type_disguised_file_empty_and_too_big(db, world, monkeypatch):
    from desktop.services.documents import service

    with pytest.raises(ValidationError, match="alleen PDF"):
        service.add_document(db, world.user, "location", world.location, "virus.exe", b"MZ..")
    with pytest.raises(ValidationError, match="past\\s+daar niet bij"):
        service.add_document(db, world.user, "location", world.location, "plan.pdf", b"MZ\x90")
    with pytest.raises(ValidationError, match="leeg"):
        service.add_document(db, world.user, "location", world.location, "leeg.pdf", b"")
    monkeypatch.setattr(service, "MAX_BYTES", 1024 * 1024)
    big = b"%PDF-" + b"0" * (3 * 1024 * 1024)
    with pytest.raises(ValidationError) as exc:
        service.add_document(db, world.user, "location", world.location, "groot.pdf", big)
    assert "3,0 MB" in exc.value.message and "maximaal 1,0 MB" in exc.value.message
    with pytest.raises(NotFound):
        service.add_document(db, world.user, "location", "geen-id", "plan.png", PNG_1PX)
    with pytest.raises(ValidationError, match="Onbekend soort"):
        service.add_document(db, world.user, "planeet", world.location, "plan.png", PNG_1PX)
    assert service.list_documents(db) == []


def test_hash_checked_on_every_read_damaged_and_missing(db, world):
    from desktop.services.documents import service
    from desktop.services.documents.store import BlobStore, DocumentUnavailable

    info = service.add_document(db, world.user, "location", world.location, "foto.png", PNG_1PX)
    path = BlobStore.for_db(db).path(info.sha256)
    path.write_bytes(PNG_1PX[:-1] + b"\x00")  # one byte changed on disk
    with pytest.raises(DocumentUnavailable) as exc:
        service.read_bytes(db, info.sha256)
    assert exc.value.reason == "damaged" and "beschadigd" in exc.value.message
    assert "foto.png" in exc.value.message
    # attaching the good file again repairs the store
    service.add_document(db, world.user, "location", world.location, "foto.png", PNG_1PX)
    assert service.read_bytes(db, info.sha256) == PNG_1PX
    path.unlink()
    with pytest.raises(DocumentUnavailable) as exc:
        service.read_bytes(db, info.sha256)
    assert exc.value.reason == "missing" and "ontbreekt" in exc.value.message


def test_remove_is_a_tombstone(db, world):
    from desktop.services.documents import service
    from desktop.services.documents.store import BlobStore

    info = service.add_document(db, world.user, "location", world.location, "foto.png", PNG_1PX)
    service.remove_document(db, world.user, info.id)
    assert service.list_documents(db, "location", world.location) == []
    with db.read_session() as s:
        from db.models import Document

        row = s.get(Document, info.id)
    assert row is not None and row.deleted_at is not None
    assert BlobStore.for_db(db).has(info.sha256)
    with pytest.raises(NotFound):
        service.remove_document(db, world.user, info.id)


def test_text_of_a_50_page_pdf_and_a_docx_is_found_with_page_number(db, world):
    from desktop.services.documents import extract, service
    from desktop.services.documents.search import search_documents

    add_plan_pdf(db, world.user, world, make_pdf(pages=50, phrase_page=37), "kwaliteitsplan.pdf")
    service.add_document(
        db,
        world.user,
        "budget_request",
        world.request,
        "verslag.docx",
        make_docx(["Inleiding.", "Tweede pagina: Cliëntenraad tevreden."], page_break_after=0),
        doc_type="verslag",
    )
    assert extract.extract_pending(db) == 2
    assert extract.extract_pending(db) == 0  # once
    hits = search_documents(db, f'"{PHRASE}"').hits
    assert len(hits) == 1
    assert hits[0].page == 37 and hits[0].title == "kwaliteitsplan.pdf"
    assert "[dagbesteding voor bewoners met dementie]" in hits[0].snippet_plain.lower()
    docx_hit = search_documents(db, "clientenraad").hits
    assert [(h.title, h.page) for h in docx_hit] == [("verslag.docx", 2)]
    assert docx_hit[0].provider_name == "Zorggroep De Linde"
    assert search_documents(db, "clientenraad", region_id=world.region).hits
    assert not search_documents(db, "clientenraad", region_id="elders").hits
    info = service.list_documents(db, "quality_plan", world.plan)[0]
    assert info.text_status == "done" and info.pages == 50


def test_cli_add_list_get_and_refusals(db, world, tmp_path, capsys):
    from desktop.cli import main

    src = tmp_path / "Kwaliteitsplan 2026.pdf"
    src.write_bytes(make_pdf(pages=3))
    path = str(db.path)
    add_to_location = ["documents", "add", "--db", path, "--to", f"location:{world.location}"]
    rc = main([*add_to_location, str(src), "--type", "kwaliteitsplan", "--as", "AdV", "--json"])
    assert rc == 0
    added = json.loads(capsys.readouterr().out)
    assert added["type"] == "QUALITY_PLAN" and added["added_by"] == "Anna de Vries"
    assert (
        main(["documents", "list", "--db", path, "--to", f"locatie:{world.location}", "--json"])
        == 0
    )
    listed = json.loads(capsys.readouterr().out)
    assert [d["sha256"] for d in listed] == [added["sha256"]]
    assert listed[0]["text_status"] == "done"
    out = tmp_path / "terug.pdf"
    assert main(["documents", "get", "--db", path, added["sha256"], "--out", str(out)]) == 0
    assert out.read_bytes() == src.read_bytes()
    capsys.readouterr()
    assert main(["documents", "add", "--db", path, "--to", "location", str(src)]) == 1
    assert "SOORT:ID" in capsys.readouterr().err
    assert main(["documents", "get", "--db", path, "abc", "--out", str(out)]) == 1
    assert "geen geldige SHA-256" in capsys.readouterr().err
    assert main([*add_to_location, str(tmp_path / "bestaat-niet.pdf")]) == 1
    assert "bestaat niet" in capsys.readouterr().err


def test_the_search_command_and_service_cover_document_text(db, world, capsys):
    from desktop.cli import main
    from desktop.services.documents import extract, service
    from desktop.services.search import search

    service.add_document(
        db,
        world.user,
        "location",
        world.location,
        "Kwaliteitsplan.pdf",
        make_pdf(pages=50, phrase_page=42),
        doc_type="kwaliteitsplan",
    )
    extract.extract_pending(db)
    res = search(db, f'"{PHRASE}"', region_id=world.region)
    [hit] = res.hits
    assert hit.source == "document" and hit.source_label == "Stuk"
    assert hit.kind_label == "Kwaliteitsplan" and hit.page == 42
    assert hit.location_name == "Huize De Linde" and hit.title == "Kwaliteitsplan.pdf"
    assert search(db, f'"{PHRASE}"', theme_code="T1").hits == ()  # documents carry no theme
    assert search(db, f'"{PHRASE}"', source="note").hits == ()
    assert main(["search", "--db", str(db.path), f'"{PHRASE}"', "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["hits"][0]["page"] == 42 and data["hits"][0]["source"] == "document"
    assert main(["search", "--db", str(db.path), "dementie"]) == 0
    assert "(Kwaliteitsplan.pdf, pagina 42)" in capsys.readouterr().out
