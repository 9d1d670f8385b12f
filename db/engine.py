"""SQLite engine with the pragmas of ARCHITECTURE.md on every connection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from db.sync import stored

PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",
    # 8 MiB page cache (default 2 MiB; grows only as pages are read): the Kwaliteitsplannen list
    # at 3x reads ~7 MiB of indexes and plan rows, and with 2 MiB every load read them again
    # from the file, ~25 ms of system time per load (issue 18).
    "PRAGMA cache_size=-8192",
)


def _every_table_before_flush(session, flush_context, instances) -> None:  # type: ignore[no-untyped-def]
    """db.models loads a table module on first use, but a flush orders the tables by their
    foreign keys, and every table a foreign key names must then be known (a diagnosis note
    names budget_request): the first flush of a process loads them all (~0.1 s, once)."""
    from db.models import load_all

    load_all()


event.listen(OrmSession, "before_flush", _every_table_before_flush)


def _install_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy (not the sqlite3 module) decide where transactions begin, so that
        # BEGIN IMMEDIATE is possible for writes (no lock upgrade deadlock between processes).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cur.execute(pragma)
        cur.close()
        stored.register(dbapi_conn)  # op_json(payload): stored op payloads as JSON in SQL

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
    )
    _install_pragmas(engine)
    return engine


class Database:
    """One local SQLite database file. Services open sessions on it per unit of work."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.engine = make_engine(self.path)
        self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    def read_session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def write_session(self) -> Session:
        return Session(self._write_engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"
