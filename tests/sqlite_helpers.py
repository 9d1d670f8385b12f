"""Reading a database file straight with sqlite3, beside the app (what is really on disk)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def count_rows(path: Path | str, table: str) -> int:
    """The number of rows in `table` of the SQLite file at `path` (deleted rows included)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
