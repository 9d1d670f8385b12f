"""Issue 18 item 1: the database file at zorgkantoor scale, split into business data and sync
bookkeeping (SQLite `dbstat`), at 1x (the zorgkantoor database) and 3x (the national one, id
`3x`: built once, ~5 minutes). Not a timing benchmark: prints the figures (`-s`), holds the
sync heads to a size proportional to the records, not to their fields, and the file to at most
twice its business data (ARCHITECTURE.md).

    QT_QPA_PLATFORM=offscreen pytest tests/bench/test_bench_db_size.py -s   # -k 1x / -k 3x

Before (one `sync_head` row per field with a JSON copy of the value, four-column text key,
index on (op_id, field)): 1,409 MiB file, of which sync_head 1,000 MiB and business 168 MiB.
Before the op payloads were stored compressed (db.sync.stored, revision 0012): 429 MiB, 2.5x
the business data, sync_op 237 MiB of it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

pytestmark = pytest.mark.bench
MIB = 2**20


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table, its indexes (and autoindexes) included."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master"))
        sizes: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            sizes[table] = sizes.get(table, 0) + size
        return sizes
    finally:
        conn.close()


def test_sync_bookkeeping_is_proportional_to_records_not_fields(scaled_db_path: Path) -> None:
    sizes = table_sizes(scaled_db_path)
    total = sum(sizes.values())
    sync = {t: s for t, s in sizes.items() if t.startswith("sync_")}
    business = total - sum(sync.values())
    with sqlite3.connect(f"file:{scaled_db_path}?mode=ro", uri=True) as c:
        heads = c.execute("SELECT COUNT(*) FROM sync_head").fetchone()[0]
        ops, packed = c.execute(
            "SELECT COUNT(*), SUM(typeof(payload) = 'blob') FROM sync_op"
        ).fetchone()
    print(
        f"\nfile {total / MIB:,.1f} MiB ({total / 1e6:,.0f} MB): business data (FTS included) "
        f"{business / MIB:,.1f} MiB, sync_op {sync['sync_op'] / MIB:,.1f} MiB "
        f"({ops:,} ops), sync_head {sync['sync_head'] / MIB:,.1f} MiB ({heads:,} rows), "
        f"other sync tables {(sum(sync.values()) - sync['sync_op'] - sync['sync_head']) / MIB:,.1f}"
        f" MiB; file / business data {total / business:.2f}"
    )
    assert heads <= ops  # at most one row per operation, not one per field
    assert sync["sync_head"] <= 0.15 * business  # was 6 x business
    assert packed >= 0.99 * ops  # payloads stored compressed (was text: 2.5 x business)
    assert total <= 2 * business  # ARCHITECTURE.md: the database <= 2x its business data
