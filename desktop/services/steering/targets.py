"""A budget decision names the themes it targets (and optionally the locations), stored in
`decision_target` beside the request: the decision rules in requests.py stay untouched."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from sqlmodel import Session

from db.errors import ValidationError
from desktop.services.guards import live
from desktop.services.themes import connect_ro, driver_connection, theme_codes


def decision_targets(db: Any, budget_request_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(theme codes, location ids) named by the request's decision; empty when none."""
    conn = connect_ro(db)
    try:
        return _targets(conn, budget_request_id)
    finally:
        conn.close()


def decision_targets_in(
    s: Session, budget_request_id: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`decision_targets` inside the caller's session (its transaction)."""
    return _targets(driver_connection(s), budget_request_id)


def _targets(
    conn: sqlite3.Connection, budget_request_id: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    row = conn.execute(
        """SELECT theme_codes, location_ids FROM decision_target
                          WHERE budget_request_id = ? AND deleted_at IS NULL""",
        (budget_request_id,),
    ).fetchone()
    if row is None:
        return (), ()
    return tuple(json.loads(row[0] or "[]")), tuple(json.loads(row[1] or "[]"))


def set_decision_targets(
    db: Any, budget_request_id: str, codes: Any, *, actor_id: str | None, location_ids: Any = ()
) -> tuple[str, ...]:
    """Name (or change) the themes a decision targets. Returns the stored codes in theme order."""
    from sqlmodel import select

    from db.models import BudgetRequest, DecisionTarget, Location
    from db.repo import UnitOfWork

    wanted = set(codes or ())
    bad = wanted - set(theme_codes())
    if bad:
        raise ValidationError(
            "target_themes", f"Onbekend thema '{sorted(bad)[0]}': kies uit T1 tot en met T8."
        )
    ordered = [c for c in theme_codes() if c in wanted]
    with UnitOfWork(db, actor_id) as uow:
        req = live(uow, BudgetRequest, budget_request_id, "Deze aanvraag bestaat niet (meer).")
        locs = list(dict.fromkeys(location_ids or ()))
        for loc_id in locs:
            loc = uow.get(Location, loc_id)
            if loc is None or loc.provider_id != req.provider_id:
                raise ValidationError("target_locations", "Kies locaties van deze zorgaanbieder.")
        row = uow.exec(
            select(DecisionTarget).where(DecisionTarget.budget_request_id == budget_request_id)
        ).first()
        if row is None:
            uow.add(
                DecisionTarget(
                    budget_request_id=budget_request_id,
                    theme_codes=ordered,
                    location_ids=locs,
                    author_id=actor_id,
                )
            )
        elif list(row.theme_codes) != ordered or list(row.location_ids) != locs or row.deleted_at:
            uow.update(row, theme_codes=ordered, location_ids=locs, deleted_at=None)
    return tuple(ordered)
