"""Making a join image (issue 18 item 2), the owner's side; reading one is db/sync/image.py.

Only the store's owner makes one, only when nothing of its own waits to be pushed or is held
back: a VACUUM INTO copy with the per-laptop state scrubbed, compressed and encrypted with the
team key in chunks, under a header signed with the owner's key, published write-once as
`images/<sha256>.img` through the hub's image API (a shared folder or the team server).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import uuid
import zlib
from contextlib import closing, suppress
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from db.engine import Database
from db.sync.hub_images import file_sha256
from db.sync.hub_protocol import Hub
from db.sync.image import (
    CHUNK,
    DERIVED_LOCAL,
    IMAGE_FORMAT,
    IMAGE_META,
    IMAGES,
    IMG_MAGIC,
    LEVEL,
    LOCAL_TABLES,
    ImageRefused,
    body_records,
    candidates,
    chunk_aad,
)
from db.sync.report import now
from db.sync.segment import Keys, b64, canonical, private_key


# -- making an image --------------------------------------------------------------
def _scrub(conn: sqlite3.Connection) -> tuple[str, dict[str, int], int]:
    """Check the copy can be published and remove everything per-laptop. Returns (revision,
    version vector, number of operations). Deleted content is overwritten (secure_delete)."""
    meta = dict(conn.execute("SELECT key, value FROM sync_meta").fetchall())
    own, held = meta.get("origin_id"), meta.get("held_origin")
    waiting = conn.execute(
        "SELECT COUNT(*) FROM sync_op WHERE origin_id = ? AND pushed = 0", (own,)
    ).fetchone()[0]
    if waiting:
        raise ImageRefused(
            f"Er staan nog {waiting} eigen wijziging(en) klaar om te versturen. Synchroniseer "
            "eerst; het aansluitbestand bevat alleen wat al in de opslag staat."
        )
    if held and conn.execute("SELECT 1 FROM sync_op WHERE origin_id = ?", (held,)).fetchone():
        raise ImageRefused(
            "Er worden wijzigingen op deze laptop vastgehouden (zie Synchroniseren). Los die "
            "eerst op; een aansluitbestand bevat alleen wat het team kent."
        )
    if "derived_stale" in meta:
        raise ImageRefused("De zoekindex wordt nog herbouwd. Start het programma opnieuw.")
    conn.execute("PRAGMA secure_delete = ON")
    for table in (*LOCAL_TABLES, *DERIVED_LOCAL):
        conn.execute(f"DELETE FROM {table}")
    keep = ", ".join(f"'{k}'" for k in IMAGE_META)
    conn.execute(f"DELETE FROM sync_meta WHERE key NOT IN ({keep})")
    if meta.get("hlc"):  # the copy's clock: the joiner's starts at least here
        conn.execute("INSERT INTO sync_meta (key, value) VALUES ('image_hlc', ?)", (meta["hlc"],))
    # What this laptop saw on the share (quarantine, held, replaced) is its own business; its
    # own published segments are, to a joiner, applied colleagues' segments.
    conn.execute("DELETE FROM sync_segment WHERE status NOT IN ('applied', 'pushed', 'refused')")
    conn.execute(
        "UPDATE sync_segment SET status = 'applied', reason = '', mtime_ns = 0 "
        "WHERE status = 'pushed'"
    )
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    vv = dict(conn.execute("SELECT origin_id, seq FROM sync_vv").fetchall())
    ops = conn.execute("SELECT COUNT(*) FROM sync_op").fetchone()[0]
    conn.commit()
    return str(revision), {str(k): int(v) for k, v in vv.items()}, int(ops)


def _seal_body(source: Path, out: IO[bytes], key: bytes, prefix: bytes) -> tuple[int, int, str]:
    """Compress and encrypt `source` in chunks into `out`. Returns (chunks, plaintext size,
    sha256 of the body)."""
    size = source.stat().st_size
    count = max(1, -(-size // CHUNK))
    digest = hashlib.sha256()
    aes = AESGCM(key)
    with source.open("rb") as fh:
        for i in range(count):
            data = fh.read(CHUNK)
            ct = aes.encrypt(
                prefix + struct.pack(">I", i),
                zlib.compress(data, LEVEL),
                chunk_aad(i, i == count - 1),
            )
            record = struct.pack(">I", len(ct)) + ct
            digest.update(record)
            out.write(record)
    return count, size, digest.hexdigest()


def seal_image(source: Path, hub: Hub, keys: Keys, hub_id: str, *, work: Path | None = None) -> str:
    """Publish the (scrubbed) database file `source` as an image signed with `keys`. Returns
    its name in the store. The signer is not checked here: readers accept only the owner."""
    conn = sqlite3.connect(str(source))
    with closing(conn):
        revision, vv, ops = _scrub(conn)
    same = _same_coverage(hub, keys, hub_id, revision, vv)
    if same is not None:  # nothing new since the last image: no second copy on the share
        return same
    work = work or source.parent
    body = work / f".kd-image-{uuid.uuid4().hex}.body"
    prefix = os.urandom(8)
    try:
        with body.open("wb") as out:
            chunks, size, body_sha = _seal_body(
                source, out, keys.team_keys[keys.current_key_id], prefix
            )
        header = {
            "f": IMAGE_FORMAT,
            "hub": hub_id,
            "u": keys.user_id,
            "rev": revision,
            "vv": vv,
            "ops": ops,
            "k": keys.current_key_id,
            "n": b64(prefix),
            "chunks": chunks,
            "size": size,
            "blen": body.stat().st_size,
            "body": body_sha,
            "t": now(),
        }
        hb = canonical(header)
        head = IMG_MAGIC + struct.pack(">I", len(hb)) + hb
        head += private_key(keys.signing_seed).sign(head)
        return _publish(hub, head, body)
    finally:
        with suppress(FileNotFoundError):
            body.unlink()


def _same_coverage(
    hub: Hub, keys: Keys, hub_id: str, revision: str, vv: dict[str, int]
) -> str | None:
    owner = {"user_id": keys.user_id, "public_key": public_b64(keys)}
    for head in candidates(hub, {"owner": owner, "hub_id": hub_id}, []):
        if head.header.get("rev") == revision and head.header.get("vv") == vv:
            try:  # and intact (signed length and hash of the body)
                with hub.open_image(head.name) as fh:
                    fh.seek(head.body_at)
                    for _record in body_records(fh, head):
                        pass
            except (ImageRefused, OSError):
                continue
            return head.name
    return None


def _publish(hub: Hub, head: bytes, body: Path) -> str:
    """The image file (head + body) beside the body, named by its sha256 (content-addressed),
    handed to the hub to publish write-once."""
    image = body.with_suffix(".img")
    try:
        with image.open("xb") as out, body.open("rb") as src:
            out.write(head)
            for block in iter(lambda: src.read(1 << 20), b""):
                out.write(block)
        name = f"{IMAGES}/{file_sha256(image)}.img"
        hub.put_image(name, image)
        return name
    finally:
        with suppress(FileNotFoundError):
            image.unlink()


def put_image(db: Database, hub: Hub, keys: Keys, identity: dict[str, Any]) -> str:
    """The owner: a consistent copy of this database (VACUUM INTO), scrubbed, published."""
    if (
        keys.user_id != identity["owner"]["user_id"]
        or public_b64(keys) != identity["owner"]["public_key"]
    ):
        raise ImageRefused(
            "Alleen de eigenaar van de gedeelde opslag (de teamleider die haar aanmaakte, op "
            "de laptop waarmee dat gebeurde) kan een aansluitbestand maken."
        )
    for stale in db.path.parent.glob(f".{db.path.name}.image-*.tmp*"):  # a killed attempt
        with suppress(OSError):
            stale.unlink()
    copy = db.path.with_name(f".{db.path.name}.image-{uuid.uuid4().hex}.tmp")
    try:
        conn = sqlite3.connect(str(db.path), timeout=30)
        with closing(conn):
            conn.execute("VACUUM INTO ?", (str(copy),))
        return seal_image(copy, hub, keys, identity["hub_id"])
    finally:
        for p in (copy, Path(f"{copy}-journal")):
            with suppress(FileNotFoundError):
                p.unlink()


def public_b64(keys: Keys) -> str:
    from db.sync.segment import public_key_b64

    return public_key_b64(keys.signing_seed)
