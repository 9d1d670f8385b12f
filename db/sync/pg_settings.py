"""Where the team server is and how to log in (db/sync/pg_hub.py has the overview).

The address without password (`ServerSettings.url`) is what the replica stores as its
`store_path`; the password lives in the OS keyring only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from db.sync.folder_hub import HubError

KEYRING_SERVICE = "Kwaliteitsdialoog"
URL_PREFIXES = ("postgresql://", "postgres://")


def is_server_url(store: str | Path) -> bool:
    return isinstance(store, str) and store.strip().lower().startswith(URL_PREFIXES)


class ServerAddress(str):
    """The server address shown as a hub's `root` (FolderHub.root is a Path). Supports `/` as
    a safety net for code that builds a folder path from `hub.root` (db/sync/snapshot.py now
    checks the hub type first); such paths never exist."""

    def __truediv__(self, other: str) -> PurePosixPath:
        return PurePosixPath("/nonexistent-teamserver-path") / other


# -- connection settings ----------------------------------------------------------------------
@dataclass(frozen=True)
class ServerSettings:
    host: str
    port: int
    database: str
    user: str
    sslmode: str = "prefer"

    @classmethod
    def from_url(cls, url: str) -> ServerSettings:
        try:
            d = conninfo_to_dict(url)
        except psycopg.ProgrammingError as exc:
            raise HubError(f"Het adres van de teamserver is ongeldig: {url}") from exc
        return cls(
            host=str(d.get("host") or "localhost"),
            port=int(d.get("port") or 5432),
            database=str(d.get("dbname") or d.get("user") or ""),
            user=str(d.get("user") or ""),
            sslmode=str(d.get("sslmode") or "prefer"),
        )

    @property
    def url(self) -> str:
        """The address without password (safe to show and to store in settings)."""
        q = "" if self.sslmode == "prefer" else f"?sslmode={self.sslmode}"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.database}{q}"

    @property
    def keyring_name(self) -> str:
        return f"teamserver:{self.user}@{self.host}:{self.port}/{self.database}"


def stored_password(settings: ServerSettings) -> str | None:
    """The teamserver password from the OS keyring (never from a file)."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_name)
    except keyring.errors.KeyringError:
        return None


def store_password(settings: ServerSettings, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, settings.keyring_name, password)


def conninfo(url: str, password: str | None, connect_timeout: int) -> str:
    d = conninfo_to_dict(url)
    if password is None and "password" not in d:
        password = stored_password(ServerSettings.from_url(url))
    if password is not None:
        d["password"] = password
    d.setdefault("connect_timeout", str(connect_timeout))
    d.setdefault("application_name", "Kwaliteitsdialoog")
    return make_conninfo("", **d)


def unreachable(root: str, exc: Exception) -> HubError:
    detail = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
    if "password authentication failed" in str(exc) or "no password supplied" in str(exc):
        return HubError(
            f"Aanmelden bij de teamserver {root} is mislukt. Controleer de "
            "gebruikersnaam en het wachtwoord (Teamserver-instellingen)."
        )
    return HubError(
        f"De teamserver {root} is niet bereikbaar ({detail}). U kunt gewoon "
        "doorwerken; synchroniseer later opnieuw."
    )


def current_server(db: Any) -> ServerSettings | None:
    """The team server this replica syncs with, or None (file share / not configured)."""
    from db.sync.oplog import get_meta

    with db.read_session() as s:
        store = get_meta(s, "store_path") or ""
    return ServerSettings.from_url(store) if is_server_url(store) else None
