"""Moving a store from a file share to the team server, byte for byte
(`kwaliteitsdialoog teamserver migrate --from PATH --to postgresql://...`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from db.sync.folder_hub import FolderHub
from db.sync.pg_facts import FactSource, ReviewFact, ReviewFactSource, write_facts
from db.sync.pg_server import PostgresHub, parse_name


@dataclass(frozen=True)
class MigrationResult:
    segments_copied: int
    segments_present: int
    documents: int
    facts_imported: int
    facts_refused: int

    def as_dict(self) -> dict[str, int]:
        return {
            "segments_copied": self.segments_copied,
            "segments_present": self.segments_present,
            "documents": self.documents,
            "facts_imported": self.facts_imported,
            "facts_refused": self.facts_refused,
        }


def migrate_store(
    source: FolderHub,
    target: PostgresHub,
    facts: FactSource | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> MigrationResult:
    """Copy a file-share store to the server byte for byte (identity, roster, invitations,
    join images when the server has them, every valid-named segment). Safe to run again: what is there is skipped, never replaced.
    Review facts of the copied segments are imported (as the administrator) so approvals of
    versions submitted before the move are checked by the server too."""
    identity = source.read_identity()
    target.create(identity)
    docs = 0
    for sub in ("roster", "invites"):
        folder = source.root / sub
        if not folder.exists():
            continue
        for path in sorted(folder.iterdir()):
            if path.is_file():
                target.put_file(f"{sub}/{path.name}", path.read_bytes())
                docs += 1
    if target.images_available():  # join images travel too (the same bytes, owner-signed)
        for name in source.list_images():
            target.put_image(name, source.root / name)
            docs += 1
    listing = source.list_segments()
    copied = present = 0
    pending: list[ReviewFact] = []
    for i, ref in enumerate(listing.segments):
        if progress:
            progress(i, len(listing.segments), "Segmenten overzetten")
        data = source.read(ref.name)
        parsed = parse_name(ref.name)
        attempt = parsed[3] if parsed else 1
        if (
            target._push(ref.origin, ref.first, ref.last, data, [], imported=True, attempt=attempt)
            == "written"
        ):
            copied += 1
            if isinstance(facts, ReviewFactSource):  # history is imported as well
                facts = facts.with_baseline()
            pending.extend(facts(data) if facts is not None else [])
        else:
            present += 1
    # Facts after all segments, submissions before decisions (the trigger wants the
    # submission of a version before its approval); each in a savepoint: a fact the rule
    # refuses (an invalid approval the app never honoured) is skipped, its segment kept.
    order = {"SUBMITTED": 0, "WITHDRAWN": 1, "REJECTED": 1, "APPROVED": 2}
    pending.sort(key=lambda f: (order.get(f.kind, 1), f.origin_id, f.origin_seq))

    def go(c: psycopg.Connection) -> tuple[int, int]:
        ok = bad = 0
        for fact in pending:
            try:
                with c.transaction():
                    write_facts(c, [fact], imported=True)
                ok += 1
            except (psycopg.errors.InsufficientPrivilege, psycopg.errors.CheckViolation):
                bad += 1
        return ok, bad

    imported, refused = target._run(go, as_os_error=False) if pending else (0, 0)
    return MigrationResult(copied, present, docs, imported, refused)
