"""Join images in a shared folder (issue 18 item 2): the small image API both hubs offer,
FolderHub's side (the team server's is db/sync/pg_images.py).

* `put_image(name, path)` publishes the local file `path` under `name` (`images/<sha256>.img`)
  write-once, streamed: "written", "exists" (the same bytes are there) or FileExistsError;
* `list_images()` the names of the store's images;
* `open_image(name)` a binary stream to read one (the reader checks everything it reads);
* `fetch_image(name, target)` copies one to a local file, streamed.
The image bytes are the same in both stores (db/sync/image.py reads them, image_make.py
makes them), so a store moves between a folder and a server with its images.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

IMAGES = "images"
BLOCK = 1 << 20

if TYPE_CHECKING:
    from db.sync.folder_hub import LocalFS


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def fetch_to(stream: BinaryIO, target: Path) -> None:
    """Copy an open image stream to a new local file (fsynced)."""
    with stream, target.open("xb") as out:
        shutil.copyfileobj(stream, out, BLOCK)
        out.flush()
        os.fsync(out.fileno())


class FolderImages:
    """Mixin of FolderHub: images as files `images/<name>.img` in the shared folder."""

    root: Path
    fs: LocalFS

    def images_available(self) -> bool:
        return True

    def list_images(self) -> list[str]:
        folder = self.root / IMAGES
        try:
            entries = self.fs.listdir(folder) if self.fs.exists(folder) else []
        except OSError:
            return []
        return sorted(f"{IMAGES}/{e.name}" for e in entries if e.name.endswith(".img"))

    def open_image(self, name: str) -> BinaryIO:
        return (self.root / name).open("rb")

    def fetch_image(self, name: str, target: Path) -> None:
        fetch_to(self.open_image(name), target)

    def put_image(self, name: str, path: Path) -> str:
        """Write-once, like every file in the store: temp file, fsync, link to the final name,
        read back."""
        self.fs.makedirs(self.root / "tmp")
        self.fs.makedirs(self.root / IMAGES)
        tmp = self.root / "tmp" / f"{uuid.uuid4().hex}.tmp"
        want = file_sha256(path)
        final = self.root / name
        try:
            with open(tmp, "xb") as out, path.open("rb") as src:
                shutil.copyfileobj(src, out, BLOCK)
                out.flush()
                os.fsync(out.fileno())
            result = "written"
            try:
                self.fs.publish(tmp, final)
            except FileExistsError:
                result = "exists"
            if file_sha256(final) != want:
                if result == "exists":
                    raise FileExistsError(name)
                raise OSError(errno.EIO, f"teruglezen van {name} gaf andere inhoud")
            return result
        finally:
            with suppress(FileNotFoundError):
                tmp.unlink()
