"""Reading visits: one visit, a location's history, the drafts to continue after a crash, and
the chain of corrections (drafts overlaid with their newer local buffer)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlmodel import col, select

from db.models.enums import VisitStatus
from desktop.services.guards import live
from desktop.services.visits.buffer import _overlay, _read_buffer
from desktop.services.visits.model import VisitInfo

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.models import Location, Provider, SiteVisit
    from db.repo import UnitOfWork


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    from db.models import AppUser

    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = session.exec(select(AppUser.id, AppUser.name).where(col(AppUser.id).in_(ids))).all()
    return {i: n for i, n in rows}


def _info(
    v: SiteVisit,
    loc: Location | None,
    prov: Provider | None,
    names: Mapping[str, str],
    revised_by: str | None = None,
) -> VisitInfo:
    return VisitInfo(
        id=v.id,
        location_id=v.location_id,
        location_name=loc.name if loc else "",
        provider_id=prov.id if prov else "",
        provider_name=prov.name if prov else "",
        form_id=v.form_id,
        form_version=v.form_version,
        status=v.status,
        visit_date=v.visit_date,
        author_id=v.author_id,
        author_name=names.get(v.author_id, ""),
        completed_at=v.completed_at,
        completed_by_name=names.get(v.completed_by_id or "", ""),
        revision_of_id=v.revision_of_id,
        revision_reason=v.revision_reason or "",
        autosaved_at=v.autosaved_at,
        updated_at=v.updated_at,
        answers=dict(v.answers or {}),
        revised_by_id=revised_by,
    )


def _live_visit(uow: UnitOfWork, visit_id: str) -> SiteVisit:
    from db.models import SiteVisit

    v = live(uow, SiteVisit, visit_id, "Dit bezoek bestaat niet (meer).")
    return v


def get_visit(db: Any, visit_id: str) -> VisitInfo:
    from db.models import Location, Provider, SiteVisit

    with db.read_session() as s:
        v = live(s, SiteVisit, visit_id, "Dit bezoek bestaat niet (meer).")
        loc = s.get(Location, v.location_id)
        prov = s.get(Provider, loc.provider_id) if loc else None
        revised = s.exec(
            select(SiteVisit.id).where(
                SiteVisit.revision_of_id == v.id, col(SiteVisit.deleted_at).is_(None)
            )
        ).first()
        names = _names(s, {v.author_id, v.completed_by_id or ""})
        info = _info(v, loc, prov, names, revised)
        return _overlay(info, _read_buffer(s, v.id) if info.is_draft else None)


def _list(db: Any, *conditions: Any) -> list[VisitInfo]:
    from db.models import Location, Provider, SiteVisit

    with db.read_session() as s:
        stmt = (
            select(SiteVisit, Location, Provider)
            .join(Location, col(Location.id) == SiteVisit.location_id)
            .join(Provider, col(Provider.id) == Location.provider_id)
            .where(col(SiteVisit.deleted_at).is_(None), *conditions)
        )
        rows = s.exec(stmt).all()
        ids = [v.id for v, _, _ in rows]
        revised: dict[str, str] = {}
        if ids:
            for rid, of in s.exec(
                select(SiteVisit.id, SiteVisit.revision_of_id).where(
                    col(SiteVisit.revision_of_id).in_(ids), col(SiteVisit.deleted_at).is_(None)
                )
            ).all():
                revised[of] = rid
        names = _names(
            s, {v.author_id for v, _, _ in rows} | {v.completed_by_id or "" for v, _, _ in rows}
        )
        out = [
            _overlay(
                _info(v, loc, prov, names, revised.get(v.id)),
                _read_buffer(s, v.id) if v.status == VisitStatus.DRAFT else None,
            )
            for v, loc, prov in rows
        ]
    out.sort(key=lambda i: (i.visit_date or date.min, i.updated_at), reverse=True)
    return out


def list_visits(db: Any, location_id: str) -> list[VisitInfo]:
    """History of one location, newest first (drafts, completed visits and revisions)."""
    from db.models import SiteVisit

    return _list(db, SiteVisit.location_id == location_id)


def list_drafts(db: Any, author_id: str | None = None) -> list[VisitInfo]:
    """Drafts to offer after a crash (or to continue), newest autosave first."""
    from db.models import SiteVisit

    cond = [SiteVisit.status == VisitStatus.DRAFT]
    if author_id:
        cond.append(SiteVisit.author_id == author_id)
    out = _list(db, *cond)
    out.sort(key=lambda i: i.autosaved_at or i.updated_at, reverse=True)
    return out


def revision_chain(db: Any, visit_id: str) -> list[VisitInfo]:
    """The visit and its predecessors (oldest first)."""
    chain: list[VisitInfo] = []
    seen: set[str] = set()
    current: str | None = visit_id
    while current and current not in seen:
        seen.add(current)
        info = get_visit(db, current)
        chain.append(info)
        current = info.revision_of_id
    chain.reverse()
    return chain
