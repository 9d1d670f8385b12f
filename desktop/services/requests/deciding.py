"""Recording the decision (besluit) on a request: the amounts it grants, the rules of
desktop.services.decisions, the criteria a deviating split needs. Final only with the
vier-ogen approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import desktop.services.requests.lifecycle as lifecycle
from db.engine import Database
from db.errors import ValidationError, ValidationErrors
from db.models.enums import Decision
from db.repo import UnitOfWork
from desktop.services import decisions, review
from desktop.services.budget import split
from desktop.services.requests.amounts import AMOUNT_LABELS, check_sum, parse_amounts
from desktop.services.requests.model import SUBJECT, RequestDetail
from desktop.services.requests.queries import (
    _check,
    _criteria_for,
    _detail,
    _judgements,
    _open_in,
)
from desktop.services.requests.subject import _after_edit


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
        req = _open_in(
            s,
            request_id,
            by,
            lifecycle.DECIDABLE,
            "Bij status '{state}' kan geen besluit worden vastgelegd.",
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
        # A rejection carries no amounts: what was typed anyway is checked (and refused).
        checked = parsed if decision == Decision.REJECTED else approved
        errors += decisions.amount_errors(
            decision,
            requested=(req.requested_total, req.requested_staff_amount, req.requested_other_amount),
            approved=(
                checked["approved_total"],
                checked["approved_staff_amount"],
                checked["approved_other_amount"],
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
        granted_staff = approved["approved_staff_amount"]
        granted_other = approved["approved_other_amount"]
        if (
            decision != Decision.REJECTED
            and granted_staff is not None
            and granted_other is not None
            and approved["approved_total"]
        ):
            splits.append(("toegekende", split(granted_staff, granted_other)))
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
