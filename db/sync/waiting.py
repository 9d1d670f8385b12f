"""What a colleague sees when something waits or stays local: per origin, the damaged segment
its later changes wait for (whose, since when); this laptop's held operations with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.sync.stored import loads


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
            "payload": loads(r[6]),
        }
        for r in rows
    ]
