"""Open a local database: create, check the schema version, back up and upgrade.

The version check reads `alembic_version` with the plain sqlite3 module, so the common case
(database already at head) costs a millisecond and does not import Alembic.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from db.errors import DatabaseOpenError
from db.migrations import HEAD, REVISIONS

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"


def _user_tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return {r[0] for r in rows}


def inspect_revision(path: Path) -> str | None:
    """The schema revision of an existing file; None for a new/empty database.

    Raises DatabaseOpenError for files that are not (our) SQLite databases.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with path.open("rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise DatabaseOpenError(
            f"Het databasebestand {path} kan niet worden gelezen ({exc.strerror}). "
            "Controleer of u rechten op dit bestand hebt."
        ) from exc
    if magic != SQLITE_MAGIC:
        raise DatabaseOpenError(
            f"{path} is geen Kwaliteitsdialoog-database. Kies een ander bestand of een nieuwe naam."
        )
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = _user_tables(conn)
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise DatabaseOpenError(
                    f"{path} is een SQLite-bestand van een ander programma, geen "
                    "Kwaliteitsdialoog-database. Er is niets gewijzigd."
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(
            f"{path} is beschadigd of geen database ({exc}). Zet een reservekopie terug "
            "of kies een ander bestand."
        ) from exc
    return row[0] if row else None


def backup(path: Path, revision: str) -> Path:
    """Consistent copy (sqlite3 backup API) next to the database, before any upgrade."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix or '.sqlite'}")
    src = sqlite3.connect(str(path))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    log.info("backup of %s (schema %s) written to %s", path, revision, target)
    return target


def _alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return cfg


def _create_fresh(path: Path) -> None:
    from sqlmodel import SQLModel

    import db.sync.models  # noqa: F401
    from db.engine import make_engine
    from db.models import load_all

    load_all()  # every table, index and trigger on the metadata

    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            SQLModel.metadata.create_all(conn)
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS alembic_version "
                "(version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
            )
            conn.exec_driver_sql("DELETE FROM alembic_version")
            conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{HEAD}')")
    finally:
        engine.dispose()


def upgrade_in_place(path: Path) -> None:
    """Run the migrations on `path` without a backup first: only for a file that is itself a
    copy (a join image on its way in, db/sync/image.py). `prepare` backs up, then calls this."""
    from alembic import command

    from db.engine import make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


# An upgrade that leaves more than this share of the file free (a table rewritten smaller, as
# 0008 does with the sync heads) is followed by a VACUUM, so the file shrinks with it.
COMPACT_FREE_SHARE = 0.25
# Revisions that rewrite rows smaller in place (0012: the op payloads compressed): the space
# they free is spread over half-empty pages, not free pages, so an upgrade through them always
# ends with a VACUUM.
COMPACT_AFTER = ("0012",)


def _compact(path: Path, force: bool = False) -> bool:
    """VACUUM after an upgrade that freed much of the file (or `force`). Returns whether it
    ran."""
    conn = sqlite3.connect(str(path))
    try:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        if not pages or (free <= pages * COMPACT_FREE_SHARE and not force):
            return False
        conn.execute("VACUUM")
        log.info("compacted %s after the upgrade (%d of %d pages were free)", path, free, pages)
        return True
    finally:
        conn.close()


# Test hook (tests/test_first_start.py): stop between creating the schema and seeding it, so
# a test can kill the process there and prove that the next start recovers.
HOLD_AFTER_CREATE_ENV = "KWALITEITSDIALOOG_TEST_HOLD_AFTER_CREATE"


def _remove_with_journal(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def _create(path: Path, seed: Callable[[Path], object] | None) -> None:
    """A new database: schema and seed (reference data) are written to `<name>.new` and the
    file is renamed into place only when both are complete, so a process killed half-way
    leaves no database that looks finished but lacks its reference data."""
    fresh = not path.exists()
    target = path.with_name(path.name + ".new") if fresh else path
    if fresh:
        _remove_with_journal(target)  # left by a start that was killed half-way
    _create_fresh(target)
    if os.environ.get(HOLD_AFTER_CREATE_ENV):
        sys.stderr.write(f"schema created in {target}\n")
        sys.stderr.flush()
        time.sleep(120)
    if seed is not None:
        seed(target)
    if fresh:
        os.replace(target, path)


def prepare(path: Path, seed: Callable[[Path], object] | None = None) -> str:
    """Make `path` a database at the head schema. Returns what happened:
    'created', 'current' or 'upgraded'. Refuses foreign and newer databases and empty
    (0-byte) files. `seed(path)` fills a new database (reference data) before it is put in
    place."""
    path = Path(path)
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(
                f"De map {path.parent} bestaat niet en kan niet worden aangemaakt "
                f"({exc.strerror}). Kies een andere plek voor de database."
            ) from exc
    if path.exists() and path.is_file() and path.stat().st_size == 0:
        raise DatabaseOpenError(
            f"Het databasebestand {path} is leeg (0 bytes). Dat is geen bruikbare database: "
            "misschien is het kopiëren of opslaan mislukt. Zet een reservekopie terug, of "
            "verwijder of hernoem het lege bestand; dan maakt het programma een nieuwe "
            "database aan. Er is niets gewijzigd."
        )
    revision = inspect_revision(path)
    if revision is None:
        try:
            _create(path, seed)
        except DatabaseOpenError:
            raise
        except Exception as exc:  # sqlite3/SQLAlchemy errors: read-only folder, disk full
            raise DatabaseOpenError(
                f"De database {path} kan niet worden aangemaakt ({exc}). "
                "Controleer of de map schrijfbaar is."
            ) from exc
        return "created"
    if revision == HEAD:
        return "current"
    if revision not in REVISIONS:
        raise DatabaseOpenError(
            f"Deze database ({path}) is gemaakt met een nieuwere versie van Kwaliteitsdialoog "
            f"(schemaversie {revision}). Installeer de nieuwste versie van het programma; "
            "de database is niet gewijzigd."
        )
    saved = backup(path, revision)
    try:
        upgrade_in_place(path)
    except Exception as exc:  # a migration that fails: the transaction is rolled back
        log.exception("schema upgrade of %s from %s failed", path, revision)
        raise DatabaseOpenError(
            f"Het bijwerken van de database {path} naar de nieuwe versie is mislukt "
            f"({type(exc).__name__}). Vooraf is een reservekopie gemaakt: {saved}. Neem contact "
            "op met de functioneel beheerder en stuur het logbestand mee; werk tot dan niet "
            "verder in deze database."
        ) from exc
    passed = REVISIONS[REVISIONS.index(revision) + 1 :]
    try:
        _compact(path, force=any(r in passed for r in COMPACT_AFTER))
    except sqlite3.Error:  # disk full: the upgraded database works, only larger than it needs
        log.warning("compacting %s after the upgrade failed", path, exc_info=True)
    return "upgraded"
