"""Review facts written around the review service: what a modified client or a script against
the write path can do. The trust and vier-ogen tests check such facts are never believed."""

from __future__ import annotations

from typing import Any


def write_review_event(
    db: Any, subject_type: str, subject_id: str, kind: str, actor_id: str, digest: str
) -> str:
    """One review event (SUBMITTED, APPROVED, ...) in its own unit of work under `actor_id`,
    without any of the review service's checks. Returns the event id."""
    from db.models import ReviewEvent
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        return uow.add(
            ReviewEvent(
                subject_type=subject_type,
                subject_id=subject_id,
                kind=kind,
                actor_id=actor_id,
                content_hash=digest,
            )
        ).id
