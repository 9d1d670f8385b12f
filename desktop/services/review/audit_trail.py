"""The audit view of a subject: every change (op-log) of it and its related records, every
audit event and every review step, with who and when, in Dutch."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select

from db.engine import Database
from db.models import AppUser, AuditEvent
from db.models.enums import ReviewKind
from db.sync.models import SyncOp
from db.sync.oplog import decode_value
from desktop.services.review.facts import _events
from desktop.services.review.rules import refused_steps
from desktop.services.review.subjects import spec_of


def _hlc_time(hlc: str | None) -> datetime | None:
    if not hlc:
        return None
    return datetime.fromtimestamp(int(hlc.split(".")[0]) / 1000, tz=UTC)


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor_id: str | None
    actor_name: str
    action: str  # Dutch: "Aangemaakt", "Gewijzigd", "Verwijderd", review labels
    entity: str
    changes: tuple[tuple[str, str], ...]  # (field, new value as text)
    comment: str = ""


_ACTIONS = {"create": "Aangemaakt", "update": "Gewijzigd", "delete": "Verwijderd"}
_ENTITY_LABELS = {
    "budget_request": "Aanvraag",
    "deviation_request": "Afwijkingsverzoek",
    "criterion_judgement": "Criterium",
    "clarification": "Toelichting",
    "plan_assessment": "Planbeoordeling",
    "quality_plan": "Kwaliteitsplan",
    "letter": "Brief",
}


_FIELD_LABELS = {
    "state": "status",
    "decision": "besluit",
    "judgement": "oordeel",
    "reasoning": "onderbouwing",
    "criterion": "criterium",
    "requested_total": "aangevraagd totaal",
    "requested_staff_amount": "zorgpersoneel",
    "requested_other_amount": "overige investeringen",
    "initial_reserved_amount": "initieel gereserveerd",
    "approved_total": "toegekend totaal",
    "approved_staff_amount": "toegekend zorgpersoneel",
    "approved_other_amount": "toegekend overige investeringen",
    "justification": "onderbouwing",
    "decision_rationale": "motivering",
    "custom_agreements": "maatwerkafspraken",
    "improvement_points": "verbeterpunten",
    "received_date": "ontvangen op",
    "letter_date": "brief van",
    "external_reference": "uw kenmerk",
    "decided_on": "besloten op",
    "has_special_circumstances": "bijzonderheden",
    "question": "vraag",
    "answer": "antwoord",
    "asked_on": "gevraagd op",
    "answered_on": "beantwoord op",
    "mediation": "mediation",
    "letter_sent_on": "brief verstuurd op",
    "addendum_signed_on": "addendum getekend op",
    "budget_year": "budgetjaar",
}
_HIDDEN_FIELDS = {
    "updated_at",
    "created_at",
    "deleted_at",
    "author_id",
    "budget_request_id",
    "provider_id",
    "care_office_id",
    "region_id",
    "quality_plan_id",
}


def _value_label(name: str, value: Any) -> str:
    from db.models.enums import Decision, Judgement, RequestState

    enum = {"state": RequestState, "decision": Decision, "judgement": Judgement}.get(name)
    if enum is not None and isinstance(value, str) and value in enum.__members__:
        return enum(value).label
    if name == "criterion" and isinstance(value, str):
        return value.split("_", 1)[0]
    if isinstance(value, date) and not isinstance(value, datetime):
        from desktop.services.formatting import long_date

        return long_date(value)
    return _text(value)


def _changes(payload: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (_FIELD_LABELS.get(k, k), _value_label(k, decode_value(v)))
        for k, v in sorted(payload.items())
        if k not in _HIDDEN_FIELDS
    )


def _text(value: Any) -> str:
    value = decode_value(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        from desktop.services.formatting import money

        return money(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def history(
    db: Database, subject_type: str, subject_id: str, extra: Iterable[tuple[str, str]] = ()
) -> list[HistoryEntry]:
    """Audit view: every change (op-log) of the subject and its related records, every audit
    event and every review step, with who and when, oldest first."""
    with db.read_session() as s:
        spec = spec_of(subject_type)
        watched = {(e, i) for e, i, _ in spec.watched(s, subject_id)} | set(extra)
        ids = [i for _, i in watched]
        names = {u.id: u.name for u in s.exec(select(AppUser)).all()}
        entries: list[tuple[str, HistoryEntry]] = []
        ops = s.exec(select(SyncOp).where(col(SyncOp.entity_id).in_(ids))).all() if ids else []
        for op in ops:
            if (op.entity, op.entity_id) not in watched:
                continue
            changes = _changes(op.payload)
            label = _ENTITY_LABELS.get(op.entity, op.entity)
            entries.append(
                (
                    op.hlc,
                    HistoryEntry(
                        _hlc_time(op.hlc) or datetime.now(UTC),
                        op.author_id,
                        names.get(op.author_id or "", "systeem"),
                        f"{label}: {_ACTIONS.get(op.kind, op.kind)}",
                        op.entity,
                        changes,
                    ),
                )
            )
        audits = (
            s.exec(select(AuditEvent).where(col(AuditEvent.entity_id).in_(ids))).all()
            if ids
            else []
        )
        for au in audits:
            entries.append(
                (
                    f"{int(au.at.timestamp() * 1000):015d}.999999",
                    HistoryEntry(
                        au.at,
                        au.actor_id,
                        names.get(au.actor_id or "", "systeem"),
                        f"{_ENTITY_LABELS.get(au.entity, au.entity)}: {au.action}",
                        au.entity,
                        tuple((k, _text(v)) for k, v in sorted(au.details.items())),
                    ),
                )
            )
        events = _events(s, subject_type, subject_id)
        refused = refused_steps(s, spec, subject_id, events)
        for ev, hlc in events:
            why = refused.get(ev.id)
            label = f"Vier-ogen: {ReviewKind(ev.kind).label}"
            entries.append(
                (
                    hlc or f"{int(ev.at.timestamp() * 1000):015d}",
                    HistoryEntry(
                        ev.at,
                        ev.actor_id,
                        names.get(ev.actor_id, "?"),
                        f"{label} (geweigerd: {why})" if why else label,
                        "review_event",
                        (("versie", ev.content_hash[:12]),),
                        ev.comment,
                    ),
                )
            )
    # By the time shown; the HLC breaks ties (steps written in one transaction).
    entries.sort(key=lambda t: (t[1].at, t[0]))
    return [e for _, e in entries]
