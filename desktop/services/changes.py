"""Which entities a piece of work changed (issue 19): the typed change set the UI executor
announces after each job (`ctx.entities_changed`, a ChangeSet), so a view reacts to what
was written (for example "review_event" after an approval) rather than to what another view
remembered to emit. Collected by db.repo.UnitOfWork on commit, per thread."""

from __future__ import annotations

from db.repo import collect_changes

ChangeSet = frozenset[str]  # entity (table) names: "budget_request", "review_event", ...

__all__ = ["ChangeSet", "collect_changes"]
