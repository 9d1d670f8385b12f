"""Content-addressed storage of document bytes in a folder beside the database.

    <database folder>/<database name>-stukken/<aa>/<sha256>

The SHA-256 of the bytes names the file, so the same file attached twice is stored once. A file
is written under a temporary name, fsynced and renamed; it is never rewritten. Every read checks
the hash again: a file that is missing or damaged gives a clear Dutch message, never wrong bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from pathlib import Path

from db.errors import UserFacingError

SHA_RE = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1 << 20


class DocumentUnavailable(UserFacingError):
    """The bytes of a document cannot be given. `reason`: missing | damaged | not_downloaded |
    refused."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def store_dir(db_path: Path | str) -> Path:
    """The blob folder of a database: beside the file, not inside it."""
    p = Path(db_path)
    return p.with_name(f"{p.stem}-stukken")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sha(sha: str) -> str:
    sha = (sha or "").strip().lower()
    if not SHA_RE.match(sha):
        raise UserFacingError(f"'{sha}' is geen geldige SHA-256 (64 tekens 0-9 en a-f).")
    return sha


class BlobStore:
    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    @classmethod
    def for_db(cls, db: object) -> BlobStore:
        return cls(store_dir(getattr(db, "path", db)))  # type: ignore[arg-type]

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def has(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put(self, data: bytes) -> str:
        """Store `data`; returns its SHA-256. Stored once: an intact copy is kept as it is, a
        damaged one is replaced by the good bytes."""
        sha = sha256_of(data)
        final = self.path(sha)
        if final.is_file() and self._intact(final, sha):
            return sha
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = final.parent / f".{uuid.uuid4().hex}.tmp"
        try:
            with open(tmp, "xb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
        finally:
            if tmp.exists():
                tmp.unlink()
        return sha

    def put_file(self, source: Path) -> tuple[str, int]:
        data = Path(source).read_bytes()
        return self.put(data), len(data)

    def _intact(self, path: Path, sha: str) -> bool:
        h = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(CHUNK), b""):
                    h.update(chunk)
        except OSError:
            return False
        return h.hexdigest() == sha

    def read(self, sha: str, title: str = "") -> bytes:
        """The bytes, hash checked. Raises DocumentUnavailable (missing / damaged)."""
        name = f"'{title}'" if title else f"met kenmerk {sha[:12]}…"
        path = self.path(sha)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise DocumentUnavailable(
                "missing",
                f"Het stuk {name} ontbreekt in de map {self.root}. Het is verplaatst "
                "of verwijderd buiten Kwaliteitsdialoog om. Haal het opnieuw op via "
                "synchroniseren of voeg het opnieuw toe.",
            ) from exc
        except OSError as exc:
            raise DocumentUnavailable(
                "missing", f"Het stuk {name} kan niet worden gelezen ({exc.strerror})."
            ) from exc
        if sha256_of(data) != sha:
            raise DocumentUnavailable(
                "damaged",
                f"Het stuk {name} is beschadigd: de inhoud klopt niet meer met de "
                f"vastgelegde SHA-256 ({sha[:12]}…). Het wordt niet geopend. Haal het opnieuw op "
                "via synchroniseren of voeg het opnieuw toe.",
            )
        return data

    def set_aside(self, sha: str) -> Path:
        """Move a damaged copy out of the way (kept, never deleted) so a good one can be
        fetched; returns where it went."""
        path = self.path(sha)
        target = path.with_name(f"{sha}.beschadigd-{uuid.uuid4().hex[:8]}")
        os.replace(path, target)
        return target

    def present(self, shas: Iterable[str]) -> set[str]:
        """Which of these blobs are on this laptop (a stat each, no hashing)."""
        return {s for s in shas if self.has(s)}
