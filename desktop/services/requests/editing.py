"""Writing budget requests: register, edit, judge the criteria, record the decision,
clarifications. Every use case is one unit of work; a changed version leaves the vier-ogen
track (subject.after_edit)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

import desktop.services.requests.lifecycle as lifecycle
from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import (
    BudgetRequest,
    Clarification,
    CriterionJudgement,
    DeviationRequest,
    Location,
    Provider,
    RegionAssignment,
)
from db.models.enums import Decision, Judgement, RequestState
from db.repo import UnitOfWork
from desktop.services import decisions, review
from desktop.services.budget import split
from desktop.services.requests.amounts import (
    AMOUNT_LABELS,
    _date_or_error,
    check_sum,
    parse_amounts,
    validate_amounts,
)
from desktop.services.requests.model import _DEV_FIELDS, SUBJECT, SUPPORT_PARTIES, RequestDetail
from desktop.services.requests.queries import (
    _check,
    _criteria_for,
    _detail,
    _deviation,
    _get,
    _judgements,
    _require_role,
)
from desktop.services.requests.subject import _after_edit


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
    try:
        year = int(str(budget_year).strip())
        if not 2015 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors.append(
            ValidationError("budget_year", f"Budgetjaar '{budget_year}' is geen geldig jaartal.")
        )
        year = 0
    received = _date_or_error(received_date, "received_date", "Ontvangstdatum", errors)
    letter = None
    if letter_date not in (None, ""):
        letter = _date_or_error(letter_date, "letter_date", "Datum brief aanbieder", errors)
        if letter and received and letter > received:
            errors.append(
                ValidationError(
                    "letter_date", "De brief van de aanbieder kan niet na de ontvangstdatum liggen."
                )
            )
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
            from db.models import QualityPlan

            plan = s.exec(
                select(QualityPlan).where(
                    QualityPlan.provider_id == provider_id,
                    QualityPlan.year == year,
                    QualityPlan.deleted_at == None,  # noqa: E711
                )
            ).first()
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


_UPDATABLE = {
    "external_reference",
    "letter_date",
    "received_date",
    "initial_reserved_amount",
    "requested_total",
    "requested_staff_amount",
    "requested_other_amount",
    "justification",
    "has_special_circumstances",
    "custom_agreements",
    "improvement_points",
    "quality_plan_id",
}


def update_request(db: Database, request_id: str, by: str, **changes: Any) -> RequestDetail:
    """Edit the request. Any edit of a version that was submitted or approved makes it a new
    version: the request goes back to "in beoordeling" and the approval is void."""
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in lifecycle.EDITABLE:
            raise RuleViolation(
                f"Een aanvraag met status '{RequestState(req.state).label}' kan niet "
                "meer worden gewijzigd."
            )
        values = {f: getattr(req, f) for f in _UPDATABLE}
        values.update(changes)
        errors: list[ValidationError] = []
        received = _date_or_error(
            values["received_date"], "received_date", "Ontvangstdatum", errors
        )
        letter = None
        if values["letter_date"] not in (None, ""):
            letter = _date_or_error(
                values["letter_date"], "letter_date", "Datum brief aanbieder", errors
            )
            if letter and received and letter > received:
                errors.append(
                    ValidationError(
                        "letter_date",
                        "De brief van de aanbieder kan niet na de ontvangstdatum liggen.",
                    )
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
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in lifecycle.EDITABLE:
            raise RuleViolation("Deze aanvraag kan niet meer worden gewijzigd.")
        before = review.content_hash_in(s, SUBJECT, req.id)
        dev = _deviation(s, req.id) or uow.add(DeviationRequest(budget_request_id=req.id))
        uow.update(dev, **changes)
        _after_edit(uow, req, before)
        return _detail(s, req)


def judge_criteria(
    db: Database, request_id: str, by: str, judgements: dict[str, tuple[str, str]]
) -> RequestDetail:
    """Set judgement + reasoning for one or more criteria ({code: (judgement, reasoning)}).
    A judgement without a reasoning is refused (DOMAIN.md §2: every judgement carries its
    written onderbouwing)."""
    with db.read_session() as s0:
        known = {c.code: c for c in _criteria_for(s0, _get(s0, request_id))}
    errors: list[ValidationError] = []
    clean: dict[str, tuple[str, str]] = {}
    for code, (judgement, reasoning) in judgements.items():
        if code not in known:
            errors.append(ValidationError(f"criterion:{code}", f"Onbekend criterium '{code}'."))
            continue
        judgement = (judgement or "").strip()
        reasoning = (reasoning or "").strip()
        if not judgement and not reasoning:
            clean[code] = ("", "")
            continue
        if judgement not in Judgement.__members__:
            errors.append(
                ValidationError(
                    f"criterion:{code}", f"Kies een oordeel bij criterium {known[code].number}."
                )
            )
        elif not reasoning:
            errors.append(
                ValidationError(
                    f"criterion:{code}",
                    f"Geef een onderbouwing bij criterium "
                    f"{known[code].number} ({known[code].short_nl}).",
                )
            )
        else:
            clean[code] = (judgement, reasoning)
    if errors:
        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in lifecycle.EDITABLE:
            raise RuleViolation("Deze aanvraag kan niet meer worden gewijzigd.")
        before = review.content_hash_in(s, SUBJECT, req.id)
        existing = _judgements(s, req.id)
        for code, (judgement, reasoning) in clean.items():
            row = existing.get(code)
            if not judgement:
                if row is not None:
                    uow.delete(row)
            elif row is None:
                uow.add(
                    CriterionJudgement(
                        budget_request_id=req.id,
                        criterion=code,
                        judgement=judgement,
                        reasoning=reasoning,
                        author_id=by,
                    )
                )
            else:
                uow.update(row, judgement=judgement, reasoning=reasoning, author_id=by)
        _after_edit(uow, req, before)
        return _detail(s, req)


def record_decision(
    db: Database,
    request_id: str,
    by: str,
    *,
    decision: str,
    approved_total: object = None,
    approved_staff_amount: object = None,
    approved_other_amount: object = None,
    rationale: str = "",
    custom_agreements: str | None = None,
    improvement_points: list[str] | None = None,
    accepted_points: dict[str, Any] | None = None,
) -> RequestDetail:
    """The proposed decision (akkoord / akkoord na aanpassing / akkoord tot het gereserveerde
    budget / niet akkoord). It becomes final only with the vier-ogen approval. The rules of
    desktop.services.decisions apply: an approval with an unexplained "Voldoet niet" is refused
    with the list of failing points; `accepted_points` ({code: {"basis": "MAATWERK" |
    "CONDITION", "text": ...}}) records why a failing point is accepted. Approved amounts never
    exceed the request, per part; a rejection carries no amounts."""
    errors: list[ValidationError] = []
    if decision not in Decision.__members__:
        raise ValidationError("decision", "Kies een besluit.")
    rationale = (rationale or "").strip()
    accepted_in = (
        decisions.clean_acceptances(accepted_points, errors)
        if accepted_points is not None
        else None
    )
    amount_names = ("approved_total", "approved_staff_amount", "approved_other_amount")
    given = {
        "approved_total": approved_total,
        "approved_staff_amount": approved_staff_amount,
        "approved_other_amount": approved_other_amount,
    }
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in lifecycle.DECIDABLE:
            raise RuleViolation(
                f"Bij status '{RequestState(req.state).label}' kan geen besluit worden vastgelegd."
            )
        early = decisions.early_application(req.received_date, req.budget_year)
        parsed = parse_amounts(given, amount_names, errors, required=False)
        approved: dict[str, Decimal | None]
        if decision == Decision.APPROVED:
            # Akkoord: as requested.
            approved = {
                "approved_total": req.requested_total,
                "approved_staff_amount": req.requested_staff_amount,
                "approved_other_amount": req.requested_other_amount,
            }
            for k, v in parsed.items():
                if v is not None and v != approved[k]:
                    errors.append(
                        ValidationError(
                            k,
                            "Bij 'Akkoord' zijn de toegekende bedragen gelijk "
                            "aan de aanvraag; kies 'Akkoord na aanpassing'.",
                        )
                    )
        elif decision == Decision.REJECTED:
            approved = dict.fromkeys(amount_names)
            errors += decisions.amount_errors(
                decision,
                requested=(
                    req.requested_total,
                    req.requested_staff_amount,
                    req.requested_other_amount,
                ),
                approved=(
                    parsed["approved_total"],
                    parsed["approved_staff_amount"],
                    parsed["approved_other_amount"],
                ),
                reserved=req.initial_reserved_amount,
                early=early,
            )
        else:
            approved = parsed
            if decision == Decision.APPROVED_UP_TO_RESERVED and all(
                v is None for v in parsed.values()
            ):
                total, staff, other = decisions.reserved_split(
                    req.initial_reserved_amount,
                    req.requested_staff_amount,
                    req.requested_other_amount,
                )
                approved = {
                    "approved_total": total,
                    "approved_staff_amount": staff,
                    "approved_other_amount": other,
                }
            elif not any(e.field in amount_names for e in errors):
                for name in amount_names:
                    if approved[name] is None:
                        errors.append(ValidationError(name, f"{AMOUNT_LABELS[name]} is verplicht."))
            check_sum(
                approved["approved_total"],
                approved["approved_staff_amount"],
                approved["approved_other_amount"],
                "approved_total",
                errors,
            )
        if decision != Decision.REJECTED:
            errors += decisions.amount_errors(
                decision,
                requested=(
                    req.requested_total,
                    req.requested_staff_amount,
                    req.requested_other_amount,
                ),
                approved=(
                    approved["approved_total"],
                    approved["approved_staff_amount"],
                    approved["approved_other_amount"],
                ),
                reserved=req.initial_reserved_amount,
                early=early,
            )
        if not rationale:
            errors.append(
                ValidationError("decision_rationale", "Geef een motivering van het besluit.")
            )
        # The requested split and, for an approval, the approved split are tested alike.
        crit = _criteria_for(s, req)
        judged = _judgements(s, req.id)
        splits = [("aangevraagde", split(req.requested_staff_amount, req.requested_other_amount))]
        if (
            decision != Decision.REJECTED
            and approved["approved_staff_amount"] is not None
            and approved["approved_other_amount"] is not None
            and approved["approved_total"]
        ):
            splits.append(
                (
                    "toegekende",
                    split(
                        approved["approved_staff_amount"],  # type: ignore[arg-type]
                        approved["approved_other_amount"],
                    ),
                )
            )  # type: ignore[arg-type]
        for which, sp in splits:
            if sp.is_deviation:
                missing = [c for c in crit if c.code not in judged]
                if missing:
                    errors.append(
                        ValidationError(
                            "criteria",
                            f"De {which} verhouding ({sp.label}) wijkt "
                            "af van 85/15 (meer dan 15% overige investeringen): het besluit kan "
                            "pas worden vastgelegd als alle tien criteria"
                            + (" en de eigen toetspunten" if len(crit) > 10 else "")
                            + " een oordeel met onderbouwing hebben. Ontbreekt: "
                            + ", ".join(
                                f"{c.number} ({c.short_nl})" if c.number > 10 else f"C{c.number}"
                                for c in missing
                            )
                            + ".",
                        )
                    )
                    break
            elif sp.kind == "MORE_STAFF" and not req.justification.strip():
                errors.append(
                    ValidationError(
                        "justification",
                        f"De {which} verhouding ({sp.label}) "
                        "heeft minder dan 15% overige investeringen en wijkt "
                        "daarmee ook af van 85/15: leg de onderbouwing van de "
                        "aanbieder vast.",
                    )
                )
                break
        points = (
            improvement_points
            if improvement_points is not None
            else list(req.improvement_points or [])
        )
        points = [p.strip() for p in points if p and p.strip()]
        if len(points) > 3:
            errors.append(ValidationError("improvement_points", "Hoogstens drie verbeterpunten."))
        accepted = accepted_in if accepted_in is not None else dict(req.accepted_points or {})
        if not errors:
            check = _check(s, req, decision=decision, approved=approved, accepted=accepted)
            if not check.ok:
                errors.append(ValidationError("accepted_points", check.refusal() or ""))
            # Keep only the explanations of points that fail now.
            accepted = {p.code: accepted[p.code] for p, _a in check.accepted}
        if errors:
            raise ValidationErrors(errors)
        before = review.content_hash_in(s, SUBJECT, req.id)
        changes: dict[str, Any] = dict(
            decision=decision,
            decision_rationale=rationale,
            improvement_points=points,
            accepted_points=accepted,
            **approved,
        )
        if custom_agreements is not None:
            changes["custom_agreements"] = custom_agreements.strip()
        moved = lifecycle.next_state(lifecycle.Event.DECIDED, req.state)
        if moved is not None:
            changes["state"] = moved
        uow.update(req, **changes)
        _after_edit(uow, req, before)
        return _detail(s, req)


def add_clarification(
    db: Database, request_id: str, by: str, question: str, asked_on: object
) -> RequestDetail:
    errors: list[ValidationError] = []
    question = (question or "").strip()
    if not question:
        errors.append(ValidationError("question", "Vraag is verplicht."))
    asked = _date_or_error(asked_on, "asked_on", "Datum vraag", errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if asked and asked < req.received_date:
            errors.append(
                ValidationError(
                    "asked_on",
                    "De datum van de vraag ligt vóór de "
                    f"ontvangstdatum ({req.received_date:%d-%m-%Y}).",
                )
            )
        if req.state not in lifecycle.CLARIFIABLE:
            raise RuleViolation("Bij deze status kan geen toelichting meer worden gevraagd.")
        if errors:
            raise ValidationErrors(errors)
        assert asked is not None
        uow.add(Clarification(budget_request_id=req.id, question=question, asked_on=asked))
        lifecycle.move(uow, req, lifecycle.Event.ASKED)
        return _detail(s, req)


def answer_clarification(
    db: Database, clarification_id: str, by: str, answer: str, answered_on: object
) -> RequestDetail:
    errors: list[ValidationError] = []
    answer = (answer or "").strip()
    if not answer:
        errors.append(ValidationError("answer", "Antwoord is verplicht."))
    answered = _date_or_error(answered_on, "answered_on", "Datum antwoord", errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        c = s.get(Clarification, clarification_id)
        if c is None:
            raise NotFound("Deze toelichting bestaat niet.")
        if answered and answered < c.asked_on:
            errors.append(
                ValidationError("answered_on", "Het antwoord kan niet vóór de vraag liggen.")
            )
        if errors:
            raise ValidationErrors(errors)
        uow.update(c, answer=answer, answered_on=answered)
        req = _get(s, c.budget_request_id)
        open_left = s.exec(
            select(Clarification).where(
                Clarification.budget_request_id == req.id,
                Clarification.answered_on == None,  # noqa: E711
                Clarification.deleted_at == None,  # noqa: E711
            )
        ).first()
        if open_left is None:
            lifecycle.move(uow, req, lifecycle.Event.ANSWERED)
        return _detail(s, req)
