"""Stukken through the team server (issue 20): the same encrypted, signed blobs as in the
folder store, kept write-once in hub_document; tampering on the server is refused."""

from __future__ import annotations

import psycopg
import pytest
from documents_helpers import PHRASE, make_pdf, make_world, record_blob_transfers
from pg_helpers import make_pg_team


def test_documents_travel_through_the_team_server(tmp_path, pg, team_template):  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc
    from desktop.services.documents import extract, service, transport
    from desktop.services.documents.search import search_documents
    from desktop.services.documents.store import DocumentUnavailable

    cluster, dbname = pg
    team = make_pg_team(team_template, tmp_path / "team", cluster, dbname, n=2)
    r0, r1 = team.replicas
    world = make_world(r0.db, r0.user_id)
    pdf = make_pdf(pages=6, phrase_page=4)
    info = service.add_document(
        r0.db,
        r0.user_id,
        "budget_request",
        world.request,
        "Kwaliteitsplan.pdf",
        pdf,
        doc_type="kwaliteitsplan",
    )
    for r in (r0, r1, r0, r1):
        svc.sync_now(r.db)
    assert (
        service.list_documents(r1.db, "budget_request", world.request)[0].state == "not_downloaded"
    )
    with pytest.raises(DocumentUnavailable):
        service.read_bytes(r1.db, info.sha256)

    assert transport.sync_documents(r0.db).uploaded == 1
    name = transport.blob_name(info.sha256)
    with psycopg.connect(cluster.admin_conninfo(dbname)) as c:
        row = c.execute(
            "SELECT data, created_by FROM hub_document WHERE name = %s", (name,)
        ).fetchone()
    assert row is not None and b"%PDF" not in bytes(row[0]) and row[1] == "kd_r0"
    assert transport.sync_documents(r0.db).touched_store is False  # nothing queued

    got = transport.sync_documents(r1.db, fetch_all=True)
    assert got.downloaded == 1 and got.missing == 0
    assert service.read_bytes(r1.db, info.sha256) == pdf
    extract.extract_pending(r1.db)
    assert search_documents(r1.db, f'"{PHRASE}"').hits[0].page == 4

    # a member cannot rewrite a blob: the server is append-only for members
    with psycopg.connect(team.url(1), password="wachtwoord-1") as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute("UPDATE hub_document SET data = 'x' WHERE name = %s", (name,))


def test_a_blob_tampered_on_the_server_is_refused(tmp_path, pg, team_template):  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc
    from desktop.services.documents import service, transport

    cluster, dbname = pg
    team = make_pg_team(team_template, tmp_path / "team", cluster, dbname, n=2)
    r0, r1 = team.replicas
    world = make_world(r0.db, r0.user_id)
    info = service.add_document(
        r0.db, r0.user_id, "location", world.location, "plan.pdf", make_pdf(pages=1)
    )
    for r in (r0, r1):
        svc.sync_now(r.db)
    transport.sync_documents(r0.db)
    name = transport.blob_name(info.sha256)
    with psycopg.connect(cluster.admin_conninfo(dbname)) as c:  # the server's superuser
        data = bytearray(
            c.execute("SELECT data FROM hub_document WHERE name = %s", (name,)).fetchone()[0]
        )
        data[40] ^= 0x20
        c.execute("UPDATE hub_document SET data = %s WHERE name = %s", (bytes(data), name))
    report = transport.sync_documents(r1.db, fetch=[info.sha256])
    assert report.downloaded == 0 and "geweigerd" in report.refused[0]
    assert service.list_documents(r1.db, "location", world.location)[0].state == "refused"


def test_the_server_answers_has_file_by_name_without_sending_the_blob(
    tmp_path, pg, team_template, monkeypatch
):
    """PostgresHub.has_file (Hub protocol): a second laptop uploading the same file finds the
    blob by name; the server neither sends the encrypted bytes nor is written to."""
    from db.sync.pg_hub import PostgresHub
    from desktop.services import sync as svc
    from desktop.services.documents import service, transport

    cluster, dbname = pg
    team = make_pg_team(team_template, tmp_path / "team", cluster, dbname, n=2)
    r0, r1 = team.replicas
    world = make_world(r0.db, r0.user_id)
    pdf = make_pdf(pages=2)
    info = service.add_document(r0.db, r0.user_id, "location", world.location, "plan.pdf", pdf)
    for r in (r0, r1):
        svc.sync_now(r.db)
    service.add_document(r1.db, r1.user_id, "location", world.location, "plan (2).pdf", pdf)
    name = transport.blob_name(info.sha256)
    hub = PostgresHub(team.url(0), password="wachtwoord-0")
    try:
        assert hub.has_file(name) is False
        assert transport.sync_documents(r0.db).uploaded == 1
        assert hub.has_file(name) is True
        assert hub.has_file(transport.blob_name("f" * 64)) is False
    finally:
        hub.close()

    calls = record_blob_transfers(monkeypatch, PostgresHub)
    assert transport.sync_documents(r1.db).uploaded == 1
    assert [c for c in calls if c[1] == name] == []
    with psycopg.connect(cluster.admin_conninfo(dbname)) as c:
        assert (
            c.execute("SELECT count(*) FROM hub_document WHERE name = %s", (name,)).fetchone()[0]
            == 1
        )
