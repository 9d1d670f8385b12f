"""Site visits written the way sync or an import brings them (no visit form filled in)."""

from __future__ import annotations

from datetime import date


def completed_visit(db, actor_id: str, location_id: str, on: date, answers: dict) -> str:  # type: ignore[no-untyped-def]
    """A completed locatiebezoek at `location_id` on `on` with these `answers` (written the way
    sync or an import brings one, by `actor_id`). Returns its id."""
    from db.models import SiteVisit
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        return uow.add(
            SiteVisit(
                location_id=location_id,
                form_id="locatiebezoek",
                form_version="2026112301",
                status="COMPLETED",
                visit_date=on,
                author_id=actor_id,
                answers=answers,
            )
        ).id
