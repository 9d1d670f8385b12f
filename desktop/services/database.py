"""Opening the local database: create, upgrade (after a backup), load reference data."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from db.migrate import prepare

log = logging.getLogger(__name__)

# A database is usable only with these reference tables filled (resources/reference).
REFERENCE_TABLES = ("theme", "region", "care_office")


def seed_reference_data(path: Path) -> None:
    """`prepare`'s seed: load the reference data into a newly created database file."""
    from db.engine import Database
    from desktop.services.reference import load_reference_data

    db = Database(path)
    try:
        load_reference_data(db)
    finally:
        db.dispose()


def prepare_database(path: Path | str) -> str:
    """Create (with reference data) or upgrade `path`; see db.migrate.prepare."""
    return prepare(Path(path).expanduser(), seed=seed_reference_data)


def reference_data_missing(path: Path) -> bool:
    """True when a reference table is empty: a database created by a start that was killed
    half-way, or by a version that forgot to load it. One cheap sqlite3 query."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = " AND ".join(f"EXISTS (SELECT 1 FROM {t})" for t in REFERENCE_TABLES)
        return not conn.execute(f"SELECT {query}").fetchone()[0]
    except sqlite3.OperationalError:  # a table is missing altogether
        return True
    finally:
        conn.close()


def open_database(path: Path | str):  # type: ignore[no-untyped-def]
    """Prepare `path` (create/upgrade) and return a db.engine.Database whose reference data
    is complete: it is loaded whenever it is missing, not only when the file was created.

    Raises db.errors.DatabaseOpenError with a Dutch message when the file cannot be used.
    """
    from db.engine import Database

    path = Path(path).expanduser()
    outcome = prepare_database(path)
    db = Database(path)
    from db.sync.bulk import restore_derived

    if restore_derived(db):  # a new laptop's join was killed half-way (db/sync/bulk.py)
        log.info("derived tables of %s rebuilt after an interrupted join", path)
    if outcome == "upgraded" or reference_data_missing(path):
        from desktop.services.reference import load_reference_data

        added = load_reference_data(db)
        log.info("reference data loaded into %s: %s", path, added)
    log.info("database %s: %s", path, outcome)
    return db
