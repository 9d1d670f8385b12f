"""The one reducer: applies local and remote operations alike.

State is a pure function of the *set* of operations known, so applying is deterministic,
idempotent and independent of arrival order:

* per field, the heads are the operations that set the field and are not named as a
  predecessor (`prev`) of another operation that sets it (a multi-value register). Stored
  compactly (issue 18): `sync_head` holds one row per operation that still heads some field,
  `sync_superseded` the (operation, field) pairs it lost; values are read from the operation;
* the shown value is the head with the highest (hlc, op_id); the other heads with a different
  value are a conflict the user resolves (nothing is dropped: the losing value stays stored);
* a delete is a tombstone operation (deleted_at). If some head of another field was not seen
  by the winning delete, it was made concurrently: the record stays alive and is flagged.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.sync.op import sync_op_row
from db.sync.oplog import BOOKKEEPING, canonical, decode_value, get_meta, observe_hlc

CHUNK = 400

# One head of a field: (hlc, op_id, JSON value as in the op payload).
Head = tuple[str, str, Any]
Heads = dict[tuple[str, str], dict[str, list[Head]]]  # (entity, entity_id) -> field -> heads

dumps = canonical


@dataclass
class ApplyResult:
    new: int = 0
    duplicate: int = 0
    skewed_origins: set[str] = field(default_factory=set)
    unapplied: int = 0


def _entities() -> Mapping[str, type]:
    from db.models import ENTITIES

    return ENTITIES


def _chunks(items: list, size: int = CHUNK):  # type: ignore[no-untyped-def]
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _in(session: Session, sql: str, values: list) -> list:  # type: ignore[type-arg]
    """Run `sql` (containing `IN (:x)` as `{in_}`) over chunks of values, straight on the
    sqlite3 connection (SQLAlchemy's text() parses every 400-parameter statement anew)."""
    out: list = []  # type: ignore[type-arg]
    raw = _raw(session)
    for chunk in _chunks(values):
        out.extend(raw.execute(sql.format(in_=", ".join("?" * len(chunk))), chunk).fetchall())
    return out


def apply_ops(
    session: Session,
    ops: list[dict[str, Any]],
    *,
    local: bool = False,
    fresh: set[tuple[str, str]] | None = None,
) -> ApplyResult:
    """Apply operations (idempotent). `fresh`: local creates of records that had no heads,
    whose rows the caller has written already with exactly these values."""
    result = ApplyResult()
    batch: dict[str, dict[str, Any]] = {}
    for op in ops:
        batch.setdefault(op["id"], op)
    known = {
        r[0] for r in _in(session, "SELECT op_id FROM sync_op WHERE op_id IN ({in_})", list(batch))
    }
    new = [op for oid, op in batch.items() if oid not in known]
    result.duplicate = len(ops) - len(new)
    result.new = len(new)
    if not new:
        return result
    own = get_meta(session, "origin_id")

    raw = _raw(session)
    skip = fresh or set()
    ids = sorted({op["i"] for op in new if (op["e"], op["i"]) not in skip})
    had_heads = {
        (r[0], r[1])
        for r in _in(
            session,
            "SELECT DISTINCT entity, entity_id FROM sync_head WHERE entity_id IN ({in_})",
            ids,
        )
    }
    raw.executemany(
        "INSERT INTO sync_op (op_id, origin_id, origin_seq, hlc, author_id, kind, entity, "
        "entity_id, payload, prev, prev_op_id, pushed) VALUES (?,?,?,?,?,?,?,?,?,?,?,0)",
        [sync_op_row(op, dumps) for op in new],
    )

    # Clock: follow remote clocks (bounded), version vector: contiguous sequences only.
    by_origin: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for op in new:
        by_origin[op["o"]].append(op)
    for origin, origin_ops in by_origin.items():
        if not local and origin != own:
            if observe_hlc(session, max(o["h"] for o in origin_ops), origin):
                result.skewed_origins.add(origin)
    advance_vv(session, {origin: [o["s"] for o in oo] for origin, oo in by_origin.items()})

    # Heads: an operation stays a head while some field it sets is not superseded.
    pairs = {(p, f) for op in new for f in op["p"] for p in op["v"].get(f, [])}
    if pairs:
        raw.executemany(
            "INSERT OR IGNORE INTO sync_superseded (op_id, field) VALUES (?, ?)", list(pairs)
        )
        gone = _in(
            session,
            "SELECT entity_id, entity, op_id FROM sync_op o WHERE op_id IN ({in_}) "
            f"AND {_ALL_SUPERSEDED}",
            sorted({p for p, _ in pairs}),
        )
        raw.executemany(
            "DELETE FROM sync_head WHERE entity_id = ? AND entity = ? AND op_id = ?",
            [tuple(r) for r in gone],
        )
    superseded = (
        {
            (r[0], r[1])
            for r in _in(
                session,
                "SELECT op_id, field FROM sync_superseded WHERE op_id IN ({in_})",
                [op["id"] for op in new],
            )
        }
        if pairs or not local
        else set()
    )
    heads = [
        (op["i"], op["e"], op["id"])
        for op in new
        if any((op["id"], f) not in superseded for f in op["p"])
    ]
    if heads:
        raw.executemany(
            "INSERT OR IGNORE INTO sync_head (entity_id, entity, op_id) VALUES (?, ?, ?)", heads
        )
    # Records seen for the first time: their heads are exactly this batch's (no query needed).
    per_record: dict[tuple[str, str], int] = defaultdict(int)
    for op in new:
        per_record[(op["e"], op["i"])] += 1
    known_heads: Heads = {}
    for op in new:
        key = (op["e"], op["i"])
        if key in had_heads or key in skip:
            continue
        for f, v in op["p"].items():
            if (op["id"], f) not in superseded:
                known_heads.setdefault(key, {}).setdefault(f, []).append((op["h"], op["id"], v))
    touched = {(op["e"], op["i"]) for op in new} - skip
    known_heads.update(load_heads(session, touched - set(known_heads)))
    _update_conflicts(
        session, {key for key in touched if key in had_heads or per_record[key] > 1}, known_heads
    )
    result.unapplied = materialize(session, touched, local=local, known_heads=known_heads)
    return result


# An operation (aliased `o`) none of whose payload fields is still its own head.
_ALL_SUPERSEDED = (
    "NOT EXISTS (SELECT 1 FROM json_each(o.payload) j WHERE NOT EXISTS ("
    "SELECT 1 FROM sync_superseded s WHERE s.op_id = o.op_id AND s.field = j.key))"
)


def load_heads(session: Session, records: set[tuple[str, str]] | list[tuple[str, str]]) -> Heads:
    """The heads per field of the records: their head operations' payload fields, less the
    fields each has lost (sync_superseded). Records without heads are absent."""
    out: Heads = {}
    wanted = set(records)
    if not wanted:
        return out
    for e, i, op_id, hlc, payload, lost in _in(
        session,
        "SELECT h.entity, h.entity_id, o.op_id, o.hlc, o.payload, (SELECT "
        "group_concat(s.field, char(31)) FROM sync_superseded s WHERE s.op_id = o.op_id) "
        "FROM sync_head h JOIN sync_op o ON o.op_id = h.op_id WHERE h.entity_id IN ({in_})",
        sorted({i for _, i in wanted}),
    ):
        if (e, i) not in wanted:
            continue
        gone = set(lost.split("\x1f")) if lost else ()
        fields = out.setdefault((e, i), {})
        for f, v in json.loads(payload).items():
            if f not in gone:
                fields.setdefault(f, []).append((hlc, op_id, v))
    return out


def _raw(session: Session):  # type: ignore[no-untyped-def]
    """The sqlite3 connection of the session's transaction, for bulk statements."""
    return session.connection().connection.driver_connection


def _update_conflicts(session: Session, records: set[tuple[str, str]], heads: Heads) -> None:
    """Recompute sync_conflict for the touched records: fields whose heads disagree.
    `heads`: the complete heads of (at least) these records."""
    if not records:
        return
    raw = _raw(session)
    raw.executemany(
        "DELETE FROM sync_conflict WHERE entity_id = ? AND entity = ?", [(i, e) for e, i in records]
    )
    conflicted = [
        (e, i, f)
        for (e, i) in sorted(records)
        for f, hs in heads.get((e, i), {}).items()
        if f not in BOOKKEEPING and len(hs) > 1 and len({dumps(v) for _, _, v in hs}) > 1
    ]
    if conflicted:
        raw.executemany(
            "INSERT OR IGNORE INTO sync_conflict (entity, entity_id, field) VALUES (?, ?, ?)",
            conflicted,
        )


def advance_vv(session: Session, seqs_by_origin: dict[str, list[int]]) -> None:
    for origin, seqs in seqs_by_origin.items():
        row = session.execute(
            text("SELECT seq FROM sync_vv WHERE origin_id = :o"), {"o": origin}
        ).first()
        current = row[0] if row else 0
        have = set(seqs)
        start = current
        if current + 1 not in have and row is not None:
            continue
        # ops applied earlier out of order (not expected, but cheap to honour)
        while current + 1 in have:
            current += 1
        if current != start:
            more = session.execute(
                text(
                    "SELECT origin_seq FROM sync_op WHERE origin_id = :o AND origin_seq > :s "
                    "ORDER BY origin_seq"
                ),
                {"o": origin, "s": current},
            ).all()
            for (s,) in more:
                if s == current + 1:
                    current = s
                elif s > current + 1:
                    break
        if row is None:
            session.execute(
                text("INSERT INTO sync_vv (origin_id, seq) VALUES (:o, :s)"),
                {"o": origin, "s": current},
            )
        elif current != start:
            session.execute(
                text("UPDATE sync_vv SET seq = :s WHERE origin_id = :o"),
                {"o": origin, "s": current},
            )


# -- materialization --------------------------------------------------------------------------
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
    for op_id, kind, prev in _in(
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
    for chunk in _chunks(ids):
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
        _raw(session).executemany(sql, params)
    except sqlite3.IntegrityError as exc:  # the caller retries row by row, as with SQLAlchemy
        raise IntegrityError(sql, params[:1], exc) from exc
    return True


def _write_rows(session: Session, cls: type, items: list[tuple[str, dict[str, Any]]]) -> None:
    columns = {c.name for c in cls.__table__.columns}  # type: ignore[attr-defined]
    ids = [rid for rid, _ in items]
    existing: dict[str, Any] = {}
    for chunk in _chunks(ids):
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
