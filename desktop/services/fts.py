"""The query helpers of the read paths: the user's text as a safe FTS5 query and the markers
SQLite's snippet() puts around the matched words (shared by the global search, search.py, and
the search in documents, documents/search.py), and the optional filters of a list or search
query as one WHERE clause."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from desktop.services.themes import connect_ro, db_file

HL_START, HL_END = "\x02", "\x03"

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str:
    """User text -> a safe FTS5 query: every word must occur (prefix match), "quoted phrases"
    stay phrases. FTS syntax characters in the text are neutralised."""
    parts = []
    for phrase, word in _TOKEN.findall(text or ""):
        if phrase:
            words = re.findall(r"\w+", phrase)
            if words:
                parts.append('"' + " ".join(words) + '"')
        else:
            for w in re.findall(r"\w+", word):
                parts.append(f'"{w}"*')
    return " ".join(parts)


def plain_snippet(snippet: str) -> str:
    """Matches between [ and ] (CLI, JSON)."""
    return snippet.replace(HL_START, "[").replace(HL_END, "]")


def fetch_matches(db: Any, sql: str, args: list[Any]) -> list[Any] | None:
    """The rows of an FTS query, read-only; None when SQLite refuses the query text (a
    pathological query: no hits, not a crash)."""
    conn = connect_ro(db)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return None
    finally:
        conn.close()


def fts_search(
    db: Any,
    text: str,
    match_on: str,
    filters: Sequence[tuple[str, Any]],
    sql: Callable[[str], str],
    limit: int,
) -> list[Any] | None:
    """Up to `limit` + 1 rows of a full-text search (one more tells there are more hits):
    `match_on` (such as "search_fts MATCH ?") with the user's text as a safe FTS5 query, AND
    the filters that are set (`sql_where`), put into `sql(where)`, which ends in `LIMIT ?`.
    None when the text holds no words or SQLite refuses it: no hits, not a crash."""
    match = fts_query(text)
    if not match:
        return None
    where, args = sql_where((match_on, match), *filters)
    return fetch_matches(db, sql(where), [*args, limit + 1])


def sql_where(*filters: tuple[str, Any]) -> tuple[str, list[Any]]:
    """(condition, value) pairs -> the conditions joined with AND, and their `?` arguments.
    A filter counts only when its value is set (truthy); True adds the condition without an
    argument, a tuple fills several `?`, a date is passed as its ISO text."""
    where: list[str] = []
    args: list[Any] = []
    for condition, value in filters:
        if not value:
            continue
        where.append(condition)
        if value is not True:
            for arg in value if isinstance(value, tuple) else (value,):
                args.append(arg.isoformat() if isinstance(arg, date) else arg)
    return " AND ".join(where), args


def rebuild_derived(db: Any, ddl: Sequence[str], rebuild: Sequence[str], table: str) -> int:
    """Rebuild a table derived from the others (the search index, the current ratings) after a
    bulk import or restore: create it where missing (`ddl`, also for databases made before it
    existed), refill it (`rebuild`) in one transaction; the number of rows in `table`."""
    conn = sqlite3.connect(str(db_file(db)))
    try:
        with conn:
            for stmt in (*ddl, *rebuild):
                conn.execute(stmt)
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
