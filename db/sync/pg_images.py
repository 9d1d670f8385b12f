"""Join images on the team server (schema v0004, db/sync/pg_schema/): the image API of
db/sync/hub_images.py for PostgresHub. An image is a `hub_image` row and its `hub_image_chunk`
rows (CHUNK_BYTES each, the last shorter), inserted in one transaction (write-once, the same
name with other bytes is refused) and read back chunk by chunk, so no side holds a whole
image in memory. A server without v0004 has no images: `list_images` is empty and the join
takes the segments."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar, cast

import psycopg

from db.sync.folder_hub import HubError, HubRefused
from db.sync.hub_images import fetch_to, file_sha256

IMAGE_VERSION = 4  # the server schema version that holds images
CHUNK_BYTES = 4 << 20
T = TypeVar("T")

if TYPE_CHECKING:
    from db.sync.pg_settings import ServerAddress


class PgImages:
    """Mixin of PostgresHub (which provides `_run` and `server_version`)."""

    root: ServerAddress

    if TYPE_CHECKING:

        def _run(self, fn: Callable[[psycopg.Connection], T], *, as_os_error: bool) -> T: ...

        def server_version(self) -> int: ...

    def images_available(self) -> bool:
        return self.server_version() >= IMAGE_VERSION

    def list_images(self) -> list[str]:
        if not self.images_available():
            return []
        rows = self._run(
            lambda c: c.execute("SELECT name FROM hub_image ORDER BY name").fetchall(),
            as_os_error=True,
        )
        return [str(r[0]) for r in rows]

    def open_image(self, name: str) -> BinaryIO:
        row = None
        if self.images_available():
            row = self._run(
                lambda c: c.execute(
                    "SELECT size, chunk_size FROM hub_image WHERE name = %s", (name,)
                ).fetchone(),
                as_os_error=True,
            )
        if row is None:
            raise FileNotFoundError(name)
        raw = _ChunkReader(self, name, int(row[0]), int(row[1]))
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=1 << 20))

    def fetch_image(self, name: str, target: Path) -> None:
        fetch_to(self.open_image(name), target)

    def put_image(self, name: str, path: Path) -> str:
        if not self.images_available():
            raise HubError(
                "De teamserver kent nog geen aansluitbestanden. Vraag de beheerder "
                "'kwaliteitsdialoog teamserver upgrade' uit te voeren; nieuwe collega's "
                "sluiten tot dan wijziging voor wijziging aan."
            )
        size = path.stat().st_size
        sha = bytes.fromhex(file_sha256(path))
        chunks = max(1, -(-size // CHUNK_BYTES))

        def go(c: psycopg.Connection) -> str:
            cur = c.execute(
                "INSERT INTO hub_image (name, size, chunk_size, chunks, sha256) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (name) DO NOTHING",
                (name, size, CHUNK_BYTES, chunks, sha),
            )
            if cur.rowcount != 1:
                row = c.execute("SELECT sha256 FROM hub_image WHERE name = %s", (name,)).fetchone()
                return "exists" if row and bytes(row[0]) == sha else "conflict"
            with path.open("rb") as fh:
                for i in range(chunks):
                    c.execute(
                        "INSERT INTO hub_image_chunk (name, idx, data) VALUES (%s, %s, %s)",
                        (name, i, fh.read(CHUNK_BYTES)),
                    )
            n, total = c.execute(
                "SELECT COUNT(*), COALESCE(SUM(length(data)), 0) FROM hub_image_chunk "
                "WHERE name = %s",
                (name,),
            ).fetchone() or (0, 0)
            if n != chunks or total != size:  # the file changed while it was read
                raise OSError(f"{name}: {total} van {size} bytes geschreven")
            return "written"

        try:
            result = self._run(go, as_os_error=True)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise HubRefused(
                "De teamserver weigert dit aansluitbestand: alleen de eigenaar van de gedeelde "
                "opslag mag er een plaatsen."
            ) from exc
        if result == "conflict":
            raise FileExistsError(name)
        return result

    def _chunk(self, name: str, idx: int) -> bytes:
        row = self._run(
            lambda c: c.execute(
                "SELECT data FROM hub_image_chunk WHERE name = %s AND idx = %s",
                (name, idx),
                binary=True,
            ).fetchone(),
            as_os_error=True,
        )
        return bytes(row[0]) if row else b""


class _ChunkReader(io.RawIOBase):
    """A seekable stream over an image's chunks, one chunk in memory at a time. A missing or
    short chunk ends the stream early (the reader then finds the image cut short)."""

    def __init__(self, hub: PgImages, name: str, size: int, chunk_size: int) -> None:
        self._hub, self._name, self._size, self._cs = hub, name, size, chunk_size
        self._pos, self._idx, self._data = 0, -1, b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + pos)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        idx = self._pos // self._cs
        if idx != self._idx:
            self._data, self._idx = b"", -1
            self._data, self._idx = self._hub._chunk(self._name, idx), idx
        off = self._pos - idx * self._cs
        n = min(len(buffer), len(self._data) - off, self._size - self._pos)
        if n <= 0:
            return 0
        view = memoryview(buffer).cast("B")
        view[:n] = self._data[off : off + n]
        self._pos += n
        return n
