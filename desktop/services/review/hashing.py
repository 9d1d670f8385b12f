"""The content hash of a subject's exact version: canonical JSON (sorted keys, exact cents),
SHA-256. An approval names this hash; any later edit makes another."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from db.engine import Database
from desktop.services.review.subjects import spec_of


def _canonical(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return value


def hash_content(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no whitespace, exact cents)."""
    text = json.dumps(_canonical(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hash_in(session: Session, subject_type: str, subject_id: str) -> str:
    return hash_content(spec_of(subject_type).content(session, subject_id))


def content_hash_in(session: Session, subject_type: str, subject_id: str) -> str:
    """`content_hash` inside the caller's session (a subject's service compares the version
    before and after its own edit in one unit of work)."""
    return _hash_in(session, subject_type, subject_id)


def content_hash(db: Database, subject_type: str, subject_id: str) -> str:
    """Hash of the current version of a subject (its fields + criterion judgements...)."""
    with db.read_session() as s:
        return _hash_in(s, subject_type, subject_id)
