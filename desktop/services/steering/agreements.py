"""Maatwerkafspraken as records: theme(s), location(s), the result aimed at (a target rating or
a concrete change), a deadline, how it is checked, and its status over time.

Seed 004 Tabel 1 (b)/(c): "concrete, resultaatgerichte afspraken ... op basis van de eigen
kwaliteitsdiagnose" and "monitort of de afspraken door de zorgaanbieders worden nagekomen".
A check can come from a locatiebezoek (`visit_id`), an indicator, a conversation, or by hand.

The records are agreement_model.py, the reads agreement_queries.py; this module keeps the
verbs (create, check) and their public names importable.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.errors import NotFound, ValidationError, ValidationErrors
from desktop.services.guards import live
from desktop.services.steering.agreement_model import (
    CHECK_METHODS,
    OUTCOMES,
    STATUS_LABELS,
    AgreementInfo,
    CheckInfo,
)
from desktop.services.steering.agreement_queries import (
    agreement_to_dict,
    agreements_for_visit,
    agreements_in,
    get_agreement,
    list_agreements,
)
from desktop.services.themes import (
    connect_ro,
    rating_info,
    theme_codes,
)

__all__ = [
    "CHECK_METHODS",
    "OUTCOMES",
    "STATUS_LABELS",
    "AgreementInfo",
    "CheckInfo",
    "agreement_to_dict",
    "agreements_for_visit",
    "agreements_in",
    "check_agreement",
    "create_agreement",
    "get_agreement",
    "list_agreements",
]


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
        a = live(uow, CustomAgreement, agreement_id, "Deze afspraak bestaat niet (meer).")
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
