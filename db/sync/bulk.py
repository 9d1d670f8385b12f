"""A new laptop's first pull in bulk (issue 18 item 2), beside db/sync/engine.py.

Joining a store made from a large database applies every operation once. Each segment is still
opened, verified and judged exactly as in any pull (signature, signer = author, baselines,
review steps: engine._apply_segment); only the way the rows reach the file changes:

* the derived tables (the search index `search_fts`, the current ratings `theme_current` and
  the latest review steps `review_latest`)
  are not kept up to date row by row by their triggers but rebuilt once at the end. The
  triggers are dropped in a transaction that also records `derived_stale` in sync_meta; if the
  join is killed half-way, the next sync or the next start (`restore_derived`) recreates them
  and rebuilds, so a crash never leaves a stale index behind;
* the applies run on their own connection with relaxed durability (synchronous=NORMAL: a crash
  of the machine may lose the last segments, never corrupt; they are pulled again next time)
  and a larger page cache; the app's connections keep their settings;
* the app's long-lived objects are frozen out of the cyclic garbage collector (gc.freeze):
  an apply allocates many small containers, and every full collection would walk the whole
  heap again.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from db.engine import Database
from db.sync.oplog import get_meta, set_meta

DERIVED_META = "derived_stale"
# Only worth it when there is much to apply: below this a pull stays on the usual path.
BULK_FROM_SEGMENTS = 2
CACHE_KIB = 16 * 1024

_BULK_PRAGMAS = (
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA cache_size=-{CACHE_KIB}",
)


def _derived_ddl() -> tuple[str, ...]:
    from db.models.quality import CURRENT_DDL, SEARCH_DDL
    from db.models.review_latest import LATEST_DDL

    return (*SEARCH_DDL, *CURRENT_DDL, *LATEST_DDL)


def _derived_triggers() -> list[str]:
    return [
        m.group(1)
        for ddl in _derived_ddl()
        for m in [re.search(r"CREATE TRIGGER IF NOT EXISTS (\w+)", ddl)]
        if m
    ]


def restore_derived(db: Database) -> bool:
    """Recreate the derived tables' triggers and rebuild the tables when a bulk pull left them
    stale (killed half-way). Returns whether it did. Every start asks; the table modules are
    imported only when there is something to restore (db.models loads them on first use)."""
    with db.read_session() as s:
        if get_meta(s, DERIVED_META) is None:
            return False
    from db.models.quality import CURRENT_REBUILD_SQL, SEARCH_REBUILD_SQL
    from db.models.review_latest import LATEST_REBUILD_SQL

    with db.write_session() as s, s.begin():
        if get_meta(s, DERIVED_META) is None:
            return False
        raw: Any = s.connection().connection.driver_connection
        for ddl in _derived_ddl():
            raw.execute(ddl)
        for stmt in (*SEARCH_REBUILD_SQL, *CURRENT_REBUILD_SQL, *LATEST_REBUILD_SQL):
            raw.execute(stmt)
        s.execute(text("DELETE FROM sync_meta WHERE key = :k"), {"k": DERIVED_META})
    return True


@contextmanager
def first_pull(db: Database) -> Iterator[Database]:
    """The database to apply a first pull to: the same file on its own tuned connection, with
    the derived tables' triggers off until the end (see the module docstring)."""
    fast = Database(db.path)

    @event.listens_for(fast.engine, "connect")
    def _tune(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        for pragma in _BULK_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    with fast.write_session() as s, s.begin():
        for name in _derived_triggers():
            s.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        set_meta(s, DERIVED_META, "1")
    gc.freeze()  # the app's long-lived objects leave the collector's full passes
    try:
        yield fast
    finally:
        gc.unfreeze()
        try:
            restore_derived(fast)
        finally:
            fast.dispose()
