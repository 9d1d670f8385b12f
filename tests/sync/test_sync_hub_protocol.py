"""The sync engine needs only the `Hub` protocol (db/sync/hub_protocol.py).

A hub kept in memory that has the protocol's methods and nothing else (`__slots__`: no `fs`, no
`clean_tmp`, no folder `root`) carries a real push and pull between two real SQLite replicas.
An engine that reached for a FolderHub-only attribute would fail here with AttributeError.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any, BinaryIO

from sync_helpers import add_provider, edit_provider, provider, state_digest, team_copy

from db.sync import engine
from db.sync.folder_hub import FolderHub, HubError, Listing, SegmentRef, segment_name
from db.sync.hub_protocol import Hub
from desktop.services import sync as svc

_SEGMENT = re.compile(r"^ops/([0-9a-f-]{36})/(\d{12})-(\d{12})(?:~\d{1,2})?\.seg$")


class MemoryHub:
    """Exactly the Hub protocol over a dict of write-once files."""

    __slots__ = ("root", "files")

    def __init__(self, files: dict[str, bytes]) -> None:
        self.root = "geheugen"
        self.files = dict(files)

    @classmethod
    def copy_of(cls, folder: Path) -> MemoryHub:
        return cls(
            {
                p.relative_to(folder).as_posix(): p.read_bytes()
                for p in folder.rglob("*")
                if p.is_file()
            }
        )

    def read_identity(self) -> dict[str, Any]:
        if "hub.json" not in self.files:
            raise HubError("In het geheugen staat geen gedeelde opslag.")
        doc: dict[str, Any] = json.loads(self.files["hub.json"])
        return doc

    def hub_id(self) -> str:
        return str(self.read_identity()["hub_id"])

    def create(self, identity: dict[str, Any]) -> None:
        if "hub.json" in self.files:
            raise HubError("Er staat al een gedeelde opslag.")
        self.put_file("hub.json", json.dumps(identity).encode())

    def roster_documents(self) -> list[dict[str, Any]]:
        return [
            json.loads(v)
            for k, v in self.files.items()
            if k.startswith("roster/") and k.endswith(".json")
        ]

    def invite_documents(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (k.rsplit("/", 1)[-1], json.loads(v))
            for k, v in self.files.items()
            if k.startswith("invites/") and k.endswith(".inv")
        ]

    def put_file(self, name: str, data: bytes) -> str:
        if name in self.files:
            if self.files[name] == data:
                return "exists"
            raise FileExistsError(name)
        self.files[name] = data
        return "written"

    def push(self, origin: str, first: int, last: int, data: bytes, attempt: int = 1) -> str:
        return self.put_file(segment_name(origin, first, last, attempt), data)

    def list_segments(self) -> Listing:
        segments = []
        for name, data in self.files.items():
            m = _SEGMENT.match(name)
            if m:
                segments.append(
                    SegmentRef(name, m.group(1), int(m.group(2)), int(m.group(3)), len(data))
                )
        segments.sort(key=lambda r: (r.origin, r.first, r.last))
        return Listing(segments, [])

    # Derived from list_segments alone, exactly as the folder store derives them.
    heads = FolderHub.heads
    pull = FolderHub.pull

    def read(self, name: str) -> bytes:
        try:
            return self.files[name]
        except KeyError:
            raise FileNotFoundError(name) from None

    def has_file(self, name: str) -> bool:
        return name in self.files

    # Join images (issue 18 item 2): write-once files under images/, read as a stream.
    def images_available(self) -> bool:
        return True

    def put_image(self, name: str, path: Path) -> str:
        return self.put_file(name, path.read_bytes())

    def list_images(self) -> list[str]:
        return sorted(k for k in self.files if k.startswith("images/") and k.endswith(".img"))

    def open_image(self, name: str) -> BinaryIO:
        return io.BytesIO(self.read(name))

    def fetch_image(self, name: str, target: Path) -> None:
        target.write_bytes(self.read(name))


def test_the_engine_pushes_and_pulls_through_any_hub(tmp_path: Path) -> None:
    store, (a, b) = team_copy(tmp_path, 2)
    hub = MemoryHub.copy_of(store)
    assert isinstance(hub, Hub)
    on_disk = sorted(p.name for p in store.rglob("*.seg"))

    pid = add_provider(a, "Zorggroep Geheugen", place="Zwolle")
    pushed = engine.sync(a.db, hub, svc.load_keys(a.db))
    assert pushed.pushed_ops > 0 and pushed.problems == []
    pulled = engine.sync(b.db, hub, svc.load_keys(b.db))
    assert pulled.pulled_ops >= pushed.pushed_ops and pulled.quarantined == 0
    assert provider(b, pid).place == "Zwolle"

    edit_provider(b, pid, place="Assen")
    for r in (b, a, b):
        engine.sync(r.db, hub, svc.load_keys(r.db))
    assert provider(a, pid).place == "Assen"
    assert state_digest(a.path) == state_digest(b.path)
    assert sorted(p.name for p in store.rglob("*.seg")) == on_disk  # the folder saw nothing


# Every public name db/sync/pg_hub.py had before it was split (pg_server, pg_settings, pg_facts,
# pg_admin, pg_migrate): callers keep importing them from db.sync.pg_hub.
PG_HUB_NAMES = """
EditorsOf FactSource FolderHub HubError HubRefused KEYRING_SERVICE LATEST Listing
MigrationResult PostgresHub ReviewFact ReviewFactSource SegmentRef ServerAddress
ServerSettings URL_PREFIXES add_user current_server is_server_url migrate_store migrations
open_hub point_at_server schema_version segment_name segment_ops store_password
stored_password upgrade
""".split()


def test_pg_hub_keeps_its_public_names() -> None:
    from db.sync import pg_hub, pg_migrate, pg_server

    assert [n for n in PG_HUB_NAMES if not hasattr(pg_hub, n)] == []
    assert sorted(pg_hub.__all__) == sorted(PG_HUB_NAMES)
    assert pg_hub.PostgresHub is pg_server.PostgresHub
    assert pg_hub.migrate_store is pg_migrate.migrate_store
