"""Follow-up actions (vervolgacties) from completed visits: "Mijn acties" and per location.

State of an action on a given day:
* ``done``    -- marked done (who and when are recorded);
* ``overdue`` -- open and the due date has passed;
* ``due``     -- open and due within DUE_SOON_DAYS days;
* ``open``    -- open, due later or no due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from db.errors import RuleViolation, ValidationError
from db.models.enums import ActionOwner, ActionStatus
from db.types import utcnow
from desktop.services.guards import live

if TYPE_CHECKING:
    from db.models import FollowUpAction
    from db.repo import UnitOfWork

DUE_SOON_DAYS = 14

STATES = ("open", "due", "overdue", "done")
STATE_LABELS = {
    "open": "Open",
    "due": "Binnenkort",
    "overdue": "Te laat",
    "done": "Afgehandeld",
}


@dataclass(frozen=True)
class ActionInfo:
    id: str
    location_id: str
    location_name: str
    provider_name: str
    visit_id: str | None
    visit_date: date | None
    description: str
    owner: str
    responsible_user_id: str | None
    responsible_name: str
    due_date: date | None
    status: str
    done_at: datetime | None
    done_by_name: str
    state: str  # open / due / overdue / done

    @property
    def owner_label(self) -> str:
        return (
            ActionOwner(self.owner).label if self.owner in ActionOwner.__members__ else self.owner
        )

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def action_state(status: str, due: date | None, today: date) -> str:
    if status == ActionStatus.DONE:
        return "done"
    if due is None:
        return "open"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "open"


def list_actions(
    db: Any,
    *,
    location_id: str | None = None,
    responsible_user_id: str | None = None,
    states: tuple[str, ...] | list[str] | None = None,
    owner: str | None = None,
    visit_id: str | None = None,
    search: str = "",
    today: date | None = None,
) -> list[ActionInfo]:
    """Actions, filtered. Order: overdue, due, open (by due date), then done (newest)."""
    from db.models import AppUser, FollowUpAction, Location, Provider, SiteVisit

    today = today or date.today()
    if states is not None:
        bad = [s for s in states if s not in STATES]
        if bad:
            raise ValidationError("states", f"Onbekende status: {', '.join(bad)}.")
    if owner is not None and owner not in ActionOwner.__members__:
        raise ValidationError("owner", "Kies zorgaanbieder of zorgkantoor.")
    fa = FollowUpAction
    with db.read_session() as s:
        # plain columns, no ORM objects: thousands of actions stay well under a second
        stmt = (
            sa_select(  # thirteen columns: beyond sqlmodel's typed select overloads
                col(fa.id),
                col(fa.location_id),
                col(fa.visit_id),
                col(fa.description),
                col(fa.owner),
                col(fa.responsible_user_id),
                col(fa.due_date),
                col(fa.status),
                col(fa.done_at),
                col(fa.done_by_id),
                col(Location.name),
                col(Provider.name),
                col(SiteVisit.visit_date),
            )
            .join(Location, col(Location.id) == fa.location_id)
            .join(Provider, col(Provider.id) == Location.provider_id)
            .outerjoin(SiteVisit, col(SiteVisit.id) == fa.visit_id)
            .where(col(fa.deleted_at).is_(None))
        )
        if location_id:
            stmt = stmt.where(col(fa.location_id) == location_id)
        if responsible_user_id:
            stmt = stmt.where(col(fa.responsible_user_id) == responsible_user_id)
        if owner:
            stmt = stmt.where(col(fa.owner) == owner)
        if visit_id:
            stmt = stmt.where(col(fa.visit_id) == visit_id)
        rows = s.connection().execute(stmt).all()
        user_ids = {r[5] or "" for r in rows} | {r[9] or "" for r in rows}
        user_ids.discard("")
        names = (
            dict(
                s.exec(select(AppUser.id, AppUser.name).where(col(AppUser.id).in_(user_ids))).all()
            )
            if user_ids
            else {}
        )
    needle = search.casefold().strip()
    out = []
    for (
        aid,
        loc_id,
        v_id,
        desc,
        own,
        resp,
        due,
        status,
        done_at,
        done_by,
        loc_name,
        prov_name,
        visit_date,
    ) in rows:
        state = action_state(status, due, today)
        if states is not None and state not in states:
            continue
        if needle and needle not in f"{desc} {loc_name} {prov_name}".casefold():
            continue
        out.append(
            ActionInfo(
                id=aid,
                location_id=loc_id,
                location_name=loc_name,
                provider_name=prov_name,
                visit_id=v_id,
                visit_date=visit_date,
                description=desc,
                owner=own,
                responsible_user_id=resp,
                responsible_name=names.get(resp or "", ""),
                due_date=due,
                status=status,
                done_at=done_at,
                done_by_name=names.get(done_by or "", ""),
                state=state,
            )
        )
    order = {"overdue": 0, "due": 1, "open": 2, "done": 3}
    out.sort(
        key=lambda x: (
            order[x.state],
            (x.due_date or date.max) if x.state != "done" else date.max,
            -(x.done_at.timestamp() if x.done_at else 0),
            x.location_name,
        )
    )
    return out


def filter_actions(
    actions: list[ActionInfo],
    *,
    states: tuple[str, ...] | list[str] | None = None,
    owner: str | None = None,
    search: str = "",
) -> list[ActionInfo]:
    """The same filters as list_actions, on a list already loaded (order kept)."""
    needle = search.casefold().strip()
    return [
        a
        for a in actions
        if (states is None or a.state in states)
        and (owner is None or a.owner == owner)
        and (
            not needle
            or needle in f"{a.description} {a.location_name} {a.provider_name}".casefold()
        )
    ]


def count_by_state(actions: list[ActionInfo]) -> dict[str, int]:
    out = dict.fromkeys(STATES, 0)
    for a in actions:
        out[a.state] += 1
    return out


def _get(uow: UnitOfWork, action_id: str) -> FollowUpAction:
    from db.models import FollowUpAction

    a = live(uow, FollowUpAction, action_id, "Deze actie bestaat niet (meer).")
    return a


def mark_done(db: Any, action_id: str, *, actor_id: str) -> None:
    """Mark an action done; records who and when."""
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        a = _get(uow, action_id)
        if a.status == ActionStatus.DONE:
            raise RuleViolation("Deze actie is al afgehandeld.")
        uow.update(a, status=ActionStatus.DONE, done_at=utcnow(), done_by_id=actor_id)
        uow.audit("done", a)


def reopen(db: Any, action_id: str, *, actor_id: str) -> None:
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        a = _get(uow, action_id)
        if a.status != ActionStatus.DONE:
            raise RuleViolation("Deze actie staat nog open.")
        uow.update(a, status=ActionStatus.OPEN, done_at=None, done_by_id=None)
        uow.audit("reopen", a)
