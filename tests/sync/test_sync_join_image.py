"""Issue 18 item 2: a new laptop joins from the owner's join image (db/sync/image.py): one
signed, encrypted copy of the owner's database, then only the segments after it. The joined
laptop equals the owner (every business table, heads, search index, current ratings); edits
sync both ways afterwards; a bad image (signed by a member, a team lead included, tampered,
of another store, of a newer schema, truncated, a damaged database inside) is passed over and
the join takes the segment path; a join killed during the swap leaves a usable database."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sync_helpers import Replica, add_provider, edit_provider, integrity_ok, state_digest
from test_sync_first_pull import PHRASE, _derived, demo_team  # noqa: F401 - the fixture
from test_sync_processes import _cli_sync, _export_keyring


def _images(store: Path) -> list[Path]:
    return sorted((store / "images").glob("*.img"))


def _join(tmp_path: Path, store: Path, name: str = "laptop.sqlite"):  # type: ignore[no-untyped-def]
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    laptop = open_database(tmp_path / name)
    svc.join_store(laptop, store, PHRASE)
    return laptop


def _equal(a: Path, b: Path) -> None:
    assert _derived(a) == _derived(b)
    assert state_digest(a) == state_digest(b)


def test_a_new_laptop_joins_from_the_owners_image_and_then_syncs_both_ways(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path
) -> None:
    import db.sync.bulk as bulk
    from desktop.services import sync as svc

    owner, store, member = demo_team
    name = svc.make_image(owner)
    assert name.startswith("images/") and (store / name).is_file()
    image_bytes = (store / name).stat().st_size
    assert svc.make_image(owner) == name and len(_images(store)) == 1  # nothing new: no copy
    assert image_bytes < (tmp_path / "owner.sqlite").stat().st_size / 2
    # Work after the image: the new laptop pulls exactly this on top of it.
    lead = Replica("owner", tmp_path / "owner.sqlite", owner, svc.status(owner).user_id)
    later = add_provider(lead, "Na het aansluitbestand")
    assert svc.sync_now(owner).pushed > 0

    laptop = _join(tmp_path, store)
    before = laptop.engine
    pulled = svc.sync_now(laptop)
    assert pulled.from_image == name, pulled.problems
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    assert pulled.conflicts == 0 and pulled.quarantined == 0
    path = tmp_path / "laptop.sqlite"
    assert laptop.path == path and laptop.engine is before  # the opened database, refilled
    with sqlite3.connect(path) as c:
        meta = dict(c.execute("SELECT key, value FROM sync_meta"))
        own = c.execute("SELECT value FROM sync_meta WHERE key='origin_id'").fetchone()[0]
        owners = {r[0] for r in c.execute("SELECT DISTINCT origin_id FROM sync_op")}
        local = c.execute("SELECT COUNT(*) FROM sync_segment WHERE status <> 'applied'")
        assert local.fetchone()[0] == 0
    with sqlite3.connect(tmp_path / "owner.sqlite") as c:
        owner_meta = dict(c.execute("SELECT key, value FROM sync_meta"))
    # Its own identity, not the owner's: a new origin, its own user, no op of its own.
    assert own != owner_meta["origin_id"] and own not in owners
    assert meta["sync_user"] == member.id and meta["next_seq"] == "1"
    assert meta["baselines"] == owner_meta["baselines"] and bulk.DERIVED_META not in meta
    assert svc.status(laptop).pending_ops == 0
    _equal(path, tmp_path / "owner.sqlite")
    with laptop.read_session() as s:
        from db.models import Provider

        assert s.get(Provider, later) is not None

    # Afterwards both sides edit; each sees the other's change.
    mine = Replica("laptop", path, laptop, member.id)
    pid = add_provider(mine, "Van de nieuwe laptop")
    edit_provider(lead, later, name="Na het aansluitbestand, gewijzigd")
    assert svc.sync_now(laptop).pushed > 0
    svc.sync_now(owner)
    again = svc.sync_now(laptop)
    assert again.pulled > 0 and again.from_image == ""
    with owner.read_session() as s:
        from db.models import Provider

        assert s.get(Provider, pid).name == "Van de nieuwe laptop"
    _equal(path, tmp_path / "owner.sqlite")
    laptop.dispose()


def _copy_of(owner_path: Path, target: Path) -> Path:
    with sqlite3.connect(owner_path) as c:
        c.execute("VACUUM INTO ?", (str(target),))
    return target


def _forge(owner, store: Path, tmp_path: Path, keys, hub_id=None, change=None, corrupt=False):  # type: ignore[no-untyped-def]
    """An image made by hand from a copy of the owner's database, its providers renamed
    (optionally changed further, or a page of the provider table overwritten)."""
    from db.sync.folder_hub import FolderHub
    from db.sync.image_make import seal_image

    copy = _copy_of(owner.path, tmp_path / "forged.sqlite")
    with sqlite3.connect(copy) as c:
        c.execute("UPDATE provider SET name = 'Vervalst'")
        if change:
            change(c)
        size = c.execute("PRAGMA page_size").fetchone()[0]
        root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'provider'").fetchone()
    c.close()
    if corrupt:
        with open(copy, "r+b") as fh:  # the provider table's root page
            fh.seek((root[0] - 1) * size)
            fh.write(b"\xff" * size)
    hub = FolderHub(store)
    name = seal_image(copy, hub, keys, hub_id or hub.hub_id())
    copy.unlink()
    return store / name


@pytest.mark.parametrize(
    "attack",
    ["member", "team_lead", "tampered", "other_store", "newer", "truncated", "corrupt"],
)
def test_a_bad_image_is_passed_over_and_the_join_takes_the_segments(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, attack: str
) -> None:
    from desktop.services import sync as svc
    from desktop.services import team

    owner, store, member = demo_team
    owner_keys = svc.load_keys(owner)
    laptop = _join(tmp_path, store)
    if attack == "team_lead":  # a teamleider, but not the store's owner
        team.grant(owner, owner_keys.user_id, member.id, "TEAM_LEAD")
    if attack in ("member", "team_lead"):
        # Signed with the member's own key (on the roster), claiming to be the owner's.
        keys = svc.load_keys(laptop)
        from dataclasses import replace

        path = _forge(owner, store, tmp_path, replace(keys, user_id=owner_keys.user_id))
        reason = "eigenaar"
    elif attack == "other_store":
        path = _forge(owner, store, tmp_path, owner_keys, hub_id="0" * 8 + "-other-store")
        reason = "andere gedeelde opslag"
    elif attack == "newer":

        def newer(c: sqlite3.Connection) -> None:
            c.execute("UPDATE alembic_version SET version_num = '9999'")

        path = _forge(owner, store, tmp_path, owner_keys, change=newer)
        reason = "nieuwere versie"
    elif attack == "corrupt":
        path = _forge(owner, store, tmp_path, owner_keys, corrupt=True)
        reason = "beschadigd"
    else:
        genuine = store / svc.make_image(owner)
        data = bytearray(genuine.read_bytes())
        genuine.unlink()
        if attack == "tampered":
            data[len(data) // 2] ^= 0x01
            reason = "gewijzigd"
        else:
            data = data[: len(data) // 2]
            reason = "afgekapt"
        path = store / "images" / f"{attack}.img"
        path.write_bytes(bytes(data))
    assert path.is_file() and len(_images(store)) == 1

    pulled = svc.sync_now(laptop)
    assert pulled.from_image == ""
    lines = [p for p in pulled.problems if "Aansluitbestand" in p]
    assert len(lines) == 1 and reason in lines[0] and "niets verloren" in lines[0], lines
    assert pulled.pulled > 2000 and pulled.refused_ops == 0 and pulled.waiting == 0
    with sqlite3.connect(tmp_path / "laptop.sqlite") as c:
        assert c.execute("SELECT COUNT(*) FROM provider WHERE name = 'Vervalst'").fetchone()[0] == 0
    assert not (tmp_path / "laptop.sqlite.image.tmp").exists()
    svc.sync_now(owner)  # the team lead grant travels too
    svc.sync_now(laptop)
    _equal(tmp_path / "laptop.sqlite", tmp_path / "owner.sqlite")
    laptop.dispose()


def test_an_image_of_an_older_schema_is_migrated_on_the_way_in(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path
) -> None:
    from db.migrate import _alembic_config
    from db.migrations import REVISIONS
    from desktop.services import sync as svc

    owner, store, _member = demo_team
    older = REVISIONS[-2]

    from alembic import command

    from db.engine import make_engine
    from db.sync.folder_hub import FolderHub
    from db.sync.image_make import seal_image

    copy = _copy_of(owner.path, tmp_path / "older.sqlite")
    engine = make_engine(copy)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, older)
    finally:
        engine.dispose()
    c = sqlite3.connect(copy)
    assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == older
    c.close()
    seal_image(copy, FolderHub(store), svc.load_keys(owner), FolderHub(store).hub_id())

    laptop = _join(tmp_path, store)
    pulled = svc.sync_now(laptop)
    assert pulled.from_image, pulled.problems
    with sqlite3.connect(tmp_path / "laptop.sqlite") as c:
        assert c.execute("SELECT version_num FROM alembic_version").fetchone()[0] == REVISIONS[-1]
    _equal(tmp_path / "laptop.sqlite", tmp_path / "owner.sqlite")
    laptop.dispose()


def test_only_the_owner_makes_an_image_on_the_command_line(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from desktop.cli import main
    from desktop.services import sync as svc

    owner, store, member = demo_team
    laptop = _join(tmp_path, store)
    svc.sync_now(laptop)
    assert main(["store", "image", "--db", str(tmp_path / "laptop.sqlite")]) == 1
    assert "eigenaar" in capsys.readouterr().err and _images(store) == []
    laptop.dispose()
    assert main(["store", "image", "--db", str(tmp_path / "owner.sqlite"), "--json"]) == 0
    name = json.loads(capsys.readouterr().out)["image"]
    assert _images(store) == [store / name]


@pytest.mark.parametrize("point", ["image_before_swap", "image_after_swap"])
def test_a_join_killed_during_the_swap_leaves_a_usable_database(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path, point: str
) -> None:
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    owner, store, _member = demo_team
    svc.make_image(owner)
    path = tmp_path / "laptop.sqlite"
    laptop = _join(tmp_path, store)
    laptop.dispose()
    _export_keyring(tmp_path)

    crashed = _cli_sync(tmp_path, path, point)
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    assert integrity_ok(path)
    with sqlite3.connect(path) as c:
        filled = c.execute("SELECT COUNT(*) FROM sync_op").fetchone()[0]
        user = c.execute("SELECT value FROM sync_meta WHERE key = 'sync_user'").fetchone()
    assert (filled > 2000) == (point == "image_after_swap") and user is not None
    laptop = open_database(path)  # opens and works
    assert svc.status(laptop).hub_id
    laptop.dispose()

    again = _cli_sync(tmp_path, path)
    assert again.returncode == 0, again.stderr[-2000:]
    assert not Path(f"{path}.image.tmp").exists()
    _equal(path, tmp_path / "owner.sqlite")


def test_an_image_is_not_swapped_in_under_another_open_connection(  # type: ignore[no-untyped-def]
    demo_team, tmp_path: Path
) -> None:
    """Another window or program with the database open would keep writing to the replaced
    file: the image is passed over and the join takes the segments."""
    from desktop.services import sync as svc

    owner, store, _member = demo_team
    svc.make_image(owner)
    laptop = _join(tmp_path, store)
    other = sqlite3.connect(tmp_path / "laptop.sqlite")
    try:
        assert other.execute("SELECT COUNT(*) FROM sync_meta").fetchone()[0] > 0
        pulled = svc.sync_now(laptop)
    finally:
        other.close()
    assert pulled.from_image == ""
    assert any("in gebruik" in p for p in pulled.problems), pulled.problems
    assert pulled.pulled > 2000 and pulled.waiting == 0
    _equal(tmp_path / "laptop.sqlite", tmp_path / "owner.sqlite")
    laptop.dispose()
