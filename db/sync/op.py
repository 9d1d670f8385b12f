"""One operation of the op-log, and the only place that knows its wire keys.

Segments carry operations as JSON objects with one-letter keys (the wire form, signed and
hashed, so it never changes):
    {"id": op_id, "o": origin_id, "s": origin_seq, "h": hlc, "a": author_id, "k": kind,
     "e": entity, "i": entity_id, "p": {field: encoded value}, "v": {field: [prev op ids]}}
`Op` is the typed form. The boundaries go through this module: building a local operation
(db.sync.oplog), reading the op-log for a push (db.sync.engine), checking a decoded segment
(db.sync.segment) and inserting into `sync_op` (db.sync.reducer). Inside the sync core
(reducer, guard, trust, the engine's steps) an operation is an `Op`.

Ground floor of the sync core: imports nothing of ours but the stored form of payloads
(db.sync.stored: compressed in `sync_op`, the JSON object everywhere else).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from db.sync.stored import loads, pack

ID, ORIGIN, SEQ, HLC, AUTHOR, KIND, ENTITY, ENTITY_ID, PAYLOAD, PREV = (
    "id",
    "o",
    "s",
    "h",
    "a",
    "k",
    "e",
    "i",
    "p",
    "v",
)
WIRE_KEYS = frozenset({ID, ORIGIN, SEQ, HLC, AUTHOR, KIND, ENTITY, ENTITY_ID, PAYLOAD, PREV})
KINDS = ("create", "update", "delete")

# The sync_op columns of an operation, in the order `Op.from_row` reads them.
SYNC_OP_COLUMNS = (
    "op_id, origin_id, origin_seq, hlc, author_id, kind, entity, entity_id, payload, prev"
)


@dataclass(frozen=True, slots=True)
class Op:
    id: str
    origin: str
    seq: int
    hlc: str
    author: str | None
    kind: str
    entity: str
    entity_id: str
    payload: Mapping[str, Any]  # field -> encoded value (db.sync.oplog.encode_value)
    prev: Mapping[str, list[str]]  # field -> the op ids this one supersedes

    def to_wire(self) -> dict[str, Any]:
        payload, prev = self.payload, self.prev
        return wire_of(
            self.id,
            self.origin,
            self.seq,
            self.hlc,
            self.author,
            self.kind,
            self.entity,
            self.entity_id,
            payload if type(payload) is dict else dict(payload),
            prev if type(prev) is dict else dict(prev),
        )

    @classmethod
    def from_wire(cls, wire: Mapping[str, Any]) -> Op:
        """ValueError when `wire` is not exactly one operation's wire form."""
        if not isinstance(wire, Mapping) or set(wire) != WIRE_KEYS:
            raise ValueError("not an operation")
        if not (
            isinstance(wire[SEQ], int)
            and isinstance(wire[PAYLOAD], dict)
            and isinstance(wire[PREV], dict)
        ):
            raise ValueError("operation fields have the wrong type")
        return cls(*_FIELDS(wire))

    @classmethod
    def from_row(cls, r: Any) -> Op:
        """A `sync_op` row selected with SYNC_OP_COLUMNS."""
        return cls(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            loads(r[8]),
            json.loads(r[9]) if r[9] else {},
        )


_FIELDS = itemgetter(ID, ORIGIN, SEQ, HLC, AUTHOR, KIND, ENTITY, ENTITY_ID, PAYLOAD, PREV)


def checked_ops(wires: list[dict[str, Any]]) -> list[Op]:
    """The `Op`s of a segment's operations that passed `wire_problem` (no second check)."""
    return [Op(*_FIELDS(w)) for w in wires]


def wire_of(
    id_: str,
    origin: str,
    seq: int,
    hlc: str,
    author: str | None,
    kind: str,
    entity: str,
    entity_id: str,
    payload: dict[str, Any],
    prev: dict[str, list[str]],
) -> dict[str, Any]:
    """The wire form straight from its fields (`Op(...).to_wire()` without the object: the
    hot path of recording many local operations)."""
    return {
        ID: id_,
        ORIGIN: origin,
        SEQ: seq,
        HLC: hlc,
        AUTHOR: author,
        KIND: kind,
        ENTITY: entity,
        ENTITY_ID: entity_id,
        PAYLOAD: payload,
        PREV: prev,
    }


def row_to_wire(r: Any) -> dict[str, Any]:
    """A `sync_op` row (SYNC_OP_COLUMNS) straight to its wire form."""
    return Op.from_row(r).to_wire()


def light_wire(r: Any) -> dict[str, Any]:
    """Wire form without clock and predecessors, for the review rules (db.sync.guard): row =
    (op_id, origin_id, origin_seq, author_id, kind, entity, entity_id, payload or NULL)."""
    return {
        ID: r[0],
        ORIGIN: r[1],
        SEQ: r[2],
        AUTHOR: r[3],
        KIND: r[4],
        ENTITY: r[5],
        ENTITY_ID: r[6],
        PAYLOAD: loads(r[7]),
    }


def wire_seq(wire: Any) -> Any:
    """The sequence number of a decoded operation (None when it is not a JSON object)."""
    return wire.get(SEQ) if isinstance(wire, dict) else None


def wire_problem(wire: Mapping[str, Any], origin: Any, entities: Any) -> str | None:
    """Why a decoded operation of a segment from `origin` is unusable (Dutch), or None."""
    if set(wire) != WIRE_KEYS or wire[ORIGIN] != origin:
        return "bewerking hoort niet bij deze bron"
    if wire[ENTITY] not in entities or wire[KIND] not in KINDS:
        return f"onbekend soort gegevens '{wire[ENTITY]}'"
    if not isinstance(wire[PAYLOAD], dict) or not isinstance(wire[PREV], dict):
        return "bewerking is onleesbaar"
    return None


def light_op(r: Any) -> Op:
    """An `Op` without clock and predecessors (hlc "", prev {}), for the review rules
    (db.sync.guard): row as for `light_wire`."""
    return Op(r[0], r[1], r[2], "", r[3], r[4], r[5], r[6], loads(r[7]), {})


def sync_op_row(op: Op, dumps: Any) -> tuple[Any, ...]:
    """Values for `INSERT INTO sync_op (op_id, origin_id, origin_seq, hlc, author_id, kind,
    entity, entity_id, payload, prev, prev_op_id)`; `dumps` encodes payload and prev, the
    payload stored compactly (db.sync.stored)."""
    prev = op.prev
    return (
        op.id,
        op.origin,
        op.seq,
        op.hlc,
        op.author,
        op.kind,
        op.entity,
        op.entity_id,
        pack(dumps(op.payload)),
        dumps(prev),
        next((ids[0] for ids in prev.values() if ids), None),
    )


def as_op(op: Op | Mapping[str, Any]) -> Op:
    """An `Op` as it is, a wire form checked and converted (callers that still hold the wire
    form, such as tests replaying `db.sync.published.ops_rows`)."""
    return op if isinstance(op, Op) else Op.from_wire(op)
