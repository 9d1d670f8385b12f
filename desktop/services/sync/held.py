"""Changes this laptop holds back (the team would refuse them): the overview for their author,
and withdrawing one."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text

from db.engine import Database
from db.errors import NotFound, RuleViolation
from db.sync import guard, trust
from db.sync.oplog import get_meta

log = logging.getLogger("desktop.services.sync")


def held_changes(db: Database) -> list[dict[str, Any]]:
    """This laptop's changes that stay local because the team would refuse them."""
    with db.read_session() as s:
        return guard.held_report(s)


@dataclass(frozen=True)
class HeldChange:
    """One of this laptop's changes that the team would refuse, in Dutch (issue 13)."""

    op_id: str
    what: str
    reason: str
    advice: str
    since: str
    can_withdraw: bool


_SUBJECT_LABELS = {
    "provider": "zorgaanbieder",
    "budget_request": "aanvraag kwaliteitsbudget",
    "herschikking_round": "herschikking",
    "quality_plan": "kwaliteitsplan",
}


def held_overview(db: Database) -> list[HeldChange]:
    """This laptop's held changes described for their author: what, why, what to do."""
    from db.models.enums import ReviewKind

    out = []
    for h in held_changes(db):
        p = h["payload"] or {}
        review_step = h["entity"] == "review_event"
        if review_step:
            kind = str(p.get("kind", ""))
            label = ReviewKind(kind).label if kind in ReviewKind.__members__ else "Beoordelingsstap"
            subject = _SUBJECT_LABELS.get(str(p.get("subject_type", "")), "dossier")
            what = f"Beoordelingsstap '{label}' ({subject})"
        else:
            fields = ", ".join(sorted(k for k in p if k not in ("created_at", "updated_at")))
            what = f"Wijziging van {h['entity']}" + (f" ({fields})" if fields else "")
        if h["status"] == "refused_server":
            advice = (
                "De teamserver weigert deze stap definitief; uw andere wijzigingen gaan gewoon mee."
            )
        elif review_step and "naam van een ander" in str(h["reason"]):
            advice = (
                "Deze stap staat op naam van een ander dan wie op deze laptop ondertekent "
                "en telt nergens mee. Trek hem in."
            )
        elif review_step:
            advice = guard.ROLE_ADVICE
        else:
            advice = guard.AUTHOR_ADVICE
        out.append(
            HeldChange(h["op_id"], what, h["reason"], advice, _since(str(h["at"])), review_step)
        )
    return out


def _since(at: str) -> str:
    """`6 december 2026, 18:31` (Dutch time) from a stored UTC timestamp."""
    from zoneinfo import ZoneInfo

    from desktop.services.formatting import long_date

    try:
        t = datetime.fromisoformat(at).astimezone(ZoneInfo("Europe/Amsterdam"))
    except ValueError:
        return at
    return f"{long_date(t.date())}, {t:%H:%M}"


def withdraw_held(db: Database, op_id: str, by: str) -> None:
    """The author withdraws a held review step: it is never pushed nor re-checked, and stays
    in this laptop's history as withdrawn (it never counted for anything). Recorded in
    `sync_segment` (status `withdrawn`, who and when) and in the log."""

    name = f"held#{op_id}"
    with db.write_session() as s, s.begin():
        row = s.execute(
            text("SELECT status, reason, origin_id, first_seq FROM sync_segment WHERE name = :n"),
            {"n": name},
        ).first()
        if row is None or row[0] not in ("held", "refused_server"):
            raise NotFound("Deze tegengehouden wijziging bestaat niet (meer).")
        signer = get_meta(s, "sync_user")
        if signer and signer != by:
            raise RuleViolation("Alleen degene die deze wijziging maakte kan haar intrekken.")
        entity = s.execute(
            text("SELECT entity FROM sync_op WHERE op_id = :o"), {"o": op_id}
        ).scalar()
        if entity != "review_event":
            raise RuleViolation(
                "Alleen een tegengehouden beoordelingsstap kan worden ingetrokken. "
                "Leg deze wijziging opnieuw vast onder uw eigen naam."
            )
        who = s.execute(text("SELECT name FROM app_user WHERE id = :i"), {"i": by}).scalar() or by
        trust.record_status(
            s, name, row[2], row[3], "withdrawn", f"ingetrokken door {who}; was: {row[1]}"
        )
    log.info("held op %s withdrawn by %s", op_id, by)
