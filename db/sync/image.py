"""Join images (issue 18 item 2): a new laptop joins from one prepared database file.

The store's owner publishes `images/<sha256>.img` (in a shared folder, or on the team server
in chunks: the same bytes through the hubs' image API, db/sync/hub_images.py, pg_images.py): a consistent copy of its database (VACUUM
INTO), taken only when nothing of its own waits to be pushed and nothing is held back, with the
per-laptop state scrubbed (its sync identity, clock, hub pin and roles; local settings and
drafts; its document bookkeeping and extracted document text; the segment records that only
describe its own view of the share), compressed and encrypted with the team key in chunks, under
a header signed with the owner's key from the signed store identity. The header names the
store, the schema revision, the version vector the copy covers and the hash of the body.

A joining laptop whose database holds nothing yet (no operation, no applied segment) reads the
image with the widest coverage: verifies the owner's signature, the store, the revision (an
older one is migrated, a newer one refused), streams it to a temp file beside its database
checking every chunk and the body hash, runs `PRAGMA quick_check`, gives it its own identity
(a new origin id, its own pin, keys, roles and local settings, the records of every listed
segment the image covers), and swaps it in atomically (os.replace after the open engine is
disposed; the next session opens the new file). The pull then applies only what came after.

Trust: an image is the owner attesting the store's history, like the baseline ("only the
owner's key may attest it"): signed by the key in the signed store identity, nobody else's
(a teamleider member included). Anything wrong with an image costs only speed: it is passed
over with a Dutch line in the report and the join takes the segment path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import uuid
import zlib
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from db.engine import Database
from db.sync import faults
from db.sync.folder_hub import Listing
from db.sync.hub_images import IMAGES  # noqa: F401 - importable from here as before
from db.sync.report import now
from db.sync.segment import load_public, unb64

if TYPE_CHECKING:
    from db.sync.hub_protocol import Hub
    from db.sync.report import Round

IMG_MAGIC = b"KDIMG\x00\x01\n"
IMAGE_FORMAT = 1
CHUNK = 4 << 20  # plaintext bytes per encrypted chunk: memory stays small at any size
WINDOW = 4  # chunks decrypted and inflated ahead of the one being written
LEVEL = 6  # zlib: ~1/5 of the file at zorgkantoor scale; decompressing costs the same
SIG_LEN = 64
MAX_HEADER = 1 << 20
# Never leave the owner's laptop (scrubbed from the copy; the joiner keeps its own).
LOCAL_TABLES = ("local_setting", "document_blob")
DERIVED_LOCAL = ("document_text_fts",)  # text of the files on this laptop's disk
IMAGE_META = ("baselines",)  # sync_meta that describes the store, not the laptop
JOINER_META_SKIP = ("origin_id", "next_seq", "hlc", "derived_stale", "held_origin")


class ImageRefused(Exception):
    """An image that must not be used (joiner) or cannot be made (owner); Dutch message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImageHeader:
    name: str
    header: dict[str, Any]
    body_at: int

    @property
    def coverage(self) -> int:
        return sum(int(v) for v in self.header.get("vv", {}).values())


def chunk_aad(index: int, last: bool) -> bytes:
    return IMG_MAGIC + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


# -- reading an image (the joiner) ------------------------------------------------------------
def read_head(fh: IO[bytes], name: str, owner: dict[str, Any], hub_id: str) -> ImageHeader:
    """The header of an image (read from the start of `fh`), verified: the owner's signature,
    this store, a known format."""
    try:
        start = fh.read(len(IMG_MAGIC) + 4)
        if len(start) < len(IMG_MAGIC) + 4 or not start.startswith(IMG_MAGIC):
            raise ImageRefused("geen aansluitbestand van Kwaliteitsdialoog (of afgekapt)")
        (hlen,) = struct.unpack(">I", start[len(IMG_MAGIC) :])
        if hlen > MAX_HEADER:
            raise ImageRefused("kop van het bestand is onleesbaar")
        hb = fh.read(hlen)
        sig = fh.read(SIG_LEN)
    except OSError as exc:
        raise ImageRefused(f"niet leesbaar ({exc.strerror or exc})") from exc
    if len(hb) != hlen or len(sig) != SIG_LEN:
        raise ImageRefused("bestand is afgekapt")
    try:
        load_public(owner["public_key"]).verify(sig, start + hb)
    except (InvalidSignature, ValueError) as exc:
        raise ImageRefused(
            "niet ondertekend door de eigenaar van de gedeelde opslag (gewijzigd of vervalst)"
        ) from exc
    try:
        header = json.loads(hb)
    except ValueError as exc:
        raise ImageRefused("kop van het bestand is onleesbaar") from exc
    if not isinstance(header, dict) or header.get("u") != owner["user_id"]:
        raise ImageRefused("niet gemaakt door de eigenaar van de gedeelde opslag")
    if header.get("hub") != hub_id:
        raise ImageRefused("hoort bij een andere gedeelde opslag")
    if header.get("f") != IMAGE_FORMAT:
        raise ImageRefused("onbekende bestandsversie (nieuwere programmaversie?)")
    vv = header.get("vv")
    fields = {"chunks": int, "blen": int, "size": int, "ops": int, "body": str, "n": str}
    if (
        not isinstance(vv, dict)
        or not all(isinstance(k, str) and isinstance(v, int) for k, v in vv.items())
        or not all(isinstance(header.get(k), t) for k, t in fields.items())
        or not isinstance(header.get("rev"), str)
    ):
        raise ImageRefused("kop van het bestand is onleesbaar")
    return ImageHeader(name, header, len(start) + hlen + SIG_LEN)


def body_records(fh: IO[bytes], head: ImageHeader) -> Iterator[tuple[int, bytes]]:
    """The body's encrypted chunks, checked against the signed length and hash."""
    h = head.header
    digest, read = hashlib.sha256(), 0
    for i in range(int(h["chunks"])):
        raw = fh.read(4)
        if len(raw) < 4:
            raise ImageRefused("bestand is afgekapt")
        (clen,) = struct.unpack(">I", raw)
        if clen > CHUNK + (CHUNK >> 4) + 1024:
            raise ImageRefused("bestand is beschadigd")
        ct = fh.read(clen)
        if len(ct) != clen:
            raise ImageRefused("bestand is afgekapt")
        digest.update(raw)
        digest.update(ct)
        read += 4 + clen
        yield i, ct
    if fh.read(1) or read != h["blen"] or digest.hexdigest() != h["body"]:
        raise ImageRefused("bestand is gewijzigd of afgekapt")


def extract(hub: Hub, head: ImageHeader, team_keys: dict[str, bytes], target: Path) -> None:
    """Decrypt and decompress the image's database into `target` (streamed, chunk by chunk)."""
    h = head.header
    key = team_keys.get(str(h.get("k", "")))
    if key is None:
        raise ImageRefused("versleuteld met een onbekende teamsleutel")
    try:
        prefix = unb64(str(h["n"]))
        count = int(h["chunks"])
    except (KeyError, ValueError) as exc:
        raise ImageRefused("kop van het bestand is onleesbaar") from exc
    aes, written = AESGCM(key), 0

    def plain_chunk(i: int, ct: bytes) -> bytes:
        plain = aes.decrypt(prefix + struct.pack(">I", i), ct, chunk_aad(i, i == count - 1))
        d = zlib.decompressobj()
        data = d.decompress(plain, CHUNK + 1)
        if len(data) > CHUNK or d.unconsumed_tail or not d.eof:
            raise ImageRefused("bestand is beschadigd")
        return data

    try:
        # Chunks are independent: two are inflated at once (zlib releases the GIL), in order,
        # at most WINDOW in flight (memory stays a few chunks whatever the image's size).
        with (
            hub.open_image(head.name) as fh,
            target.open("xb") as out,
            ThreadPoolExecutor(max_workers=2) as pool,
        ):
            fh.seek(head.body_at)
            pending: deque[Future[bytes]] = deque()
            for i, ct in body_records(fh, head):
                pending.append(pool.submit(plain_chunk, i, ct))
                if len(pending) >= WINDOW:
                    written += out.write(pending.popleft().result())
            while pending:
                written += out.write(pending.popleft().result())
            if written != h.get("size"):
                raise ImageRefused("bestand is afgekapt")
            out.flush()
            os.fsync(out.fileno())
    except (InvalidTag, zlib.error) as exc:
        raise ImageRefused("ontsleutelen mislukt (gewijzigd bestand)") from exc
    except OSError as exc:
        raise ImageRefused(f"niet leesbaar of niet te schrijven ({exc.strerror or exc})") from exc


def fresh(db: Database) -> bool:
    """A database that holds nothing from anyone yet: no operation, no applied segment."""
    from sqlalchemy import text

    with db.read_session() as s:
        return not s.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM sync_op) OR EXISTS (SELECT 1 FROM sync_segment "
                "WHERE status = 'applied')"
            )
        ).scalar_one()


def candidates(hub: Hub, identity: dict[str, Any], problems: list[str]) -> list[ImageHeader]:
    """The store's images whose headers are valid, widest coverage first."""
    try:
        names = hub.list_images()
    except OSError:
        return []
    out = []
    for name in names:
        try:
            with hub.open_image(name) as fh:
                out.append(read_head(fh, name, identity["owner"], identity["hub_id"]))
        except ImageRefused as exc:
            problems.append(_unused(name, exc.message))
        except OSError as exc:
            problems.append(_unused(name, f"niet leesbaar ({exc.strerror or exc})"))
    out.sort(key=lambda h: (h.coverage, str(h.header.get("t", ""))), reverse=True)
    return out


def _unused(name: str, reason: str) -> str:
    return (
        f"Aansluitbestand {name} is niet gebruikt: {reason}. De wijzigingen worden "
        "segment voor segment opgehaald; er gaat niets verloren."
    )


def _check_copy(path: Path, head: ImageHeader) -> None:
    """The extracted file is an intact database of the revision and coverage its header says."""
    from db.migrations import REVISIONS

    try:
        conn = sqlite3.connect(str(path))
        with closing(conn):
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise ImageRefused("de database in het bestand is beschadigd")
            rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            vv = dict(conn.execute("SELECT origin_id, seq FROM sync_vv").fetchall())
    except sqlite3.DatabaseError as exc:
        raise ImageRefused(f"de database in het bestand is beschadigd ({exc})") from exc
    if rev != head.header["rev"] or vv != head.header["vv"]:
        raise ImageRefused("inhoud past niet bij de kop")
    if rev not in REVISIONS:
        raise ImageRefused("onbekende schemaversie")


def _adopt(db: Database, path: Path, listing: Listing, vv: dict[str, int]) -> None:
    """Give the extracted copy this laptop's identity: a new origin id, its own pin, roles and
    local settings, and the records of every listed segment the copy covers."""
    from db.sync.oplog import hlc_format, hlc_parse

    with db.read_session() as s:
        live: Any = s.connection().connection.driver_connection
        meta = live.execute("SELECT key, value FROM sync_meta").fetchall()
        carried = {t: _rows(live, t) for t in (*LOCAL_TABLES, "sync_segment")}
    conn = sqlite3.connect(str(path), isolation_level=None)
    with closing(conn):
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        image_hlc = conn.execute("SELECT value FROM sync_meta WHERE key = 'image_hlc'").fetchone()
        keep = ", ".join(f"'{k}'" for k in IMAGE_META)
        conn.execute(f"DELETE FROM sync_meta WHERE key NOT IN ({keep})")
        mine = dict(meta)
        clocks = [hlc_parse(v) for v in (mine.get("hlc"), image_hlc and image_hlc[0]) if v]
        rows = [(k, v) for k, v in meta if k not in (*JOINER_META_SKIP, *IMAGE_META)]
        rows += [("origin_id", str(uuid.uuid4())), ("next_seq", "1")]
        if clocks:
            rows.append(("hlc", hlc_format(*max(clocks))))
        conn.executemany("INSERT INTO sync_meta (key, value) VALUES (?, ?)", rows)
        for table, (cols, data) in carried.items():
            if table in LOCAL_TABLES:
                conn.execute(f"DELETE FROM {table}")
            if data:
                names, marks = ", ".join(cols), ", ".join("?" * len(cols))
                conn.executemany(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", data)
        at = now()
        conn.executemany(
            "INSERT OR IGNORE INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
            "size, mtime_ns, reason, at) VALUES (?, ?, ?, ?, 'applied', ?, ?, '', ?)",
            [
                (r.name, r.origin, r.first, r.last, r.size, r.mtime_ns, at)
                for r in listing.segments
                if r.last <= vv.get(r.origin, 0)
            ],
        )
        conn.execute("COMMIT")


def _rows(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cur = conn.execute(f"SELECT * FROM {table}")
    return [d[0] for d in cur.description], cur.fetchall()


def _swap(db: Database, path: Path) -> None:
    """Put the prepared file in place of the database the user opened. The open engine is
    disposed first; the old file is taken out of WAL mode (which needs every other connection
    closed), so no stale write-ahead log can be replayed onto the new file."""
    db.dispose()
    try:
        conn = sqlite3.connect(str(db.path), timeout=2, isolation_level=None)
        with closing(conn):
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.Error:
        mode = "busy"
    if str(mode).lower() != "delete" or Path(f"{db.path}-wal").exists():
        raise ImageRefused("de database is nog in gebruik door een ander venster of programma")
    faults.point("image_before_swap")  # engine disposed, old file out of WAL, copy complete
    os.replace(path, db.path)
    if os.name != "nt":
        with suppress(OSError):
            fd = os.open(db.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def temp_path(db: Database) -> Path:
    return db.path.with_name(f"{db.path.name}.image.tmp")


def join_from_image(rnd: Round, identity: dict[str, Any], listing: Listing) -> bool:
    """A database with nothing in it yet is filled from the widest valid image in the store;
    the pull after it applies only what the image does not cover. Returns whether it did."""
    db, hub, report = rnd.db, rnd.hub, rnd.report
    tmp = temp_path(db)
    for p in (tmp, Path(f"{tmp}-journal")):  # left by a join that was killed
        with suppress(FileNotFoundError):
            p.unlink()
    if not fresh(db):
        return False
    for head in candidates(hub, identity, report.problems):
        try:
            _use(rnd, head, listing, tmp)
        except ImageRefused as exc:
            report.problems.append(_unused(head.name, exc.message))
            continue
        except (sqlite3.Error, ValueError, KeyError, TypeError) as exc:  # never a crash
            report.problems.append(_unused(head.name, f"onbruikbaar ({exc})"))
            continue
        finally:
            for p in (tmp, Path(f"{tmp}-journal")):
                with suppress(FileNotFoundError):
                    p.unlink()
        report.from_image = head.name
        report.pulled_ops += int(head.header.get("ops", 0))
        return True
    return False


def _use(rnd: Round, head: ImageHeader, listing: Listing, tmp: Path) -> None:
    from db.migrations import REVISIONS

    rev = str(head.header.get("rev"))
    if rev not in REVISIONS:
        raise ImageRefused(
            f"gemaakt met een nieuwere versie van Kwaliteitsdialoog (schemaversie {rev}); "
            "werk het programma bij om er gebruik van te maken"
        )
    extract(rnd.hub, head, rnd.keys.team_keys, tmp)
    _check_copy(tmp, head)
    if rev != REVISIONS[-1]:
        from db import migrate

        try:
            migrate.upgrade_in_place(tmp)
        except Exception as exc:  # noqa: BLE001 - a failed migration: use the segments
            raise ImageRefused(f"bijwerken van schemaversie {rev} mislukt ({exc})") from exc
    _adopt(rnd.db, tmp, listing, head.header["vv"])
    _swap(rnd.db, tmp)
    faults.point("image_after_swap")
