"""Intervention register per provider with an escalation ladder, and the signals that suggest
where to start one.

Seed 004 Tabel 1 (d): "Als de zorgaanbieder niet tot kwaliteitsverbetering komt, past het
zorgkantoor de meest effectieve interventie(s) toe"; seed 001 §1.1: results that stay behind
lead to "de bestuurder hierop aangesproken" and "maatregelen ... voortvloeiend uit de
overeenkomst". Each step is dated and owned; a follow-up date becomes an action on *Mijn
acties* (a `follow_up_action` on the location concerned, owner zorgkantoor).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from desktop.services.fts import sql_where
from desktop.services.guards import live
from desktop.services.themes import connect_ro, theme_codes

STEPS = ("GESPREK", "VERBETERPLAN", "VERSCHERPT", "CONSEQUENTIES")
STEP_LABELS = {
    "GESPREK": "Extra gesprek met de bestuurder",
    "VERBETERPLAN": "Verbeterplan met termijn",
    "VERSCHERPT": "Verscherpte monitoring",
    "CONSEQUENTIES": "Consequenties in contract of budget",
}
STATUS_LABELS = {"OPEN": "Loopt", "ESCALATED": "Opgeschaald", "CLOSED": "Afgesloten"}


@dataclass(frozen=True)
class InterventionInfo:
    id: str
    provider_id: str
    provider_name: str
    step: str
    started_on: date
    owner_id: str | None
    owner_name: str
    description: str
    deadline: date | None
    follow_up_on: date | None
    theme_codes: tuple[str, ...]
    agreement_ids: tuple[str, ...]
    location_ids: tuple[str, ...]
    escalated_from_id: str | None
    igj_reported_on: date | None
    igj_note: str
    status: str
    closed_on: date | None
    outcome: str
    follow_up_action_id: str | None

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.step, self.step)

    @property
    def step_number(self) -> int:
        return STEPS.index(self.step) + 1 if self.step in STEPS else 0

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status == "OPEN"


def _dates(values: dict[str, object], errors: list[ValidationError]) -> dict[str, date | None]:
    from desktop.services.validation import iso_date

    out: dict[str, date | None] = {}
    labels = {
        "started_on": "Startdatum",
        "deadline": "Termijn",
        "follow_up_on": "Vervolgdatum",
        "igj_reported_on": "Datum melding IGJ",
    }
    for name, value in values.items():
        if value in (None, ""):
            out[name] = None
            continue
        try:
            out[name] = iso_date(value, name, labels[name])
        except ValidationError as exc:
            errors.append(exc)
            out[name] = None
    return out


def start_intervention(
    db: Any,
    *,
    provider_id: str,
    step: str,
    actor_id: str | None,
    owner_id: str | None = None,
    started_on: object = None,
    description: str = "",
    deadline: object = None,
    follow_up_on: object = None,
    theme_codes_: Any = (),
    agreement_ids: Any = (),
    location_ids: Any = (),
    igj_reported_on: object = None,
    igj_note: str = "",
    escalated_from_id: str | None = None,
) -> InterventionInfo:
    """Register a step. A verbeterplan needs a termijn; a follow-up date puts an action on
    the owner's *Mijn acties*."""
    from sqlmodel import col, select

    from db.models import AppUser, CustomAgreement, FollowUpAction, Intervention, Location, Provider
    from db.repo import UnitOfWork

    errors: list[ValidationError] = []
    if step not in STEPS:
        errors.append(
            ValidationError(
                "step",
                "Kies een stap: gesprek, verbeterplan, verscherpte monitoring of consequenties.",
            )
        )
    d = _dates(
        {
            "started_on": started_on or date.today(),
            "deadline": deadline,
            "follow_up_on": follow_up_on,
            "igj_reported_on": igj_reported_on,
        },
        errors,
    )
    if (
        step == "VERBETERPLAN"
        and d["deadline"] is None
        and not any(e.field == "deadline" for e in errors)
    ):
        errors.append(
            ValidationError("deadline", "Een verbeterplan heeft een termijn: vul een datum in.")
        )
    if d["deadline"] and d["started_on"] and d["deadline"] < d["started_on"]:
        errors.append(ValidationError("deadline", "De termijn ligt vóór de startdatum."))
    if d["follow_up_on"] and d["started_on"] and d["follow_up_on"] < d["started_on"]:
        errors.append(ValidationError("follow_up_on", "De vervolgdatum ligt vóór de startdatum."))
    codes = [c for c in theme_codes() if c in set(theme_codes_ or ())]
    if len(codes) != len(set(theme_codes_ or ())):
        errors.append(ValidationError("theme_codes", "Onbekend thema: kies uit T1 tot en met T8."))
    text = (description or "").strip()
    if not text:
        errors.append(
            ValidationError(
                "description", "Beschrijf de interventie: wat is afgesproken of besloten?"
            )
        )
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    started = d["started_on"]
    assert started is not None  # given (or today) and parsed without error
    with UnitOfWork(db, actor_id) as uow:
        prov = live(uow, Provider, provider_id, "Deze zorgaanbieder bestaat niet (meer).")
        if owner_id and uow.get(AppUser, owner_id) is None:
            raise ValidationError("owner_id", "Kies een eigenaar uit de medewerkers.")
        locs = list(dict.fromkeys(location_ids or ()))
        own_locs = list(
            uow.exec(
                select(Location.id)
                .where(Location.provider_id == provider_id, col(Location.deleted_at).is_(None))
                .order_by(Location.name)
            ).all()
        )
        if any(x not in own_locs for x in locs):
            raise ValidationError("location_ids", "Kies locaties van deze zorgaanbieder.")
        for aid in agreement_ids or ():
            a = uow.get(CustomAgreement, aid)
            if a is None or a.provider_id != provider_id:
                raise ValidationError(
                    "agreement_ids", "Deze afspraak hoort niet bij deze zorgaanbieder."
                )
        action_id = None
        owner = owner_id or actor_id
        if d["follow_up_on"] and (locs or own_locs):
            # Mijn acties lists follow_up_action rows per location: the first location named,
            # else the provider's first location (by name).
            action = uow.add(
                FollowUpAction(
                    location_id=(locs or own_locs)[0],
                    visit_id=None,
                    description=f"Interventie {prov.name}: {STEP_LABELS[step].lower()} – vervolg",
                    owner="CARE_OFFICE",
                    responsible_user_id=owner,
                    due_date=d["follow_up_on"],
                )
            )
            action_id = action.id
        iv = uow.add(
            Intervention(
                provider_id=provider_id,
                step=step,
                started_on=started,
                owner_id=owner,
                description=text,
                deadline=d["deadline"],
                follow_up_on=d["follow_up_on"],
                theme_codes=codes,
                agreement_ids=list(agreement_ids or ()),
                location_ids=locs,
                escalated_from_id=escalated_from_id,
                igj_reported_on=d["igj_reported_on"],
                igj_note=(igj_note or "").strip(),
                status="OPEN",
                follow_up_action_id=action_id,
            )
        )
        new_id = iv.id
    return get_intervention(db, new_id)


def _finish(uow: Any, iv: Any, status: str, on: date, outcome: str) -> None:
    from db.models import FollowUpAction
    from db.types import utcnow

    uow.update(iv, status=status, closed_on=on, outcome=outcome)
    if iv.follow_up_action_id:
        act = uow.get(FollowUpAction, iv.follow_up_action_id)
        if act is not None and act.status == "OPEN":
            uow.update(act, status="DONE", done_at=utcnow(), done_by_id=uow.actor_id)


def escalate(
    db: Any,
    intervention_id: str,
    *,
    actor_id: str | None,
    description: str,
    step: str | None = None,
    **kwargs: Any,
) -> InterventionInfo:
    """Next rung of the ladder (or a named higher one); the previous step is marked
    'opgeschaald' and its follow-up action done. Themes, agreements and locations carry over."""
    from db.models import Intervention
    from db.repo import UnitOfWork

    prev = get_intervention(db, intervention_id)
    if not prev.is_open:
        raise RuleViolation("Deze interventie is al afgesloten of opgeschaald.")
    if prev.step == STEPS[-1] and step is None:
        raise RuleViolation(
            "Dit is al de zwaarste stap; sluit de interventie af of meld bij de IGJ."
        )
    target = step or STEPS[STEPS.index(prev.step) + 1]
    if target in STEPS and STEPS.index(target) <= STEPS.index(prev.step):
        raise ValidationError("step", "Opschalen gaat naar een zwaardere stap.")
    kwargs.setdefault("theme_codes_", prev.theme_codes)
    kwargs.setdefault("agreement_ids", prev.agreement_ids)
    kwargs.setdefault("location_ids", prev.location_ids)
    new = start_intervention(
        db,
        provider_id=prev.provider_id,
        step=target,
        actor_id=actor_id,
        description=description,
        escalated_from_id=prev.id,
        **kwargs,
    )
    with UnitOfWork(db, actor_id) as uow:
        iv = uow.get(Intervention, prev.id)
        _finish(uow, iv, "ESCALATED", new.started_on, f"Opgeschaald naar: {new.step_label.lower()}")
    return new


def close_intervention(
    db: Any, intervention_id: str, *, actor_id: str | None, outcome: str, closed_on: object = None
) -> InterventionInfo:
    from db.models import Intervention
    from db.repo import UnitOfWork

    text = (outcome or "").strip()
    if not text:
        raise ValidationError("outcome", "Beschrijf de uitkomst: waarom kan de interventie dicht?")
    errors: list[ValidationError] = []
    on = _dates({"started_on": closed_on or date.today()}, errors)["started_on"]
    if errors:
        raise ValidationError("closed_on", errors[0].message)
    assert on is not None  # given (or today) and parsed without error
    with UnitOfWork(db, actor_id) as uow:
        iv = live(uow, Intervention, intervention_id, "Deze interventie bestaat niet (meer).")
        if iv.status != "OPEN":
            raise RuleViolation("Deze interventie is al afgesloten of opgeschaald.")
        _finish(uow, iv, "CLOSED", on, text)
    return get_intervention(db, intervention_id)


_COLS = """i.id, i.provider_id, p.name, i.step, i.started_on, i.owner_id, COALESCE(u.name, ''),
    i.description, i.deadline, i.follow_up_on, i.theme_codes, i.agreement_ids, i.location_ids,
    i.escalated_from_id, i.igj_reported_on, i.igj_note, i.status, i.closed_on, i.outcome,
    i.follow_up_action_id"""


def _d(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def _row(r: tuple) -> InterventionInfo:
    return InterventionInfo(
        r[0],
        r[1],
        r[2],
        r[3],
        date.fromisoformat(r[4]),
        r[5],
        r[6],
        r[7] or "",
        _d(r[8]),
        _d(r[9]),
        tuple(json.loads(r[10] or "[]")),
        tuple(json.loads(r[11] or "[]")),
        tuple(json.loads(r[12] or "[]")),
        r[13],
        _d(r[14]),
        r[15] or "",
        r[16],
        _d(r[17]),
        r[18] or "",
        r[19],
    )


def list_interventions(
    db: Any, *, provider_id: str | None = None, open_only: bool = False
) -> list[InterventionInfo]:
    """Newest first; per provider the ladder reads bottom-up."""
    where, args = sql_where(
        ("i.deleted_at IS NULL", True),
        ("i.provider_id = ?", provider_id),
        ("i.status = 'OPEN'", open_only),
    )
    conn = connect_ro(db)
    try:
        return [
            _row(r)
            for r in conn.execute(
                f"""SELECT {_COLS} FROM intervention i JOIN provider p ON p.id = i.provider_id
                LEFT JOIN app_user u ON u.id = i.owner_id WHERE {where}
                ORDER BY p.name, i.started_on DESC, i.created_at DESC""",
                args,
            )
        ]
    finally:
        conn.close()


def get_intervention(db: Any, intervention_id: str) -> InterventionInfo:
    conn = connect_ro(db)
    try:
        r = conn.execute(
            f"""SELECT {_COLS} FROM intervention i JOIN provider p ON p.id = i.provider_id
                LEFT JOIN app_user u ON u.id = i.owner_id WHERE i.id = ?""",
            (intervention_id,),
        ).fetchone()
    finally:
        conn.close()
    if r is None:
        raise NotFound("Deze interventie bestaat niet (meer).")
    return _row(r)


def intervention_to_dict(i: InterventionInfo) -> dict[str, Any]:
    return {
        "id": i.id,
        "provider_id": i.provider_id,
        "provider": i.provider_name,
        "step": i.step,
        "step_number": i.step_number,
        "step_label": i.step_label,
        "started_on": i.started_on.isoformat(),
        "owner": i.owner_name,
        "description": i.description,
        "deadline": i.deadline.isoformat() if i.deadline else None,
        "follow_up_on": i.follow_up_on.isoformat() if i.follow_up_on else None,
        "themes": list(i.theme_codes),
        "agreement_ids": list(i.agreement_ids),
        "escalated_from_id": i.escalated_from_id,
        "igj_reported_on": i.igj_reported_on.isoformat() if i.igj_reported_on else None,
        "igj_note": i.igj_note,
        "status": i.status,
        "status_label": i.status_label,
        "closed_on": i.closed_on.isoformat() if i.closed_on else None,
        "outcome": i.outcome,
    }
