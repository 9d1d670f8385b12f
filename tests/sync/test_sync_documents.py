"""Stukken through the shared folder store (issue 20): encrypted write-once blobs, fetched
on demand, tampering refused and reported, offline laptops see what is not downloaded."""

from __future__ import annotations

import shutil

import pytest
from documents_helpers import PHRASE, add_plan_pdf, make_pdf, make_world, record_blob_transfers
from sync_helpers import sync_all, team_copy

from db.errors import UserFacingError


def _add_plan(r, world, pdf):  # type: ignore[no-untyped-def]

    return add_plan_pdf(r.db, r.user_id, world, pdf, "Kwaliteitsplan 2026.pdf")


def test_a_colleague_downloads_and_reads_the_plan_that_was_judged(tmp_path):
    from desktop.services.documents import extract, service, transport
    from desktop.services.documents.search import search_documents
    from desktop.services.documents.store import DocumentUnavailable

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    pdf = make_pdf(pages=12, phrase_page=9)
    info = _add_plan(r0, world, pdf)
    sync_all([r0, r1])  # the op sync carries the metadata, not the bytes

    [seen] = service.list_documents(r1.db, "quality_plan", world.plan)
    assert seen.sha256 == info.sha256 and seen.state == "not_downloaded"
    assert seen.added_by == "Carla Bakker"
    with pytest.raises(DocumentUnavailable) as exc:
        service.read_bytes(r1.db, info.sha256)
    assert exc.value.reason == "not_downloaded" and "nog niet" in exc.value.message

    up = transport.sync_documents(r0.db)
    assert up.uploaded == 1 and transport.pending_uploads(r0.db) == []
    blob = store / transport.blob_name(info.sha256)
    raw = blob.read_bytes()
    assert b"Kwaliteitsplan 2026" not in raw and b"%PDF" not in raw  # encrypted
    assert len(list((store / "ops").rglob("*.seg"))) > 0  # ops untouched, beside

    steps = []

    class Progress:
        cancelled = False

        def report(self, done, total, text=""):  # type: ignore[no-untyped-def]
            steps.append((done, total, text))

    down = transport.sync_documents(
        r1.db, fetch=[info.sha256], progress=Progress(), count_missing=True
    )
    assert down.downloaded == 1 and down.refused == [] and down.missing == 0
    assert steps[0][2].startswith("Stuk 1 van 1 downloaden") and steps[-1][:2] == (1, 1)
    assert service.read_bytes(r1.db, info.sha256) == pdf
    assert service.list_documents(r1.db, "quality_plan", world.plan)[0].state == "local"
    assert extract.extract_pending(r1.db) == 1
    hit = search_documents(r1.db, f'"{PHRASE}"', region_id=world.region).hits[0]
    assert hit.page == 9 and hit.title == "Kwaliteitsplan 2026.pdf"

    # offline afterwards: the downloaded plan still opens
    shutil.move(str(store), str(tmp_path / "elders"))
    assert service.read_bytes(r1.db, info.sha256) == pdf


def test_same_file_from_two_laptops_is_one_blob_and_a_quiet_round_touches_nothing(tmp_path):
    from desktop.services.documents import transport

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    sync_all([r0, r1])
    pdf = make_pdf(pages=2)
    a = _add_plan(r0, world, pdf)
    b = _add_plan(r1, world, pdf)
    assert transport.sync_documents(r0.db).uploaded == 1
    assert transport.sync_documents(r1.db).uploaded == 1  # already there: nothing written
    assert a.sha256 == b.sha256
    assert len(list((store / "blobs").rglob("*.blob"))) == 1
    quiet = transport.sync_documents(r0.db)
    assert not quiet.touched_store and quiet.uploaded == 0


def test_a_blob_already_in_the_store_is_found_by_name_never_downloaded(tmp_path, monkeypatch):
    """Hub.has_file (db/sync/hub_protocol.py): the second laptop's upload of a blob a colleague
    already put there looks it up by name; it neither reads the encrypted file nor writes."""
    from db.sync.folder_hub import FolderHub
    from desktop.services.documents import transport

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    sync_all([r0, r1])
    pdf = make_pdf(pages=2)
    info = _add_plan(r0, world, pdf)
    _add_plan(r1, world, pdf)
    name = transport.blob_name(info.sha256)
    assert FolderHub(store).has_file(name) is False
    assert transport.sync_documents(r0.db).uploaded == 1
    assert FolderHub(store).has_file(name) is True
    assert FolderHub(store).has_file(transport.blob_name("0" * 64)) is False

    calls = record_blob_transfers(monkeypatch, FolderHub)
    assert transport.sync_documents(r1.db).uploaded == 1
    assert [c for c in calls if c[1] == name] == []  # looked up by name only
    assert transport.pending_uploads(r1.db) == []


def test_a_tampered_blob_is_refused_reported_and_never_stored(tmp_path):
    from desktop.services.documents import service, transport
    from desktop.services.documents.store import BlobStore, DocumentUnavailable

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    info = _add_plan(r0, world, make_pdf(pages=2))
    sync_all([r0, r1])
    transport.sync_documents(r0.db)
    blob = store / transport.blob_name(info.sha256)
    raw = bytearray(blob.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one bit in the ciphertext
    blob.chmod(0o644)
    blob.write_bytes(bytes(raw))

    report = transport.sync_documents(r1.db, fetch_all=True)
    assert report.downloaded == 0 and len(report.refused) == 1
    assert "geweigerd" in report.refused[0] and "handtekening" in report.refused[0]
    assert not BlobStore.for_db(r1.db).has(info.sha256)
    [doc] = service.list_documents(r1.db, "quality_plan", world.plan)
    assert doc.state == "refused" and "handtekening" in doc.problem
    with pytest.raises(DocumentUnavailable) as exc:
        service.read_bytes(r1.db, info.sha256)
    assert exc.value.reason == "refused"


def test_a_blob_signed_by_an_outsider_or_swapped_is_refused(tmp_path):
    from dataclasses import replace

    from db.sync.segment import new_signing_seed
    from desktop.services import sync as sync_service
    from desktop.services.documents import transport

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    pdf, other = make_pdf(pages=1), make_pdf(pages=2)
    info = _add_plan(r0, world, pdf)
    sync_all([r0, r1])
    keys = sync_service.load_keys(r0.db)
    hub_id = sync_service.status(r0.db).hub_id
    outsider = replace(keys, user_id="buitenstaander", signing_seed=new_signing_seed())
    name = store / transport.blob_name(info.sha256)
    name.parent.mkdir(parents=True, exist_ok=True)
    name.write_bytes(transport.seal_blob(pdf, hub_id, outsider))
    report = transport.sync_documents(r1.db, fetch=[info.sha256])
    assert "teamlijst" in report.refused[0]
    with pytest.raises(transport.BlobRefused, match="ander stuk"):  # a valid blob, other name
        transport.open_blob(
            transport.seal_blob(other, hub_id, keys),
            info.sha256,
            keys.team_keys,
            {keys.user_id: []},
            hub_id,
        )


def test_offline_laptop_sees_what_is_not_downloaded_and_gets_a_clear_message(tmp_path, capsys):
    from desktop.cli import main
    from desktop.services.documents import service, transport

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    info = _add_plan(r0, world, make_pdf(pages=1))
    sync_all([r0, r1])
    transport.sync_documents(r0.db)
    shutil.move(str(store), str(tmp_path / "weg"))  # the share is unreachable
    assert [t for _s, t, _n in transport.not_downloaded(r1.db)] == ["Kwaliteitsplan 2026.pdf"]
    with pytest.raises(UserFacingError) as exc:
        transport.sync_documents(r1.db, fetch=[info.sha256])
    assert "niet bereikbaar" in exc.value.message
    with pytest.raises(UserFacingError) as exc:
        service.read_bytes(r1.db, info.sha256)
    assert "nog niet naar deze computer gedownload" in exc.value.message
    out = tmp_path / "plan.pdf"
    assert main(["documents", "get", "--db", str(r1.path), info.sha256, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nog niet naar deze computer gedownload" in err and "niet bereikbaar" in err
    assert not out.exists()
    shutil.move(str(tmp_path / "weg"), str(store))  # back online: `get` downloads it
    assert main(["documents", "get", "--db", str(r1.path), info.sha256, "--out", str(out)]) == 0
    assert out.read_bytes() == service.read_bytes(r1.db, info.sha256)


def test_documents_sync_command_uploads_downloads_and_reports_refusals(tmp_path, capsys):
    import json

    from desktop.cli import main
    from desktop.services.documents import service, transport

    store, (r0, r1, r2) = team_copy(tmp_path, 3)
    world = make_world(r0.db, r0.user_id)
    info = _add_plan(r0, world, make_pdf(pages=3, phrase_page=2))
    sync_all([r0, r1, r2])
    assert main(["documents", "sync", "--db", str(r0.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["uploaded"] == 1
    assert main(["documents", "list", "--db", str(r1.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["state"] == "not_downloaded"
    assert main(["documents", "sync", "--db", str(r1.path), "--all"]) == 0
    assert "1 gedownload, 0 nog niet gedownload" in capsys.readouterr().out
    assert main(["search", "--db", str(r1.path), "dementie", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["page"] == 2  # extracted after download

    blob = store / transport.blob_name(info.sha256)
    data = blob.read_bytes()
    blob.write_bytes(
        data[:-1] + bytes([data[-1] ^ 0x01])
    )  # a forged signature byte (always changed)
    assert main(["documents", "sync", "--db", str(r2.path), "--all"]) == 1
    out = capsys.readouterr().out
    assert "0 gedownload" in out and "Geweigerd:" in out and "handtekening" in out
    assert service.list_documents(r2.db)[0].state == "refused"
    assert service.read_bytes(r1.db, info.sha256)  # a laptop that already had it: unaffected


def test_done_when_a_colleague_opens_the_request_and_reads_the_judged_plan(qtbot, tmp_path):
    """Issue 20 "Done when": on another laptop the request editor lists the plan, opening it
    downloads it (through the real folder store) and shows it; the region search finds it."""
    from desktop.services.documents import transport
    from desktop.services.search import search
    from desktop.services.users import get_user
    from desktop.ui.context import AppContext
    from desktop.ui.documents.dialogs import PreviewDialog
    from desktop.ui.qt import QApplication
    from desktop.ui.requests.requests_view import RequestEditor

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    from desktop.services.documents import service

    service.add_document(
        r0.db,
        r0.user_id,
        "budget_request",
        world.request,
        "Kwaliteitsplan 2026.pdf",
        make_pdf(pages=4, phrase_page=3),
        doc_type="kwaliteitsplan",
    )
    transport.sync_documents(r0.db)
    sync_all([r0, r1])

    ctx = AppContext(r1.path)
    ctx.set_db(r1.db)
    ctx.set_user(get_user(r1.db, r1.user_id))
    try:
        editor = RequestEditor(ctx)
        qtbot.addWidget(editor)
        editor.load(world.request)
        for _ in range(4):
            ctx.executor.wait_idle(10)
            qtbot.wait(20)
        panel = editor.documents
        assert panel.table.item(0, 5).text() == "Nog niet gedownload"
        panel.table.selectRow(0)
        panel.open_selected()
        for _ in range(6):
            ctx.executor.wait_idle(10)
            qtbot.wait(20)
        [pv] = [w for w in QApplication.topLevelWidgets() if isinstance(w, PreviewDialog)]
        qtbot.addWidget(pv)
        assert pv.page_count == 4 and not pv.image.pixmap().isNull()
        assert panel.table.item(0, 5).text() == "Op deze computer"
        pv.close()
        hits = search(r1.db, f'"{PHRASE}"', region_id=world.region).hits
        assert [(h.title, h.page) for h in hits] == [("Kwaliteitsplan 2026.pdf", 3)]
    finally:
        ctx.executor.wait_idle(10)
        ctx.executor.shutdown()


def test_the_app_uploads_queued_documents_after_a_sync_round(qtbot, tmp_path):
    """desktop/ui/documents/hooks.py: after the sync controller's announce("*") the queued
    blobs go up as a separate background job (the op sync never waits for them)."""
    from desktop.services.documents import transport
    from desktop.ui.context import AppContext
    from desktop.ui.documents import hooks
    from desktop.ui.qt import QWidget

    store, (r0, _r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    _add_plan(r0, world, make_pdf(pages=1))
    assert len(transport.pending_uploads(r0.db)) == 1
    ctx = AppContext(r0.path)
    ctx.set_db(r0.db)
    window = QWidget()
    qtbot.addWidget(window)
    try:
        hooks.install(ctx, window)
        ctx.announce("*")  # what the sync controller announces after a round
        qtbot.waitUntil(lambda: not transport.pending_uploads(r0.db), timeout=10_000)
        assert len(list((store / "blobs").rglob("*.blob"))) == 1
    finally:
        ctx.executor.wait_idle(10)
        ctx.executor.shutdown()


def test_a_damaged_local_copy_is_set_aside_and_fetched_again(tmp_path):
    from desktop.services.documents import service, transport
    from desktop.services.documents.store import BlobStore, DocumentUnavailable

    store, (r0, r1) = team_copy(tmp_path, 2)
    world = make_world(r0.db, r0.user_id)
    pdf = make_pdf(pages=2)
    info = _add_plan(r0, world, pdf)
    transport.sync_documents(r0.db)
    sync_all([r0, r1])
    assert transport.fetch_and_read(r1.db, info.sha256) == pdf
    local = BlobStore.for_db(r1.db).path(info.sha256)
    local.write_bytes(pdf[:-10])  # damaged on this laptop (disk, antivirus, a user)
    with pytest.raises(DocumentUnavailable, match="beschadigd"):
        service.read_bytes(r1.db, info.sha256)
    assert transport.fetch_and_read(r1.db, info.sha256) == pdf  # repaired from the store
    assert [p.name.split("-")[0] for p in local.parent.glob("*.beschadigd-*")] == [
        f"{info.sha256}.beschadigd"
    ]  # the damaged copy is kept, never deleted
    shutil.move(str(store), str(tmp_path / "weg"))
    local.write_bytes(b"kapot")
    with pytest.raises(DocumentUnavailable, match="beschadigd"):  # offline: the clear message
        transport.fetch_and_read(r1.db, info.sha256)
