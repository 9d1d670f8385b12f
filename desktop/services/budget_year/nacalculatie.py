"""Nacalculatie (final settlement) after the year (Inkoopkader 2020 §4.2.12-4.2.13; DOMAIN.md
R15-R17).

"Voor de inzet van extra personeel geldt dat alleen de daadwerkelijke extra kosten voor
personeel in aanmerking komen voor vergoeding. [...] Alleen kosten tot een maximum van de
afspraken worden vergoed. Te veel betaalde extra middelen worden teruggevorderd of waar mogelijk
verrekend." The same holds for the other investments. §4.2.13: when the national costs stay
under the ceiling, providers that spent more on staff, "uiteraard alleen als het gaat om kosten
waarvoor de aanvraag is goedgekeurd", may still be reimbursed; "de zorgkantoren geven in de
nacalculatie aan welke zorgaanbieders voor welk bedrag" -- recorded as `extra_reimbursement`.

reimbursable per part = min(realised, agreed part); reclaim = advanced - reimbursable (negative:
still to be paid); the extra reimbursement is at most the staff costs above the agreement up to
the requested staff part. A recorded settlement is a vier-ogen subject ("final_settlement").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import Provider
from db.models.budget_year import FinalSettlement
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.budget import split
from desktop.services.budget_year.advances import approved_adjustments, provider_advance
from desktop.services.budget_year.agreements import Agreement, agreements_in
from desktop.services.budget_year.realisation import reports_in
from desktop.services.guards import acting_user

SUBJECT = "final_settlement"
ZERO = Decimal("0.00")
# The amounts a settlement stores: per part (staff, other), then what balances the advances.
_SPLIT_AMOUNTS = (
    "agreed_staff",
    "agreed_other",
    "realised_staff",
    "realised_other",
    "reimbursable_staff",
    "reimbursable_other",
)
_BALANCE_AMOUNTS = ("advanced", "reclaim", "extra_reimbursement")


@dataclass(frozen=True)
class Settlement:
    agreed_staff: Decimal
    agreed_other: Decimal
    realised_staff: Decimal
    realised_other: Decimal
    reimbursable_staff: Decimal
    reimbursable_other: Decimal
    advanced: Decimal
    extra_allowed: Decimal  # §4.2.13 ceiling for the extra reimbursement
    extra_reimbursement: Decimal

    @property
    def reimbursable(self) -> Decimal:
        return self.reimbursable_staff + self.reimbursable_other

    @property
    def reclaim(self) -> Decimal:
        return self.advanced - self.reimbursable

    @property
    def balance(self) -> Decimal:
        """What the provider pays back (positive) or still receives (negative), after §4.2.13."""
        return self.reclaim - self.extra_reimbursement

    @property
    def realised_split(self) -> str:
        return split(self.realised_staff, self.realised_other).label


def settle(
    agreed_staff: Decimal,
    agreed_other: Decimal,
    realised_staff: Decimal,
    realised_other: Decimal,
    advanced: Decimal,
    requested_staff: Decimal,
    extra: Decimal = ZERO,
) -> Settlement:
    reimb_staff = min(realised_staff, agreed_staff)
    reimb_other = min(realised_other, agreed_other)
    allowed = max(min(realised_staff, max(requested_staff, agreed_staff)) - reimb_staff, ZERO)
    if extra < 0 or extra > allowed:
        from desktop.services.formatting import money

        raise ValidationError(
            "extra_reimbursement",
            (
                f"De extra vergoeding (§4.2.13) kan hoogstens {money(allowed)} zijn: de personeelskosten "
                "boven de afspraak, tot het aangevraagde bedrag."
            ),
        )
    return Settlement(
        agreed_staff,
        agreed_other,
        realised_staff,
        realised_other,
        reimb_staff,
        reimb_other,
        advanced,
        allowed,
        extra,
    )


@dataclass(frozen=True)
class ProviderSettlement:
    agreement: Agreement
    settlement: Settlement | None  # None: no year realisation yet
    year_report_received: date | None
    audit_received: date | None
    recorded_id: str | None  # a FinalSettlement record
    review_state: str
    extra_note: str
    settled_on: date | None
    extra_fte: Decimal | None = None  # from the year report, corrected for the population
    fte_per_client: Decimal | None = None

    def as_json(self) -> dict[str, Any]:
        a, st = self.agreement, self.settlement
        out: dict[str, Any] = {
            "request_id": a.request_id,
            "provider_id": a.provider_id,
            "provider": a.provider_name,
            "region": a.region_name,
            "year": a.year,
            "review": self.review_state,
        }
        if st is not None:
            out.update(
                {
                    k: str(getattr(st, k))
                    for k in (*_SPLIT_AMOUNTS, "reimbursable", *_BALANCE_AMOUNTS, "balance")
                }
            )
            out["realised_split"] = st.realised_split
        return out


def _one(s: Session, a: Agreement, reps: dict, adjustments: dict) -> ProviderSettlement:
    own = {r.period: r for r in reps.get(a.provider_id, [])}
    year_rep, audit = own.get("YEAR"), own.get("AUDIT")
    rec = s.exec(
        select(FinalSettlement).where(
            FinalSettlement.budget_request_id == a.request_id,
            FinalSettlement.deleted_at == None,  # noqa: E711
        )
    ).first()
    advanced = provider_advance(a, adjustments.get(a.request_id, [])).total
    st = None
    if year_rep is not None:
        st = settle(
            a.agreed_staff,
            a.agreed_other,
            year_rep.staff_costs,
            year_rep.other_costs,
            advanced,
            a.requested_staff,
            rec.extra_reimbursement if rec else ZERO,
        )
    state = review.status_in(s, SUBJECT, rec.id, with_names=False).state if rec else "NONE"
    return ProviderSettlement(
        a,
        st,
        year_rep.received_date if year_rep else None,
        audit.received_date if audit else None,
        rec.id if rec else None,
        state,
        rec.extra_note if rec else "",
        rec.settled_on if rec else None,
        year_rep.extra_fte if year_rep else None,
        year_rep.fte_per_client if year_rep else None,
    )


def settlements(
    db: Database, year: int, *, care_office_id: str | None = None, provider_id: str | None = None
) -> list[ProviderSettlement]:
    with db.read_session() as s:
        agreed = agreements_in(s, year, care_office_id=care_office_id, provider_id=provider_id)
        reps = reports_in(s, year, [a.provider_id for a in agreed])
        adjustments = approved_adjustments(s, year)
        return [_one(s, a, reps, adjustments) for a in agreed]


def provider_settlement(db: Database, year: int, provider_id: str) -> ProviderSettlement:
    found = settlements(db, year, provider_id=provider_id)
    if not found:
        raise NotFound(f"Deze zorgaanbieder heeft geen afgesproken kwaliteitsbudget in {year}.")
    return found[0]


def record(
    db: Database,
    by: str,
    year: int,
    provider_id: str,
    *,
    extra_reimbursement: object = "0",
    extra_note: str = "",
    settled_on: date | None = None,
) -> ProviderSettlement:
    """Record (or correct) the nacalculatie of a provider; it counts once approved (vier-ogen)."""
    from desktop.services.validation import amount

    extra = amount(extra_reimbursement or "0", "extra_reimbursement", "Extra vergoeding (§4.2.13)")
    if extra and len((extra_note or "").strip()) < 10:
        raise ValidationError(
            "extra_note",
            "Licht de extra vergoeding toe (landelijk onder het "
            "plafond, personeel daadwerkelijk ingezet), minstens 10 tekens.",
        )
    current = provider_settlement(db, year, provider_id)
    if current.settlement is None:
        raise RuleViolation(
            "De realisatie over het hele jaar (met rondrekening) is nog niet "
            "ontvangen; de nacalculatie kan nog niet worden vastgelegd."
        )
    a, st0 = current.agreement, current.settlement
    st = settle(
        st0.agreed_staff,
        st0.agreed_other,
        st0.realised_staff,
        st0.realised_other,
        st0.advanced,
        a.requested_staff,
        extra,
    )
    fields: dict[str, Any] = {k: getattr(st, k) for k in (*_SPLIT_AMOUNTS, "advanced", "reclaim")}
    fields.update(
        extra_reimbursement=extra, extra_note=(extra_note or "").strip(), settled_on=settled_on
    )
    with UnitOfWork(db, by) as uow:
        acting_user(uow, by)
        recorded = uow.get(FinalSettlement, current.recorded_id) if current.recorded_id else None
        if recorded is not None:
            uow.update(recorded, **fields)
        else:
            uow.add(
                FinalSettlement(
                    budget_request_id=a.request_id,
                    provider_id=provider_id,
                    year=year,
                    author_id=by,
                    **fields,
                )
            )
    return provider_settlement(db, year, provider_id)


def _describe(s: Session, sid: str) -> str:
    rec = s.get(FinalSettlement, sid)
    prov = s.get(Provider, rec.provider_id) if rec else None
    return f"{prov.name if prov else '?'} – nacalculatie {rec.year if rec else '?'}"


_FIELDS = frozenset(
    {"budget_request_id", "year", *_SPLIT_AMOUNTS, *_BALANCE_AMOUNTS, "extra_note", "settled_on"}
)


def _content(s: Session, sid: str) -> dict[str, Any]:
    rec = s.get(FinalSettlement, sid)
    if rec is None:
        raise NotFound("Deze nacalculatie bestaat niet.")
    return {f: getattr(rec, f) for f in sorted(_FIELDS)} | {"deleted": rec.deleted_at is not None}


review.register_subject(
    SUBJECT,
    review.SubjectSpec(
        content=_content,
        watched=lambda s, i: [(SUBJECT, i, _FIELDS)],
        author=lambda s, i: r.author_id if (r := s.get(FinalSettlement, i)) else None,
        describe=_describe,
    ),
)
