"""Segment bytes: the unit every hub stores (hub-independent).

    MAGIC | u32 header length | header (canonical JSON) | u32 ciphertext length | ciphertext
          | Ed25519 signature (64 bytes) over everything before it

The ciphertext is AES-256-GCM under the team key of the header's key id, with the magic and
header as associated data, of the zlib-compressed canonical JSON list of operations. The
signature is by the author's Ed25519 key, which must be on the store's roster.

Also here: the store identity (hub.json) and roster entries, both signed, and invitation
envelopes (scrypt from a one-time passphrase).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from db.sync.op import Op, checked_ops, wire_problem, wire_seq

MAGIC = b"KDSEG\x00\x01\n"
FORMAT = 1
SIG_LEN = 64
MAX_HEADER = 1 << 20


class Refused(Exception):
    """Something read from the store that must not be used. `reason` is a short code,
    `message` Dutch."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class SegmentError(Refused):
    """A segment that must be quarantined."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def key_id(team_key: bytes) -> str:
    return hashlib.sha256(b"kd-team-key" + team_key).hexdigest()[:16]


def new_team_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_signing_seed() -> bytes:
    return os.urandom(32)


def private_key(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_b64(seed: bytes) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = (
        private_key(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return b64(raw)


def load_public(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(unb64(text))


@dataclass(frozen=True)
class Keys:
    """What this replica needs to read and write segments."""

    team_keys: dict[str, bytes]  # key id -> 32-byte AES key
    current_key_id: str
    user_id: str  # signer
    signing_seed: bytes


# -- segments ---------------------------------------------------------------------------------
def seal(header: dict[str, Any], ops: list[dict[str, Any]], keys: Keys) -> bytes:
    nonce = os.urandom(12)
    header = dict(header, f=FORMAT, k=keys.current_key_id, u=keys.user_id, n=b64(nonce))
    hb = canonical(header)
    plaintext = zlib.compress(canonical(ops), 6)
    ct = AESGCM(keys.team_keys[keys.current_key_id]).encrypt(nonce, plaintext, MAGIC + hb)
    body = MAGIC + struct.pack(">I", len(hb)) + hb + struct.pack(">I", len(ct)) + ct
    return body + private_key(keys.signing_seed).sign(body)


def read_header(data: bytes) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, header bytes, ciphertext, signed body). Raises SegmentError."""
    if len(data) == 0:
        raise SegmentError("empty", "leeg bestand (nog niet volledig gedownload?)")
    if not data.startswith(MAGIC):
        raise SegmentError("foreign", "geen segmentbestand van Kwaliteitsdialoog")
    pos = len(MAGIC)
    if len(data) < pos + 4:
        raise SegmentError("truncated", "bestand is afgekapt")
    (hlen,) = struct.unpack(">I", data[pos : pos + 4])
    pos += 4
    if hlen > MAX_HEADER or len(data) < pos + hlen + 4:
        raise SegmentError("truncated", "bestand is afgekapt")
    hb = data[pos : pos + hlen]
    pos += hlen
    (clen,) = struct.unpack(">I", data[pos : pos + 4])
    pos += 4
    if len(data) != pos + clen + SIG_LEN:
        raise SegmentError("truncated", "bestand is afgekapt of verlengd")
    ct = data[pos : pos + clen]
    try:
        header = json_object(hb)
    except ValueError as exc:
        raise SegmentError("corrupt", "kop van het segment is onleesbaar") from exc
    return header, hb, ct, data[: pos + clen]


def json_object(raw: bytes) -> dict[str, Any]:
    """A JSON object (a segment's or blob's header); ValueError for anything else."""
    value = json.loads(raw)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


def open_segment(
    data: bytes, team_keys: dict[str, bytes], roster: dict[str, Any], hub_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Verify and decrypt. roster: user id -> public key(s) (base64). Raises SegmentError."""
    header, hb, ct, body = read_header(data)
    if header.get("f") != FORMAT:
        raise SegmentError("format", "onbekende segmentversie (nieuwere programmaversie?)")
    if header.get("hub") != hub_id:
        raise SegmentError("foreign", "segment hoort bij een andere gedeelde opslag")
    signer = header.get("u")
    pub = roster.get(signer) if isinstance(signer, str) else None
    if pub is None or not isinstance(signer, str):
        raise SegmentError("signer", "ondertekend door iemand die niet op de teamlijst staat")
    for key in [pub] if isinstance(pub, str) else pub:
        try:
            load_public(key).verify(data[len(body) :], body)
            break
        except (InvalidSignature, ValueError):
            continue
    else:
        raise SegmentError("signature", "handtekening klopt niet (gewijzigd of vervalst)")
    key = team_keys.get(header.get("k", ""))
    if key is None:
        raise SegmentError("key", "versleuteld met een onbekende teamsleutel")
    try:
        nonce = unb64(header["n"])
        plaintext = zlib.decompress(AESGCM(key).decrypt(nonce, ct, MAGIC + hb))
        ops = json.loads(plaintext)
    except (InvalidTag, KeyError, ValueError, zlib.error) as exc:
        raise SegmentError("decrypt", "ontsleutelen mislukt (gewijzigd bestand)") from exc
    _check_ops(header, ops, signer)
    return header, ops


def open_ops(
    data: bytes, team_keys: dict[str, bytes], roster: dict[str, Any], hub_id: str
) -> tuple[dict[str, Any], list[Op]]:
    """`open_segment` with the operations as `Op`s (what the engine works with)."""
    header, ops = open_segment(data, team_keys, roster, hub_id)
    return header, checked_ops(ops)  # open_segment checked each (_check_ops)


def _check_ops(header: dict[str, Any], ops: Any, signer: str) -> None:  # noqa: ARG001
    from db.models import ENTITIES

    if not isinstance(ops, list) or not ops:
        raise SegmentError("corrupt", "segment bevat geen bewerkingen")
    first, last, origin = header.get("a"), header.get("b"), header.get("o")
    if not (isinstance(first, int) and isinstance(last, int) and 1 <= first <= last):
        raise SegmentError("corrupt", "volgnummers in de kop zijn onjuist")
    if [wire_seq(op) for op in ops] != list(range(first, last + 1)):
        raise SegmentError("corrupt", "volgnummers in het segment kloppen niet met de kop")
    for op in ops:
        problem = wire_problem(op, origin, ENTITIES)
        if problem is not None:
            raise SegmentError("corrupt", problem)
    # Who may write what (signer = author, review events) is judged per operation by the
    # engine (db/sync/trust.py): one refused operation does not take the segment with it.


# -- store identity and roster ----------------------------------------------------------------
def sign_document(doc: dict[str, Any], seed: bytes) -> dict[str, Any]:
    body = {k: v for k, v in doc.items() if k != "signature"}
    return dict(body, signature=b64(private_key(seed).sign(canonical(body))))


def verify_document(doc: dict[str, Any], public_b64: str) -> bool:
    body = {k: v for k, v in doc.items() if k != "signature"}
    try:
        load_public(public_b64).verify(unb64(doc.get("signature", "")), canonical(body))
        return True
    except (InvalidSignature, ValueError):
        return False


# -- invitations (one-time passphrase, scrypt) ------------------------------------------------
SCRYPT_N = int(os.environ.get("KD_SCRYPT_N", str(2**15)))


def _kdf(passphrase: str, salt: bytes, n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode("utf-8"))


def wrap_secret(secret: dict[str, Any], passphrase: str, aad: bytes) -> dict[str, Any]:
    salt, nonce = os.urandom(16), os.urandom(12)
    key = _kdf(passphrase, salt, SCRYPT_N)
    ct = AESGCM(key).encrypt(nonce, canonical(secret), aad)
    return {
        "kdf": "scrypt",
        "n": SCRYPT_N,
        "r": 8,
        "p": 1,
        "salt": b64(salt),
        "nonce": b64(nonce),
        "ct": b64(ct),
    }


def unwrap_secret(envelope: dict[str, Any], passphrase: str, aad: bytes) -> dict[str, Any] | None:
    try:
        key = _kdf(passphrase, unb64(envelope["salt"]), int(envelope["n"]))
        return json.loads(AESGCM(key).decrypt(unb64(envelope["nonce"]), unb64(envelope["ct"]), aad))
    except (InvalidTag, KeyError, ValueError):
        return None
