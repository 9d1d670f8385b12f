"""Snapshots: one write-once file bundling many signed segments, for joining (moved out of
db/sync/engine.py; the engine re-exports `put_snapshot`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from db.engine import Database
from db.sync.folder_hub import FolderHub, Listing
from db.sync.hub_protocol import Hub
from db.sync.oplog import get_meta
from db.sync.report import now
from db.sync.segment import Keys

if TYPE_CHECKING:
    from db.sync.report import Round


# A snapshot bundles the original signed segments (each still verified on its own when applied),
# under a header signed by the member who made it. Content-addressed, write-once, additive.
SNAP_MAGIC = b"KDSNAP\x00\x01\n"


def put_snapshot(db: Database, hub: Hub, keys: Keys) -> str | None:
    """Bundle every segment this replica has applied or pushed into snapshots/<sha256>.snap."""
    import hashlib
    import struct

    from db.sync.segment import canonical, private_key

    listing = hub.list_segments()
    present = {r.name for r in listing.segments}
    with db.read_session() as s:
        names = [
            r[0]
            for r in s.execute(
                text(
                    "SELECT name FROM sync_segment WHERE status IN ('applied', 'pushed') ORDER BY name"
                )
            )
            if r[0] in present
        ]
        hub_id = get_meta(s, "hub_id")
    if not names:
        return None
    parts, entries = [], []
    for name in names:
        data = hub.read(name)
        parts.append(data)
        entries.append([name, len(data), hashlib.sha256(data).hexdigest()])
    header = {"hub": hub_id, "u": keys.user_id, "t": now(), "segments": entries}
    hb = canonical(header)
    sig = private_key(keys.signing_seed).sign(hb)
    blob = SNAP_MAGIC + struct.pack(">I", len(hb)) + hb + sig + b"".join(parts)
    name = f"snapshots/{hashlib.sha256(blob).hexdigest()}.snap"
    hub.put_file(name, blob)
    return name


def _verify_any(keys: list[str], sig: bytes, data: bytes) -> None:
    from db.sync.segment import load_public

    for key in keys:
        try:
            load_public(key).verify(sig, data)
            return
        except Exception:  # noqa: BLE001 - try the member's other keys
            continue
    raise ValueError("signature")


def _load_snapshot(rnd: Round, listing: Listing) -> None:
    """A replica that has applied nothing from the store yet reads the largest snapshot first."""
    db, hub, hub_id, roster, report = rnd.db, rnd.hub, rnd.hub_id, rnd.roster, rnd.report
    import hashlib
    import json
    import struct

    with db.read_session() as s:
        applied = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status = 'applied'")
        ).scalar_one()
    if applied or not isinstance(hub, FolderHub):  # bundles are files in a shared folder
        return
    folder = hub.root / "snapshots"
    if not hub.fs.exists(folder):
        return
    try:
        entries = sorted(hub.fs.listdir(folder), key=lambda e: -e.stat().st_size)
    except OSError:
        return
    wanted = {r.name: r for r in listing.segments}
    for entry in entries[:1]:
        try:
            blob = hub.fs.read_bytes(Path(entry.path))
            if not blob.startswith(SNAP_MAGIC):
                raise ValueError("magic")
            pos = len(SNAP_MAGIC)
            (hlen,) = struct.unpack(">I", blob[pos : pos + 4])
            hb = blob[pos + 4 : pos + 4 + hlen]
            sig = blob[pos + 4 + hlen : pos + 4 + hlen + 64]
            header = json.loads(hb)
            if header.get("hub") != hub_id or header.get("u") not in roster:
                raise ValueError("foreign")
            _verify_any(roster[header["u"]], sig, hb)
            pos = pos + 4 + hlen + 64
            for name, size, digest in header["segments"]:
                data = blob[pos : pos + size]
                pos += size
                ref = wanted.get(name)
                # Only what the store still lists, byte for byte (each is verified again).
                if (
                    ref is not None
                    and ref.size == size
                    and hashlib.sha256(data).hexdigest() == digest
                ):
                    report.bundle[name] = data
                    report.from_snapshot += 1
        except Exception:  # noqa: BLE001 - a bad snapshot only costs speed: read one by one
            report.bundle.clear()
            report.from_snapshot = 0
            report.problems.append(
                f"Momentopname {entry.name} is onbruikbaar; de wijzigingen "
                "worden één voor één opgehaald."
            )
