"""What a vier-ogen subject is: how each kind is hashed, watched, described and moved through
its states (`SubjectSpec`), registered by the subject's own module (`register_subject`).

Budget requests register theirs in desktop.services.requests, plan assessments in
desktop.services.plans, the budget-year amounts in desktop.services.budget_year. A subject's
module loads lazily the first time its type is asked for (no import cycle). Unknown types fall
back to hashing all columns of the table with that name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session

from db.errors import NotFound
from db.models import ENTITIES
from db.repo import UnitOfWork

# (entity table name, record id, hashed field names or None for "every field")
Watched = tuple[str, str, frozenset[str] | None]

_BOOKKEEPING = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class SubjectSpec:
    """How one kind of subject is hashed, described and moved through its states.

    content(session, id) -> dict      the exact version (JSON-able after canonicalisation)
    watched(session, id) -> [Watched] the records (and fields) whose edits make a new version
    author(session, id) -> str|None   the author (always counts as an editor)
    describe(session, id) -> str      Dutch title for the queue ("Zorggroep X – aanvraag 2027")
    before(uow, id, kind, actor)      refuse (RuleViolation) or move the subject's state
    after_approve(uow, id)            what the subject does once approved, in the same unit of
                                      work (a budget request locks its diagnosis notes)
    """

    content: Callable[[Session, str], dict[str, Any]]
    watched: Callable[[Session, str], list[Watched]]
    author: Callable[[Session, str], str | None] = lambda s, i: None
    describe: Callable[[Session, str], str] = lambda s, i: i
    before: Callable[[UnitOfWork, str, str, str], None] | None = None
    # Subject rules that must still hold for an approval to count (e.g. the budget ceiling),
    # so a crafted APPROVED fact cannot carry a version the service would have refused.
    still_valid: Callable[[Session, str], bool] | None = None
    after_approve: Callable[[UnitOfWork, str], None] | None = None
    # The same five for many subjects at once, {id: what the single form returns} (a list
    # derives every approval with one query per kind of fact, issue 18). Optional: without
    # them the single forms are called per subject. `content_many` leaves out unknown ids.
    content_many: Callable[[Session, list[str]], dict[str, dict[str, Any]]] | None = None
    watched_many: Callable[[Session, list[str]], dict[str, list[Watched]]] | None = None
    author_many: Callable[[Session, list[str]], dict[str, str | None]] | None = None
    still_valid_many: Callable[[Session, list[str]], dict[str, bool]] | None = None
    describe_many: Callable[[Session, list[str]], dict[str, str]] | None = None

    def contents_of(self, session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
        if self.content_many is not None:
            return self.content_many(session, ids)
        out = {}
        for i in ids:
            try:
                out[i] = self.content(session, i)
            except NotFound:
                continue
        return out

    def titles_of(self, session: Session, ids: list[str]) -> dict[str, str]:
        """`describe` of many subjects (the queue's titles)."""
        if self.describe_many is not None:
            return self.describe_many(session, ids)
        return {i: self.describe(session, i) for i in ids}

    def watched_of(self, session: Session, ids: list[str]) -> dict[str, list[Watched]]:
        if self.watched_many is not None:
            return self.watched_many(session, ids)
        return {i: self.watched(session, i) for i in ids}

    def authors_of(self, session: Session, ids: list[str]) -> dict[str, str | None]:
        if self.author_many is not None:
            return self.author_many(session, ids)
        return {i: self.author(session, i) for i in ids}

    def valid_of(self, session: Session, ids: list[str]) -> dict[str, bool]:
        """`still_valid` of each subject (True when the kind has no such rule)."""
        if self.still_valid_many is not None:
            return self.still_valid_many(session, ids)
        check = self.still_valid
        return {i: check is None or check(session, i) for i in ids}


_SPECS: dict[str, SubjectSpec] = {}
# Modules that register specs for these subject types on import (lazy: no import cycle).
_SPEC_MODULES = {
    "budget_request": "desktop.services.requests",
    "plan_assessment": "desktop.services.plans",
    "advance_adjustment": "desktop.services.budget_year.advances",
    "reallocation_round": "desktop.services.budget_year.herschikking",
    "final_settlement": "desktop.services.budget_year.nacalculatie",
}


def register_subject(subject_type: str, spec: SubjectSpec) -> None:
    _SPECS[subject_type] = spec


def _generic_spec(subject_type: str) -> SubjectSpec:
    model = ENTITIES.get(subject_type)
    if model is None:
        raise NotFound(f"Onbekend soort beoordeling '{subject_type}'.")
    fields = frozenset(c.name for c in sa_inspect(model).columns) - _BOOKKEEPING - {"status"}

    def content(s: Session, sid: str) -> dict[str, Any]:
        obj = s.get(model, sid)
        if obj is None:
            raise NotFound("Dit dossier bestaat niet.")
        return {f: getattr(obj, f) for f in sorted(fields)}

    def author(s: Session, sid: str) -> str | None:
        obj = s.get(model, sid)
        for name in ("author_id", "maker_id"):
            if obj is not None and getattr(obj, name, None):
                return getattr(obj, name)
        return None

    return SubjectSpec(
        content=content, watched=lambda s, sid: [(subject_type, sid, fields)], author=author
    )


def spec_of(subject_type: str) -> SubjectSpec:
    """The registered spec of a subject type (its module loaded on first use)."""
    if subject_type not in _SPECS and subject_type in _SPEC_MODULES:
        importlib.import_module(_SPEC_MODULES[subject_type])
    return _SPECS.get(subject_type) or _generic_spec(subject_type)
