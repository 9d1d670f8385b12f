"""The crash buffer of a draft: answers typed in the last seconds, in this laptop's local,
never-synced settings (no op-log entry), and the overlay that shows a draft as last typed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desktop.services.visits.model import VisitInfo

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.repo import UnitOfWork

BUFFER_PREFIX = "visit_draft:"


def _buffer_key(visit_id: str) -> str:
    return BUFFER_PREFIX + visit_id


def _read_buffer(session: Session, visit_id: str) -> tuple[dict[str, Any], datetime] | None:
    from db.models import LocalSetting

    row = session.get(LocalSetting, _buffer_key(visit_id))
    if row is None or not isinstance(row.value, dict):
        return None
    try:
        at = datetime.fromisoformat(str(row.value.get("at")))
    except ValueError:
        return None
    answers = row.value.get("answers")
    return (dict(answers), at) if isinstance(answers, dict) else None


def _write_buffer(uow: UnitOfWork, visit_id: str, answers: dict[str, Any], at: datetime) -> None:
    # Local (never synced) state, like users.set_current_user: not a record, no op-log entry.
    from db.models import LocalSetting

    value = {"answers": answers, "at": at.isoformat()}
    row = uow.session.get(LocalSetting, _buffer_key(visit_id))
    if row is None:
        row = LocalSetting(key=_buffer_key(visit_id), value=value)
    else:
        row.value = value
    uow.session.add(row)


def _clear_buffer(uow: UnitOfWork, visit_id: str) -> None:
    from db.models import LocalSetting

    row = uow.session.get(LocalSetting, _buffer_key(visit_id))
    if row is not None:
        uow.session.delete(row)


def _overlay(info: VisitInfo, buffered: tuple[dict[str, Any], datetime] | None) -> VisitInfo:
    """A draft as last typed on this laptop: the local buffer when it is newer."""
    if buffered is None or not info.is_draft:
        return info
    answers, at = buffered
    if info.autosaved_at is not None and at <= info.autosaved_at:
        return info
    return replace(info, answers=answers, autosaved_at=at)
