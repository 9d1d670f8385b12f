"""Documents between laptops: write-once encrypted blobs in the shared store or on the team
server, beside (never inside) the op sync.

    blobs/<aa>/<sha256>.blob

    MAGIC | u32 header length | header (canonical JSON) | ciphertext | Ed25519 signature (64)

The header names the store, the content hash, the size, the team key id, the nonce and the
signer (who added the document); it is the AES-256-GCM associated data, the signature covers
everything before it. The same primitives as the op segments (db/sync/segment.py) and the same
team key. On reading, the blob must be signed by someone on the store's roster, decrypt under
a known team key and hash to the name it was asked for; otherwise it is refused, recorded in
`document_blob.problem` and reported, never stored.

Uploads are queued locally (`document_blob.upload_pending`) when a document is added; blobs
are downloaded on demand (opening a document, *Downloaden*, `documents sync --all`). A round
with nothing queued and nothing asked touches neither the store nor the blob folder, so the
number of blobs never slows a sync down. The op sync (db/sync/engine.py) never waits for this.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import text

from db.engine import Database
from db.sync.folder_hub import HubError
from db.sync.hub_protocol import Hub
from db.sync.segment import (
    SIG_LEN,
    Keys,
    Refused,
    b64,
    canonical,
    json_object,
    load_public,
    private_key,
    unb64,
)
from desktop.services.documents.store import BlobStore, check_sha, sha256_of

log = logging.getLogger(__name__)

MAGIC = b"KDBLOB\x00\x01\n"
FORMAT = 1


class BlobRefused(Refused):
    """A blob from the store that must not be used; `message` is Dutch."""


def blob_name(sha: str) -> str:
    return f"blobs/{sha[:2]}/{sha}.blob"


def seal_blob(data: bytes, hub_id: str, keys: Keys) -> bytes:
    nonce = os.urandom(12)
    header = {
        "f": FORMAT,
        "hub": hub_id,
        "sha256": sha256_of(data),
        "size": len(data),
        "k": keys.current_key_id,
        "u": keys.user_id,
        "n": b64(nonce),
    }
    hb = canonical(header)
    ct = AESGCM(keys.team_keys[keys.current_key_id]).encrypt(nonce, data, MAGIC + hb)
    body = MAGIC + struct.pack(">I", len(hb)) + hb + ct
    return body + private_key(keys.signing_seed).sign(body)


def open_blob(
    raw: bytes, sha: str, team_keys: dict[str, bytes], roster: dict[str, Any], hub_id: str
) -> tuple[bytes, str]:
    """(plaintext, signer) of a blob that must hash to `sha`. Raises BlobRefused."""
    pos = len(MAGIC)
    if not raw.startswith(MAGIC) or len(raw) < pos + 4 + SIG_LEN:
        raise BlobRefused(
            "foreign", "het bestand is geen stuk van Kwaliteitsdialoog of is afgekapt"
        )
    (hlen,) = struct.unpack(">I", raw[pos : pos + 4])
    if pos + 4 + hlen > len(raw) - SIG_LEN:
        raise BlobRefused("truncated", "het bestand is afgekapt")
    hb = raw[pos + 4 : pos + 4 + hlen]
    body, sig = raw[:-SIG_LEN], raw[-SIG_LEN:]
    try:
        header = json_object(hb)
    except ValueError as exc:
        raise BlobRefused("corrupt", "de kop van het bestand is onleesbaar") from exc
    if header.get("f") != FORMAT:
        raise BlobRefused("format", "onbekende versie (nieuwere programmaversie?)")
    if header.get("hub") != hub_id or header.get("sha256") != sha:
        raise BlobRefused(
            "foreign",
            "het bestand hoort bij een ander stuk of een andere gedeelde opslag (verwisseld)",
        )
    signer = header.get("u")
    keys = roster.get(signer) if isinstance(signer, str) else None
    if not keys or not isinstance(signer, str):
        raise BlobRefused("signer", "ondertekend door iemand die niet op de teamlijst staat")
    for key in [keys] if isinstance(keys, str) else keys:
        try:
            load_public(key).verify(sig, body)
            break
        except (InvalidSignature, ValueError):
            continue
    else:
        raise BlobRefused("signature", "de handtekening klopt niet (gewijzigd of vervalst)")
    team_key = team_keys.get(str(header.get("k", "")))
    if team_key is None:
        raise BlobRefused("key", "versleuteld met een onbekende teamsleutel")
    try:
        data = AESGCM(team_key).decrypt(unb64(header["n"]), body[pos + 4 + hlen :], MAGIC + hb)
    except (InvalidTag, KeyError, ValueError) as exc:
        raise BlobRefused("decrypt", "ontsleutelen mislukt (gewijzigd bestand)") from exc
    if sha256_of(data) != sha or len(data) != header.get("size"):
        raise BlobRefused("hash", "de inhoud klopt niet met de SHA-256 van het stuk")
    return data, signer


@dataclass
class BlobReport:
    uploaded: int = 0
    downloaded: int = 0
    missing: int = 0  # referenced here, not on this laptop (after this round)
    refused: list[str] = field(default_factory=list)  # Dutch, one per refused blob
    problems: list[str] = field(default_factory=list)  # temporary (offline, not uploaded yet)
    touched_store: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "uploaded": self.uploaded,
            "downloaded": self.downloaded,
            "missing": self.missing,
            "refused": list(self.refused),
            "problems": list(self.problems),
        }


def pending_uploads(db: Database) -> list[str]:
    with db.read_session() as s:
        return [
            r[0]
            for r in s.execute(
                text("SELECT sha256 FROM document_blob WHERE upload_pending = 1 ORDER BY sha256")
            )
        ]


def not_downloaded(db: Database) -> list[tuple[str, str, int]]:
    """(sha256, title, size) of live documents whose bytes this laptop never had."""
    with db.read_session() as s:
        return [
            (r[0], r[1], int(r[2]))
            for r in s.execute(
                text(
                    "SELECT d.sha256, MIN(d.title), MAX(d.size) FROM document d "
                    "LEFT JOIN document_blob b ON b.sha256 = d.sha256 "
                    "WHERE d.deleted_at IS NULL AND (b.sha256 IS NULL OR b.problem <> '') "
                    "GROUP BY d.sha256 ORDER BY MIN(d.received_on) DESC"
                )
            )
        ]


def _connect(db: Database, hub: Any = None) -> tuple[Any, Keys, str, dict[str, Any]]:
    from db.sync import engine
    from desktop.services import sync as sync_service
    from desktop.services.sync import open_hub

    keys = sync_service.load_keys(db)
    if hub is None:
        with db.read_session() as s:
            from db.sync.oplog import get_meta

            store = get_meta(s, "store_path") or ""
        hub = open_hub(store)
    try:
        with db.read_session() as s:
            identity, roster = engine.check_identity(s, hub)
    except HubError as exc:
        if hasattr(hub, "close"):
            hub.close()
        raise sync_service.StoreUnavailable(exc.message) from exc
    return hub, keys, str(identity["hub_id"]), roster


def _now() -> datetime:
    return datetime.now(UTC)


def sync_documents(
    db: Database,
    *,
    fetch: Iterable[str] = (),
    fetch_all: bool = False,
    progress: Any = None,
    hub: Any = None,
    count_missing: bool = False,
) -> BlobReport:
    """Upload the queued blobs, then download the asked ones (or every missing one).
    StoreUnavailable when no store is configured or it cannot be used (nothing changes).
    `missing` is counted only with `count_missing` (the command line), so a quiet round costs
    one indexed query whatever the number of documents."""
    report = BlobReport()
    uploads = pending_uploads(db)
    wanted = [check_sha(s) for s in fetch]
    if fetch_all:
        wanted += [sha for sha, _t, _n in not_downloaded(db) if sha not in wanted]
    if not uploads and not wanted:
        if count_missing:
            report.missing = len(not_downloaded(db))
        return report  # nothing queued, nothing asked: no store access at all
    own_hub = hub is None
    hub, keys, hub_id, roster = _connect(db, hub)
    report.touched_store = True
    store = BlobStore.for_db(db)
    total = len(uploads) + len(wanted)
    try:
        for n, sha in enumerate(uploads):
            if progress is not None:
                progress.report(n, total, f"Stuk {n + 1} van {total} uploaden")
            _upload(db, hub, keys, hub_id, store, sha, report)
        for n, sha in enumerate(wanted, start=len(uploads)):
            if progress is not None:
                if getattr(progress, "cancelled", False):
                    break
                progress.report(
                    n, total, f"Stuk {n + 1 - len(uploads)} van {len(wanted)} downloaden"
                )
            _download(db, hub, keys, hub_id, roster, store, sha, report)
    finally:
        if own_hub and hasattr(hub, "close"):
            hub.close()  # a team-server connection is not left open between rounds
    if progress is not None:
        progress.report(total, total, "Klaar")
    if count_missing or fetch_all:
        report.missing = len(not_downloaded(db))
    return report


def _upload(
    db: Database, hub: Hub, keys: Keys, hub_id: str, store: BlobStore, sha: str, report: BlobReport
) -> None:
    from desktop.services.documents.store import DocumentUnavailable

    name = blob_name(sha)
    try:
        data = store.read(sha)
    except DocumentUnavailable as exc:
        report.problems.append(exc.message)
        return
    try:
        if not hub.has_file(name):  # Hub protocol: by name, never by reading the blob
            try:
                hub.put_file(name, seal_blob(data, hub_id, keys))
            except FileExistsError:
                pass  # a colleague uploaded the same content meanwhile
    except OSError as exc:
        report.problems.append(f"Uploaden mislukt ({exc.strerror or exc}); volgende keer opnieuw.")
        return
    with db.write_session() as s, s.begin():
        s.execute(
            text("UPDATE document_blob SET upload_pending = 0, uploaded_at = :t WHERE sha256 = :s"),
            {"t": _now().isoformat(), "s": sha},
        )
    report.uploaded += 1


def _download(
    db: Database,
    hub: Any,
    keys: Keys,
    hub_id: str,
    roster: dict[str, Any],
    store: BlobStore,
    sha: str,
    report: BlobReport,
) -> None:
    if store.has(sha):
        return
    try:
        raw = hub.read(blob_name(sha))
    except FileNotFoundError:
        report.problems.append(
            f"Stuk {sha[:12]}… staat nog niet in de gedeelde opslag (de "
            "collega die het toevoegde heeft nog niet gesynchroniseerd)."
        )
        return
    except OSError as exc:
        report.problems.append(
            f"Downloaden mislukt ({exc.strerror or exc}); probeer het later opnieuw."
        )
        return
    try:
        data, _signer = open_blob(raw, sha, keys.team_keys, roster, hub_id)
    except BlobRefused as exc:
        message = (
            f"Het stuk {sha[:12]}… in de gedeelde opslag is geweigerd: {exc.message}. "
            "Het is niet opgeslagen; vraag de collega het opnieuw toe te voegen."
        )
        log.warning("blob %s refused: %s", sha, exc.reason)
        with db.write_session() as s, s.begin():
            s.execute(
                text(
                    "INSERT INTO document_blob (sha256, upload_pending, problem, problem_at, "
                    "text_status, pages) VALUES (:s, 0, :p, :t, '', 0) ON CONFLICT (sha256) DO "
                    "UPDATE SET problem = :p, problem_at = :t"
                ),
                {"s": sha, "p": message, "t": _now().isoformat()},
            )
        report.refused.append(message)
        return
    store.put(data)
    with db.write_session() as s, s.begin():
        s.execute(
            text(
                "INSERT INTO document_blob (sha256, upload_pending, uploaded_at, problem, "
                "text_status, pages) VALUES (:s, 0, :t, '', '', 0) ON CONFLICT (sha256) DO UPDATE "
                "SET problem = '', problem_at = NULL"
            ),
            {"s": sha, "t": _now().isoformat()},
        )
    report.downloaded += 1


def fetch_and_read(db: Database, sha: str, progress: Any = None) -> bytes:
    """The bytes of a referenced document, downloaded first when this laptop does not have
    them (then their text is extracted too). Offline: DocumentUnavailable('not_downloaded')
    with the reason the store cannot be reached."""
    from db.errors import UserFacingError
    from desktop.services.documents import extract, service
    from desktop.services.documents.store import DocumentUnavailable

    sha = check_sha(sha)
    if not BlobStore.for_db(db).has(sha):
        try:
            report = sync_documents(db, fetch=[sha], progress=progress)
        except UserFacingError as exc:
            try:
                return service.read_bytes(db, sha)
            except DocumentUnavailable as missing:
                raise DocumentUnavailable(
                    missing.reason, f"{missing.message} ({exc.message})"
                ) from exc
        if report.downloaded:
            extract.extract_pending(db)
    try:
        return service.read_bytes(db, sha)
    except DocumentUnavailable as exc:
        if exc.reason != "damaged":
            raise
        return _repair(db, sha, exc)


def _repair(db: Database, sha: str, damaged: Exception) -> bytes:
    """A damaged local copy: set it aside and fetch the good bytes from the store; when that
    is not possible the original Dutch message stands."""
    from db.errors import UserFacingError
    from desktop.services.documents import service

    store = BlobStore.for_db(db)
    aside = store.set_aside(sha)
    log.warning("damaged blob %s moved to %s; fetching it again", sha, aside)
    try:
        report = sync_documents(db, fetch=[sha])
    except UserFacingError:
        report = None
    if report is None or not report.downloaded:
        raise damaged
    return service.read_bytes(db, sha)


def upload_quietly(db: Database) -> BlobReport | None:
    """Upload what is queued when a store is configured and reachable; otherwise nothing
    (offline is normal; the next attempt after a sync picks it up)."""
    from db.errors import UserFacingError

    try:
        return sync_documents(db)
    except (UserFacingError, OSError):
        return None
