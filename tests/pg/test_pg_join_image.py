"""Issue 18 item 2 on the team server: a new laptop joins from the owner's join image stored
on the server in chunks (schema v0004, db/sync/pg_images.py), the same bytes as a folder
image (db/sync/image.py), then pulls only what came after. A bad image (signed by a member,
a team lead included; a tampered chunk; of another store) is passed over with the Dutch line
and the join goes segment by segment; a server without v0004 has no images and the join goes
op by op, without an error."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import psycopg
import pytest
from pg_cluster import ADMIN_PASSWORD
from pg_helpers import PgTeam, setup_server
from sync_helpers import Replica, add_provider, edit_provider, state_digest
from test_sync_first_pull import PHRASE, _derived, demo_team  # noqa: F401 - the fixture

from db.sync.pg_hub import PostgresHub
from desktop.services import sync as svc


def _equal(a: Path, b: Path) -> None:
    assert _derived(a) == _derived(b)
    assert state_digest(a) == state_digest(b)


def _server_team(demo_team, tmp_path: Path, pg) -> tuple[PgTeam, Replica, Replica]:  # type: ignore[no-untyped-def]
    """The demo owner's folder store moved to the team server; the invited purchaser's new
    laptop has joined (keys, pin) but holds nothing yet."""
    from desktop.services.database import open_database

    owner, store, member = demo_team
    laptop = open_database(tmp_path / "laptop.sqlite")
    svc.join_store(laptop, store, PHRASE)
    lead = Replica("owner", tmp_path / "owner.sqlite", owner, svc.status(owner).user_id)
    mine = Replica("laptop", tmp_path / "laptop.sqlite", laptop, member.id)
    cluster, name = pg
    return setup_server(cluster, name, store, [lead, mine]), lead, mine


def _admin(team: PgTeam) -> PostgresHub:
    return PostgresHub(team.admin_url, password=ADMIN_PASSWORD)


def test_a_new_laptop_joins_the_team_server_from_the_owners_image(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, pg
) -> None:
    owner, store, _member = demo_team
    folder_image = svc.make_image(owner)  # made on the share: moves with store-migrate
    team, lead, mine = _server_team(demo_team, tmp_path, pg)
    with _admin(team) as admin:  # the same bytes as on the share, content-addressed
        assert admin.list_images() == [folder_image]
        admin.fetch_image(folder_image, tmp_path / "fetched.img")
    assert (tmp_path / "fetched.img").read_bytes() == (store / folder_image).read_bytes()
    assert hashlib.sha256((store / folder_image).read_bytes()).hexdigest() in folder_image
    later = add_provider(lead, "Na de verhuizing")
    name = svc.make_image(owner)  # on the server now, covering the provider
    assert name != folder_image and svc.make_image(owner) == name  # nothing new: no copy
    with psycopg.connect(team.cluster.admin_conninfo(team.dbname)) as c:
        chunks = c.execute(
            "SELECT i.chunks, count(*), max(length(k.data)) FROM hub_image i JOIN "
            "hub_image_chunk k USING (name) WHERE i.name = %s GROUP BY i.chunks",
            (name,),
        ).fetchone()
    assert chunks is not None and chunks[0] == chunks[1] and chunks[2] <= 4 << 20
    after = add_provider(lead, "Na het aansluitbestand")
    assert svc.sync_now(owner).pushed > 0

    pulled = svc.sync_now(mine.db)
    assert pulled.from_image == name, pulled.problems
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    assert pulled.conflicts == 0 and pulled.quarantined == 0 and not pulled.problems
    with sqlite3.connect(mine.path) as c:
        meta = dict(c.execute("SELECT key, value FROM sync_meta"))
        origins = {r[0] for r in c.execute("SELECT DISTINCT origin_id FROM sync_op")}
    assert meta["origin_id"] not in origins and meta["next_seq"] == "1"
    assert meta["store_path"] == team.url(1) and meta["sync_user"] == mine.user_id
    _equal(mine.path, lead.path)
    with mine.db.read_session() as s:
        from db.models import Provider

        assert s.get(Provider, later) is not None and s.get(Provider, after) is not None

    # Afterwards both sides edit through the server; each sees the other's change.
    pid = add_provider(mine, "Van de nieuwe laptop")
    edit_provider(lead, after, name="Na het aansluitbestand, gewijzigd")
    assert svc.sync_now(mine.db).pushed > 0
    svc.sync_now(owner)
    again = svc.sync_now(mine.db)
    assert again.pulled > 0 and again.from_image == ""
    with owner.read_session() as s:
        from db.models import Provider

        assert s.get(Provider, pid).name == "Van de nieuwe laptop"
    _equal(mine.path, lead.path)
    mine.db.dispose()


def _forge(owner_path: Path, tmp_path: Path, hub: PostgresHub, keys, hub_id: str) -> str:  # type: ignore[no-untyped-def]
    """An image made from a copy of the owner's database with its providers renamed."""
    from db.sync.image_make import seal_image

    copy = tmp_path / "forged.sqlite"
    with sqlite3.connect(owner_path) as c:
        c.execute("VACUUM INTO ?", (str(copy),))
    with sqlite3.connect(copy) as c:
        c.execute("UPDATE provider SET name = 'Vervalst'")
    c.close()
    try:
        return seal_image(copy, hub, keys, hub_id)
    finally:
        copy.unlink()


@pytest.mark.parametrize("attack", ["member", "team_lead", "tampered", "other_store"])
def test_a_bad_image_on_the_server_is_passed_over_and_the_join_takes_the_segments(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, pg, attack: str
) -> None:
    from db.sync.folder_hub import HubRefused
    from desktop.services import team as team_svc

    owner, _store, member = demo_team
    team, lead, mine = _server_team(demo_team, tmp_path, pg)
    owner_keys = svc.load_keys(owner)
    hub_id = svc.status(owner).hub_id
    if attack == "team_lead":  # a teamleider in the app and on the server, not the owner
        team_svc.grant(owner, owner_keys.user_id, member.id, "TEAM_LEAD")
        team.set_login(1, team_lead=True)
        svc.sync_now(owner)
    with _admin(team) as admin:
        if attack in ("member", "team_lead"):
            # Signed with the member's own key, claiming to be the owner's. The server lets
            # only the owner's login place an image; the administrator (or whoever controls
            # the server) can still put one there: the laptop's signature check is the rule.
            forged = replace(svc.load_keys(mine.db), user_id=owner_keys.user_id)
            with team.hub(1) as as_member, pytest.raises(HubRefused, match="eigenaar"):
                _forge(lead.path, tmp_path, as_member, forged, hub_id)
            name = _forge(lead.path, tmp_path, admin, forged, hub_id)
            reason = "eigenaar"
        elif attack == "other_store":
            name = _forge(lead.path, tmp_path, admin, owner_keys, "0" * 8 + "-other-store")
            reason = "andere gedeelde opslag"
        else:
            name = svc.make_image(owner)
            with psycopg.connect(team.cluster.admin_conninfo(team.dbname)) as c:
                c.execute(
                    "UPDATE hub_image_chunk SET data = set_byte(data, length(data) / 2, "
                    "get_byte(data, length(data) / 2) # 1) WHERE name = %s AND idx = "
                    "(SELECT max(idx) FROM hub_image_chunk WHERE name = %s)",
                    (name, name),
                )
            reason = "gewijzigd"
        assert admin.list_images() == [name]

    pulled = svc.sync_now(mine.db)
    assert pulled.from_image == ""
    lines = [p for p in pulled.problems if "Aansluitbestand" in p]
    assert len(lines) == 1 and reason in lines[0] and "niets verloren" in lines[0], lines
    assert name in lines[0]
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    with sqlite3.connect(mine.path) as c:
        assert c.execute("SELECT COUNT(*) FROM provider WHERE name = 'Vervalst'").fetchone()[0] == 0
    assert not (tmp_path / "laptop.sqlite.image.tmp").exists()
    _equal(mine.path, lead.path)
    mine.db.dispose()


def test_a_server_without_images_joins_op_by_op(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, pg, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server the administrator has not upgraded to v0004: no images, no error; after the
    upgrade the owner can place one."""
    import db.sync.pg_admin as pg_admin
    from db.sync.pg_hub import upgrade
    from db.sync.pg_schema import migrations

    owner, _store, _member = demo_team
    monkeypatch.setattr(pg_admin, "migrations", lambda: [m for m in migrations() if m[0] <= 3])
    team, lead, mine = _server_team(demo_team, tmp_path, pg)
    monkeypatch.undo()
    with team.hub(0) as hub:
        assert hub.server_version() == 3 and not hub.images_available()
        assert hub.list_images() == []
    assert svc.refresh_join_image(owner) is None
    with pytest.raises(svc.StoreUnavailable, match="kent nog geen aansluitbestanden"):
        svc.make_image(owner)

    pulled = svc.sync_now(mine.db)
    assert pulled.from_image == "" and not pulled.problems
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    _equal(mine.path, lead.path)

    assert upgrade(team.admin_url, ADMIN_PASSWORD) == ["v0004_join_images"]
    name = svc.refresh_join_image(owner)
    assert name is not None and name.startswith("images/")
    mine.db.dispose()
