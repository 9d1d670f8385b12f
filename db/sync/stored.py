"""How `sync_op.payload` is stored on this laptop (issue 18 item 1: the database ≤ 2× its
business data). Only the local file changes: an operation in memory (`Op.payload`), on the
wire (segments, the PostgreSQL hub) and in every hash stays the canonical JSON object.

Stored form, by SQLite type:
* TEXT  the canonical JSON itself (databases before revision 0012, and a payload that does
        not get shorter compressed);
* BLOB  a version byte, then the compressed canonical JSON. Version 1: raw deflate (window
        2**14, level 6) with the frozen preset dictionary db.sync.payload_dictionary, built
        from the schema. A new dictionary or method is a new version byte; every version ever
        written stays readable.

SQL reads a payload through `op_json(payload)` (the JSON text whatever the stored form),
registered as a deterministic function on every connection of db.engine; a raw sqlite3
connection that reads payloads in SQL calls `register(conn)` first.

Ground floor of the sync core: imports nothing of ours but the frozen dictionary.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

from db.sync.payload_dictionary import DICTIONARY_V1

SQL_FUNCTION = "op_json"
V1 = b"\x01"
# Level 6 with a 16 KiB window and memLevel 6: the same size as a 32 KiB window and memLevel 8
# (0.39 of the JSON on the zorgkantoor demo) at a quarter of the state copied per payload
# (23 µs a payload instead of 30-110 µs, measured; the dictionary is 11.4 KiB and fits).
_PACKER = zlib.compressobj(6, zlib.DEFLATED, -14, 6, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_V1)
_UNPACKER = zlib.decompressobj(-15, DICTIONARY_V1)


def pack(text: str) -> bytes | str:
    """The stored form of a payload's canonical JSON `text`."""
    raw = text.encode()
    deflate = _PACKER.copy()  # the dictionary is loaded once, not per payload
    packed = V1 + deflate.compress(raw) + deflate.flush()
    return packed if len(packed) < len(raw) else text


def json_text(stored: str | bytes | None) -> str | None:
    """The canonical JSON text of a stored payload (None stays None)."""
    if stored is None or isinstance(stored, str):
        return stored
    if stored[:1] == V1:
        inflate = _UNPACKER.copy()
        return (inflate.decompress(stored[1:]) + inflate.flush()).decode()
    raise ValueError(f"stored payload of unknown version {stored[:1]!r}")


def loads(stored: str | bytes | None) -> dict[str, Any]:
    """The payload object of a stored payload ({} for NULL or empty)."""
    return json.loads(json_text(stored)) if stored else {}  # type: ignore[arg-type]


def register(conn: sqlite3.Connection) -> None:
    """Make `op_json(payload)` available on a sqlite3 connection."""
    conn.create_function(SQL_FUNCTION, 1, json_text, deterministic=True)
