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


def latest_rows(path: Any, *, rebuild: bool = False) -> list[tuple]:  # type: ignore[type-arg]
    """The rows of `review_latest` (issue 18), or with `rebuild` what a rebuild from the review
    facts gives (rolled back, the file is left as it was)."""
    import sqlite3

    from db.models.review_latest import LATEST_REBUILD_SQL, LATEST_TABLE

    conn = sqlite3.connect(path)
    try:
        if rebuild:
            for stmt in LATEST_REBUILD_SQL:
                conn.execute(stmt)
        return sorted(conn.execute(f"SELECT * FROM {LATEST_TABLE}"))
    finally:
        conn.rollback()
        conn.close()


def every_subject_with_steps(session: Any, leads: Any, subject_types: Any = None) -> list:  # type: ignore[type-arg]
    """The trivial superset for `worklist.candidates`: every subject with a live review step
    (the full computation the prefilter must agree with)."""
    from sqlalchemy import text

    rows = session.connection().execute(
        text("SELECT DISTINCT subject_type, subject_id FROM review_event WHERE deleted_at IS NULL")
    )
    types = None if subject_types is None else set(subject_types)
    return [(t, i) for t, i in rows if types is None or t in types]
