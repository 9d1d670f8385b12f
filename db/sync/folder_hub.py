"""The shared store on a file share (SMB, OneDrive/SharePoint folder): the default hub.

Layout:
    hub.json                        store identity, signed by the teamleider who created it
    roster/<user id>.json           further team members' public keys, signed likewise
    invites/<invite id>.inv         one-time invitations (team key wrapped with a passphrase)
    ops/<origin>/<first>-<last>.seg write-once segments, one writer each (its origin)
    snapshots/                      (reserved)
    images/<sha256>.img             join images, signed by the owner (db/sync/image.py)
    tmp/                            temp files of writers, one unique name each

No file is ever rewritten, no locks: a segment is written under a unique temp name, fsynced,
linked/renamed to its final name (which fails if it already exists) and read back.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.sync import faults
from db.sync.hub_images import FolderImages

SEGMENT_RE = re.compile(r"^(\d{12})-(\d{12})(?:~(\d{1,2}))?\.seg$")
TMP_MAX_AGE_S = 15 * 60  # a temp file older than this belongs to a sync that was killed
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def identity_document(data: bytes, broken: str) -> dict[str, Any]:
    """The store's identity (a JSON object with its hub_id), or HubError(`broken`)."""
    try:
        doc = json.loads(data)
        if not isinstance(doc, dict) or "hub_id" not in doc:
            raise ValueError
    except ValueError as exc:
        raise HubError(broken) from exc
    return doc


class HubError(Exception):
    """The store cannot be used; `message` is Dutch. Nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class HubRefused(OSError):
    """The store refused a write for good (a team-server rule, e.g. vier-ogen). `message` is
    Dutch. Raised by PostgresHub; the engine holds the refused steps back and pushes the rest."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.strerror = message


@dataclass(frozen=True)
class SegmentRef:
    name: str  # relative to the store root, with forward slashes
    origin: str
    first: int
    last: int
    size: int
    mtime_ns: int = 0  # only to notice that a quarantined file was replaced, never a cursor


@dataclass(frozen=True)
class Listing:
    segments: list[SegmentRef]
    foreign: list[tuple[str, int]]  # (name, size): files that are not ours to apply


def segment_name(origin: str, first: int, last: int, attempt: int = 1) -> str:
    """Attempt > 1 only when an earlier attempt left a damaged file under the plain name
    (a short write on the share): files are never overwritten."""
    suffix = f"~{attempt}" if attempt > 1 else ""
    return f"ops/{origin}/{first:012d}-{last:012d}{suffix}.seg"


class LocalFS:
    """The file operations the hub uses; tests substitute a fault-injecting subclass."""

    def listdir(self, path: Path) -> list[os.DirEntry[str]]:
        with os.scandir(path) as it:
            return list(it)

    def read_bytes(self, path: Path) -> bytes:
        with open(path, "rb") as fh:
            return fh.read()

    def write_durable(self, path: Path, data: bytes) -> None:
        with open(path, "xb") as fh:
            view = memoryview(data)
            while view:
                n = fh.write(view)
                view = view[n:]
            faults.point("push_after_write")
            fh.flush()
            os.fsync(fh.fileno())
        faults.point("push_after_fsync")

    def publish(self, tmp: Path, final: Path) -> None:
        """Give `tmp` its final name; FileExistsError if that name exists (never overwrite)."""
        if hasattr(os, "link") and os.name != "nt":
            os.link(tmp, final)
            os.unlink(tmp)
        else:  # Windows: rename refuses an existing target
            os.rename(tmp, final)
        faults.point("push_after_rename")
        if os.name != "nt":
            try:
                fd = os.open(final.parent, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError:
                pass

    def makedirs(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)

    def exists(self, path: Path) -> bool:
        return path.exists()

    def unlink(self, path: Path) -> None:
        path.unlink()


class FolderHub(FolderImages):
    """Hub interface: identity / push / heads / list / pull (read); join images
    (db/sync/hub_images.py)."""

    def __init__(self, root: Path | str, fs: LocalFS | None = None) -> None:
        self.root = Path(root)
        self.fs = fs or LocalFS()

    # -- identity ---------------------------------------------------------------------------
    def read_identity(self) -> dict[str, Any]:
        if not self.fs.exists(self.root):
            raise HubError(
                f"De gedeelde opslag {self.root} is niet bereikbaar. U kunt gewoon "
                "doorwerken; synchroniseer later opnieuw."
            )
        path = self.root / "hub.json"
        try:
            data = self.fs.read_bytes(path)
        except FileNotFoundError as exc:
            raise HubError(
                f"In {self.root} staat geen gedeelde opslag van Kwaliteitsdialoog (hub.json "
                "ontbreekt). Is de map leeg, verplaatst of niet goed gekoppeld? Er is niets "
                "gewijzigd."
            ) from exc
        except OSError as exc:
            raise HubError(
                f"De gedeelde opslag {self.root} kan niet worden gelezen "
                f"({exc.strerror}). Probeer het later opnieuw."
            ) from exc
        return identity_document(
            data,
            f"Het bestand hub.json in {self.root} is beschadigd of van een ander "
            "programma. Er is niets gewijzigd.",
        )

    def hub_id(self) -> str:
        return str(self.read_identity()["hub_id"])

    def create(self, identity: dict[str, Any]) -> None:
        self.fs.makedirs(self.root)
        if self.fs.exists(self.root / "hub.json"):
            raise HubError(
                f"In {self.root} staat al een gedeelde opslag. Kies 'Aansluiten' of een lege map."
            )
        for sub in ("ops", "roster", "invites", "snapshots", "tmp"):
            self.fs.makedirs(self.root / sub)
        self.put_file("hub.json", json.dumps(identity, indent=2, sort_keys=True).encode())

    def roster_documents(self) -> list[dict[str, Any]]:
        return [doc for _name, doc in self._json_files("roster", ".json")]

    def invite_documents(self) -> list[tuple[str, dict[str, Any]]]:
        return self._json_files("invites", ".inv")

    def _json_files(self, folder: str, suffix: str) -> list[tuple[str, dict[str, Any]]]:
        """(file name, content) of the JSON files ending in `suffix` in `folder`; a file that
        cannot be read or parsed is passed over."""
        out: list[tuple[str, dict[str, Any]]] = []
        path = self.root / folder
        if not self.fs.exists(path):
            return out
        for entry in self.fs.listdir(path):
            if entry.name.endswith(suffix):
                try:
                    out.append((entry.name, json.loads(self.fs.read_bytes(Path(entry.path)))))
                except (OSError, ValueError):
                    continue
        return out

    # -- write-once files -------------------------------------------------------------------
    def put_file(self, name: str, data: bytes) -> str:
        """Publish `data` under `name` exactly once. Returns "written" or "exists" (when the
        same bytes are already there). Raises FileExistsError for different bytes."""
        final = self.root / name
        self.fs.makedirs(final.parent)
        self.fs.makedirs(self.root / "tmp")
        tmp = self.root / "tmp" / f"{uuid.uuid4().hex}.tmp"
        try:
            self.fs.write_durable(tmp, data)
            try:
                self.fs.publish(tmp, final)
            except FileExistsError:
                try:
                    self.fs.unlink(tmp)
                except OSError:
                    pass
                if self._same(final, data):
                    return "exists"
                raise
        except BaseException:
            if self.fs.exists(tmp):
                try:
                    self.fs.unlink(tmp)
                except OSError:
                    pass
            raise
        # Read back: a file share may report success and still hold other bytes.
        if not self._same(final, data):
            raise OSError(errno.EIO, f"teruglezen van {name} gaf andere inhoud")
        faults.point("push_after_verify")
        return "written"

    def _same(self, path: Path, data: bytes) -> bool:
        try:
            back = self.fs.read_bytes(path)
        except OSError:
            return False
        return hashlib.sha256(back).digest() == hashlib.sha256(data).digest()

    def push(self, origin: str, first: int, last: int, data: bytes, attempt: int = 1) -> str:
        return self.put_file(segment_name(origin, first, last, attempt), data)

    def clean_tmp(self, older_than_s: float = TMP_MAX_AGE_S) -> int:
        """Remove temp files a killed sync left behind (any writer's, once they are older than
        any publish takes). Returns how many were removed."""
        import time

        folder = self.root / "tmp"
        removed = 0
        try:
            entries = self.fs.listdir(folder) if self.fs.exists(folder) else []
        except OSError:
            return 0
        limit = time.time() - older_than_s
        for entry in entries:
            try:
                if (
                    entry.is_file()
                    and entry.name.endswith(".tmp")
                    and entry.stat().st_mtime < limit
                ):
                    self.fs.unlink(Path(entry.path))
                    removed += 1
            except OSError:
                continue
        return removed

    # -- reading ----------------------------------------------------------------------------
    def list_segments(self) -> Listing:
        segments: list[SegmentRef] = []
        foreign: list[tuple[str, int]] = []
        ops = self.root / "ops"
        if not self.fs.exists(ops):
            return Listing(segments, foreign)
        for odir in self.fs.listdir(ops):
            if not odir.is_dir() or not UUID_RE.match(odir.name):
                foreign.append((f"ops/{odir.name}", _stat(odir)[0]))
                continue
            try:
                entries = self.fs.listdir(Path(odir.path))
            except FileNotFoundError:
                continue  # stale listing
            for entry in entries:
                name = f"ops/{odir.name}/{entry.name}"
                m = SEGMENT_RE.match(entry.name)
                size, mtime = _stat(entry)
                if m and entry.is_file():
                    first, last = int(m.group(1)), int(m.group(2))
                    if 1 <= first <= last:
                        segments.append(SegmentRef(name, odir.name, first, last, size, mtime))
                        continue
                foreign.append((name, size))
        segments.sort(key=lambda r: (r.origin, r.first, r.last))
        return Listing(segments, foreign)

    def heads(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for ref in self.list_segments().segments:
            out[ref.origin] = max(out.get(ref.origin, 0), ref.last)
        return out

    def pull(self, origin: str, from_seq: int) -> list[SegmentRef]:
        return [
            r for r in self.list_segments().segments if r.origin == origin and r.last > from_seq
        ]

    def read(self, name: str) -> bytes:
        return self.fs.read_bytes(self.root / name)

    def has_file(self, name: str) -> bool:
        """Whether a write-once file exists (document blobs, issue 20)."""
        return self.fs.exists(self.root / name)


def _stat(entry: os.DirEntry[str]) -> tuple[int, int]:
    try:
        st = entry.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return -1, 0
