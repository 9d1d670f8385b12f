"""Issue 18: `review_latest` (the prefilter of the teamleider's "Te beoordelen", kept by
triggers) follows review steps that arrive by a pull, whichever of the row and its op-log entry
comes first: on every replica it equals a rebuild from the facts, and the queue says what the
full computation (every subject settled) says."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from review_helpers import every_subject_with_steps, latest_rows
from sqlalchemy import text
from sync_helpers import add_provider, sync_all, team_copy

from db.models.review_latest import LATEST_REBUILD_SQL, LATEST_TABLE
from desktop.services import review
from desktop.services.review import worklist


def test_pulled_steps_keep_review_latest_and_the_queue_right(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store, (lead, b, c) = team_copy(tmp_path)
    settled = add_provider(b, "Vier Ogen B.V.")
    waiting = add_provider(b, "Wacht Even B.V.")
    sync_all([lead, b, c])
    review.submit(b.db, "provider", settled, by=b.user_id)
    review.submit(b.db, "provider", waiting, by=b.user_id)
    sync_all([lead, b, c])
    assert {q.subject_id for q in review.queue(lead.db)} >= {settled, waiting}
    review.approve(lead.db, "provider", settled, by=lead.user_id)
    sync_all([lead, b, c])
    for r in (lead, b, c):
        assert latest_rows(r.path) == latest_rows(r.path, rebuild=True) and latest_rows(r.path)
        queued = {q.subject_id for q in review.queue(r.db)}
        assert waiting in queued and settled not in queued
        for viewer in (None, lead.user_id, b.user_id, c.user_id):
            fast = review.queue(r.db, viewer_id=viewer)
            with monkeypatch.context() as m:
                m.setattr(worklist, "candidates", every_subject_with_steps)
                assert review.queue(r.db, viewer_id=viewer) == fast
    assert latest_rows(lead.path) == latest_rows(b.path) == latest_rows(c.path)
