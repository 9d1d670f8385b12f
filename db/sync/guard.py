"""The engine's trust checks (issue 13), beside db/sync/engine.py: what a pulled segment may
change (op by op), what this laptop may push (its own outbox, with the same rules), and the
explanations a colleague sees when something waits.

Review derivation lives in desktop.services.review; the engine gets it injected as a `Judge`
(db never imports desktop).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync import trust
from db.sync.op import light_wire
from db.sync.oplog import OUTBOX, get_meta, set_meta
from db.sync.published import review_entry

if TYPE_CHECKING:
    from db.engine import Database
    from db.sync.folder_hub import Listing
    from db.sync.hub_protocol import Hub
    from db.sync.report import SyncReport
    from db.sync.segment import Keys

# (session, own operations in wire form) -> {op id: Dutch reason} for review steps the team's
# review rules would not count (approval without a granted teamleider role, by an editor, of
# another version).
Judge = Callable[[Session, list[dict[str, Any]]], dict[str, str]]

ROLE_ADVICE = (
    "Vraag de teamleider om die rol (Extra › Team…): daarna gaat de stap bij de "
    "volgende synchronisatie alsnog mee. Of trek de stap in."
)
AUTHOR_ADVICE = (
    "Deze wijziging staat op naam van een ander dan u en gaat daarom niet mee. Leg "
    "haar opnieuw vast onder uw eigen naam."
)


# -- pull: which operations of a verified segment count ---------------------------------------
@dataclass
class Verdict:
    good: list[dict[str, Any]]
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)
    role_claims: list[dict[str, Any]] = field(default_factory=list)
    baseline: bool = False


def judge_segment(
    session: Session, header: dict[str, Any], ops: list[dict[str, Any]], owner: str
) -> Verdict:
    signer = str(header.get("u", ""))
    origin = str(header.get("o", ""))
    # A baseline (history before the store) counts only when the owner attests it and it is
    # the start of the owner's origin: nothing else of that origin applied before it.
    if header.get("bl") == 1 and signer == owner:
        vv = session.execute(
            text("SELECT seq FROM sync_vv WHERE origin_id = :o"), {"o": origin}
        ).scalar()
        if int(vv or 0) == trust.baselines(session).get(origin, 0):
            return Verdict(list(ops), baseline=True)
    listed = {tuple(e) for e in header.get("r") or [] if isinstance(e, list)}
    verdict = Verdict([])
    for op in ops:
        reason = trust.op_refusal(op, signer)
        if reason is None and op["e"] == "review_event" and review_entry(op) not in listed:
            reason = "beoordelingsstap niet (juist) aangemeld in de kop van het segment"
        if reason is None:
            verdict.good.append(op)
            if trust.role_claim(op):
                verdict.role_claims.append(op)
        else:
            verdict.refused.append((op, reason))
    return verdict


# -- push: the own outbox, checked with the same rules -----------------------------------------
@dataclass
class Held:
    op_id: str
    entity: str
    reason: str
    advice: str


def self_check(
    session: Session, signer: str, judge: Judge | None, server_refused: dict[str, str] | None = None
) -> tuple[list[Held], int]:
    """Move own unpushed operations the team would refuse out of the outbox (to the local
    held origin, never pushed) and put held ones that pass now back; renumber the outbox so
    it stays contiguous. Returns (newly held, released). `server_refused`: op id -> the team
    server's reason (held for good: not re-checked)."""
    own = get_meta(session, "origin_id")
    if own is None:
        return [], 0
    base = trust.baselines(session).get(own, 0)
    held_o = get_meta(session, trust.HELD_ORIGIN_META)
    waiting = (
        {
            r[0][5:]
            for r in session.execute(text("SELECT name FROM sync_segment WHERE status = 'held'"))
        }
        if held_o
        else set()
    )
    if (
        not waiting
        and not server_refused
        and not session.execute(
            text(
                f"SELECT 1 FROM {OUTBOX} WHERE origin_id = :o AND pushed = 0 AND origin_seq > :b AND "
                "(author_id IS NOT :u OR entity = 'review_event') LIMIT 1"
            ),
            {"o": own, "b": base, "u": signer},
        ).first()
    ):
        return [], 0  # the usual case: only the user's own ordinary edits
    outbox = _light_ops(session, "origin_id = :o AND pushed = 0", {"o": own}, OUTBOX)
    held_ops = [
        op
        for op in (_light_ops(session, "origin_id = :o", {"o": held_o}) if waiting else [])
        if op["id"] in waiting
    ]
    candidates = [op for op in outbox if op["s"] > base] + held_ops
    reasons = outbox_reasons(session, candidates, signer, judge)
    server_refused = server_refused or {}
    hold = [op for op in outbox if op["id"] in reasons or op["id"] in server_refused]
    release = [op for op in held_ops if op["id"] not in reasons]
    for op in held_ops:  # still held: keep the reason current
        if op["id"] in reasons:
            trust.record_status(
                session, f"held#{op['id']}", op["o"], op["s"], "held", reasons[op["id"]]
            )
    if not hold and not release:
        return [], 0
    keep = [op for op in outbox if op not in hold] + release
    first = outbox[0]["s"] if outbox else int(get_meta(session, "next_seq") or 1)
    for i, op in enumerate(keep):
        session.execute(
            text(
                "UPDATE sync_op SET origin_id = :o, origin_seq = :s, pushed = 0 WHERE op_id = :id"
            ),
            {"o": own, "s": first + i, "id": op["id"]},
        )
    for op in release:
        session.execute(text("DELETE FROM sync_segment WHERE name = :n"), {"n": f"held#{op['id']}"})
    held = trust.held_origin(session)
    next_held = (
        int(
            session.execute(
                text("SELECT COALESCE(MAX(origin_seq), 0) FROM sync_op WHERE origin_id = :o"),
                {"o": held},
            ).scalar_one()
        )
        + 1
    )
    out = []
    for op in hold:
        session.execute(
            text("UPDATE sync_op SET origin_id = :o, origin_seq = :s WHERE op_id = :id"),
            {"o": held, "s": next_held, "id": op["id"]},
        )
        if op["id"] in server_refused:
            status, reason, advice = (
                "refused_server",
                server_refused[op["id"]],
                (
                    "De teamserver weigert deze stap definitief; uw andere wijzigingen gaan gewoon "
                    "mee. Vraag de beheerder de teamleidersrol op de server te zetten en doe de stap "
                    "daarna opnieuw."
                ),
            )
        else:
            reason = reasons[op["id"]]
            status = "held"
            advice = (
                ROLE_ADVICE if op["e"] == "review_event" and op["a"] == signer else AUTHOR_ADVICE
            )
        trust.record_status(session, f"held#{op['id']}", held, next_held, status, reason)
        out.append(Held(op["id"], op["e"], reason, advice))
        next_held += 1
    last = first + len(keep) - 1
    session.execute(
        text("INSERT OR REPLACE INTO sync_vv (origin_id, seq) VALUES (:o, :s)"),
        {"o": own, "s": max(last, 0)},
    )
    set_meta(session, "next_seq", str(last + 1))
    return out, len(release)


def _light_ops(
    session: Session, where: str, params: dict[str, Any], source: str = "sync_op"
) -> list[dict[str, Any]]:
    """Operations in wire form as far as the rules need them: the payload is read only for
    review steps (the outbox check must stay cheap: it runs before every push)."""
    rows = session.execute(
        text(
            "SELECT op_id, origin_id, origin_seq, author_id, kind, entity, entity_id, "
            f"CASE WHEN entity = 'review_event' THEN payload END FROM {source} WHERE "
            f"{where} ORDER BY origin_seq"
        ),
        params,
    ).all()
    return [light_wire(r) for r in rows]


def outbox_reasons(
    session: Session, candidates: list[dict[str, Any]], signer: str, judge: Judge | None
) -> dict[str, str]:
    """op id -> why the team would refuse it: the receivers' per-op rules, then the review
    derivation for review steps."""
    reasons: dict[str, str] = {}
    for op in candidates:
        r = trust.op_refusal(op, signer)
        if r is not None:
            reasons[op["id"]] = r
    if judge is not None:
        reasons.update(
            judge(
                session,
                [op for op in candidates if op["id"] not in reasons and op["e"] == "review_event"],
            )
        )
    return reasons


def held_message(h: Held) -> str:
    label = {"review_event": "Beoordelingsstap"}.get(h.entity, f"Wijziging ({h.entity})")
    return f"Niet gedeeld: {label}: {h.reason}. {h.advice}"


# -- what waits, and why ------------------------------------------------------------------------
def waiting_reasons(
    session: Session,
    waiting: list[Any],
    vv: dict[str, int],
    read_header: Callable[[str], dict[str, Any] | None],
) -> list[dict[str, Any]]:
    """Per origin that waits: the damaged segment it waits for, whose, since when."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for ref in waiting:
        if ref.origin in seen:
            continue
        seen.add(ref.origin)
        need = vv.get(ref.origin, 0) + 1
        row = session.execute(
            text(
                "SELECT name, reason, at FROM sync_segment WHERE status = 'quarantined' AND "
                "origin_id = :o AND first_seq <= :n AND last_seq >= :n ORDER BY at LIMIT 1"
            ),
            {"o": ref.origin, "n": need},
        ).first()
        who = _origin_user(session, ref.origin, row[0] if row else None, read_header)
        if row is not None:
            text_ = (
                f"Het segment {row[0]} van {who} is beschadigd ({row[1]}), sinds {row[2]}. "
                f"De wijzigingen van {who} daarna wachten; de volgende synchronisatie van "
                f"{who} herstelt het."
            )
            out.append(
                {
                    "origin": ref.origin,
                    "user": who,
                    "damaged": row[0],
                    "since": row[2],
                    "reason": row[1],
                    "message": text_,
                }
            )
        else:
            out.append(
                {
                    "origin": ref.origin,
                    "user": who,
                    "damaged": None,
                    "since": None,
                    "reason": "",
                    "message": f"Wijzigingen van {who} wachten op eerdere "
                    "wijzigingen die nog niet in de gedeelde "
                    "opslag staan.",
                }
            )
    return out


def _origin_user(
    session: Session,
    origin: str,
    name: str | None,
    read_header: Callable[[str], dict[str, Any] | None],
) -> str:
    user = session.execute(
        text(
            "SELECT author_id FROM sync_op WHERE origin_id = :o AND author_id IS NOT NULL LIMIT 1"
        ),
        {"o": origin},
    ).scalar()
    if user is None and name is not None:
        header = read_header(name)
        user = header.get("u") if header else None
    if user is None:
        return "een collega"
    found = session.execute(text("SELECT name FROM app_user WHERE id = :i"), {"i": user}).scalar()
    return str(found or user)


def held_report(session: Session) -> list[dict[str, Any]]:
    """This laptop's operations that stay local, with the reason (for the author)."""
    rows = session.execute(
        text(
            "SELECT s.name, s.status, s.reason, s.at, o.entity, o.entity_id, o.payload FROM "
            "sync_segment s LEFT JOIN sync_op o ON o.op_id = substr(s.name, 6) WHERE s.status IN "
            "('held', 'refused_server') ORDER BY s.at, s.name"
        )
    ).all()
    return [
        {
            "op_id": r[0][5:],
            "status": r[1],
            "reason": r[2],
            "at": r[3],
            "entity": r[4],
            "entity_id": r[5],
            "payload": json.loads(r[6]) if r[6] else {},
        }
        for r in rows
    ]


# -- own published segments: checked every sync, republished when damaged or missing ------
def republish_own(
    db: Database,
    hub: Hub,
    keys: Keys,
    listing: Listing,
    report: SyncReport,
    roster: dict[str, list[str]],
) -> None:
    """Check this laptop's published segments: one the store no longer lists (store rolled
    back to an older copy) or whose bytes changed (bit rot, a bad OneDrive sync: size, date
    or SHA-256 differ from what was published) is published again, under the next attempt
    name; readers take the repaired copy."""
    import hashlib

    from db.sync.published import mark_pushed, ops_rows, publish
    from db.sync.segment import SegmentError, open_segment

    present = {r.name: r for r in listing.segments}
    with db.read_session() as s:
        own = get_meta(s, "origin_id")
        hub_id = get_meta(s, "hub_id")
        rows = s.execute(
            text(
                "SELECT name, origin_id, first_seq, last_seq, size, mtime_ns, reason FROM "
                "sync_segment WHERE status = 'pushed' AND origin_id = :o"
            ),
            {"o": own},
        ).all()
    gone: list[tuple[str, str, int, int]] = []
    damaged: list[tuple[str, str, int, int]] = []
    seen_mtime: list[tuple[str, int]] = []
    for name, origin, first, last, size, mtime, reason in rows:
        ref = present.get(name)
        if ref is None:
            gone.append((name, origin, first, last))
            continue
        if ref.size == size and (not ref.mtime_ns or ref.mtime_ns == mtime):
            continue
        try:
            data = hub.read(name)
        except OSError:
            continue
        digest = hashlib.sha256(data).hexdigest()
        if reason.startswith("sha256:") and reason[7:] == digest:
            seen_mtime.append((name, ref.mtime_ns))  # first look at a fresh push: remember
            continue
        try:
            open_segment(data, keys.team_keys, roster, str(hub_id))
            if reason.startswith("sha256:"):
                raise SegmentError("hash", "andere inhoud dan verstuurd")
            seen_mtime.append((name, ref.mtime_ns))
        except SegmentError:
            damaged.append((name, origin, first, last))
    if seen_mtime:
        with db.write_session() as s, s.begin():
            for name, mtime in seen_mtime:
                s.execute(
                    text("UPDATE sync_segment SET mtime_ns = :m WHERE name = :n"),
                    {"m": mtime, "n": name},
                )
    if gone and not listing.segments:
        # An empty listing is more likely a disconnected share than a rollback.
        report.problems.append("De gedeelde opslag lijkt leeg; er is niets opnieuw verstuurd.")
        gone = []
    for name, origin, first, last in gone + damaged:
        with db.read_session() as s:
            ops = ops_rows(
                s,
                "origin_id = :o AND origin_seq BETWEEN :a AND :b",
                {"o": origin, "a": first, "b": last},
            )
            base = trust.baselines(s).get(origin, 0)
        if len(ops) != last - first + 1:
            continue
        try:
            ref, digest = publish(
                db, hub, keys, str(hub_id), origin, ops, {}, roster, baseline=last <= base
            )
        except OSError:
            continue
        report.republished += 1
        if (name, origin, first, last) in damaged:
            with db.write_session() as s, s.begin():
                s.execute(
                    text(
                        "UPDATE sync_segment SET status = 'replaced', reason = :r WHERE name = :n"
                    ),
                    {"n": name, "r": f"beschadigd; opnieuw verstuurd als {ref.name}"},
                )
                mark_pushed(s, origin, ref, digest)
            report.problems.append(
                f"Uw segment {name} was beschadigd in de gedeelde opslag; "
                f"het is opnieuw verstuurd ({ref.name})."
            )
