"""Maatwerkafspraken as records: theme(s), location(s), the result aimed at (a target rating or
a concrete change), a deadline, how it is checked, and its status over time.

Seed 004 Tabel 1 (b)/(c): "concrete, resultaatgerichte afspraken ... op basis van de eigen
kwaliteitsdiagnose" and "monitort of de afspraken door de zorgaanbieders worden nagekomen".
A check can come from a locatiebezoek (`visit_id`), an indicator, a conversation, or by hand.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from db.errors import NotFound, ValidationError, ValidationErrors
from desktop.services.themes import (
    connect_ro,
    driver_connection,
    rating_info,
    rating_label,
    theme_codes,
)

CHECK_METHODS = {"BEZOEK": "Locatiebezoek", "INDICATOR": "Indicator", "GESPREK": "Gesprek"}
STATUS_LABELS = {
    "OPEN": "Loopt",
    "MET": "Behaald",
    "PARTLY": "Deels behaald",
    "MISSED": "Niet behaald",
    "WITHDRAWN": "Vervallen",
}
OUTCOMES = ("MET", "PARTLY", "MISSED", "OPEN", "WITHDRAWN")


@dataclass(frozen=True)
class CheckInfo:
    id: str
    checked_on: date
    outcome: str
    visit_id: str | None
    visit_date: date | None
    note: str
    author_name: str

    @property
    def outcome_label(self) -> str:
        return STATUS_LABELS.get(self.outcome, self.outcome)

    @property
    def source_label(self) -> str:
        if self.visit_id:
            from desktop.services.formatting import short_date

            return f"bezoek {short_date(self.visit_date)}" if self.visit_date else "bezoek"
        return "handmatig"


@dataclass(frozen=True)
class AgreementInfo:
    id: str
    provider_id: str
    provider_name: str
    budget_request_id: str | None
    budget_year: int | None
    theme_codes: tuple[str, ...]
    location_ids: tuple[str, ...]
    location_names: tuple[str, ...]
    target_rating: str | None
    target_change: str
    due_date: date
    check_method: str
    status: str
    checks: tuple[CheckInfo, ...]  # oldest first
    overdue: bool  # still open after the deadline

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        return f"{label} (termijn verstreken)" if self.overdue else label

    @property
    def method_label(self) -> str:
        return CHECK_METHODS.get(self.check_method, self.check_method)

    @property
    def result_text(self) -> str:
        """The result aimed at, in Dutch."""
        parts = []
        if self.target_rating:
            parts.append(f"minimaal {rating_label(self.target_rating).lower()}")
        if self.target_change:
            parts.append(self.target_change)
        return "; ".join(parts)

    @property
    def scope_text(self) -> str:
        where = ", ".join(self.location_names) if self.location_names else "alle locaties"
        return f"{', '.join(self.theme_codes)} · {where}"


def _validate(
    db: Any,
    provider_id: str,
    codes: Any,
    location_ids: Any,
    target_rating: Any,
    target_change: str,
    due_date: object,
    check_method: str,
    budget_request_id: str | None,
) -> tuple[list[str], list[str], str | None, str, date]:
    from desktop.services.validation import iso_date

    errors: list[ValidationError] = []
    codes = [c for c in theme_codes() if c in set(codes or ())]
    bad = [c for c in (codes or ()) if c not in theme_codes()]
    if not codes or bad:
        errors.append(ValidationError("theme_codes", "Kies minstens één thema (T1 tot en met T8)."))
    if target_rating and rating_info(target_rating) is None:
        errors.append(
            ValidationError(
                "target_rating", "Kies een beoogd oordeel: goed, voldoende, matig of onvoldoende."
            )
        )
    change = (target_change or "").strip()
    if not target_rating and not change:
        errors.append(
            ValidationError(
                "target_change",
                "Leg het beoogde resultaat vast: een beoogd oordeel of een concrete, zichtbare verandering.",
            )
        )
    if len(change) > 2000:
        errors.append(
            ValidationError("target_change", "Het resultaat mag hoogstens 2000 tekens lang zijn.")
        )
    when: date | None = None
    try:
        when = iso_date(due_date, "due_date", "Termijn")
    except ValidationError:
        errors.append(ValidationError("due_date", "Vul een termijn in als dd-mm-jjjj."))
    if check_method not in CHECK_METHODS:
        errors.append(
            ValidationError(
                "check_method", "Kies hoe de afspraak wordt getoetst: bezoek, indicator of gesprek."
            )
        )
    conn = connect_ro(db)
    try:
        if (
            conn.execute(
                "SELECT 1 FROM provider WHERE id = ? AND deleted_at IS NULL", (provider_id,)
            ).fetchone()
            is None
        ):
            raise NotFound("Deze zorgaanbieder bestaat niet (meer).")
        own = {
            r[0]
            for r in conn.execute(
                "SELECT id FROM location WHERE provider_id = ? AND deleted_at IS NULL",
                (provider_id,),
            )
        }
        locs = list(dict.fromkeys(location_ids or ()))
        if any(loc not in own for loc in locs):
            errors.append(ValidationError("location_ids", "Kies locaties van deze zorgaanbieder."))
        if budget_request_id:
            got = conn.execute(
                "SELECT provider_id FROM budget_request WHERE id = ?", (budget_request_id,)
            ).fetchone()
            if got is None or got[0] != provider_id:
                errors.append(
                    ValidationError(
                        "budget_request_id", "Deze aanvraag hoort niet bij deze zorgaanbieder."
                    )
                )
    finally:
        conn.close()
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    assert when is not None
    return codes, locs, target_rating or None, change, when


def create_agreement(
    db: Any,
    *,
    provider_id: str,
    actor_id: str | None,
    theme_codes: Any,
    due_date: object,
    check_method: str,
    location_ids: Any = (),
    target_rating: str | None = None,
    target_change: str = "",
    budget_request_id: str | None = None,
) -> AgreementInfo:
    from db.models import CustomAgreement
    from db.repo import UnitOfWork

    codes, locs, target, change, when = _validate(
        db,
        provider_id,
        theme_codes,
        location_ids,
        target_rating,
        target_change,
        due_date,
        check_method,
        budget_request_id,
    )
    with UnitOfWork(db, actor_id) as uow:
        a = uow.add(
            CustomAgreement(
                provider_id=provider_id,
                budget_request_id=budget_request_id or None,
                theme_codes=codes,
                location_ids=locs,
                target_rating=target,
                target_change=change,
                due_date=when,
                check_method=check_method,
                status="OPEN",
                author_id=actor_id,
            )
        )
        agreement_id = a.id
    return get_agreement(db, agreement_id)


def check_agreement(
    db: Any,
    agreement_id: str,
    *,
    outcome: str,
    actor_id: str | None,
    checked_on: object = None,
    visit_id: str | None = None,
    note: str = "",
) -> AgreementInfo:
    """Record a check (met / partly / missed / still open / withdrawn); the agreement's status
    follows the latest check. From a visit (`visit_id`, a visit at one of the provider's
    locations) or by hand."""
    from db.models import AgreementCheck, CustomAgreement, Location, SiteVisit
    from db.repo import UnitOfWork
    from desktop.services.validation import optional_past_date

    if outcome not in OUTCOMES:
        raise ValidationError(
            "outcome", "Kies behaald, deels behaald, niet behaald, loopt nog of vervallen."
        )
    errors: list[ValidationError] = []
    on = optional_past_date(
        checked_on,
        "checked_on",
        "Datum van de toets",
        errors,
        "De datum van de toets ligt in de toekomst.",
    )
    if errors:
        raise errors[0]
    if len(note or "") > 2000:
        raise ValidationError("note", "De toelichting mag hoogstens 2000 tekens lang zijn.")
    with UnitOfWork(db, actor_id) as uow:
        a = uow.get(CustomAgreement, agreement_id)
        if a is None or a.deleted_at is not None:
            raise NotFound("Deze afspraak bestaat niet (meer).")
        if visit_id:
            v = uow.get(SiteVisit, visit_id)
            loc = uow.get(Location, v.location_id) if v is not None else None
            if v is None or loc is None or loc.provider_id != a.provider_id:
                raise ValidationError("visit_id", "Dit bezoek hoort niet bij deze zorgaanbieder.")
            if v.visit_date:
                on = v.visit_date
        uow.add(
            AgreementCheck(
                agreement_id=agreement_id,
                checked_on=on,
                outcome=outcome,
                visit_id=visit_id or None,
                note=(note or "").strip(),
                author_id=actor_id,
            )
        )
        uow.update(a, status=outcome)
    return get_agreement(db, agreement_id)


_COLS = """a.id, a.provider_id, p.name, a.budget_request_id, r.budget_year, a.theme_codes,
    a.location_ids, a.target_rating, a.target_change, a.due_date, a.check_method, a.status"""


def _load(
    conn: sqlite3.Connection, where: str, args: list[Any], today: date
) -> list[AgreementInfo]:
    rows = conn.execute(
        f"""SELECT {_COLS} FROM custom_agreement a JOIN provider p ON p.id = a.provider_id
            LEFT JOIN budget_request r ON r.id = a.budget_request_id
            WHERE a.deleted_at IS NULL AND {where}
            ORDER BY a.due_date, a.created_at""",
        args,
    ).fetchall()
    ids = [r[0] for r in rows]
    checks: dict[str, list[CheckInfo]] = {}
    names: dict[str, str] = {}
    if ids:
        marks = ",".join("?" * len(ids))
        for c in conn.execute(
            f"""SELECT c.agreement_id, c.id, c.checked_on, c.outcome, c.visit_id,
                           v.visit_date, c.note, COALESCE(u.name, '')
                    FROM agreement_check c LEFT JOIN site_visit v ON v.id = c.visit_id
                    LEFT JOIN app_user u ON u.id = c.author_id
                    WHERE c.deleted_at IS NULL AND c.agreement_id IN ({marks})
                    ORDER BY c.checked_on, c.created_at""",
            ids,
        ):
            checks.setdefault(c[0], []).append(
                CheckInfo(
                    c[1],
                    date.fromisoformat(c[2]),
                    c[3],
                    c[4],
                    date.fromisoformat(c[5]) if c[5] else None,
                    c[6] or "",
                    c[7],
                )
            )
        provs = sorted({r[1] for r in rows})
        pm = ",".join("?" * len(provs))
        names = dict(
            conn.execute(f"SELECT id, name FROM location WHERE provider_id IN ({pm})", provs)
        )
    out = []
    for r in rows:
        locs = tuple(json.loads(r[6] or "[]"))
        due = date.fromisoformat(r[9])
        out.append(
            AgreementInfo(
                id=r[0],
                provider_id=r[1],
                provider_name=r[2],
                budget_request_id=r[3],
                budget_year=r[4],
                theme_codes=tuple(json.loads(r[5] or "[]")),
                location_ids=locs,
                location_names=tuple(names.get(x, "?") for x in locs),
                target_rating=r[7],
                target_change=r[8] or "",
                due_date=due,
                check_method=r[10],
                status=r[11],
                checks=tuple(checks.get(r[0], ())),
                overdue=r[11] == "OPEN" and due < today,
            )
        )
    return out


def get_agreement(db: Any, agreement_id: str, today: date | None = None) -> AgreementInfo:
    conn = connect_ro(db)
    try:
        got = _load(conn, "a.id = ?", [agreement_id], today or date.today())
    finally:
        conn.close()
    if not got:
        raise NotFound("Deze afspraak bestaat niet (meer).")
    return got[0]


def list_agreements(
    db: Any,
    *,
    provider_id: str | None = None,
    budget_request_id: str | None = None,
    today: date | None = None,
) -> list[AgreementInfo]:
    where, args = ["1 = 1"], []
    if provider_id:
        where.append("a.provider_id = ?")
        args.append(provider_id)
    if budget_request_id:
        where.append("a.budget_request_id = ?")
        args.append(budget_request_id)
    conn = connect_ro(db)
    try:
        return _load(conn, " AND ".join(where), args, today or date.today())
    finally:
        conn.close()


def agreements_in(
    s: Session, budget_request_id: str, today: date | None = None
) -> list[AgreementInfo]:
    """The agreements of one budget request, inside the caller's session (its transaction)."""
    return _load(
        driver_connection(s), "a.budget_request_id = ?", [budget_request_id], today or date.today()
    )


def agreements_for_visit(db: Any, visit_id: str, today: date | None = None) -> list[AgreementInfo]:
    """The provider's agreements a visit can check: open (or overdue) ones that cover the
    visited location (or all locations)."""
    conn = connect_ro(db)
    try:
        got = conn.execute(
            """SELECT l.id, l.provider_id FROM site_visit v
                              JOIN location l ON l.id = v.location_id WHERE v.id = ?""",
            (visit_id,),
        ).fetchone()
    finally:
        conn.close()
    if got is None:
        raise NotFound("Dit bezoek bestaat niet (meer).")
    loc_id, provider_id = got
    return [
        a
        for a in list_agreements(db, provider_id=provider_id, today=today)
        if a.status in ("OPEN", "PARTLY") and (not a.location_ids or loc_id in a.location_ids)
    ]


def agreement_to_dict(a: AgreementInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "provider_id": a.provider_id,
        "budget_request_id": a.budget_request_id,
        "budget_year": a.budget_year,
        "themes": list(a.theme_codes),
        "locations": list(a.location_names) or ["alle locaties"],
        "target_rating": a.target_rating,
        "target_change": a.target_change,
        "due_date": a.due_date.isoformat(),
        "check_method": a.check_method,
        "status": a.status,
        "status_label": a.status_label,
        "overdue": a.overdue,
        "checks": [
            {
                "on": c.checked_on.isoformat(),
                "outcome": c.outcome,
                "visit_id": c.visit_id,
                "note": c.note,
            }
            for c in a.checks
        ],
    }
