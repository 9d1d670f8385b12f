"""Maatwerkafspraken read from the database: one, a provider's or a visit's, and as JSON."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from sqlmodel import Session

from db.errors import NotFound
from desktop.services.fts import sql_where
from desktop.services.steering.agreement_model import AgreementInfo, CheckInfo
from desktop.services.themes import (
    connect_ro,
    driver_connection,
)

_COLS = """a.id, a.provider_id, p.name, a.budget_request_id, r.budget_year, a.theme_codes,
    a.location_ids, a.target_rating, a.target_change, a.due_date, a.check_method, a.status"""


def _load(
    conn: sqlite3.Connection, where: str, args: list[Any], today: date
) -> list[AgreementInfo]:
    rows = conn.execute(
        f"""SELECT {_COLS} FROM custom_agreement a JOIN provider p ON p.id = a.provider_id
            LEFT JOIN budget_request r ON r.id = a.budget_request_id
            WHERE a.deleted_at IS NULL AND {where}
            ORDER BY a.due_date, a.created_at""",
        args,
    ).fetchall()
    ids = [r[0] for r in rows]
    checks: dict[str, list[CheckInfo]] = {}
    names: dict[str, str] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for c in conn.execute(
            f"""SELECT c.agreement_id, c.id, c.checked_on, c.outcome, c.visit_id,
                           v.visit_date, c.note, COALESCE(u.name, '')
                    FROM agreement_check c LEFT JOIN site_visit v ON v.id = c.visit_id
                    LEFT JOIN app_user u ON u.id = c.author_id
                    WHERE c.deleted_at IS NULL AND c.agreement_id IN ({marks})
                    ORDER BY c.checked_on, c.created_at""",
            ids,
        ):
            checks.setdefault(c[0], []).append(
                CheckInfo(
                    c[1],
                    date.fromisoformat(c[2]),
                    c[3],
                    c[4],
                    date.fromisoformat(c[5]) if c[5] else None,
                    c[6] or "",
                    c[7],
                )
            )
        provs = sorted({r[1] for r in rows})
        pm = ",".join("?" * len(provs))
        names = dict(
            conn.execute(f"SELECT id, name FROM location WHERE provider_id IN ({pm})", provs)
        )
    out = []
    for r in rows:
        locs = tuple(json.loads(r[6] or "[]"))
        due = date.fromisoformat(r[9])
        out.append(
            AgreementInfo(
                id=r[0],
                provider_id=r[1],
                provider_name=r[2],
                budget_request_id=r[3],
                budget_year=r[4],
                theme_codes=tuple(json.loads(r[5] or "[]")),
                location_ids=locs,
                location_names=tuple(names.get(x, "?") for x in locs),
                target_rating=r[7],
                target_change=r[8] or "",
                due_date=due,
                check_method=r[10],
                status=r[11],
                checks=tuple(checks.get(r[0], ())),
                overdue=r[11] == "OPEN" and due < today,
            )
        )
    return out


def get_agreement(db: Any, agreement_id: str, today: date | None = None) -> AgreementInfo:
    conn = connect_ro(db)
    try:
        got = _load(conn, "a.id = ?", [agreement_id], today or date.today())
    finally:
        conn.close()
    if not got:
        raise NotFound("Deze afspraak bestaat niet (meer).")
    return got[0]


def list_agreements(
    db: Any,
    *,
    provider_id: str | None = None,
    budget_request_id: str | None = None,
    today: date | None = None,
) -> list[AgreementInfo]:
    where, args = sql_where(
        ("1 = 1", True),
        ("a.provider_id = ?", provider_id),
        ("a.budget_request_id = ?", budget_request_id),
    )
    conn = connect_ro(db)
    try:
        return _load(conn, where, args, today or date.today())
    finally:
        conn.close()


def agreements_in(
    s: Session, budget_request_id: str, today: date | None = None
) -> list[AgreementInfo]:
    """The agreements of one budget request, inside the caller's session (its transaction)."""
    return _load(
        driver_connection(s), "a.budget_request_id = ?", [budget_request_id], today or date.today()
    )


def agreements_for_visit(db: Any, visit_id: str, today: date | None = None) -> list[AgreementInfo]:
    """The provider's agreements a visit can check: open (or overdue) ones that cover the
    visited location (or all locations)."""
    conn = connect_ro(db)
    try:
        got = conn.execute(
            """SELECT l.id, l.provider_id FROM site_visit v
                              JOIN location l ON l.id = v.location_id WHERE v.id = ?""",
            (visit_id,),
        ).fetchone()
    finally:
        conn.close()
    if got is None:
        raise NotFound("Dit bezoek bestaat niet (meer).")
    loc_id, provider_id = got
    return [
        a
        for a in list_agreements(db, provider_id=provider_id, today=today)
        if a.status in ("OPEN", "PARTLY") and (not a.location_ids or loc_id in a.location_ids)
    ]


def agreement_to_dict(a: AgreementInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "provider_id": a.provider_id,
        "budget_request_id": a.budget_request_id,
        "budget_year": a.budget_year,
        "themes": list(a.theme_codes),
        "locations": list(a.location_names) or ["alle locaties"],
        "target_rating": a.target_rating,
        "target_change": a.target_change,
        "due_date": a.due_date.isoformat(),
        "check_method": a.check_method,
        "status": a.status,
        "status_label": a.status_label,
        "overdue": a.overdue,
        "checks": [
            {
                "on": c.checked_on.isoformat(),
                "outcome": c.outcome,
                "visit_id": c.visit_id,
                "note": c.note,
            }
            for c in a.checks
        ],
    }
