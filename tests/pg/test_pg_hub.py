"""PostgresHub basics: schema migrations, the hub interface, push idempotency, roles."""

from __future__ import annotations

import psycopg
import pytest
from pg_cluster import ADMIN_PASSWORD
from pg_helpers import all_ops, make_pg_team, own_ops

from db.sync.folder_hub import HubError
from db.sync.pg_hub import PostgresHub, open_hub, schema_version, upgrade
from db.sync.pg_schema import LATEST


def test_upgrade_creates_schema_once(pg) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    url = cluster.url("kd_admin", name)
    assert upgrade(url, ADMIN_PASSWORD) == [
        "v0001_hub",
        "v0002_segment_header",
        "v0003_review_facts_required",
        "v0004_join_images",
    ]
    assert upgrade(url, ADMIN_PASSWORD) == []
    with psycopg.connect(cluster.admin_conninfo(name)) as c:
        assert schema_version(c) == LATEST


def test_empty_server_is_refused(pg) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    hub = PostgresHub(cluster.url("kd_admin", name), password=ADMIN_PASSWORD)
    with pytest.raises(HubError, match="geen gedeelde opslag"):
        hub.read_identity()
    upgrade(cluster.url("kd_admin", name), ADMIN_PASSWORD)
    with pytest.raises(HubError, match="opslagidentiteit ontbreekt"):
        hub.read_identity()


def test_unreachable_server_is_a_calm_hub_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pg_cluster import free_port

    hub = PostgresHub(
        f"postgresql://iemand@127.0.0.1:{free_port()}/kd", password="x", connect_timeout=2
    )
    with pytest.raises(HubError, match="niet bereikbaar"):
        hub.read_identity()


def test_open_hub_chooses_by_address(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.sync.folder_hub import FolderHub

    assert isinstance(open_hub(str(tmp_path)), FolderHub)
    hub = open_hub("postgresql://anna@server.example:5433/kd?sslmode=require")
    assert isinstance(hub, PostgresHub)
    assert hub.root == "postgresql://anna@server.example:5433/kd?sslmode=require"
    assert hub.settings.sslmode == "require"


def test_team_syncs_through_server(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    from db.models import Provider
    from db.repo import UnitOfWork
    from desktop.services import sync as svc

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    for i, r in enumerate(team.replicas):
        with UnitOfWork(r.db, r.user_id) as uow:
            uow.add(Provider(name=f"Zorggroep {i}", place="Zwolle"))
    for _ in range(2):
        for i, r in enumerate(team.replicas):
            with team.hub(i) as hub:
                summary = svc.sync_now(r.db, hub=hub)
            assert summary.problems == ()
    everything = set().union(*(own_ops(r.path) for r in team.replicas))
    for r in team.replicas:
        assert everything <= all_ops(r.path)
    # Each segment exactly once, and readable bytes equal to what a folder store would hold.
    with psycopg.connect(cluster.admin_conninfo(name)) as c:
        dup = c.execute(
            "SELECT COUNT(*) - COUNT(DISTINCT (origin_id, first_seq)) FROM segment"
        ).fetchone()[0]
        assert dup == 0


def test_push_twice_is_harmless_and_other_bytes_refused(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    from desktop.services import sync as svc

    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    with team.hub(0) as hub:  # the migrated store already holds the template's segments
        assert svc.sync_now(team.replicas[0].db, hub=hub).problems == ()
    from sync_helpers import add_provider

    add_provider(team.replicas[1], "Eigen Segment")  # (a fresh joiner pushes nothing of its own)
    with team.hub(1) as hub:
        assert svc.sync_now(team.replicas[1].db, hub=hub).pushed == 1
    with team.hub(1) as hub:
        from db.sync.segment import read_header

        # One of this member's own segments (the server refuses re-pushing others' segments).
        ref, data = next(
            (r, d)
            for r in hub.list_segments().segments
            for d in [hub.read(r.name)]
            if read_header(d)[0]["u"] == team.replicas[1].user_id
        )
        assert hub.push(ref.origin, ref.first, ref.last, data) == "exists"
        with pytest.raises(FileExistsError):
            hub.push(ref.origin, ref.first, ref.last, data[:-1] + bytes([data[-1] ^ 1]))
        assert hub.heads()[ref.origin] >= ref.last
        assert [r.name for r in hub.pull(ref.origin, ref.first - 1)][0] == ref.name
        assert hub.pull(ref.origin, hub.heads()[ref.origin]) == []


def test_members_cannot_delete_or_rewrite(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    cluster, name = pg
    make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    conninfo = f"host=127.0.0.1 port={cluster.port} dbname={name} user=kd_r1 password=wachtwoord-1"
    with psycopg.connect(conninfo) as c:
        for stmt in (
            "DELETE FROM segment",
            "UPDATE segment SET data = ''::bytea",
            "UPDATE hub_identity SET hub_id = 'x'",
            "INSERT INTO hub_user VALUES ('kd_r1', 'x', true)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                with c.transaction():
                    c.execute(stmt)


def test_both_hubs_satisfy_the_protocol(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db.sync.folder_hub import FolderHub
    from db.sync.hub_protocol import Hub

    assert isinstance(FolderHub(tmp_path), Hub)
    assert isinstance(PostgresHub("postgresql://a@localhost/kd"), Hub)

    class WithoutBlobLookup:  # every member but has_file (document blobs, issue 20)
        root = tmp_path

    for member in (
        "read_identity",
        "hub_id",
        "create",
        "roster_documents",
        "invite_documents",
        "put_file",
        "push",
        "list_segments",
        "heads",
        "pull",
        "read",
        "images_available",  # join images (issue 18 item 2)
        "put_image",
        "list_images",
        "open_image",
        "fetch_image",
    ):
        setattr(WithoutBlobLookup, member, lambda self, *a, **k: None)
    assert not isinstance(WithoutBlobLookup(), Hub)
    WithoutBlobLookup.has_file = lambda self, name: False  # type: ignore[attr-defined]
    assert isinstance(WithoutBlobLookup(), Hub)


def test_segment_names_match_the_folder_store() -> None:
    from db.sync import folder_hub
    from db.sync.pg_hub import segment_name

    o = "0b24c017-cc6c-4225-9f00-aaaaaaaaaaaa"
    assert segment_name(o, 1, 12) == folder_hub.segment_name(o, 1, 12)


def test_server_checks_segment_headers(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    """Schema v2: the plaintext header must match the row, the store and the pushing role."""
    import uuid

    from db.sync.pg_hub import HubRefused
    from db.sync.segment import seal
    from desktop.services import sync as svc

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 2)
    keys0 = svc.load_keys(team.replicas[0].db)
    hub_id = team.hub(0).hub_id()
    origin = str(uuid.uuid4())
    good = seal({"hub": hub_id, "o": origin, "a": 1, "b": 2, "d": {}, "c": 2}, [{}, {}], keys0)
    with PostgresHub(team.url(1)) as hub:  # replica 1 pushing what user 0 signed
        with pytest.raises(HubRefused, match="naam van een ander"):
            hub.push(origin, 1, 2, good)
    with PostgresHub(team.url(0)) as hub:
        with pytest.raises(HubRefused, match="past niet"):
            hub.push(origin, 1, 3, good)
        with pytest.raises(HubRefused, match="geen segment"):
            hub.push(origin, 1, 2, b"niet versleuteld")
        foreign = seal(
            {"hub": str(uuid.uuid4()), "o": origin, "a": 1, "b": 2, "d": {}, "c": 2},
            [{}, {}],
            keys0,
        )
        with pytest.raises(HubRefused, match="andere gedeelde opslag"):
            hub.push(origin, 1, 2, foreign)
        assert hub.push(origin, 1, 2, good) == "written"
