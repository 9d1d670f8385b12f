"""Which entities a piece of work changed (issue 19): the typed change set the UI executor
announces after each job (`ctx.entities_changed`, a ChangeSet), so a view reacts to what
was written (for example "review_event" after an approval) rather than to what another view
remembered to emit. Collected by db.repo.UnitOfWork on commit, per thread."""

from __future__ import annotations

from db.changes import collect_changes

ChangeSet = frozenset[str]  # entity (table) names: "budget_request", "review_event", ...

#: "everything may have changed": a sync pulled, another user, an import, Vernieuwen (F5)
EVERYTHING: ChangeSet = frozenset({"*"})


def touches(changes: ChangeSet, *entities: str) -> bool:
    """Whether a view that shows `entities` must refresh after `changes`."""
    return "*" in changes or not changes.isdisjoint(entities)


__all__ = ["EVERYTHING", "ChangeSet", "collect_changes", "touches"]
