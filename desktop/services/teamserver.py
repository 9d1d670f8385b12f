"""Team server (PostgreSQL hub) use cases under the Teamserver dialog and the CLI: the settings
of this replica, testing a server, pointing the replica at it, one sync round with it. The UI
calls these on the database worker; it never drives `db.sync.pg_hub` itself
(tests/test_layering.py)."""

from __future__ import annotations

from typing import Any

from common.progress import Progress
from db.engine import Database
from db.sync import pg_hub
from db.sync.oplog import get_meta
from desktop.services import keys as keystore
from desktop.services import sync as svc

DEFAULTS: dict[str, Any] = {
    "host": "",
    "port": 5432,
    "database": "kwaliteitsdialoog",
    "user": "",
    "sslmode": "require",
    "has_password": False,
}


def server_url(host: str, port: int, database: str, user: str, sslmode: str) -> str:
    """The `postgresql://` address of a team server (no password in it)."""
    return pg_hub.ServerSettings(host, port, database, user, sslmode).url


def load_settings(db: Database) -> dict[str, Any]:
    """The server this replica syncs with (or the defaults), and whether a password is stored."""
    current = pg_hub.current_server(db)
    if current is None:
        return dict(DEFAULTS)
    return {
        "host": current.host,
        "port": current.port,
        "database": current.database,
        "user": current.user,
        "sslmode": current.sslmode,
        "has_password": bool(pg_hub.stored_password(current)),
    }


def check_server(url: str, password: str | None) -> str:
    """Connect once; the store id on the server (raises a Dutch error when unreachable)."""
    with pg_hub.PostgresHub(url, password=password or None, connect_timeout=5) as hub:
        return hub.hub_id()


def save_settings(db: Database, url: str, password: str | None) -> str:
    """Point this replica at the server (only if it holds this replica's store); keep the
    password in the OS keyring."""
    if password:
        keystore.require_backend()
    with pg_hub.PostgresHub(url, password=password or None, connect_timeout=5) as hub:
        root = pg_hub.point_at_server(db, hub)
    if password:
        pg_hub.store_password(pg_hub.ServerSettings.from_url(url), password)
    return root


def current_url(db: Database) -> str:
    with db.read_session() as s:
        return get_meta(s, "store_path") or ""


def sync_with_server(
    db: Database, url: str | None = None, progress: Progress | None = None
) -> svc.SyncSummary:
    """One sync round with the team server at `url` (default: the one this replica uses),
    pushing the review facts the server needs for the vier-ogen rule."""
    url = current_url(db) if url is None else url
    keys = svc.load_keys(db)
    hub = svc.open_hub(url, db=db, team_keys=keys.team_keys)
    try:
        return svc.sync_now(db, progress=progress, hub=hub)
    finally:
        close = getattr(hub, "close", None)
        if close:
            close()
