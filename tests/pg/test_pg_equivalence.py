"""SYNC-NOTES.md §10 #14: the same scenario through the file-share store and through the team
server gives identical state digests.

Two worlds start as byte-identical copies of one team: world A keeps syncing through the folder
store, world B's store is moved to PostgreSQL (`migrate_store`) and its replicas sync with
PostgresHub, each under its own database role. Every local edit of the script is made once,
through the real write path (UnitOfWork / review / conflict resolution), in world A; the very
same operations (same ids, clocks and sequence numbers) are then recorded in the twin replica
of world B through the same reducer. From then on the worlds differ only in the hub, and the
script's syncs (partial orders, conflicts, an edit concurrent with a delete, a submission and
an approval, a conflict resolution) must end in the same state everywhere.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from pg_helpers import PgTeam, copy_team, setup_server
from sync_helpers import state_digest

from desktop.services import sync as svc


class Worlds:
    def __init__(self, tmp_path: Path, template, cluster, dbname: str) -> None:  # type: ignore[no-untyped-def]
        self.store_a, self.a = copy_team(template, tmp_path / "a", 3)
        store_b, b = copy_team(template, tmp_path / "b", 3)
        self.team_b: PgTeam = setup_server(cluster, dbname, store_b, b)
        self.b = self.team_b.replicas

    def mirror(self, i: int, before: int) -> None:
        """Record in world B's replica i the operations world A's replica i just made."""
        from db.sync.oplog import get_meta, set_meta
        from db.sync.published import ops_rows as _ops_rows
        from db.sync.reducer import apply_ops

        src, dst = self.a[i].db, self.b[i].db
        with src.read_session() as s:
            own = get_meta(s, "origin_id")
            ops = _ops_rows(s, "origin_id = :o AND origin_seq > :b", {"o": own, "b": before})
            meta = {k: get_meta(s, k) for k in ("next_seq", "hlc")}
        with dst.write_session() as s, s.begin():
            assert get_meta(s, "origin_id") == own
            apply_ops(s, ops, local=True)
            for k, v in meta.items():
                set_meta(s, k, str(v))

    def seq(self, i: int) -> int:
        with sqlite3.connect(self.a[i].path) as c:
            own = c.execute("SELECT value FROM sync_meta WHERE key='origin_id'").fetchone()[0]
            return c.execute(
                "SELECT COALESCE(MAX(origin_seq), 0) FROM sync_op WHERE origin_id = ?", (own,)
            ).fetchone()[0]

    def edit(self, i: int, fn) -> None:  # type: ignore[no-untyped-def]
        before = self.seq(i)
        fn(self.a[i])
        self.mirror(i, before)
        assert state_digest(self.a[i].path) == state_digest(self.b[i].path)

    def sync(self, *order: int) -> None:
        for i in order:
            a = svc.sync_now(self.a[i].db)
            with self.team_b.hub(i) as hub:
                b = svc.sync_now(self.b[i].db, hub=hub)
            assert b.problems == ()
            assert (a.pushed, a.pulled, a.conflicts) == (b.pushed, b.pulled, b.conflicts), i

    def digests(self) -> tuple[list[str], list[str]]:
        return ([state_digest(r.path) for r in self.a], [state_digest(r.path) for r in self.b])


def _provider(name: str, place: str):  # type: ignore[no-untyped-def]
    def go(r) -> None:  # type: ignore[no-untyped-def]
        from db.models import Provider
        from db.repo import UnitOfWork

        with UnitOfWork(r.db, r.user_id) as uow:
            uow.add(Provider(name=name, place=place))

    return go


def _by_name(r, name: str) -> str:  # type: ignore[no-untyped-def]
    with sqlite3.connect(r.path) as c:
        return c.execute("SELECT id FROM provider WHERE name = ? ORDER BY id", (name,)).fetchone()[
            0
        ]


def _update(who: str, **changes):  # type: ignore[no-untyped-def]
    def go(r) -> None:  # type: ignore[no-untyped-def]
        from db.models import Provider
        from db.repo import UnitOfWork

        pid = _by_name(r, who)
        with UnitOfWork(r.db, r.user_id) as uow:
            uow.update(uow.get(Provider, pid), **changes)

    return go


def _delete(name: str):  # type: ignore[no-untyped-def]
    def go(r) -> None:  # type: ignore[no-untyped-def]
        from db.models import Provider
        from db.repo import UnitOfWork

        pid = _by_name(r, name)
        with UnitOfWork(r.db, r.user_id) as uow:
            uow.delete(uow.get(Provider, pid))

    return go


def _review(name: str, kind: str):  # type: ignore[no-untyped-def]
    def go(r) -> None:  # type: ignore[no-untyped-def]
        from db.models import Provider, ReviewEvent
        from db.repo import UnitOfWork

        pid = _by_name(r, name)
        with UnitOfWork(r.db, r.user_id) as uow:
            p = uow.get(Provider, pid)
            uow.add(
                ReviewEvent(
                    subject_type="provider",
                    subject_id=pid,
                    kind=kind,
                    actor_id=r.user_id,
                    content_hash=hashlib.sha256(p.name.encode()).hexdigest(),
                )
            )

    return go


def _resolve_all(r) -> None:  # type: ignore[no-untyped-def]
    for c in svc.list_conflicts(r.db):
        if c.kind == "field":
            svc.resolve_field(
                r.db,
                r.user_id,
                c.entity,
                c.entity_id,
                c.field,
                " / ".join(sorted(v.text for v in c.versions)),
            )
        elif c.kind == "edit_delete":
            svc.resolve_edit_delete(r.db, r.user_id, c.entity, c.entity_id, keep=True)


def test_same_script_same_digests(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    cluster, dbname = pg
    w = Worlds(tmp_path, team_template, cluster, dbname)
    assert w.digests()[0] == w.digests()[1]

    w.edit(1, _provider("De Linde", "Zwolle"))
    w.edit(2, _provider("Het Baken", "Assen"))
    w.edit(1, _provider("Avondrood", "Meppel"))
    w.sync(1, 2, 0, 1)
    # Concurrent edits of one field (a conflict kept for review), an edit concurrent with a
    # delete, and an edit of another field.
    w.edit(1, _update("De Linde", name="De Linde Noord"))
    w.edit(2, _update("De Linde", name="De Linde-Zuid"))
    w.edit(0, _delete("Het Baken"))
    w.edit(2, _update("Het Baken", place="Emmen"))
    w.edit(2, _update("Avondrood", place="Hoogeveen"))
    w.sync(2, 0, 1)
    w.sync(0, 2)
    # Vier-ogen: a colleague submits, the teamleider (replica 0) approves; both go through
    # the server's trigger in world B.
    w.edit(1, _review("Avondrood", "SUBMITTED"))
    w.sync(1, 0)
    w.edit(0, _review("Avondrood", "APPROVED"))
    w.sync(0, 1, 2)
    w.edit(2, _resolve_all)
    for _ in range(2):
        w.sync(0, 1, 2)

    a, b = w.digests()
    assert len(set(a)) == 1, "the folder-store world diverged"
    assert len(set(b)) == 1, "the team-server world diverged"
    assert a == b
    with sqlite3.connect(w.b[0].path) as c:
        assert (
            c.execute("SELECT COUNT(*) FROM review_event WHERE kind = 'APPROVED'").fetchone()[0]
            == 1
        )
