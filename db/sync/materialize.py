"""Materialization: the winning values of the touched records written into the business
tables (a delete is a tombstone; an edit concurrent with it keeps the record alive, flagged)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.sync.heads import Head, Heads, chunks, load_heads, raw_connection, select_in
from db.sync.oplog import BOOKKEEPING, decode_value


def _entities() -> Mapping[str, type]:
    from db.models import ENTITIES

    return ENTITIES


def record_state(
    heads: dict[str, list[Head]],
    delete_prev: dict[str, list[str]] | None,
    delete_op: str | None,
) -> tuple[dict[str, Any], bool]:
    """Winner values per field and whether an edit concurrent with the delete resurrects it.

    heads: field -> [(hlc, op_id, JSON value)]."""
    values: dict[str, Any] = {}
    for f, hs in heads.items():
        values[f] = max(hs)[2]
    concurrent = False
    if values.get("deleted_at") is not None and delete_prev is not None:
        for f, hs in heads.items():
            if f in BOOKKEEPING or f == "deleted_at":
                continue
            seen = set(delete_prev.get(f, []))
            if any(h[1] != delete_op and h[1] not in seen for h in hs):
                concurrent = True
                break
        if concurrent:
            values["deleted_at"] = None
    return values, concurrent


def materialize(
    session: Session,
    touched: set[tuple[str, str]],
    *,
    local: bool = False,
    known_heads: Heads | None = None,
) -> int:
    """Write the winning values of the touched records into the business tables.
    `known_heads`: records whose complete heads the caller already has."""
    known_heads = known_heads or {}
    entities = _entities()
    if not local:
        # Rows that failed a constraint earlier are retried on every remote batch.
        touched = touched | {
            (r[0], r[1])
            for r in session.execute(
                text("SELECT entity, entity_id FROM sync_flag WHERE kind = 'unapplied'")
            ).all()
        }
    heads: Heads = dict(known_heads)
    heads.update(load_heads(session, touched - set(known_heads)))

    # Winning tombstones need the heads they had seen.
    delete_ops: dict[tuple[str, str], str] = {}
    for key, hs in heads.items():
        if "deleted_at" in hs:
            best = max(hs["deleted_at"])
            if best[2] is not None:
                delete_ops[key] = best[1]
    delete_prev: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for op_id, kind, prev in select_in(
        session,
        "SELECT op_id, kind, prev FROM sync_op WHERE op_id IN ({in_})",
        list(delete_ops.values()),
    ):
        delete_prev[op_id] = (kind, json.loads(prev) if prev else {})

    flags: list[dict[str, str]] = []
    plans: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for ent, rid in touched:
        record_heads = heads.get((ent, rid))
        if not record_heads:
            continue
        dop = delete_ops.get((ent, rid))
        dkind, dprev = delete_prev.get(dop, ("", {})) if dop else ("", {})
        values, concurrent = record_state(record_heads, dprev if dkind == "delete" else None, dop)
        if concurrent:
            flags.append({"e": ent, "i": rid, "k": "edit_delete", "d": ""})
        plans[ent].append((rid, values))

    flagged = {
        (r[0], r[1]) for r in session.execute(text("SELECT entity, entity_id FROM sync_flag")).all()
    } & touched
    if flagged:
        session.execute(
            text("DELETE FROM sync_flag WHERE entity = :e AND entity_id = :i"),
            [{"e": e, "i": i} for e, i in flagged],
        )

    unapplied: list[tuple[str, str, str]] = []
    for ent, items in plans.items():
        cls = entities.get(ent)
        if cls is None:
            continue
        if local:
            _write_rows(session, cls, items)
            continue
        try:
            with session.begin_nested():
                _write_rows_core(session, cls, items)
        except IntegrityError:
            for rid, values in items:
                try:
                    with session.begin_nested():
                        _write_rows_core(session, cls, [(rid, values)])
                except IntegrityError as exc:
                    unapplied.append((ent, rid, str(exc.orig)[:200]))
    for ent, rid, detail in unapplied:
        flags.append({"e": ent, "i": rid, "k": "unapplied", "d": detail})
    if flags:
        session.execute(
            text(
                "INSERT OR REPLACE INTO sync_flag (entity, entity_id, kind, detail) "
                "VALUES (:e, :i, :k, :d)"
            ),
            flags,
        )
    return len(unapplied)


def _write_rows_core(session: Session, cls: type, items: list[tuple[str, dict[str, Any]]]) -> None:
    """Remote apply: plain INSERT / UPDATE statements (no ORM objects; the column types still
    convert the values), grouped by column set for executemany."""
    table = cls.__table__  # type: ignore[attr-defined]
    columns = {c.name for c in table.columns}
    ids = [rid for rid, _ in items]
    existing: set[str] = set()
    for chunk in chunks(ids):
        existing |= set(session.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    inserts: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for rid, values in items:
        row = {k: decode_value(v) for k, v in values.items() if k in columns and k != "id"}
        key = tuple(sorted(row))
        if rid in existing:
            updates[key].append({"_id": rid, **row})
        else:
            inserts[key].append({"id": rid, **row})
    for key, rows in inserts.items():
        if not _insert_raw(session, table, key, rows):
            session.execute(insert(table), rows)
    for key, rows in updates.items():
        if key:
            stmt = (
                table.update()
                .where(table.c.id == bindparam("_id"))
                .values({k: bindparam(k) for k in key})
            )
            session.execute(stmt, rows)


_BIND: dict[tuple[str, str], Any] = {}


def _insert_raw(
    session: Session, table: Any, key: tuple[str, ...], rows: list[dict[str, Any]]
) -> bool:
    """INSERT rows straight through the sqlite3 cursor, each value converted by its column
    type's own bind processor (what SQLAlchemy would do, without its per-row overhead: a third
    of a large first pull). Only when the rows carry every column that has a default;
    otherwise returns False and the caller inserts through SQLAlchemy."""
    names = ("id", *key)
    if any(
        c.name not in names
        for c in table.columns
        if c.default is not None or c.server_default is not None
    ):
        return False
    conn = session.connection()
    procs = []
    for name in names:
        proc = _BIND.get((table.name, name), False)
        if proc is False:
            col = table.c[name]
            proc = _BIND[(table.name, name)] = col.type.dialect_impl(conn.dialect).bind_processor(
                conn.dialect
            )
        procs.append(proc)
    columns = ", ".join(f'"{n}"' for n in names)
    marks = ", ".join("?" for _ in names)
    sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    convert = [(i, p) for i, p in enumerate(procs) if p is not None]
    params = []
    for row in rows:
        values = [row[n] for n in names]
        for i, p in convert:
            values[i] = p(values[i])
        params.append(values)
    try:
        raw_connection(session).executemany(sql, params)
    except sqlite3.IntegrityError as exc:  # the caller retries row by row, as with SQLAlchemy
        raise IntegrityError(sql, params[:1], exc) from exc
    return True


def _write_rows(session: Session, cls: type, items: list[tuple[str, dict[str, Any]]]) -> None:
    columns = {c.name for c in cls.__table__.columns}  # type: ignore[attr-defined]
    ids = [rid for rid, _ in items]
    existing: dict[str, Any] = {}
    for chunk in chunks(ids):
        for obj in session.execute(select(cls).where(cls.id.in_(chunk))).scalars():  # type: ignore[attr-defined]
            existing[obj.id] = obj
    for rid, values in items:
        obj = existing.get(rid)
        if obj is None:
            obj = cls(id=rid)
            for name, raw in values.items():
                if name in columns:
                    setattr(obj, name, decode_value(raw))
            session.add(obj)
        else:
            for name, raw in values.items():
                if name in columns and name != "id":
                    value = decode_value(raw)
                    if getattr(obj, name) != value:
                        setattr(obj, name, value)
    session.flush()
