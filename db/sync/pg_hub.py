"""The team server: a PostgreSQL database as the hub, a drop-in for FolderHub.

It stores exactly the bytes the file-share store holds (the signed, encrypted segments of
db/sync/segment.py, the signed store identity, roster entries and invitations), under the same
names, so a store moves between a file share and a server without re-keying
(`kwaliteitsdialoog teamserver migrate --from PATH --to postgresql://...`).

* Segments are keyed by (origin_id, first_seq, last_seq) and pushed with
  `INSERT ... ON CONFLICT DO NOTHING`: a retry after a lost acknowledgement is harmless, the
  same name with other bytes is refused (FileExistsError, exactly like the folder hub).
* Reading goes by origin and per-origin sequence number; there is no global serial a reader
  could page past while an earlier transaction is still uncommitted.
* Members may only INSERT and SELECT (roles, grants and the vier-ogen trigger live in
  db/sync/pg_schema/). Next to a segment that carries review events the client writes
  plaintext review facts (subject, version hash, actor, kind, editors of the version) in the
  same transaction; a trigger refuses an approval by the author or an editor of that version,
  by someone who is not a teamleider, or in someone else's name (the database login role is
  mapped to an app user in `hub_user`).

Connection problems become HubError (identity, listing: the sync refuses and changes nothing)
or OSError (push, read: the engine retries next time). Idempotent operations are retried once
on a fresh connection, so a server restart between two statements costs nothing.

The code is split by concern; this module chooses a hub and re-exports the public names, so
`from db.sync.pg_hub import ...` keeps working:
* db/sync/pg_settings.py: the address, login and keyring (`ServerSettings`, `is_server_url`);
* db/sync/pg_facts.py: the review facts written next to a segment (`ReviewFactSource`, with
  the vier-ogen editors injected);
* db/sync/pg_admin.py: schema upgrade and login roles (`upgrade`, `add_user`);
* db/sync/pg_server.py: the hub itself (`PostgresHub`);
* db/sync/pg_images.py: join images in chunks (schema v0004; optional, see REQUIRED);
* db/sync/pg_migrate.py: moving a folder store to the server (`migrate_store`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.sync.folder_hub import FolderHub, HubError, HubRefused, Listing, SegmentRef
from db.sync.pg_admin import add_user, schema_version, upgrade
from db.sync.pg_facts import EditorsOf, FactSource, ReviewFact, ReviewFactSource, segment_ops
from db.sync.pg_migrate import MigrationResult, migrate_store
from db.sync.pg_schema import LATEST, migrations
from db.sync.pg_server import PostgresHub, segment_name
from db.sync.pg_settings import (
    KEYRING_SERVICE,
    URL_PREFIXES,
    ServerAddress,
    ServerSettings,
    current_server,
    is_server_url,
    store_password,
    stored_password,
)

__all__ = [
    "KEYRING_SERVICE",
    "LATEST",
    "URL_PREFIXES",
    "EditorsOf",
    "FactSource",
    "FolderHub",
    "HubError",
    "HubRefused",
    "Listing",
    "MigrationResult",
    "SegmentRef",
    "migrations",
    "PostgresHub",
    "ReviewFact",
    "ReviewFactSource",
    "ServerAddress",
    "ServerSettings",
    "add_user",
    "current_server",
    "is_server_url",
    "migrate_store",
    "open_hub",
    "point_at_server",
    "schema_version",
    "segment_name",
    "segment_ops",
    "store_password",
    "stored_password",
    "upgrade",
]


# -- choosing a hub ---------------------------------------------------------------------------
def open_hub(
    store: str | Path, *, facts: FactSource | None = None, password: str | None = None
) -> FolderHub | PostgresHub:
    """FolderHub for a folder path, PostgresHub for a `postgresql://user@host:port/db` URL.
    With `facts` (a ReviewFactSource) the PostgresHub writes the review facts of its pushes
    (needed for approvals to be accepted by the server). The service layer's
    `desktop.services.sync.open_hub(store, db=..., team_keys=...)` builds them."""
    if is_server_url(store):
        return PostgresHub(str(store).strip(), password=password, facts=facts)
    return FolderHub(Path(store).expanduser())


def point_at_server(db: Any, hub: PostgresHub) -> str:
    """Let the replica `db` sync with the server from now on. Allowed only when the server
    holds the very store this database is pinned to (nothing changes otherwise)."""
    from db.errors import RuleViolation
    from db.sync.oplog import get_meta, set_meta

    identity = hub.read_identity()
    with db.write_session() as s, s.begin():
        pinned = get_meta(s, "hub_id")
        if not pinned:
            raise RuleViolation(
                "Deze database is nog niet aan een gedeelde opslag gekoppeld. "
                "Sluit eerst aan met een uitnodiging van uw teamleider."
            )
        if pinned != identity["hub_id"]:
            raise RuleViolation(
                "Op deze teamserver staat een andere gedeelde opslag dan waarmee "
                "deze database synchroniseert. Er is niets gewijzigd."
            )
        set_meta(s, "store_path", hub.root)
    return hub.root
