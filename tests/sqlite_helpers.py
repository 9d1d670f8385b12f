"""Reading a database file straight with sqlite3, beside the app (what is really on disk)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def count_rows(path: Path | str, table: str) -> int:
    """The number of rows in `table` of the SQLite file at `path` (deleted rows included)."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def traced_database(path: Path | str) -> tuple[Any, list[str]]:
    """A db.engine.Database on `path` and the list every SQL statement it runs is appended to
    (to check which query a use case runs and, with EXPLAIN QUERY PLAN, how)."""
    from sqlalchemy import event

    from db.engine import Database

    statements: list[str] = []
    db = Database(path)
    event.listen(
        db.engine,
        "connect",
        lambda dbapi_conn, _rec: dbapi_conn.set_trace_callback(statements.append),
    )
    return db, statements
