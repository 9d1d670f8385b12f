"""The hub interface both stores implement (db/sync/folder_hub.py FolderHub, the file share;
db/sync/pg_hub.py PostgresHub, the team server). The sync engine only needs this.

Semantics shared by both:
* `push` / `put_file` publish write-once: "written", "exists" (the same bytes were already
  there: a retry after a lost acknowledgement) or FileExistsError (other bytes: never
  overwritten);
* segment names are `ops/<origin>/<first:012>-<last:012>[~attempt].seg` in both hubs;
* `has_file` answers whether a write-once file (a document blob, issue 20) is there by its
  name alone, without reading it: an upload of a blob a colleague already put there costs one
  lookup, not a download of the whole encrypted file;
* join images (issue 18 item 2, db/sync/hub_images.py): `put_image(name, path)` publishes a
  local file write-once (streamed), `list_images()` names them, `open_image(name)` /
  `fetch_image(name, target)` read one streamed; a team server without them lists none;
* `read_identity` / `list_segments` raise HubError (Dutch message, nothing changed) when the
  store cannot be used; `push` / `read` raise OSError for a temporary failure (retry later).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol, runtime_checkable

from db.sync.folder_hub import Listing, SegmentRef

if TYPE_CHECKING:
    from db.sync.folder_hub import FolderHub
    from db.sync.pg_server import PostgresHub


@runtime_checkable
class Hub(Protocol):
    root: Any  # shown in messages (a folder path or a server address without password)

    def read_identity(self) -> dict[str, Any]: ...

    def hub_id(self) -> str: ...

    def create(self, identity: dict[str, Any]) -> None: ...

    def roster_documents(self) -> list[dict[str, Any]]: ...

    def invite_documents(self) -> list[tuple[str, dict[str, Any]]]: ...

    def put_file(self, name: str, data: bytes) -> str: ...

    def push(self, origin: str, first: int, last: int, data: bytes, attempt: int = 1) -> str: ...

    def list_segments(self) -> Listing: ...

    def heads(self) -> dict[str, int]: ...

    def pull(self, origin: str, from_seq: int) -> list[SegmentRef]: ...

    def read(self, name: str) -> bytes: ...

    def has_file(self, name: str) -> bool: ...

    def images_available(self) -> bool: ...

    def put_image(self, name: str, path: Path) -> str: ...

    def list_images(self) -> list[str]: ...

    def open_image(self, name: str) -> BinaryIO: ...

    def fetch_image(self, name: str, target: Path) -> None: ...


if TYPE_CHECKING:

    def _both_stores_are_hubs(folder: FolderHub, server: PostgresHub) -> tuple[Hub, Hub]:
        """Checked by mypy (tests/test_types.py): both stores have every method the engine
        calls, with the protocol's signatures."""
        return folder, server
