"""Herschikking (reallocation) around 1 November (Inkoopkader 2020 §4.2.11, DOMAIN.md R13).

"Bij de herschikking [...] kunnen de afspraken zowel naar boven als naar beneden bijgesteld
worden. [...] Uitgangspunt is dat een afspraak naar beneden bijgesteld wordt als de middelen
niet zijn besteed conform de aanvraag. De daarmee beschikbare middelen worden ingezet voor
aanvullende afspraken op basis van maatwerk. [...] Hierbij wordt nooit meer toegekend dan
begroot is in de (goedgekeurde) aanvraag." Zorgkantoren bewaken "de macro kaders en regionale
ruimte" (§4.2.10): the care-office ceiling and the regional ceilings stay kept.

One round per care office and year, with a proposal per agreed budget prefilled from the
monitoring signals; the round is approved as one set under the vier-ogen rule (subject type
"reallocation_round"); once approved, its amounts are the agreement (agreements.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import AppUser, BudgetCeiling, CareOffice, Provider
from db.models.budget_year import ReallocationProposal, ReallocationRound
from db.repo import UnitOfWork
from desktop.services import review
from desktop.services.budget_year.agreements import agreements_in, parts
from desktop.services.formatting import money

SUBJECT = "reallocation_round"
ZERO = Decimal("0.00")
THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class ProposalRow:
    id: str
    request_id: str
    provider_id: str
    provider_name: str
    region_id: str
    region_name: str
    previous_total: Decimal
    new_staff: Decimal
    new_other: Decimal
    # The cap (§4.2.11 "nooit meer dan begroot in de goedgekeurde aanvraag"): the request, or
    # for a part the decision itself set higher (an adjusted split), the decided part.
    requested_total: Decimal
    requested_staff: Decimal
    requested_other: Decimal
    reason: str
    signal: str
    previous_staff: Decimal = ZERO
    previous_other: Decimal = ZERO

    @property
    def new_total(self) -> Decimal:
        return self.new_staff + self.new_other

    @property
    def change(self) -> Decimal:
        return self.new_total - self.previous_total

    @property
    def changed(self) -> bool:
        return self.change != 0


@dataclass(frozen=True)
class RoundDetail:
    id: str
    care_office_id: str
    care_office_name: str
    year: int
    note: str
    author_id: str
    proposals: tuple[ProposalRow, ...]
    ceiling: Decimal | None  # care-office ceiling of the year (None: none recorded)
    review_state: str
    review_label: str

    @property
    def previous_total(self) -> Decimal:
        return sum((p.previous_total for p in self.proposals), ZERO)

    @property
    def new_total(self) -> Decimal:
        return sum((p.new_total for p in self.proposals), ZERO)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.new_total

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "care_office": self.care_office_name,
            "year": self.year,
            "review": self.review_state,
            "review_label": self.review_label,
            "ceiling": None if self.ceiling is None else str(self.ceiling),
            "previous_total": str(self.previous_total),
            "new_total": str(self.new_total),
            "headroom": None if self.headroom is None else str(self.headroom),
            "proposals": [
                {
                    "id": p.id,
                    "request_id": p.request_id,
                    "provider_id": p.provider_id,
                    "provider": p.provider_name,
                    "region": p.region_name,
                    "previous_total": str(p.previous_total),
                    "new_total": str(p.new_total),
                    "new_staff": str(p.new_staff),
                    "new_other": str(p.new_other),
                    "requested_total": str(p.requested_total),
                    "change": str(p.change),
                    "signal": p.signal,
                    "reason": p.reason,
                }
                for p in self.proposals
            ],
        }


# -- reading -----------------------------------------------------------------------------------


def _ceilings(s: Session, care_office_id: str, year: int) -> dict[str | None, Decimal]:
    """None -> the care-office ceiling; region id -> a regional ceiling."""
    out: dict[str | None, Decimal] = {}
    for c in s.exec(
        select(BudgetCeiling).where(
            BudgetCeiling.care_office_id == care_office_id,
            BudgetCeiling.year == year,
            BudgetCeiling.deleted_at == None,  # noqa: E711
        )
    ).all():
        out[c.region_id] = out.get(c.region_id, ZERO) + c.amount
    return out


def _rows(s: Session, round_id: str) -> list[ProposalRow]:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    agreed = {
        a.request_id: a
        for a in agreements_in(
            s, rnd.year, care_office_id=rnd.care_office_id, with_reallocation=False
        )
    }
    out = []
    for p in s.exec(
        select(ReallocationProposal).where(
            ReallocationProposal.round_id == round_id,
            ReallocationProposal.deleted_at == None,  # noqa: E711
        )
    ).all():
        a = agreed.get(p.budget_request_id)
        prov = s.get(Provider, p.provider_id)
        out.append(
            ProposalRow(
                p.id,
                p.budget_request_id,
                p.provider_id,
                prov.name if prov else "?",
                a.region_id if a else "",
                a.region_name if a else "",
                p.previous_total,
                p.new_staff,
                p.new_other,
                max(a.requested_total, a.agreed_total) if a else p.previous_total,
                max(a.requested_staff, a.agreed_staff) if a else p.new_staff,
                max(a.requested_other, a.agreed_other) if a else p.new_other,
                p.reason,
                p.signal,
                a.agreed_staff if a else ZERO,
                a.agreed_other if a else ZERO,
            )
        )
    out.sort(key=lambda r: (r.region_name, r.provider_name))
    return out


def _detail(s: Session, round_id: str, with_review: bool = True) -> RoundDetail:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    office = s.get(CareOffice, rnd.care_office_id)
    state, label = "", ""
    if with_review:
        st = review.status_in(s, SUBJECT, round_id, with_names=False)
        state, label = st.state, st.label
    return RoundDetail(
        rnd.id,
        rnd.care_office_id,
        office.short_name if office else "?",
        rnd.year,
        rnd.note,
        rnd.author_id,
        tuple(_rows(s, round_id)),
        _ceilings(s, rnd.care_office_id, rnd.year).get(None),
        state,
        label,
    )


def get_round(db: Database, round_id: str) -> RoundDetail:
    with db.read_session() as s:
        return _detail(s, round_id)


def find_round(db: Database, care_office_id: str, year: int) -> RoundDetail | None:
    with db.read_session() as s:
        rnd = s.exec(
            select(ReallocationRound).where(
                ReallocationRound.care_office_id == care_office_id,
                ReallocationRound.year == year,
                ReallocationRound.deleted_at == None,  # noqa: E711
            )
        ).first()
        return _detail(s, rnd.id) if rnd else None


def rounds(db: Database, year: int) -> list[RoundDetail]:
    with db.read_session() as s:
        ids = s.exec(
            select(ReallocationRound.id).where(
                ReallocationRound.year == year,
                ReallocationRound.deleted_at == None,  # noqa: E711
            )
        ).all()
        return sorted((_detail(s, i) for i in ids), key=lambda r: r.care_office_name)


# -- the rules ---------------------------------------------------------------------------------


def check_amounts(
    new_staff: Decimal, new_other: Decimal, req_staff: Decimal, req_other: Decimal
) -> list[ValidationError]:
    """ "Nooit meer toegekend dan begroot is in de (goedgekeurde) aanvraag": per part and in
    total never above the request."""
    errors = []
    if new_staff > req_staff:
        errors.append(
            ValidationError(
                "new_staff",
                f"Meer dan aangevraagd voor extra personeel "
                f"({money(req_staff)}): dat mag niet (§4.2.11).",
            )
        )
    if new_other > req_other:
        errors.append(
            ValidationError(
                "new_other",
                f"Meer dan aangevraagd voor overige investeringen "
                f"({money(req_other)}): dat mag niet (§4.2.11).",
            )
        )
    return errors


def check_round(s: Session, round_id: str) -> None:
    """Refuse a round that breaks a rule: above a request, or above a ceiling."""
    d = _detail(s, round_id, with_review=False)
    for p in d.proposals:
        if check_amounts(p.new_staff, p.new_other, p.requested_staff, p.requested_other):
            raise RuleViolation(f"{p.provider_name}: het nieuwe bedrag ligt boven de aanvraag.")
        if p.changed and not p.reason.strip():
            raise RuleViolation(f"{p.provider_name}: geef de reden van de bijstelling.")
    ceilings = _ceilings(s, d.care_office_id, d.year)
    for region_id, ceiling in ceilings.items():
        total = sum(
            (p.new_total for p in d.proposals if region_id is None or p.region_id == region_id),
            ZERO,
        )
        if total > ceiling:
            scope = (
                "het plafond van het zorgkantoor" if region_id is None else "het regionale plafond"
            )
            raise RuleViolation(
                f"De herschikking past niet binnen {scope}: {money(total - ceiling)} "
                f"te veel (plafond {money(ceiling)}, na herschikking {money(total)})."
            )


def _user(uow: UnitOfWork, by: str) -> AppUser:
    u = uow.get(AppUser, by)
    if u is None or u.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return u


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
        _user(uow, by)
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
        ceiling = _ceilings(s, care_office_id, year).get(None)
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
            staff, other = _cap(
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


def _cap(
    staff: Decimal, other: Decimal, req_staff: Decimal, req_other: Decimal
) -> tuple[Decimal, Decimal]:
    """Keep the total but move what exceeds one requested part to the other part (both capped)."""
    if staff > req_staff:
        other, staff = min(other + staff - req_staff, req_other), req_staff
    if other > req_other:
        staff, other = min(staff + other - req_other, req_staff), req_other
    return staff, other


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
        _user(uow, by)
        p = uow.get(ReallocationProposal, proposal_id)
        if p is None or p.deleted_at is not None:
            raise NotFound("Dit voorstel bestaat niet.")
        row = next(r for r in _rows(uow.session, p.round_id) if r.id == proposal_id)
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


# -- vier-ogen wiring --------------------------------------------------------------------------


def _content(s: Session, round_id: str) -> dict[str, Any]:
    rnd = s.get(ReallocationRound, round_id)
    if rnd is None:
        raise NotFound("Deze herschikkingsronde bestaat niet.")
    props = s.exec(
        select(ReallocationProposal).where(ReallocationProposal.round_id == round_id)
    ).all()
    return {
        "care_office_id": rnd.care_office_id,
        "year": rnd.year,
        "note": rnd.note,
        "deleted": rnd.deleted_at is not None,
        "proposals": {
            p.id: {
                "request": p.budget_request_id,
                "staff": p.new_staff,
                "other": p.new_other,
                "reason": p.reason,
                "deleted": p.deleted_at is not None,
            }
            for p in props
        },
    }


def _watched(s: Session, round_id: str) -> list[review.Watched]:
    out: list[review.Watched] = [(SUBJECT, round_id, frozenset({"care_office_id", "year", "note"}))]
    for pid in s.exec(
        select(ReallocationProposal.id).where(ReallocationProposal.round_id == round_id)
    ).all():
        out.append(("reallocation_proposal", pid, frozenset({"new_staff", "new_other", "reason"})))
    return out


def _describe(s: Session, round_id: str) -> str:
    rnd = s.get(ReallocationRound, round_id)
    office = s.get(CareOffice, rnd.care_office_id) if rnd else None
    return f"{office.short_name if office else '?'} – herschikking {rnd.year if rnd else '?'}"


def _before(uow: UnitOfWork, round_id: str, kind: str, by: str) -> None:
    if kind in ("SUBMITTED", "APPROVED"):
        check_round(uow.session, round_id)


def _still_valid(s: Session, round_id: str) -> bool:
    try:
        check_round(s, round_id)
    except (RuleViolation, NotFound):
        return False
    return True


review.register_subject(
    SUBJECT,
    review.SubjectSpec(
        content=_content,
        watched=_watched,
        author=lambda s, i: r.author_id if (r := s.get(ReallocationRound, i)) else None,
        describe=_describe,
        before=_before,
        still_valid=_still_valid,
    ),
)
