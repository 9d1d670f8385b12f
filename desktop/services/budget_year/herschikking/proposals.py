"""Opening a round (prefilled from the monitoring signals) and editing its proposals."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import CareOffice
from db.models.budget_year import ReallocationProposal, ReallocationRound
from db.repo import UnitOfWork
from desktop.services.budget_year.agreements import agreements_in, parts
from desktop.services.budget_year.herschikking.model import THOUSAND, ZERO, RoundDetail
from desktop.services.budget_year.herschikking.queries import (
    ceilings_in,
    find_round,
    get_round,
    rows_in,
)
from desktop.services.budget_year.herschikking.rules import cap, check_amounts
from desktop.services.formatting import money
from desktop.services.guards import acting_user, live


def _prefill(a: Any, row: Any, free: list[Decimal]) -> tuple[Decimal, str, str]:
    """(new total, signal, reason) for one agreement from its monitoring row."""
    codes = row.signal_codes if row else ()
    if "UNDERSPEND" in codes and row.projected is not None:
        new = max(row.projected, row.realised).quantize(THOUSAND, rounding=ROUND_CEILING)
        new = min(new, a.agreed_total)
        free[0] += a.agreed_total - new
        return (
            new,
            "UNDERSPEND",
            (
                f"Naar beneden: prognose {money(row.projected)} "
                f"({row.projected_pct}% van de afspraak); middelen niet besteed "
                "conform de aanvraag."
            ),
        )
    return a.agreed_total, "OVERSPEND" if "OVERSPEND" in codes else "", ""


def open_round(
    db: Database, by: str, care_office_id: str, year: int, *, as_of: date | None = None
) -> RoundDetail:
    """The round of a care office and year; made (and prefilled) when there is none yet.
    Underspenders go down to their projection (rounded up to € 1.000); the freed money goes
    up to overspenders, never above their request, in order of their overspend."""
    from desktop.services.budget_year.monitoring import monitor_in

    existing = find_round(db, care_office_id, year)
    if existing is not None:
        return existing
    with UnitOfWork(db, by) as uow:
        acting_user(uow, by)
        if uow.get(CareOffice, care_office_id) is None:
            raise NotFound("Onbekend zorgkantoor.")
        s = uow.session
        agreed = agreements_in(s, year, care_office_id=care_office_id)
        if not agreed:
            raise RuleViolation(
                f"Er zijn geen afgesproken kwaliteitsbudgetten in {year} om te herschikken."
            )
        rows = {
            r.request_id: r
            for r in monitor_in(s, year, care_office_id=care_office_id, as_of=as_of).rows
        }
        free = [ZERO]
        plan = {a.request_id: _prefill(a, rows.get(a.request_id), free) for a in agreed}
        ceiling = ceilings_in(s, care_office_id, year).get(None)
        if ceiling is not None:
            free[0] += max(ceiling - sum((a.agreed_total for a in agreed), ZERO), ZERO)
        over = sorted(
            (a for a in agreed if plan[a.request_id][1] == "OVERSPEND"),
            key=lambda a: -(rows[a.request_id].projected or ZERO) + a.agreed_total,
        )
        for a in over:
            want = min(rows[a.request_id].projected or ZERO, a.requested_total) - a.agreed_total
            give = max(min(want, free[0]), ZERO).quantize(Decimal("0.01"))
            if give > 0:
                free[0] -= give
                plan[a.request_id] = (
                    a.agreed_total + give,
                    "OVERSPEND",
                    f"Naar boven: prognose boven de afspraak; vrijgekomen middelen "
                    f"ingezet tot ten hoogste de aanvraag ({money(a.requested_total)}).",
                )
        rnd = uow.add(ReallocationRound(care_office_id=care_office_id, year=year, author_id=by))
        for a in agreed:
            total, signal, reason = plan[a.request_id]
            staff, other = parts(total, None, None, a.agreed_staff, a.agreed_total)
            staff, other = cap(
                staff,
                other,
                max(a.requested_staff, a.agreed_staff),
                max(a.requested_other, a.agreed_other),
            )
            uow.add(
                ReallocationProposal(
                    round_id=rnd.id,
                    budget_request_id=a.request_id,
                    provider_id=a.provider_id,
                    previous_total=a.agreed_total,
                    new_staff=staff,
                    new_other=other,
                    reason=reason,
                    signal=signal,
                )
            )
        rid = rnd.id
    return get_round(db, rid)


def update_proposal(
    db: Database, by: str, proposal_id: str, *, new_staff: object, new_other: object, reason: str
) -> RoundDetail:
    from desktop.services.validation import amount

    errors: list[ValidationError] = []
    values: dict[str, Decimal] = {}
    for field, raw, label in (
        ("new_staff", new_staff, "Nieuw bedrag extra personeel"),
        ("new_other", new_other, "Nieuw bedrag overige investeringen"),
    ):
        try:
            values[field] = amount(raw, field, label)
        except ValidationError as exc:
            errors.append(exc)
    reason = (reason or "").strip()
    with UnitOfWork(db, by) as uow:
        acting_user(uow, by)
        p = live(uow, ReallocationProposal, proposal_id, "Dit voorstel bestaat niet.")
        row = next(r for r in rows_in(uow.session, p.round_id) if r.id == proposal_id)
        if len(values) == 2:
            errors += check_amounts(
                values["new_staff"], values["new_other"], row.requested_staff, row.requested_other
            )
            if values["new_staff"] + values["new_other"] != p.previous_total and len(reason) < 10:
                errors.append(
                    ValidationError(
                        "reason",
                        "Geef de reden van de bijstelling "
                        "(het overleg met de zorgaanbieder), minstens 10 tekens.",
                    )
                )
        if errors:
            raise ValidationErrors(errors)
        uow.update(p, new_staff=values["new_staff"], new_other=values["new_other"], reason=reason)
        round_id = p.round_id
    return get_round(db, round_id)
