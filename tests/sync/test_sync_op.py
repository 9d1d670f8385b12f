"""db/sync/op.py: one frozen `Op` type, the only place with the operations' wire keys."""

from __future__ import annotations

import ast
import dataclasses
import sqlite3
from pathlib import Path

import pytest
from sync_helpers import add_provider, edit_provider, team_copy

from db.sync.op import SYNC_OP_COLUMNS, WIRE_KEYS, Op, light_wire, row_to_wire
from db.sync.published import ops_rows as _ops_rows
from db.sync.segment import SegmentError, open_segment, public_key_b64, seal
from desktop.services import sync as svc

ROOT = Path(__file__).resolve().parents[2]
OP_KEYS = {"o", "s", "h", "a", "k", "e", "i", "p", "v"}


def test_an_op_is_frozen_and_its_wire_form_round_trips(tmp_path: Path) -> None:
    store, (a, b) = team_copy(tmp_path, 2)
    pid = add_provider(a, "Zorggroep Sleutel", place="Zwolle")
    edit_provider(a, pid, place="Assen")
    with a.db.read_session() as s:
        wire = _ops_rows(s, "entity_id = :i", {"i": pid})
    assert [w["k"] for w in wire] == ["create", "update"] and set(wire[0]) == WIRE_KEYS
    conn = sqlite3.connect(a.path)
    rows = conn.execute(
        f"SELECT {SYNC_OP_COLUMNS} FROM sync_op WHERE entity_id = ? ORDER BY origin_seq", (pid,)
    ).fetchall()
    conn.close()
    ops = [Op.from_row(r) for r in rows]
    assert [op.to_wire() for op in ops] == wire == [row_to_wire(r) for r in rows]
    assert [Op.from_wire(w) for w in wire] == ops
    update = ops[1]
    assert (update.kind, update.entity, update.entity_id, update.payload["place"]) == (
        "update",
        "provider",
        pid,
        "Assen",
    )
    assert update.prev["place"] == [ops[0].id]  # the create it supersedes
    with pytest.raises(dataclasses.FrozenInstanceError):
        update.kind = "delete"  # type: ignore[misc]
    light = light_wire(
        (
            update.id,
            update.origin,
            update.seq,
            update.author,
            update.kind,
            update.entity,
            update.entity_id,
            None,
        )
    )
    assert set(light) == WIRE_KEYS - {"h", "v"} and light["p"] == {}


def test_not_an_op_is_refused_at_the_boundary(tmp_path: Path) -> None:
    store, (a, b) = team_copy(tmp_path, 2)
    add_provider(a, "Zorggroep Grens")
    with a.db.read_session() as s:
        good = _ops_rows(s, "1=1", {})[-1]
    for bad in (
        {**good, "x": 1},
        {k: v for k, v in good.items() if k != "v"},
        {**good, "s": "7"},
        {**good, "p": []},
    ):
        with pytest.raises(ValueError):
            Op.from_wire(bad)
    # A segment whose operation carries an extra key is refused when opened (db.sync.segment
    # checks against WIRE_KEYS).
    keys = svc.load_keys(a.db)
    with a.db.read_session() as s:
        from db.sync.oplog import get_meta

        hub_id = str(get_meta(s, "hub_id"))
    roster = {keys.user_id: [public_key_b64(keys.signing_seed)]}
    header = {"hub": hub_id, "o": good["o"], "a": good["s"], "b": good["s"], "d": {}, "c": 1}
    assert open_segment(seal(header, [good], keys), keys.team_keys, roster, hub_id)[1] == [good]
    with pytest.raises(SegmentError):
        open_segment(seal(header, [{**good, "x": 1}], keys), keys.team_keys, roster, hub_id)


def test_no_module_builds_an_op_by_hand() -> None:
    """A dict literal with "id" and four or more operation keys is an op built outside
    db/sync/op.py: build an `Op` and call `to_wire()` instead."""
    found = []
    for folder in ("common", "db", "forms", "desktop"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "db" / "sync" / "op.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Dict):
                    keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                    if "id" in keys and len(keys & OP_KEYS) >= 4:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


OP_ONLY_KEYS = {"id", "s", "h", "k", "e", "i", "p", "v"}  # "o", "a" are also header keys
OP_NAMES = {"op", "o", "w", "wire", "ops", "run", "theirs", "candidates", "outbox"}


def _op_name(node: ast.expr) -> bool:
    while isinstance(node, ast.Subscript):  # ops[0]["s"], run[-1]["s"]
        node = node.value
    return isinstance(node, ast.Name) and node.id in OP_NAMES


def test_the_sync_core_reads_ops_as_op_not_by_wire_key() -> None:
    """Inside db/sync an operation is an `Op` (op.seq, op.entity...): `op["s"]` or
    `op.get("e")` outside db/sync/op.py is the wire format leaking into the core."""
    found = []
    for path in sorted((ROOT / "db" / "sync").rglob("*.py")):
        if path.name == "op.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            key = None
            if isinstance(node, ast.Subscript) and _op_name(node.value):
                key = node.slice
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and _op_name(node.func.value)
                and node.args
            ):
                key = node.args[0]
            if isinstance(key, ast.Constant) and key.value in OP_ONLY_KEYS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
