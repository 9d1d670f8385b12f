"""Opening the local database: create, upgrade (after a backup), load reference data."""

from __future__ import annotations

import logging
from pathlib import Path

from db.migrate import prepare

log = logging.getLogger(__name__)


def open_database(path: Path | str):  # type: ignore[no-untyped-def]
    """Prepare `path` (create/upgrade) and return a db.engine.Database.

    Raises db.errors.DatabaseOpenError with a Dutch message when the file cannot be used.
    """
    from db.engine import Database
    from desktop.services.reference import load_reference_data

    path = Path(path).expanduser()
    outcome = prepare(path)
    db = Database(path)
    if outcome != "current":
        load_reference_data(db)
    log.info("database %s: %s", path, outcome)
    return db
