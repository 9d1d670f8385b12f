"""Registering and editing a budget request (aanvraag) and its afwijkingsverzoek details.
Every use case is one unit of work; a changed version leaves the vier-ogen track
(subject._after_edit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

import desktop.services.requests.lifecycle as lifecycle
from db.engine import Database
from db.errors import ValidationError, ValidationErrors
from db.models import (
    BudgetRequest,
    Clarification,
    DeviationRequest,
    Location,
    Provider,
    RegionAssignment,
)
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.plans.queries import plan_of_year
from desktop.services.requests.amounts import received_and_letter, validate_amounts
from desktop.services.requests.model import (
    _DEV_FIELDS,
    EDITABLE_FIELDS,
    SUBJECT,
    SUPPORT_PARTIES,
    RequestDetail,
)
from desktop.services.requests.queries import _detail, _deviation, _open_in, _require_role
from desktop.services.requests.subject import _after_edit, _before_edit
from desktop.services.validation import year_or_error


def _default_office_region(s: Session, provider_id: str, on: date) -> tuple[str, str]:
    loc = s.exec(
        select(Location).where(Location.provider_id == provider_id, Location.deleted_at == None)  # noqa: E711
    ).first()
    if loc is None:
        raise ValidationError(
            "provider_id",
            "Deze zorgaanbieder heeft geen locatie; kies de regio en het zorgkantoor zelf.",
        )
    assignments = s.exec(
        select(RegionAssignment).where(RegionAssignment.region_id == loc.region_id)
    ).all()
    for a in assignments:
        if a.valid_from <= on and (a.valid_to is None or on <= a.valid_to):
            return a.care_office_id, loc.region_id
    if assignments:
        return assignments[-1].care_office_id, loc.region_id
    raise ValidationError(
        "care_office_id", "Geen zorgkantoor gevonden voor de regio van deze aanbieder."
    )


def create_request(
    db: Database,
    *,
    by: str,
    provider_id: str,
    budget_year: int | str,
    received_date: object,
    initial_reserved_amount: object,
    requested_total: object,
    requested_staff_amount: object,
    requested_other_amount: object,
    justification: str = "",
    has_special_circumstances: bool = False,
    external_reference: str = "",
    letter_date: object = None,
    care_office_id: str | None = None,
    region_id: str | None = None,
    quality_plan_id: str | None = None,
) -> RequestDetail:
    """Register a received aanvraag (state "ontvangen"). All fields are checked first; on any
    error nothing is written and every message is returned at its field."""
    errors: list[ValidationError] = []
    year = year_or_error(budget_year, "budget_year", "Budgetjaar", errors)
    received, letter = received_and_letter(received_date, letter_date, errors)
    if len(external_reference or "") > 50:
        errors.append(
            ValidationError("external_reference", "Uw kenmerk mag hoogstens 50 tekens lang zijn.")
        )
    amounts: dict[str, Decimal] = {}
    try:
        amounts = validate_amounts(
            {
                "initial_reserved_amount": initial_reserved_amount,
                "requested_total": requested_total,
                "requested_staff_amount": requested_staff_amount,
                "requested_other_amount": requested_other_amount,
            }
        )
    except ValidationErrors as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationErrors(errors)
    assert received is not None
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        if s.get(Provider, provider_id) is None:
            raise ValidationError("provider_id", "Kies een bestaande zorgaanbieder.")
        if quality_plan_id is None:
            # The application is kwaliteitsplan + meerjarenbegroting (S1 §4.2.6): link the
            # provider's plan of that year when it is registered.
            plan = plan_of_year(s, provider_id, year)
            quality_plan_id = plan.id if plan else None
        if care_office_id is None or region_id is None:
            office, region = _default_office_region(s, provider_id, received)
            care_office_id = care_office_id or office
            region_id = region_id or region
        req = uow.add(
            BudgetRequest(
                provider_id=provider_id,
                care_office_id=care_office_id,
                region_id=region_id,
                quality_plan_id=quality_plan_id,
                budget_year=year,
                external_reference=(external_reference or "").strip(),
                received_date=received,
                letter_date=letter,
                justification=(justification or "").strip(),
                has_special_circumstances=bool(has_special_circumstances),
                author_id=by,
                initial_reserved_amount=amounts["initial_reserved_amount"],
                requested_total=amounts["requested_total"],
                requested_staff_amount=amounts["requested_staff_amount"],
                requested_other_amount=amounts["requested_other_amount"],
            )
        )
        uow.add(DeviationRequest(budget_request_id=req.id))
        return _detail(s, req)


_UPDATABLE = EDITABLE_FIELDS


def update_request(db: Database, request_id: str, by: str, **changes: Any) -> RequestDetail:
    """Edit the request. Any edit of a version that was submitted or approved makes it a new
    version: the request goes back to "in beoordeling" and the approval is void."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        req = _open_in(
            s,
            request_id,
            by,
            lifecycle.EDITABLE,
            "Een aanvraag met status '{state}' kan niet meer worden gewijzigd.",
        )
        values = {f: getattr(req, f) for f in _UPDATABLE}
        values.update(changes)
        errors: list[ValidationError] = []
        received, letter = received_and_letter(
            values["received_date"], values["letter_date"], errors
        )
        amounts: dict[str, Decimal] = {}
        try:
            amounts = validate_amounts(values)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
        points = [str(p).strip() for p in (values["improvement_points"] or []) if str(p).strip()]
        if len(points) > 3:
            errors.append(ValidationError("improvement_points", "Hoogstens drie verbeterpunten."))
        if received and any(
            c.asked_on < received
            for c in s.exec(
                select(Clarification).where(
                    Clarification.budget_request_id == req.id,
                    Clarification.deleted_at == None,  # noqa: E711
                )
            )
        ):
            errors.append(
                ValidationError(
                    "received_date", "Er is al een toelichting gevraagd vóór deze ontvangstdatum."
                )
            )
        if len(values["external_reference"] or "") > 50:
            errors.append(
                ValidationError(
                    "external_reference", "Uw kenmerk mag hoogstens 50 tekens lang zijn."
                )
            )
        if errors:
            raise ValidationErrors(errors)
        new = dict(
            amounts,
            received_date=received,
            letter_date=letter,
            external_reference=(values["external_reference"] or "").strip(),
            justification=(values["justification"] or "").strip(),
            has_special_circumstances=bool(values["has_special_circumstances"]),
            custom_agreements=(values["custom_agreements"] or "").strip(),
            improvement_points=points,
            quality_plan_id=values["quality_plan_id"],
        )
        before = review.content_hash_in(s, SUBJECT, req.id)
        uow.update(req, **new)
        _after_edit(uow, req, before)
        return _detail(s, req)


def update_deviation(db: Database, request_id: str, by: str, **changes: Any) -> RequestDetail:
    """Details of the afwijkingsverzoek (client group, draagvlak, innovation, scaling...)."""
    unknown = set(changes) - set(_DEV_FIELDS)
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "support_evidence":
            # Criterion 8 "draagvlak ... bij cliënten, medewerkers, bestuur en het
            # toezichthoudend orgaan (Raad van Toezicht)".
            clean[name] = {k: bool((value or {}).get(k)) for k in SUPPORT_PARTIES}
        elif name == "shares_learning_in_region":
            clean[name] = bool(value)
        else:
            clean[name] = (value or "").strip()
    if len(clean.get("business_case_reference", "")) > 200:
        raise ValidationError(
            "business_case_reference",
            "Verwijzing naar de business case mag hoogstens 200 tekens lang zijn.",
        )
    changes = clean
    with UnitOfWork(db, by) as uow:
        s = uow.session
        req, before = _before_edit(uow, request_id, by)
        dev = _deviation(s, req.id) or uow.add(DeviationRequest(budget_request_id=req.id))
        uow.update(dev, **changes)
        _after_edit(uow, req, before)
        return _detail(s, req)
