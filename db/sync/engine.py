"""One sync round against a hub: check the store identity, detect a fork, push, pull.

Order and guarantees (SYNC-NOTES.md §8, §9):
* the store identity is checked before anything is written (empty / foreign / re-pointed
  store: refuse, change nothing);
* a segment is marked pushed only after it was published and read back;
* each pulled segment is applied in one local transaction together with the record that it
  was seen, so a crash at any point either applied it completely or not at all;
* a segment is applied only when everything it depends on is applied (per-origin contiguous
  sequences and the pusher's version vector), so late or reordered files are never skipped;
* bad segments are quarantined: reported, never applied, never deleted.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.engine import Database
from db.sync import bulk, faults, guard, trust
from db.sync.folder_hub import (
    HubError,
    HubRefused,
    Listing,
    SegmentRef,
    segment_name,
)
from db.sync.hub_protocol import Hub
from db.sync.op import SYNC_OP_COLUMNS, row_to_wire
from db.sync.oplog import OUTBOX, get_meta, origin_id, set_meta
from db.sync.reducer import advance_vv, apply_ops
from db.sync.segment import Keys, SegmentError, open_segment, read_header, seal, verify_document

FORMAT = 1
APP_VERSION = "0.1.0"
SEGMENT_MAX_OPS = 5000

Progress = Callable[[int, int, str], None]


@dataclass
class SyncReport:
    pushed_ops: int = 0
    pushed_segments: int = 0
    pulled_ops: int = 0
    pulled_segments: int = 0
    duplicate_ops: int = 0
    conflicts: int = 0
    quarantined: int = 0  # new this round
    quarantined_total: int = 0
    waiting: int = 0  # segments whose predecessors are not in the store (yet)
    skipped: int = 0  # segments that could not be read now (busy, vanished): next time
    fork: bool = False
    republished: int = 0
    refused_ops: int = 0  # operations of colleagues' segments refused (signer is not author...)
    held: list[str] = field(default_factory=list)  # own operations kept local (Dutch)
    waiting_detail: list[dict[str, Any]] = field(default_factory=list)  # per origin: why
    cleaned_tmp: int = 0
    skewed_origins: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Dutch, for the report
    cancelled: bool = False
    seconds: float = 0.0
    from_snapshot: int = 0  # segments read from a snapshot bundle instead of one by one
    bundle: dict[str, bytes] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed_ops,
            "pulled": self.pulled_ops,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "quarantined_total": self.quarantined_total,
            "pushed_segments": self.pushed_segments,
            "pulled_segments": self.pulled_segments,
            "duplicates": self.duplicate_ops,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "fork": self.fork,
            "republished": self.republished,
            "skewed_origins": self.skewed_origins,
            "problems": self.problems,
            "cancelled": self.cancelled,
            "from_snapshot": self.from_snapshot,
            "refused_ops": self.refused_ops,
            "held": self.held,
            "waiting_detail": self.waiting_detail,
            "cleaned_tmp": self.cleaned_tmp,
            "seconds": round(self.seconds, 3),
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- identity ---------------------------------------------------------------------------------
def roster_of(identity: dict[str, Any], documents: list[dict[str, Any]]) -> dict[str, list[str]]:
    """user id -> the public keys signed for that user (a member may have several laptops)."""
    owner_key = identity["owner"]["public_key"]
    roster: dict[str, list[str]] = {}
    for m in identity.get("members", []):
        roster.setdefault(m["user_id"], []).append(m["public_key"])
    roster.setdefault(identity["owner"]["user_id"], [])
    if owner_key not in roster[identity["owner"]["user_id"]]:
        roster[identity["owner"]["user_id"]].append(owner_key)
    for doc in documents:
        if (
            doc.get("hub_id") == identity["hub_id"]
            and isinstance(doc.get("user_id"), str)
            and isinstance(doc.get("public_key"), str)
            and verify_document(doc, owner_key)
        ):
            keys = roster.setdefault(doc["user_id"], [])
            if doc["public_key"] not in keys:
                keys.append(doc["public_key"])
    return roster


def check_identity(session: Session, hub: Hub) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The pinned store identity, verified; raises HubError (nothing changed) otherwise."""
    identity = hub.read_identity()
    pinned = get_meta(session, "hub_id")
    if pinned is None:
        raise HubError(
            "Deze database is nog niet aan een gedeelde opslag gekoppeld. Kies "
            "'Gedeelde opslag' om een opslag te maken of aan te sluiten."
        )
    if identity.get("hub_id") != pinned:
        raise HubError(
            f"De map {hub.root} bevat een andere gedeelde opslag dan waarmee deze database "
            "synchroniseert (is de map verplaatst of opnieuw gekoppeld?). Er is niets gewijzigd."
        )
    owner_key = get_meta(session, "hub_owner_key")
    if (
        not owner_key
        or identity.get("owner", {}).get("public_key") != owner_key
        or not verify_document(identity, owner_key)
    ):
        raise HubError(
            f"Het identiteitsbestand van de gedeelde opslag in {hub.root} is "
            "gewijzigd of vervalst. Er is niets gewijzigd; neem contact op met uw "
            "teamleider."
        )
    if identity.get("format") != FORMAT or _version(
        identity.get("min_app_version", "0")
    ) > _version(APP_VERSION):
        raise HubError(
            "De gedeelde opslag vraagt een nieuwere versie van Kwaliteitsdialoog. "
            "Werk het programma bij; er is niets gewijzigd."
        )
    documents = hub.roster_documents()
    roster = roster_of(identity, documents)
    _store_team(session, identity, roster, documents)
    return identity, roster


def _store_team(
    session: Session,
    identity: dict[str, Any],
    roster: dict[str, list[str]],
    documents: list[dict[str, Any]],
) -> None:
    """Derive the team's roles from the signed grants; keep them for this sync round."""
    team = trust.derive_roles(identity, roster, documents)
    session.info["kd_team"] = team


def save_team(db: Database, team: trust.TeamRoles | None) -> None:
    if team is None:
        return
    with db.read_session() as s:
        if get_meta(s, trust.ROLES_META) == team.as_json():
            return
    with db.write_session() as s, s.begin():
        trust.store_roles(s, team)


def _version(text_: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in str(text_).split("."))
    except ValueError:
        return (999,)


# -- the round --------------------------------------------------------------------------------
def sync(
    db: Database,
    hub: Hub,
    keys: Keys,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    judge: guard.Judge | None = None,
) -> SyncReport:
    """One round. `judge`: the review rules (desktop.services.review), so this laptop holds
    back a review step the team would not count (guard.self_check)."""
    started = time.perf_counter()
    report = SyncReport()
    cancelled = cancelled or (lambda: False)
    with db.read_session() as s:
        identity, roster = check_identity(s, hub)
        team = s.info.pop("kd_team", None)
        hub_id = identity["hub_id"]
        if identity.get("team_key_id") not in keys.team_keys:
            raise HubError(
                "De teamsleutel van deze gedeelde opslag staat niet in uw "
                "sleutelbos. Sluit opnieuw aan met een uitnodiging."
            )
    save_team(db, team)
    clean = getattr(hub, "clean_tmp", None)
    if clean is not None:
        report.cleaned_tmp = clean()
    listing = hub.list_segments()
    _check_fork(db, hub, keys, roster, hub_id, listing, report)
    if not cancelled():
        guard.republish_own(db, hub, keys, listing, report, roster)
        _push(db, hub, keys, hub_id, report, progress, roster, judge)
    if not cancelled():
        _load_snapshot(db, hub, roster, hub_id, listing, report)
        _pull(db, hub, keys, roster, identity, listing, report, progress, cancelled)
    report.cancelled = cancelled()
    with db.read_session() as s:
        report.conflicts = count_conflicts(s)
        report.quarantined_total = s.execute(
            text("SELECT COUNT(*) FROM sync_segment WHERE status = 'quarantined'")
        ).scalar_one()
    with db.write_session() as s, s.begin():
        set_meta(s, "last_sync", _now())
        set_meta(s, "last_sync_store", str(hub.root))
    report.seconds = time.perf_counter() - started
    return report


def _seen(session: Session) -> dict[str, tuple[str, int, int]]:
    return {
        r[0]: (r[1], r[2], r[3])
        for r in session.execute(
            text("SELECT name, status, size, mtime_ns FROM sync_segment")
        ).all()
    }


def _is_new(seen: dict[str, tuple[str, int, int]], name: str, size: int, mtime_ns: int) -> bool:
    """Never seen, or quarantined and since replaced (OneDrive finished the download)."""
    prev = seen.get(name)
    return prev is None or (prev[0] == "quarantined" and (prev[1], prev[2]) != (size, mtime_ns))


def _vv(session: Session) -> dict[str, int]:
    return {r[0]: r[1] for r in session.execute(text("SELECT origin_id, seq FROM sync_vv")).all()}


def _quarantine(
    db: Database,
    name: str,
    size: int,
    reason: str,
    report: SyncReport,
    ref: SegmentRef | None = None,
    mtime_ns: int = 0,
) -> None:
    with db.write_session() as s, s.begin():
        s.execute(
            text(
                "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
                "size, mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'quarantined', :z, :m, :r, :t)"
            ),
            {
                "n": name,
                "o": ref.origin if ref else "",
                "a": ref.first if ref else 0,
                "b": ref.last if ref else 0,
                "z": ref.size if ref else size,
                "m": ref.mtime_ns if ref else mtime_ns,
                "r": reason,
                "t": _now(),
            },
        )
    report.quarantined += 1
    report.problems.append(f"In quarantaine: {name}: {reason}")


def _read(hub: Hub, ref: SegmentRef, report: SyncReport) -> bytes | None:
    cached = report.bundle.pop(ref.name, None)
    if cached is not None:
        return cached
    try:
        return hub.read(ref.name)
    except FileNotFoundError:
        report.skipped += 1  # stale listing: it will be there next time, or never was
    except OSError as exc:
        report.skipped += 1
        report.problems.append(
            f"Nu niet leesbaar, volgende keer opnieuw: {ref.name} ({exc.strerror or exc})"
        )
    return None


def _open(
    db: Database,
    hub: Hub,
    keys: Keys,
    roster: dict[str, list[str]],
    hub_id: str,
    ref: SegmentRef,
    report: SyncReport,
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    data = _read(hub, ref, report)
    if data is None:
        return None
    try:
        header, ops = open_segment(data, keys.team_keys, roster, hub_id)
        if (header.get("o"), header.get("a"), header.get("b")) != (ref.origin, ref.first, ref.last):
            raise SegmentError(
                "name", "bestandsnaam past niet bij de inhoud (verwisseld of herhaald segment)"
            )
    except SegmentError as exc:
        _quarantine(db, ref.name, len(data), exc.message, report, ref)
        return None
    return header, ops


# -- fork detection (a restored laptop database reuses sequence numbers) ----------------------
def _check_fork(
    db: Database,
    hub: Hub,
    keys: Keys,
    roster: dict[str, list[str]],
    hub_id: str,
    listing: Listing,
    report: SyncReport,
) -> None:
    with db.read_session() as s:
        own = get_meta(s, "origin_id")
        seen = _seen(s)
    if own is None:
        return
    mine = [r for r in listing.segments if r.origin == own and r.name not in seen]
    if not mine:
        return
    with db.read_session() as s:
        local = {
            r[0]: r[1]
            for r in s.execute(
                text("SELECT origin_seq, op_id FROM sync_op WHERE origin_id = :o"), {"o": own}
            ).all()
        }
    fork_at: int | None = None
    adopt: list[SegmentRef] = []
    for ref in mine:
        opened = _open(db, hub, keys, roster, hub_id, ref, report)
        if opened is None:
            continue
        _, ops = opened
        mismatch = [op["s"] for op in ops if local.get(op["s"]) != op["id"]]
        if mismatch:
            fork_at = min(mismatch) if fork_at is None else min(fork_at, min(mismatch))
        else:
            adopt.append(ref)  # our own push whose acknowledgement was lost in a crash
    with db.write_session() as s, s.begin():
        for ref in adopt:
            _mark_pushed(s, own, ref)
        if fork_at is not None:
            new_origin = str(uuid.uuid4())
            moved = s.execute(
                text(
                    "SELECT op_id FROM sync_op WHERE origin_id = :o AND origin_seq >= :f "
                    "ORDER BY origin_seq"
                ),
                {"o": own, "f": fork_at},
            ).all()
            for i, (op_id,) in enumerate(moved, start=1):
                s.execute(
                    text(
                        "UPDATE sync_op SET origin_id = :n, origin_seq = :i, pushed = 0 "
                        "WHERE op_id = :id"
                    ),
                    {"n": new_origin, "i": i, "id": op_id},
                )
            s.execute(
                text("UPDATE sync_vv SET seq = :f WHERE origin_id = :o AND seq >= :f"),
                {"o": own, "f": fork_at - 1},
            )
            s.execute(
                text("INSERT OR REPLACE INTO sync_vv (origin_id, seq) VALUES (:n, :k)"),
                {"n": new_origin, "k": len(moved)},
            )
            set_meta(s, "origin_id", new_origin)
            set_meta(s, "next_seq", str(len(moved) + 1))
            set_meta(s, f"fork:{own}", new_origin)
            report.fork = True
            report.problems.append(
                "Deze database is teruggezet uit een reservekopie (vertakking gevonden). Beide "
                "versies blijven bewaard; deze laptop werkt verder onder een nieuwe bron-id."
            )


def _mark_pushed(s: Session, origin: str, ref: SegmentRef, digest: str = "") -> None:
    """The segment's size and SHA-256 are kept (in `reason`, "sha256:<hex>", for status
    'pushed') so every later sync can check the published copy (_republish)."""
    s.execute(
        text("UPDATE sync_op SET pushed = 1 WHERE origin_id = :o AND origin_seq BETWEEN :a AND :b"),
        {"o": origin, "a": ref.first, "b": ref.last},
    )
    s.execute(
        text(
            "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, size, "
            "mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'pushed', :z, :m, :r, :t)"
        ),
        {
            "n": ref.name,
            "o": origin,
            "a": ref.first,
            "b": ref.last,
            "z": ref.size,
            "m": ref.mtime_ns,
            "r": f"sha256:{digest}" if digest else "",
            "t": _now(),
        },
    )


# -- push -------------------------------------------------------------------------------------
def _ops_rows(s: Session, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    rows = s.execute(
        text(f"SELECT {SYNC_OP_COLUMNS} FROM sync_op WHERE {where} ORDER BY origin_seq"), params
    ).all()
    return [row_to_wire(r) for r in rows]


def _next_run(s: Session, own: str, after: int, base: int) -> list[dict[str, Any]]:
    """The next run of the outbox to publish as one segment: contiguous sequence numbers, at
    most SEGMENT_MAX_OPS, never across the baseline end. Read one segment's worth at a time
    (issue 18: the first push after `store create` never holds the op-log in memory)."""
    rows = s.execute(
        text(
            f"SELECT {SYNC_OP_COLUMNS} FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0 AND "
            "origin_seq > :a ORDER BY origin_seq LIMIT :n"
        ),
        {"o": own, "a": after, "n": SEGMENT_MAX_OPS},
    ).all()
    run = list(rows[:1])
    for r in rows[1:]:
        if r[2] != run[-1][2] + 1 or (r[2] <= base) != (run[-1][2] <= base):
            break
        run.append(r)
    return [row_to_wire(r) for r in run]


def _publish(
    db: Database,
    hub: Hub,
    keys: Keys,
    hub_id: str,
    origin: str,
    ops: list[dict[str, Any]],
    deps: dict[str, int],
    roster: dict[str, list[str]] | None = None,
    baseline: bool = False,
) -> tuple[SegmentRef, str]:
    """Publish one segment; returns its ref and SHA-256. If a file already has the name (a
    crash after the rename, or a damaged earlier attempt), adopt it when it holds exactly
    these operations, otherwise publish under the next attempt name; never overwrite."""
    import hashlib

    first, last = ops[0]["s"], ops[-1]["s"]
    header: dict[str, Any] = {
        "hub": hub_id,
        "o": origin,
        "a": first,
        "b": last,
        "d": deps,
        "c": len(ops),
    }
    reviews = [guard.review_entry(op) for op in ops if op["e"] == "review_event"]
    if baseline:  # history: its review steps are judged by derivation, not by signer
        header["bl"] = 1
    elif reviews:  # plaintext list of review steps: the team server demands their facts
        header["r"] = reviews
    data = seal(header, ops, keys)
    ids = [op["id"] for op in ops]
    for attempt in range(1, 10):
        name = segment_name(origin, first, last, attempt)
        try:
            hub.push(origin, first, last, data, attempt)
            return SegmentRef(name, origin, first, last, len(data)), hashlib.sha256(
                data
            ).hexdigest()
        except FileExistsError:
            try:
                existing = hub.read(name)
                _, theirs = open_segment(existing, keys.team_keys, roster or {}, hub_id)
                if [op["id"] for op in theirs] == ids:
                    return (
                        SegmentRef(name, origin, first, last, len(existing)),
                        hashlib.sha256(existing).hexdigest(),
                    )
            except (OSError, SegmentError):
                pass
            if roster is None:  # cannot judge the existing file: do not guess
                raise
    raise OSError(f"geen vrije naam voor segment {first}-{last}")


def _push(
    db: Database,
    hub: Hub,
    keys: Keys,
    hub_id: str,
    report: SyncReport,
    progress: Progress | None,
    roster: dict[str, list[str]],
    judge: guard.Judge | None = None,
) -> None:
    """Check the own outbox with the team's rules (guard.self_check), then publish it in
    contiguous runs. A run the team server refuses for good has its review steps held back
    and the rest is published in the same round."""
    server_refused: dict[str, str] = {}
    for _round in range(3):
        with db.write_session() as s, s.begin():
            if get_meta(s, "origin_id") is None:
                return
            held, released = guard.self_check(s, keys.user_id, judge, server_refused)
        report.held.extend(guard.held_message(h) for h in held)
        if released:
            report.problems.append(f"{released} eerder tegengehouden stap(pen) gaan nu mee.")
        refused = _push_runs(db, hub, keys, hub_id, report, progress, roster)
        if not refused:
            break
        server_refused = refused
    report.problems.extend(report.held)


def _push_runs(
    db: Database,
    hub: Hub,
    keys: Keys,
    hub_id: str,
    report: SyncReport,
    progress: Progress | None,
    roster: dict[str, list[str]],
) -> dict[str, str]:
    """Publish the outbox; returns {op id: reason} of review steps in a run the server
    refused (to be held back), or {} when done."""
    with db.read_session() as s:
        own = origin_id(s)
        waiting = int(
            s.execute(
                text(f"SELECT COUNT(*) FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0"),
                {"o": own},
            ).scalar_one()
        )
        if not waiting:
            return {}  # the usual sync: nothing of ours to send
        deps = {
            o: q
            for o, q in _vv(s).items()
            if o != own and q > 0 and o != get_meta(s, trust.HELD_ORIGIN_META)
        }
        base = trust.baselines(s).get(own, 0)
    # Contiguous runs of at most SEGMENT_MAX_OPS, never across the baseline end, read and
    # published one at a time.
    total = -(-waiting // SEGMENT_MAX_OPS)
    after, i = 0, 0
    while True:
        with db.read_session() as s:
            run = _next_run(s, own, after, base)
        if not run:
            break
        after = run[-1]["s"]
        if progress:
            progress(i, max(total, i + 1), "Wijzigingen versturen")
        i += 1
        try:
            ref, digest = _publish(
                db, hub, keys, hub_id, own, run, deps, roster, baseline=run[-1]["s"] <= base
            )
        except FileExistsError:
            report.problems.append(
                f"Segment {run[0]['s']}-{run[-1]['s']} bestaat al met andere inhoud; een "
                "vertakking wordt bij de volgende synchronisatie opgelost."
            )
            return {}
        except HubRefused as exc:
            reviews = {op["id"]: exc.message for op in run if op["e"] == "review_event"}
            if reviews:
                return reviews
            report.problems.append(f"{exc.message} Deze wijzigingen blijven bewaard.")
            return {}
        except OSError as exc:
            report.problems.append(
                f"Versturen lukte nu niet ({exc.strerror or exc}); uw "
                "wijzigingen blijven bewaard en gaan de volgende keer mee."
            )
            return {}
        with db.write_session() as s, s.begin():
            _mark_pushed(s, own, ref, digest)
        faults.point("push_after_mark")
        report.pushed_ops += len(run)
        report.pushed_segments += 1
    return {}


# -- pull -------------------------------------------------------------------------------------
def _pull(
    db: Database,
    hub: Hub,
    keys: Keys,
    roster: dict[str, list[str]],
    identity: dict[str, Any],
    listing: Listing,
    report: SyncReport,
    progress: Progress | None,
    cancelled: Callable[[], bool],
) -> None:
    hub_id, owner = identity["hub_id"], identity["owner"]["user_id"]
    bulk.restore_derived(db)  # a first pull killed half-way left the derived tables stale
    with db.read_session() as s:
        seen = _seen(s)
        vv = _vv(s)
        own = get_meta(s, "origin_id")
    for name, size in listing.foreign:
        if _is_new(seen, name, size, 0):
            _quarantine(
                db,
                name,
                size,
                "vreemde bestandsnaam (kopie, conflictkopie of ander bestand); niet gebruikt",
                report,
            )
    pending = [
        r for r in listing.segments if r.origin != own and _is_new(seen, r.name, r.size, r.mtime_ns)
    ]
    total = len(pending)
    # A replica that has applied nothing from the store yet (a new laptop joining) applies in
    # bulk (db/sync/bulk.py): same checks, derived tables rebuilt once at the end.
    fresh = not any(status == "applied" for status, _, _ in seen.values())
    with ExitStack() as stack:
        target = (
            stack.enter_context(bulk.first_pull(db))
            if fresh and total >= bulk.BULK_FROM_SEGMENTS
            else db
        )
        pending = _apply_pending(
            db,
            target,
            hub,
            keys,
            roster,
            hub_id,
            owner,
            pending,
            vv,
            report,
            progress,
            cancelled,
            total,
        )
    vv = _vv_fresh(db)
    report.waiting = len(pending)
    if pending and not cancelled():
        with db.read_session() as s:
            report.waiting_detail = guard.waiting_reasons(
                s, pending, vv, lambda name: _header_of(hub, name)
            )
        report.problems.extend(d["message"] for d in report.waiting_detail)


def _apply_pending(
    db: Database,
    target: Database,
    hub: Hub,
    keys: Keys,
    roster: dict[str, list[str]],
    hub_id: str,
    owner: str,
    pending: list[SegmentRef],
    vv: dict[str, int],
    report: SyncReport,
    progress: Progress | None,
    cancelled: Callable[[], bool],
    total: int,
) -> list[SegmentRef]:
    """Apply the pending segments in dependency order (to `target`: `db` itself, or its bulk
    connection on a first pull); returns those still waiting."""
    done = 0
    verified: set[str] = set()
    progressed = True
    while pending and progressed and not cancelled():
        progressed = False
        waiting: list[SegmentRef] = []
        for ref in pending:
            if cancelled():
                waiting.append(ref)
                continue
            if vv.get(ref.origin, 0) < ref.first - 1:
                # Not applicable yet; still verify it now, so tampering is reported at once.
                if ref.name not in verified:
                    if _open(db, hub, keys, roster, hub_id, ref, report) is None:
                        continue
                    verified.add(ref.name)
                waiting.append(ref)
                continue
            opened = _open(db, hub, keys, roster, hub_id, ref, report)
            if opened is None:
                continue
            header, ops = opened
            deps = header.get("d") or {}
            if any(vv.get(o, 0) < q for o, q in deps.items() if o != ref.origin):
                waiting.append(ref)
                continue
            _apply_segment(target, ref, header, ops, report, owner)
            vv = _vv_fresh(target)
            progressed = True
            done += 1
            if progress:
                progress(done, total, "Wijzigingen van collega's verwerken")
            faults.point("apply_after_commit")
        pending = waiting
    return pending


def _header_of(hub: Hub, name: str) -> dict[str, Any] | None:
    try:
        return read_header(hub.read(name))[0]
    except (OSError, SegmentError):
        return None


def _vv_fresh(db: Database) -> dict[str, int]:
    with db.read_session() as s:
        return _vv(s)


def _apply_segment(
    db: Database,
    ref: SegmentRef,
    header: dict[str, Any],
    ops: list[dict[str, Any]],
    report: SyncReport,
    owner: str,
) -> None:
    """Apply the operations the team accepts (guard.judge_segment); each refused one is
    recorded (status 'refused', op by op) and its sequence number passed, so nothing after
    it waits."""
    with db.write_session() as s, s.begin():
        # Rows of one segment may reference each other in any order: check at commit.
        s.execute(text("PRAGMA defer_foreign_keys = ON"))
        verdict = guard.judge_segment(s, header, ops, owner)
        result = apply_ops(s, verdict.good)
        advance_vv(s, {ref.origin: [op["s"] for op in ops]})
        for op, reason in verdict.refused:
            trust.record_status(s, f"{ref.name}#{op['id']}", ref.origin, op["s"], "refused", reason)
        if verdict.baseline:
            trust.add_baseline(s, ref.origin, ref.last)
        faults.point("apply_mid")
        s.execute(
            text(
                "INSERT OR REPLACE INTO sync_segment (name, origin_id, first_seq, last_seq, status, "
                "size, mtime_ns, reason, at) VALUES (:n, :o, :a, :b, 'applied', :z, :m, '', :t)"
            ),
            {
                "n": ref.name,
                "o": ref.origin,
                "a": ref.first,
                "b": ref.last,
                "z": ref.size,
                "m": ref.mtime_ns,
                "t": _now(),
            },
        )
    report.pulled_segments += 1
    report.refused_ops += len(verdict.refused)
    for op, reason in verdict.refused:
        report.problems.append(f"Geweigerd uit {ref.name}: {op['e']} {op['i']}: {reason}.")
    if verdict.role_claims:
        report.problems.append(
            f"{len(verdict.role_claims)} rolwijziging(en) uit {ref.name} "
            "genegeerd: rollen worden alleen door een teamleider toegekend "
            "(Extra › Team…)."
        )
    report.pulled_ops += result.new
    report.duplicate_ops += result.duplicate
    for o in sorted(result.skewed_origins):
        if o not in report.skewed_origins:
            report.skewed_origins.append(o)


# -- snapshots (db/sync/snapshot.py) ---------------------------------------------------------
from db.sync.snapshot import SNAP_MAGIC, _load_snapshot, put_snapshot  # noqa: E402, F401

# -- conflicts --------------------------------------------------------------------------------
CONFLICT_SQL = (
    "SELECT entity, entity_id, field FROM sync_conflict ORDER BY entity, entity_id, field"
)


def count_conflicts(session: Session) -> int:
    fields = session.execute(text(f"SELECT COUNT(*) FROM ({CONFLICT_SQL})")).scalar_one()
    flags = session.execute(text("SELECT COUNT(*) FROM sync_flag")).scalar_one()
    return int(fields) + int(flags)
