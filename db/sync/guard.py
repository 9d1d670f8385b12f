"""The engine's trust checks (issue 13), beside db/sync/engine.py: what a pulled segment may
change (op by op) and what this laptop may push (its own outbox, with the same rules). The
explanations a colleague sees when something waits (db.sync.waiting) and the republishing of
own damaged segments (db.sync.republish) sit beside it; their names stay importable here.

Review derivation lives in desktop.services.review; the engine gets it injected as a `Judge`
(db never imports desktop).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync import trust
from db.sync.op import Op, light_op
from db.sync.oplog import OUTBOX, get_meta, set_meta
from db.sync.published import review_entry
from db.sync.republish import republish_own
from db.sync.waiting import held_report, waiting_reasons

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
    good: list[Op]
    refused: list[tuple[Op, str]] = field(default_factory=list)
    role_claims: list[Op] = field(default_factory=list)
    baseline: bool = False


def judge_segment(session: Session, header: dict[str, Any], ops: list[Op], owner: str) -> Verdict:
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
        if reason is None and op.entity == "review_event" and review_entry(op) not in listed:
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
        if op.id in waiting
    ]
    candidates = [op for op in outbox if op.seq > base] + held_ops
    reasons = outbox_reasons(session, candidates, signer, judge)
    server_refused = server_refused or {}
    hold = [op for op in outbox if op.id in reasons or op.id in server_refused]
    release = [op for op in held_ops if op.id not in reasons]
    for op in held_ops:  # still held: keep the reason current
        if op.id in reasons:
            trust.record_status(session, f"held#{op.id}", op.origin, op.seq, "held", reasons[op.id])
    if not hold and not release:
        return [], 0
    keep = [op for op in outbox if op not in hold] + release
    first = outbox[0].seq if outbox else int(get_meta(session, "next_seq") or 1)
    for i, op in enumerate(keep):
        session.execute(
            text(
                "UPDATE sync_op SET origin_id = :o, origin_seq = :s, pushed = 0 WHERE op_id = :id"
            ),
            {"o": own, "s": first + i, "id": op.id},
        )
    for op in release:
        session.execute(text("DELETE FROM sync_segment WHERE name = :n"), {"n": f"held#{op.id}"})
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
            {"o": held, "s": next_held, "id": op.id},
        )
        if op.id in server_refused:
            status, reason, advice = (
                "refused_server",
                server_refused[op.id],
                (
                    "De teamserver weigert deze stap definitief; uw andere wijzigingen gaan gewoon "
                    "mee. Vraag de beheerder de teamleidersrol op de server te zetten en doe de stap "
                    "daarna opnieuw."
                ),
            )
        else:
            reason = reasons[op.id]
            status = "held"
            advice = (
                ROLE_ADVICE
                if op.entity == "review_event" and op.author == signer
                else AUTHOR_ADVICE
            )
        trust.record_status(session, f"held#{op.id}", held, next_held, status, reason)
        out.append(Held(op.id, op.entity, reason, advice))
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
) -> list[Op]:
    """Operations as far as the rules need them (no clock, no predecessors): the payload is read only for
    review steps (the outbox check must stay cheap: it runs before every push)."""
    rows = session.execute(
        text(
            "SELECT op_id, origin_id, origin_seq, author_id, kind, entity, entity_id, "
            f"CASE WHEN entity = 'review_event' THEN payload END FROM {source} WHERE "
            f"{where} ORDER BY origin_seq"
        ),
        params,
    ).all()
    return [light_op(r) for r in rows]


def outbox_reasons(
    session: Session, candidates: list[Op], signer: str, judge: Judge | None
) -> dict[str, str]:
    """op id -> why the team would refuse it: the receivers' per-op rules, then the review
    derivation for review steps."""
    reasons: dict[str, str] = {}
    for op in candidates:
        r = trust.op_refusal(op, signer)
        if r is not None:
            reasons[op.id] = r
    if judge is not None:
        reasons.update(
            judge(
                session,
                [
                    op.to_wire()
                    for op in candidates
                    if op.id not in reasons and op.entity == "review_event"
                ],
            )
        )
    return reasons


def held_message(h: Held) -> str:
    label = {"review_event": "Beoordelingsstap"}.get(h.entity, f"Wijziging ({h.entity})")
    return f"Niet gedeeld: {label}: {h.reason}. {h.advice}"


__all__ = [
    "AUTHOR_ADVICE",
    "ROLE_ADVICE",
    "Held",
    "Judge",
    "Verdict",
    "held_message",
    "held_report",
    "judge_segment",
    "outbox_reasons",
    "republish_own",
    "review_entry",
    "self_check",
    "waiting_reasons",
]
