"""Locatiebezoek (SiteVisit): drafts that autosave, completion, corrections, history.

Lifecycle: DRAFT (concept) -> COMPLETED (afgerond, read-only). A correction of a completed
visit is a new DRAFT revision (`revision_of_id`, `revision_reason`) on the **same form
version**; completing it makes it the current visit of the chain. A visit is always
evaluated with its own `(form_id, form_version)`.

Every write goes through one UnitOfWork (one transaction). Saving a draft has two tiers:

* `buffer_answers` -- every few seconds while typing: the answers go into this laptop's
  local, never-synced settings table (one small upsert, no op-log entry), so a crash or a
  kill loses at most the last few seconds, without flooding the sync op-log with a copy of
  the whole form every three seconds;
* `autosave` -- on a section change, on closing, and at least every minute: the answers go
  into the synced SiteVisit record (one op) and the local buffer is cleared in the same
  transaction.

Reading a draft (`get_visit`, `list_drafts`) overlays a newer local buffer, so recovery
after a crash sees every word up to the last buffered save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models.enums import ActionOwner, VisitStatus
from db.types import utcnow

DEFAULT_FORM_ID = "locatiebezoek"

THEME_CODES = ("T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8")

# Visit signal -> kind of diagnosis note
SIGNAL_NOTE_KIND = {
    "POSITIEF": "STRENGTH",
    "AANDACHTSPUNT": "IMPROVEMENT_POINT",
    "ZORG": "VULNERABILITY",
}


@dataclass(frozen=True)
class VisitInfo:
    id: str
    location_id: str
    location_name: str
    provider_id: str
    provider_name: str
    form_id: str
    form_version: str
    status: str
    visit_date: date | None
    author_id: str
    author_name: str
    completed_at: datetime | None
    completed_by_name: str
    revision_of_id: str | None
    revision_reason: str
    autosaved_at: datetime | None
    updated_at: datetime
    answers: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    revised_by_id: str | None = None  # newer revision of this visit, if any

    @property
    def is_draft(self) -> bool:
        return self.status == VisitStatus.DRAFT

    @property
    def is_completed(self) -> bool:
        return self.status == VisitStatus.COMPLETED

    @property
    def status_label(self) -> str:
        if self.revised_by_id and self.is_completed:
            return "Gecorrigeerd"
        return (
            VisitStatus(self.status).label
            if self.status in VisitStatus.__members__
            else self.status
        )

    @property
    def visit_type(self) -> str:
        return str(self.answers.get("visit_type") or "")


@dataclass(frozen=True)
class Observation:
    """One filled-in theme observation of a visit, with the diagnosis note made from it."""

    theme_code: str  # "T3"
    theme_label: str
    text: str
    signal: str | None
    rating: str | None
    sources: tuple[str, ...]
    source_ref: str  # "visit:<id>#T3"
    note_id: str | None


# ------------------------------------------------------------------------------- helpers


def _form(form_id: str, version: str | None = None):  # type: ignore[no-untyped-def]
    from forms import load_form

    return load_form(form_id, version)


def _names(session, ids: set[str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from db.models import AppUser

    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = session.exec(select(AppUser.id, AppUser.name).where(col(AppUser.id).in_(ids))).all()
    return {i: n for i, n in rows}


def _info(v, loc, prov, names: Mapping[str, str], revised_by: str | None = None) -> VisitInfo:  # type: ignore[no-untyped-def]
    return VisitInfo(
        id=v.id,
        location_id=v.location_id,
        location_name=loc.name if loc else "",
        provider_id=prov.id if prov else "",
        provider_name=prov.name if prov else "",
        form_id=v.form_id,
        form_version=v.form_version,
        status=v.status,
        visit_date=v.visit_date,
        author_id=v.author_id,
        author_name=names.get(v.author_id, ""),
        completed_at=v.completed_at,
        completed_by_name=names.get(v.completed_by_id or "", ""),
        revision_of_id=v.revision_of_id,
        revision_reason=v.revision_reason or "",
        autosaved_at=v.autosaved_at,
        updated_at=v.updated_at,
        answers=dict(v.answers or {}),
        revised_by_id=revised_by,
    )


def _date_of(answers: Mapping[str, Any]) -> date | None:
    raw = answers.get("visit_date") if isinstance(answers, Mapping) else None
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def _live_visit(uow, visit_id: str):  # type: ignore[no-untyped-def]
    from db.models import SiteVisit

    v = uow.get(SiteVisit, visit_id)
    if v is None or v.deleted_at is not None:
        raise NotFound("Dit bezoek bestaat niet (meer).")
    return v


BUFFER_PREFIX = "visit_draft:"


def _buffer_key(visit_id: str) -> str:
    return BUFFER_PREFIX + visit_id


def _read_buffer(session, visit_id: str) -> tuple[dict[str, Any], datetime] | None:  # type: ignore[no-untyped-def]
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


def _write_buffer(uow, visit_id: str, answers: dict[str, Any], at: datetime) -> None:  # type: ignore[no-untyped-def]
    # Local (never synced) state, like users.set_current_user: not a record, no op-log entry.
    from db.models import LocalSetting

    value = {"answers": answers, "at": at.isoformat()}
    row = uow.session.get(LocalSetting, _buffer_key(visit_id))
    if row is None:
        row = LocalSetting(key=_buffer_key(visit_id), value=value)
    else:
        row.value = value
    uow.session.add(row)


def _clear_buffer(uow, visit_id: str) -> None:  # type: ignore[no-untyped-def]
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


# ------------------------------------------------------------------------------- reading


def get_visit(db: Any, visit_id: str) -> VisitInfo:
    from db.models import Location, Provider, SiteVisit

    with db.read_session() as s:
        v = s.get(SiteVisit, visit_id)
        if v is None or v.deleted_at is not None:
            raise NotFound("Dit bezoek bestaat niet (meer).")
        loc = s.get(Location, v.location_id)
        prov = s.get(Provider, loc.provider_id) if loc else None
        revised = s.exec(
            select(SiteVisit.id).where(
                SiteVisit.revision_of_id == v.id, col(SiteVisit.deleted_at).is_(None)
            )
        ).first()
        names = _names(s, {v.author_id, v.completed_by_id or ""})
        info = _info(v, loc, prov, names, revised)
        return _overlay(info, _read_buffer(s, v.id) if info.is_draft else None)


def _list(db: Any, *conditions) -> list[VisitInfo]:  # type: ignore[no-untyped-def]
    from db.models import Location, Provider, SiteVisit

    with db.read_session() as s:
        stmt = (
            select(SiteVisit, Location, Provider)
            .join(Location, col(Location.id) == SiteVisit.location_id)
            .join(Provider, col(Provider.id) == Location.provider_id)
            .where(col(SiteVisit.deleted_at).is_(None), *conditions)
        )
        rows = s.exec(stmt).all()
        ids = [v.id for v, _, _ in rows]
        revised: dict[str, str] = {}
        if ids:
            for rid, of in s.exec(
                select(SiteVisit.id, SiteVisit.revision_of_id).where(
                    col(SiteVisit.revision_of_id).in_(ids), col(SiteVisit.deleted_at).is_(None)
                )
            ).all():
                revised[of] = rid
        names = _names(
            s, {v.author_id for v, _, _ in rows} | {v.completed_by_id or "" for v, _, _ in rows}
        )
        out = [
            _overlay(
                _info(v, loc, prov, names, revised.get(v.id)),
                _read_buffer(s, v.id) if v.status == VisitStatus.DRAFT else None,
            )
            for v, loc, prov in rows
        ]
    out.sort(key=lambda i: (i.visit_date or date.min, i.updated_at), reverse=True)
    return out


def list_visits(db: Any, location_id: str) -> list[VisitInfo]:
    """History of one location, newest first (drafts, completed visits and revisions)."""
    from db.models import SiteVisit

    return _list(db, SiteVisit.location_id == location_id)


def list_drafts(db: Any, author_id: str | None = None) -> list[VisitInfo]:
    """Drafts to offer after a crash (or to continue), newest autosave first."""
    from db.models import SiteVisit

    cond = [SiteVisit.status == VisitStatus.DRAFT]
    if author_id:
        cond.append(SiteVisit.author_id == author_id)
    out = _list(db, *cond)
    out.sort(key=lambda i: i.autosaved_at or i.updated_at, reverse=True)
    return out


def revision_chain(db: Any, visit_id: str) -> list[VisitInfo]:
    """The visit and its predecessors (oldest first)."""
    chain: list[VisitInfo] = []
    seen: set[str] = set()
    current: str | None = visit_id
    while current and current not in seen:
        seen.add(current)
        info = get_visit(db, current)
        chain.append(info)
        current = info.revision_of_id
    chain.reverse()
    return chain


# ------------------------------------------------------------------------------- writing


def _prefill(uow, loc, actor_id: str, form, today: date) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from db.models import AppUser, LocationImprovementItem, QualityPlan

    answers: dict[str, Any] = {}
    if form.has_field("location_name"):
        answers["location_name"] = loc.name + (f", {loc.place}" if loc.place else "")
    if form.has_field("visit_date"):
        answers["visit_date"] = today.isoformat()
    user = uow.get(AppUser, actor_id)
    if user is not None and form.has_field("visitors"):
        answers["visitors"] = user.name + (
            f" ({user.function_title})" if user.function_title else ""
        )
    if form.has_field("plan_progress") and form.has_field("progress_item"):
        # the items of the location's most recent verbeterparagraaf
        plan_id = uow.exec(
            select(QualityPlan.id)
            .join(
                LocationImprovementItem,
                col(LocationImprovementItem.quality_plan_id) == QualityPlan.id,
            )
            .where(
                LocationImprovementItem.location_id == loc.id,
                col(LocationImprovementItem.deleted_at).is_(None),
                col(QualityPlan.deleted_at).is_(None),
            )
            .order_by(col(QualityPlan.year).desc())
        ).first()
        if plan_id:
            items = uow.exec(
                select(LocationImprovementItem.what)
                .where(
                    LocationImprovementItem.quality_plan_id == plan_id,
                    LocationImprovementItem.location_id == loc.id,
                    col(LocationImprovementItem.deleted_at).is_(None),
                )
                .order_by(
                    col(LocationImprovementItem.theme_code), col(LocationImprovementItem.what)
                )
            ).all()
            if items:
                answers["plan_progress"] = [{"progress_item": w[:500]} for w in items]
    return answers


def create_visit(
    db: Any,
    location_id: str,
    *,
    actor_id: str,
    form_id: str = DEFAULT_FORM_ID,
    form_version: str | None = None,
    today: date | None = None,
) -> VisitInfo:
    """A new draft visit on the latest (or given) version of the form, prefilled with the
    location, today's date, the visitor and the verbeterparagraaf items."""
    from db.models import Location, SiteVisit
    from db.repo import UnitOfWork

    form = _form(form_id, form_version)
    today = today or date.today()
    with UnitOfWork(db, actor_id) as uow:
        loc = uow.get(Location, location_id)
        if loc is None or loc.deleted_at is not None:
            raise NotFound("Deze locatie bestaat niet (meer).")
        answers = _prefill(uow, loc, actor_id, form, today)
        visit = uow.add(
            SiteVisit(
                location_id=location_id,
                form_id=form.form_id,
                form_version=form.version,
                status=VisitStatus.DRAFT,
                visit_date=_date_of(answers),
                answers=answers,
                author_id=actor_id,
                autosaved_at=utcnow(),
            )
        )
        uow.audit("create", visit, form=f"{form.form_id}/{form.version}")
        visit_id = visit.id
    return get_visit(db, visit_id)


def _draft_data(answers: Any) -> dict[str, Any]:
    if not isinstance(answers, Mapping):
        raise ValidationError("answers", "Ongeldige antwoorden.")
    return dict(answers)


def buffer_answers(
    db: Any, visit_id: str, answers: Mapping[str, Any], *, actor_id: str
) -> datetime:
    """Crash buffer, every few seconds while typing: the answers in this laptop's local
    (never synced) settings. One short transaction, no op-log entry, no validation.
    Refuses a completed visit. Returns the time of the save."""
    from db.repo import UnitOfWork

    data = _draft_data(answers)
    now = utcnow()
    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation(
                "Een afgerond bezoek kan niet meer worden gewijzigd; kies Corrigeren."
            )
        _write_buffer(uow, visit_id, data, now)
    return now


def autosave(db: Any, visit_id: str, answers: Mapping[str, Any], *, actor_id: str) -> datetime:
    """Store the draft's answers in the synced visit record (no validation) and clear the
    local buffer, in one short transaction. Refuses a completed visit. Returns the time."""
    from db.repo import UnitOfWork

    data = _draft_data(answers)
    now = utcnow()
    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation(
                "Een afgerond bezoek kan niet meer worden gewijzigd; kies Corrigeren."
            )
        uow.update(v, answers=data, visit_date=_date_of(data), autosaved_at=now)
        _clear_buffer(uow, visit_id)
    return now


def discard_draft(db: Any, visit_id: str, *, actor_id: str) -> None:
    from db.repo import UnitOfWork

    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation("Alleen een concept kan worden verwijderd.")
        uow.delete(v)
        _clear_buffer(uow, visit_id)
        uow.audit("discard", v)


def complete_visit(
    db: Any,
    visit_id: str,
    answers: Mapping[str, Any] | None = None,
    *,
    actor_id: str,
    today: date | None = None,
) -> VisitInfo:
    """Validate with the visit's own form version; on success store the final answers,
    mark COMPLETED (read-only) and create the follow-up actions. Raises ValidationErrors
    (field = answer path, Dutch message) and writes nothing when the form is not valid."""
    from db.models import SiteVisit
    from db.repo import UnitOfWork
    from forms import evaluate, finalize

    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.DRAFT:
            raise RuleViolation("Dit bezoek is al afgerond.")
        form = _form(v.form_id, v.form_version)
        if answers is None:
            buffered = _read_buffer(uow.session, v.id)
            newer = buffered is not None and (
                v.autosaved_at is None or buffered[1] > v.autosaved_at
            )
            answers = buffered[0] if newer and buffered else (v.answers or {})
        data = dict(answers)
        state = evaluate(form, data, today)
        if state.issues:
            raise ValidationErrors([ValidationError(i.path, i.message) for i in state.issues])
        final = finalize(form, data, today)
        uow.update(
            v,
            answers=final,
            visit_date=_date_of(final),
            status=VisitStatus.COMPLETED,
            completed_at=utcnow(),
            completed_by_id=actor_id,
        )
        _clear_buffer(uow, v.id)
        prev = uow.get(SiteVisit, v.revision_of_id) if v.revision_of_id else None
        _sync_actions(uow, v, final, prev, actor_id)
        uow.audit("complete", v, revision_of=v.revision_of_id or "")
    return get_visit(db, visit_id)


def _sync_actions(uow, visit, answers: Mapping[str, Any], prev, actor_id: str) -> None:  # type: ignore[no-untyped-def]
    """Follow-up actions from the answers. For a revision, actions of the previous visit
    with the same description and owner move over (keeping done/who/when); the others
    of the previous visit that are still open are withdrawn (soft-deleted)."""
    from db.models import FollowUpAction

    listed = answers.get("actions")
    rows: list[Any] = listed if isinstance(listed, list) else []
    old: list[FollowUpAction] = []
    if prev is not None:
        old = list(
            uow.exec(
                select(FollowUpAction).where(
                    FollowUpAction.visit_id == prev.id, col(FollowUpAction.deleted_at).is_(None)
                )
            ).all()
        )
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        desc = str(row.get("action_description") or "").strip()
        if not desc:
            continue
        given = row.get("action_owner")
        owner = str(given) if given in ActionOwner.__members__ else str(ActionOwner.PROVIDER)
        due = None
        if row.get("action_due_date"):
            try:
                due = date.fromisoformat(str(row["action_due_date"]))
            except ValueError:
                due = None
        match = next((a for a in old if a.description == desc and a.owner == owner), None)
        if match is not None:
            old.remove(match)
            uow.update(match, visit_id=visit.id, due_date=due)
        else:
            uow.add(
                FollowUpAction(
                    location_id=visit.location_id,
                    visit_id=visit.id,
                    description=desc[:2000],
                    owner=owner,
                    responsible_user_id=actor_id,
                    due_date=due,
                )
            )
    for a in old:
        if a.status != "DONE":
            uow.delete(a)


def start_correction(db: Any, visit_id: str, reason: str, *, actor_id: str) -> VisitInfo:
    """A new draft revision of a completed visit, same form version, answers copied."""
    from db.models import SiteVisit
    from db.repo import UnitOfWork

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("reason", "Geef de reden van de correctie.")
    if len(reason) > 1000:
        raise ValidationError("reason", "De reden mag hoogstens 1000 tekens lang zijn.")
    with UnitOfWork(db, actor_id) as uow:
        v = _live_visit(uow, visit_id)
        if v.status != VisitStatus.COMPLETED:
            raise RuleViolation("Alleen een afgerond bezoek kan worden gecorrigeerd.")
        newer = uow.exec(
            select(SiteVisit.id).where(
                SiteVisit.revision_of_id == v.id, col(SiteVisit.deleted_at).is_(None)
            )
        ).first()
        if newer:
            raise RuleViolation(
                "Dit bezoek is al gecorrigeerd; corrigeer de nieuwste versie (of rond het concept af)."
            )
        rev = uow.add(
            SiteVisit(
                location_id=v.location_id,
                form_id=v.form_id,
                form_version=v.form_version,
                status=VisitStatus.DRAFT,
                visit_date=v.visit_date,
                answers=dict(v.answers or {}),
                author_id=actor_id,
                revision_of_id=v.id,
                revision_reason=reason,
                autosaved_at=utcnow(),
            )
        )
        uow.audit("correct", rev, revision_of=v.id, reason=reason)
        rev_id = rev.id
    return get_visit(db, rev_id)


# ------------------------------------------------------------------ observations -> notes


def observations(db: Any, visit_id: str) -> list[Observation]:
    """Filled-in theme observations of a visit (T1..T8) with the note made from each."""
    from db.models import DiagnosisNote

    info = get_visit(db, visit_id)
    form = _form(info.form_id, info.form_version)
    a = info.answers
    with db.read_session() as s:
        notes = {
            ref: nid
            for nid, ref in s.exec(
                select(DiagnosisNote.id, DiagnosisNote.source_ref).where(
                    DiagnosisNote.source_visit_id == visit_id,
                    col(DiagnosisNote.deleted_at).is_(None),
                )
            ).all()
        }
    out = []
    for code in THEME_CODES:
        n = code[1:]
        text = a.get(f"t{n}_observation")
        if not isinstance(text, str) or not text.strip():
            continue
        group = f"theme_t{n}"
        label = form.field(group).label if form.has_field(group) else code
        src = a.get(f"t{n}_source")
        ref = f"visit:{visit_id}#{code}"
        out.append(
            Observation(
                theme_code=code,
                theme_label=label,
                text=text.strip(),
                signal=a.get(f"t{n}_signal") or None,
                rating=a.get(f"t{n}_rating") or None,
                sources=tuple(src) if isinstance(src, list) else (),
                source_ref=ref,
                note_id=notes.get(ref),
            )
        )
    return out


def observation_to_note(
    db: Any, visit_id: str, theme_code: str, *, actor_id: str, kind: str | None = None
) -> str:
    """Turn one observation of a completed visit into a diagnosis note (once). Returns the
    note id. The note records `source_visit_id` and `source_ref` ("visit:<id>#T3")."""
    from desktop.services import diagnosis

    info = get_visit(db, visit_id)
    if not info.is_completed:
        raise RuleViolation("Rond het bezoek eerst af; daarna kunt u waarnemingen overnemen.")
    obs = {o.theme_code: o for o in observations(db, visit_id)}
    o = obs.get(theme_code)
    if o is None:
        raise NotFound("Bij dit thema staat geen waarneming.")
    if o.note_id:
        raise RuleViolation("Deze waarneming staat al in de kwaliteitsdiagnose.")
    note_kind = kind or SIGNAL_NOTE_KIND.get(o.signal or "", "IMPROVEMENT_POINT")
    from desktop.services.formatting import short_date

    source = f"Locatiebezoek {short_date(info.visit_date)}" if info.visit_date else "Locatiebezoek"
    note = diagnosis.add_note(
        db,
        provider_id=info.provider_id,
        location_id=info.location_id,
        kind=note_kind,
        text=o.text,
        actor_id=actor_id,
        theme_codes=[theme_code],
        source=source,
        noted_on=info.visit_date.isoformat() if info.visit_date else None,
        source_visit_id=visit_id,
        source_ref=o.source_ref,
    )
    return note.id
