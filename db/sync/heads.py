"""The heads of the records' fields (stored compactly: `sync_head`, `sync_superseded`) and the
conflicts they make, with the bulk SQL helpers the reducer and the materialization share.

A head is an operation that sets a field and is not named as a predecessor of another
operation that sets it; see db.sync.reducer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from db.sync.oplog import BOOKKEEPING, canonical
from db.sync.stored import loads

CHUNK = 400

# One head of a field: (hlc, op_id, JSON value as in the op payload).
Head = tuple[str, str, Any]
Heads = dict[tuple[str, str], dict[str, list[Head]]]  # (entity, entity_id) -> field -> heads

dumps = canonical


def chunks(items: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def select_in(session: Session, sql: str, values: list[Any]) -> list[Any]:
    """Run `sql` (containing `IN (:x)` as `{in_}`) over chunks of values, straight on the
    sqlite3 connection (SQLAlchemy's text() parses every 400-parameter statement anew)."""
    out: list[Any] = []
    raw = raw_connection(session)
    for chunk in chunks(values):
        out.extend(raw.execute(sql.format(in_=", ".join("?" * len(chunk))), chunk).fetchall())
    return out


def raw_connection(session: Session) -> Any:
    """The sqlite3 connection of the session's transaction, for bulk statements."""
    return session.connection().connection.driver_connection


# An operation (aliased `o`) none of whose payload fields is still its own head.
ALL_SUPERSEDED = (
    "NOT EXISTS (SELECT 1 FROM json_each(op_json(o.payload)) j WHERE NOT EXISTS ("
    "SELECT 1 FROM sync_superseded s WHERE s.op_id = o.op_id AND s.field = j.key))"
)


def load_heads(session: Session, records: set[tuple[str, str]] | list[tuple[str, str]]) -> Heads:
    """The heads per field of the records: their head operations' payload fields, less the
    fields each has lost (sync_superseded). Records without heads are absent."""
    out: Heads = {}
    wanted = set(records)
    if not wanted:
        return out
    for e, i, op_id, hlc, payload, lost in select_in(
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
        for f, v in loads(payload).items():
            if f not in gone:
                fields.setdefault(f, []).append((hlc, op_id, v))
    return out


def update_conflicts(session: Session, records: set[tuple[str, str]], heads: Heads) -> None:
    """Recompute sync_conflict for the touched records: fields whose heads disagree.
    `heads`: the complete heads of (at least) these records."""
    if not records:
        return
    raw = raw_connection(session)
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
