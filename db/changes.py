"""Which entities the units of work of this thread committed (issue 19's typed change set).

Kept free of SQLAlchemy on purpose: the UI executor imports it at start-up, before the window
is painted, and SQLAlchemy/SQLModel load on the database worker afterwards (issue 18,
ARCHITECTURE.md start-up budget)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

_collectors = threading.local()


@contextmanager
def collect_changes() -> Iterator[set[str]]:
    """The entity (table) names every UnitOfWork committed in this thread while the block
    runs; the UI executor wraps each job in it and announces the names (ctx.entities_changed):

        with collect_changes() as changed:
            review.approve(db, "budget_request", rid, by=lead)
        assert "review_event" in changed
    """
    stack: list[set[str]] = _collectors.__dict__.setdefault("stack", [])
    names: set[str] = set()
    stack.append(names)
    try:
        yield names
    finally:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is names:
                del stack[i]


def note_committed(entities: Iterable[str]) -> None:
    """Called by UnitOfWork after a commit: every open collector of this thread hears it."""
    for names in getattr(_collectors, "stack", ()):
        names.update(entities)
