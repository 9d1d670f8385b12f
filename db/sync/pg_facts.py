"""Review facts: what the team server must see next to a pushed segment to guard the
vier-ogen rule (subject, version hash, actor, kind, editors of the version). The rule itself is
injected (`EditorsOf`, desktop.services.review.editors_of): db never imports desktop.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import psycopg

from db.sync.op import Op


@dataclass(frozen=True)
class ReviewFact:
    op_id: str
    subject_type: str
    subject_id: str
    kind: str
    actor_id: str
    content_hash: str
    origin_id: str
    origin_seq: int
    editors: frozenset[str]


FactSource = Callable[[bytes], list[ReviewFact]]


def segment_ops(
    data: bytes, team_keys: dict[str, bytes]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Decrypt a segment this replica can read (no roster check: used for own pushes and for
    migration by the teamleider, who verifies nothing new here)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from db.sync.segment import MAGIC, read_header, unb64

    header, hb, ct, _body = read_header(data)
    key = team_keys[header["k"]]
    plain = AESGCM(key).decrypt(unb64(header["n"]), ct, MAGIC + hb)
    return header, json.loads(zlib.decompress(plain))


EditorsOf = Callable[[Any, str, str], Iterable[str]]
"""`(session, subject_type, subject_id) -> editor ids`: who edited the subject's content, by the
vier-ogen rule (desktop.services.review.editors_of). Injected: db never imports desktop."""


class ReviewFactSource:
    """Review facts of a segment pushed from the replica `db`: the review events it carries,
    each with the editors of the subject as this replica knows them (`editors_of`, the rule's
    one home in the service layer; desktop.services.sync.review_facts builds this)."""

    def __init__(
        self, db: Any, team_keys: dict[str, bytes], *, editors_of: EditorsOf, baseline: bool = False
    ) -> None:
        self.db = db
        self.team_keys = team_keys
        self.editors_of = editors_of
        self.baseline = baseline  # also the owner's baseline (store-migrate imports it)

    def with_baseline(self) -> ReviewFactSource:
        return ReviewFactSource(self.db, self.team_keys, editors_of=self.editors_of, baseline=True)

    def __call__(self, data: bytes) -> list[ReviewFact]:
        header, ops = segment_ops(data, self.team_keys)
        if header.get("bl") == 1 and not self.baseline:
            return []  # the owner's baseline (history before the store): judged by replicas
        out = []
        for wire in ops:
            try:
                op = Op.from_wire(wire)
            except ValueError:
                continue  # not an operation: carries no review fact
            if op.entity != "review_event" or op.kind != "create":
                continue
            p = op.payload
            st, sid = str(p.get("subject_type", "")), str(p.get("subject_id", ""))
            out.append(
                ReviewFact(
                    op_id=op.id,
                    subject_type=st,
                    subject_id=sid,
                    kind=str(p.get("kind", "")),
                    actor_id=str(p.get("actor_id") or op.author or ""),
                    content_hash=str(p.get("content_hash", "")),
                    origin_id=op.origin,
                    origin_seq=int(op.seq),
                    editors=frozenset(self.editors(st, sid)),
                )
            )
        return out

    def editors(self, subject_type: str, subject_id: str) -> set[str]:
        with self.db.read_session() as s:
            try:
                return set(self.editors_of(s, subject_type, subject_id))
            except Exception:  # noqa: BLE001 - unknown subject: every author of the record
                from sqlalchemy import text

                return {
                    r[0]
                    for r in s.execute(
                        text(
                            "SELECT DISTINCT author_id FROM sync_op WHERE entity_id = :i AND "
                            "entity <> 'review_event' AND author_id IS NOT NULL"
                        ),
                        {"i": subject_id},
                    )
                }


def write_facts(c: psycopg.Connection, facts: Iterable[ReviewFact], *, imported: bool) -> None:
    for f in facts:
        for editor in sorted(f.editors):
            c.execute(
                "INSERT INTO version_editor (subject_type, subject_id, content_hash, "
                "editor_id) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (f.subject_type, f.subject_id, f.content_hash, editor),
            )
    for f in facts:
        c.execute(
            "INSERT INTO review_fact (op_id, subject_type, subject_id, kind, actor_id, "
            "content_hash, origin_id, origin_seq, imported) VALUES (%s, %s, %s, %s, %s, %s, %s, "
            "%s, %s) ON CONFLICT (op_id) DO NOTHING",
            (
                f.op_id,
                f.subject_type,
                f.subject_id,
                f.kind,
                f.actor_id,
                f.content_hash,
                f.origin_id,
                f.origin_seq,
                imported,
            ),
        )
