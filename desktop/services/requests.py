"""Budget requests (aanvragen kwaliteitsbudget) and afwijkingsverzoeken (DOMAIN.md §6).

Inkoopkader 2020 §4.2.7 (seed 001): "Bij een aanvraag met een hoger aandeel andere investeringen
dan 15% beoordeelt het zorgkantoor de onderbouwing die de zorgaanbieder in zijn aanvraag
aandraagt. Het zorgkantoor toetst de aanvraag in ieder geval aan de volgende punten: [C1..C10]"
and "Het streven is om de afspraken over het kwaliteitsbudget binnen zes weken nadat de aanvraag
is ontvangen te maken, maar in ieder geval uiterlijk binnen drie maanden als er bijzonderheden
spelen."

The decision itself is final only after the vier-ogen approval (desktop.services.review): the
spec registered at the bottom hashes the request, its deviation details and its criterion
judgements, and moves the request state on submit / approve / reject / withdraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml
from sqlmodel import Session, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError, ValidationErrors
from db.models import (
    AppUser,
    BudgetRequest,
    CareOffice,
    Clarification,
    CriterionJudgement,
    DeviationRequest,
    Location,
    Provider,
    Region,
    RegionAssignment,
)
from db.models.enums import Decision, Judgement, RequestState, ReviewKind, Role
from db.repo import UnitOfWork
from desktop.services import decisions, review, toetspunten
from desktop.services.budget import (
    AT_RISK_DAYS,
    add_months,
    check_ceiling,
    deadline,
    deadline_status,
    split,
    split_cents,
)
from desktop.services.formatting import money
from desktop.services.review import HistoryEntry, ReviewStatus
from desktop.services.validation import amount as parse_amount
from desktop.services.validation import iso_date

SUBJECT = "budget_request"

# -- reference: the ten criteria ---------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    code: str
    number: int
    short_nl: str
    text_nl: str


@cache
def criteria() -> tuple[Criterion, ...]:
    """C1..C10 with the Dutch texts of S1 §4.2.7 (resources/reference/criteria.yaml)."""
    raw = resources.files("resources.reference").joinpath("criteria.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    return tuple(Criterion(c["code"], int(c["number"]), c["short_nl"], c["text_nl"])
                 for c in data["criteria"])


def _criterion_map() -> dict[str, Criterion]:
    return {c.code: c for c in criteria()}


def _criteria_for(s: Session, req: BudgetRequest) -> tuple[Criterion, ...]:
    """C1..C10 plus the own toetspunten of the request's care office and region that apply on
    its receipt date (numbered 11, 12, ... in the letter)."""
    own = toetspunten.applicable_in(s, req.care_office_id, req.region_id, req.received_date)
    return criteria() + tuple(
        Criterion(toetspunten.custom_code(c.id), toetspunten.FIRST_NUMBER + i, c.short_nl, c.text_nl)
        for i, c in enumerate(own))


# -- data returned to UI / CLI / letters -------------------------------------------------------


@dataclass(frozen=True)
class CriterionInfo:
    code: str
    number: int
    short_nl: str
    text_nl: str
    judgement: str | None  # Judgement code or None (not judged yet)
    judgement_label: str
    reasoning: str


@dataclass(frozen=True)
class ClarificationInfo:
    id: str
    question: str
    asked_on: date
    answer: str
    answered_on: date | None


@dataclass(frozen=True)
class RequestDetail:
    id: str
    provider_id: str
    provider_name: str
    provider_street: str
    provider_house_number: str
    provider_postcode: str
    provider_place: str
    attention_of: str  # addressee line "t.a.v. ..."
    salutation: str  # "Geachte mevrouw De Vries,"
    care_office_id: str
    care_office_name: str
    region_id: str
    region_name: str
    quality_plan_id: str | None
    budget_year: int
    external_reference: str  # "Uw kenmerk"
    letter_date: date | None  # "Uw brief van"
    received_date: date
    initial_reserved_amount: Decimal
    requested_total: Decimal
    requested_staff_amount: Decimal
    requested_other_amount: Decimal
    requested_split: str  # "80%/20%"
    requested_staff_pct: Decimal
    requested_other_pct: Decimal
    is_deviation: bool  # other share above 15%: afwijkingsverzoek
    split_kind: str  # STANDARD / DEVIATION / MORE_STAFF
    justification: str
    has_special_circumstances: bool
    deadline: date
    deadline_status: str  # ON_TRACK / AT_RISK / OVERDUE / DONE
    deadline_label: str
    state: str
    state_label: str
    decision: str | None
    decision_label: str
    approved_total: Decimal | None
    approved_staff_amount: Decimal | None
    approved_other_amount: Decimal | None
    approved_split: str
    decision_rationale: str
    custom_agreements: str
    improvement_points: tuple[str, ...]
    criteria: tuple[CriterionInfo, ...]  # C1..C10, then the own toetspunten (numbers 11, ...)
    clarifications: tuple[ClarificationInfo, ...]
    deviation: dict[str, Any]  # client_group_profile, support_evidence, ...
    mediation: dict[str, Any]
    author_id: str
    author_name: str
    author_function: str
    decided_on: date | None
    letter_sent_on: date | None
    addendum_signed_on: date | None
    # Issue 15: the decision checked against the assessment (desktop.services.decisions).
    check: decisions.DecisionCheck | None = None
    accepted_points: dict[str, Any] | None = None  # {code: {"basis", "text"}} as stored


class RequestRow(NamedTuple):
    """One line of the request list. Amounts are kept as integer cents (cheap for 5,000 rows)
    and read as Decimal euros through the properties. A NamedTuple, not a frozen dataclass:
    12,813 rows at national scale cost ~36 ms in the frozen dataclass's __init__ (issue 18)."""

    id: str
    provider_name: str
    budget_year: int
    received_date: date
    state: str
    state_label: str
    deadline: date
    deadline_status: str
    deadline_label: str
    requested_total_cents: int
    requested_staff_cents: int
    requested_other_cents: int
    split_label: str
    is_deviation: bool
    decision: str | None
    approved_total_cents: int | None

    @property
    def requested_total(self) -> Decimal:
        return _cents(self.requested_total_cents)

    @property
    def requested_staff_amount(self) -> Decimal:
        return _cents(self.requested_staff_cents)

    @property
    def requested_other_amount(self) -> Decimal:
        return _cents(self.requested_other_cents)

    @property
    def approved_total(self) -> Decimal | None:
        return None if self.approved_total_cents is None else _cents(self.approved_total_cents)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "provider": self.provider_name, "year": self.budget_year,
            "received": self.received_date.isoformat(), "state": self.state,
            "state_label": self.state_label, "deadline": self.deadline.isoformat(),
            "deadline_status": self.deadline_status, "deadline_label": self.deadline_label,
            "requested_total": str(self.requested_total),
            "requested_staff": str(self.requested_staff_amount),
            "requested_other": str(self.requested_other_amount), "split": self.split_label,
            "deviation": self.is_deviation, "decision": self.decision,
            "approved_total": None if self.approved_total is None else str(self.approved_total),
        }


# -- reading -----------------------------------------------------------------------------------


def _get(s: Session, request_id: str) -> BudgetRequest:
    req = s.get(BudgetRequest, request_id)
    if req is None or req.deleted_at is not None:
        raise NotFound("Deze aanvraag bestaat niet (meer).")
    return req


def _judgements(s: Session, request_id: str) -> dict[str, CriterionJudgement]:
    rows = s.exec(select(CriterionJudgement).where(
        CriterionJudgement.budget_request_id == request_id,
        CriterionJudgement.deleted_at == None)).all()  # noqa: E711
    return {j.criterion: j for j in rows}


def _deviation(s: Session, request_id: str) -> DeviationRequest | None:
    return s.exec(select(DeviationRequest).where(
        DeviationRequest.budget_request_id == request_id)).first()


SUPPORT_PARTIES = {"clients": "Cliënten (cliëntenraad)", "staff": "Medewerkers (OR, (V)VAR)",
                   "board": "Bestuur", "supervisory_board": "Raad van Toezicht"}
_DEV_FIELDS = ("client_group_profile", "support_evidence", "innovation_description",
               "scaling_vision", "shares_learning_in_region", "business_case_reference")


def _detail(s: Session, req: BudgetRequest, today: date | None = None) -> RequestDetail:
    today = today or date.today()
    prov = s.get(Provider, req.provider_id)
    office = s.get(CareOffice, req.care_office_id)
    region = s.get(Region, req.region_id)
    author = s.get(AppUser, req.author_id)
    sp = split(req.requested_staff_amount, req.requested_other_amount)
    due = deadline(req.received_date, req.has_special_circumstances)
    dstat = deadline_status(due, today, req.state)
    judged = _judgements(s, req.id)
    crit = tuple(
        CriterionInfo(c.code, c.number, c.short_nl, c.text_nl,
                      judged[c.code].judgement if c.code in judged else None,
                      Judgement(judged[c.code].judgement).label if c.code in judged else "",
                      judged[c.code].reasoning if c.code in judged else "")
        for c in _criteria_for(s, req))
    clar = s.exec(select(Clarification).where(Clarification.budget_request_id == req.id,
                                              Clarification.deleted_at == None)  # noqa: E711
                  .order_by(Clarification.asked_on, Clarification.created_at)).all()  # type: ignore[arg-type]
    dev = _deviation(s, req.id)
    approved_split = ""
    if req.approved_staff_amount is not None and req.approved_other_amount is not None:
        approved_split = split(req.approved_staff_amount, req.approved_other_amount).label
    return RequestDetail(
        id=req.id, provider_id=req.provider_id, provider_name=prov.name if prov else "?",
        provider_street=prov.street if prov else "", provider_house_number=prov.house_number if prov else "",
        provider_postcode=prov.postcode if prov else "", provider_place=prov.place if prov else "",
        attention_of=prov.attention_of if prov else "", salutation=prov.salutation if prov else "",
        care_office_id=req.care_office_id, care_office_name=office.name if office else "?",
        region_id=req.region_id, region_name=region.name if region else "?",
        quality_plan_id=req.quality_plan_id, budget_year=req.budget_year,
        external_reference=req.external_reference, letter_date=req.letter_date,
        received_date=req.received_date, initial_reserved_amount=req.initial_reserved_amount,
        requested_total=req.requested_total, requested_staff_amount=req.requested_staff_amount,
        requested_other_amount=req.requested_other_amount, requested_split=sp.label,
        requested_staff_pct=sp.staff_pct, requested_other_pct=sp.other_pct,
        is_deviation=sp.is_deviation, split_kind=sp.kind, justification=req.justification,
        has_special_circumstances=req.has_special_circumstances, deadline=due,
        deadline_status=dstat, deadline_label=_deadline_label(dstat),
        state=req.state, state_label=RequestState(req.state).label, decision=req.decision,
        decision_label=Decision(req.decision).label if req.decision else "",
        approved_total=req.approved_total, approved_staff_amount=req.approved_staff_amount,
        approved_other_amount=req.approved_other_amount, approved_split=approved_split,
        decision_rationale=req.decision_rationale, custom_agreements=req.custom_agreements,
        improvement_points=tuple(req.improvement_points or ()), criteria=crit,
        clarifications=tuple(ClarificationInfo(c.id, c.question, c.asked_on, c.answer, c.answered_on)
                             for c in clar),
        deviation={f: getattr(dev, f) for f in _DEV_FIELDS} if dev else {},
        mediation=dict(req.mediation or {}), author_id=req.author_id,
        author_name=author.name if author else "?",
        author_function=author.function_title if author else "",
        decided_on=req.decided_on, letter_sent_on=req.letter_sent_on,
        addendum_signed_on=req.addendum_signed_on, check=_check(s, req),
        accepted_points=dict(req.accepted_points or {}))


def _plan_points(s: Session, req: BudgetRequest) -> list[decisions.Point]:
    """The plan checks of §4.2.2-4.2.5 judged "Voldoet niet" in the latest completed plan
    assessment of the request's kwaliteitsplan."""
    if not req.quality_plan_id:
        return []
    from db.models import PlanAssessment
    from desktop.services import plans

    row = s.exec(select(PlanAssessment).where(
        PlanAssessment.quality_plan_id == req.quality_plan_id, PlanAssessment.status == "COMPLETED",
        PlanAssessment.deleted_at == None)  # noqa: E711
        .order_by(PlanAssessment.created_at.desc())).first()  # type: ignore[attr-defined]
    if row is None:
        return []
    try:
        form = plans.assessment_form(row.form_version)
    except Exception:  # noqa: BLE001 - an unknown form version still lists the failing codes
        form = None
    return decisions.requirement_points(row.answers, form)


def _check(s: Session, req: BudgetRequest, *, decision: str | None = None,
           approved: dict[str, Decimal | None] | None = None,
           accepted: dict[str, Any] | None = None) -> decisions.DecisionCheck:
    """The decision (as stored, or as about to be stored) against the plan assessment and the
    criteria: the one check behind record_decision, the vier-ogen steps and the letter."""
    judged = {code: (j.judgement, j.reasoning) for code, j in _judgements(s, req.id).items()}
    if approved is None:
        approved = {"approved_staff_amount": req.approved_staff_amount,
                    "approved_other_amount": req.approved_other_amount}
    return decisions.evaluate(
        decision if decision is not None else req.decision,
        requirements=_plan_points(s, req),
        criteria=decisions.criterion_points(_criteria_for(s, req), judged),
        approved_staff=approved.get("approved_staff_amount"),
        approved_other=approved.get("approved_other_amount"),
        accepted=accepted if accepted is not None else dict(req.accepted_points or {}),
        early=decisions.early_application(req.received_date, req.budget_year))


def decision_check(db: Database, request_id: str) -> decisions.DecisionCheck:
    """What the recorded decision of a request rests on (letters call this before a
    definitive letter)."""
    with db.read_session() as s:
        return _check(s, _get(s, request_id))


def _deadline_label(code: str) -> str:
    from desktop.services.budget import DEADLINE_LABELS

    return DEADLINE_LABELS[code]


def get_request(db: Database, request_id: str, today: date | None = None) -> RequestDetail:
    """Everything about one request: amounts, provider and addressee, decision, criteria with
    their Dutch texts, improvement points, maatwerkafspraken, author. (Stable: letters use it.)"""
    with db.read_session() as s:
        return _detail(s, _get(s, request_id), today)


_STATE_LABELS = {s.value: s.label for s in RequestState}
_DECISION_LABELS = {d.value: d.label for d in Decision}


def list_requests(db: Database, *, today: date | None = None, year: int | None = None,
                  state: str | None = None, care_office_id: str | None = None) -> list[RequestRow]:
    """All live requests with state, deadline status and amounts (fast: one plain query)."""
    today = today or date.today()
    sql = ("SELECT r.id, p.name, r.budget_year, r.received_date, r.state, "
           "r.has_special_circumstances, r.requested_total, r.requested_staff_amount, "
           "r.requested_other_amount, r.decision, r.approved_total "
           "FROM budget_request r JOIN provider p ON p.id = r.provider_id "
           "WHERE r.deleted_at IS NULL")
    params: dict[str, Any] = {}
    if year is not None:
        sql += " AND r.budget_year = :year"
        params["year"] = year
    if state is not None:
        sql += " AND r.state = :state"
        params["state"] = state
    if care_office_id is not None:
        sql += " AND r.care_office_id = :office"
        params["office"] = care_office_id
    sql += " ORDER BY r.received_date DESC, p.name"
    out = []
    with db.read_session() as s:
        # the DB-API cursor: plain tuples, without SQLAlchemy's row processing (issue 18)
        cur = s.connection().connection.cursor()
        try:
            rows = cur.execute(sql, params).fetchall()
        finally:
            cur.close()
    dl_labels = {k: _deadline_label(k) for k in ("ON_TRACK", "AT_RISK", "OVERDUE", "DONE")}
    done_states = {str(x) for x in (RequestState.DECIDED, RequestState.LETTER_SENT,
                                    RequestState.ADDENDUM_SIGNED, RequestState.WITHDRAWN)}
    six_weeks = timedelta(days=42)
    fromiso = date.fromisoformat
    for rid, pname, year_, received, st, special, tot, staff, other, dec, appr in rows:
        rec = fromiso(received)
        due = add_months(rec, 3) if special else rec + six_weeks
        if st in done_states:
            dstat = "DONE"
        else:
            left = (due - today).days
            dstat = "OVERDUE" if left < 0 else "AT_RISK" if left <= AT_RISK_DAYS else "ON_TRACK"
        label, kind = split_cents(staff, other)
        out.append(RequestRow(rid, pname, year_, rec, st, _STATE_LABELS.get(st, st), due, dstat,
                              dl_labels[dstat], tot, staff, other, label, kind == "DEVIATION", dec,
                              appr))
    return out


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


# -- validation --------------------------------------------------------------------------------

_AMOUNT_LABELS = {
    "initial_reserved_amount": "Initieel gereserveerd budget",
    "requested_total": "Aangevraagd totaal",
    "requested_staff_amount": "Deel extra zorgpersoneel",
    "requested_other_amount": "Deel overige investeringen",
    "approved_total": "Toegekend totaal",
    "approved_staff_amount": "Toegekend deel zorgpersoneel",
    "approved_other_amount": "Toegekend deel overige investeringen",
}


def _amounts(values: dict[str, Any], names: tuple[str, ...], errors: list[ValidationError],
             required: bool = True) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for name in names:
        raw = values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                errors.append(ValidationError(name, f"{_AMOUNT_LABELS[name]} is verplicht."))
            out[name] = None
            continue
        try:
            out[name] = parse_amount(raw, name, _AMOUNT_LABELS[name])
        except ValidationError as exc:
            errors.append(exc)
            out[name] = None
    return out


def _check_sum(total: Decimal | None, staff: Decimal | None, other: Decimal | None,
               total_field: str, errors: list[ValidationError]) -> None:
    if total is None or staff is None or other is None:
        return
    if staff + other != total:
        errors.append(ValidationError(
            total_field, f"Zorgpersoneel ({money(staff)}) + overige investeringen ({money(other)}) "
            f"= {money(staff + other)}, maar het totaal is {money(total)}. Het verschil is "
            f"{money(abs(total - staff - other))}."))


def validate_amounts(values: dict[str, Any]) -> dict[str, Decimal]:
    """Validate the requested amounts as typed (for live feedback in the editor)."""
    errors: list[ValidationError] = []
    names = ("initial_reserved_amount", "requested_total", "requested_staff_amount",
             "requested_other_amount")
    parsed = _amounts(values, names, errors)
    _check_sum(parsed["requested_total"], parsed["requested_staff_amount"],
               parsed["requested_other_amount"], "requested_total", errors)
    if parsed["requested_total"] is not None and parsed["requested_total"] == 0 and not any(
            e.field == "requested_total" for e in errors):
        errors.append(ValidationError("requested_total", "Aangevraagd totaal moet groter zijn dan € 0,00."))
    if errors:
        raise ValidationErrors(errors)
    return {k: v for k, v in parsed.items() if v is not None}


_EDITABLE_STATES = {RequestState.RECEIVED, RequestState.IN_REVIEW,
                    RequestState.CLARIFICATION_REQUESTED, RequestState.AWAITING_FOUR_EYES,
                    RequestState.DECIDED, RequestState.IN_MEDIATION}


def _require_role(s: Session, by: str) -> AppUser:
    user = s.get(AppUser, by)
    if user is None or user.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: log in met een bestaand profiel.")
    return user


def _default_office_region(s: Session, provider_id: str, on: date) -> tuple[str, str]:
    loc = s.exec(select(Location).where(Location.provider_id == provider_id,
                                        Location.deleted_at == None)).first()  # noqa: E711
    if loc is None:
        raise ValidationError("provider_id", "Deze zorgaanbieder heeft geen locatie; kies de "
                              "regio en het zorgkantoor zelf.")
    assignments = s.exec(select(RegionAssignment).where(RegionAssignment.region_id == loc.region_id)).all()
    for a in assignments:
        if a.valid_from <= on and (a.valid_to is None or on <= a.valid_to):
            return a.care_office_id, loc.region_id
    if assignments:
        return assignments[-1].care_office_id, loc.region_id
    raise ValidationError("care_office_id", "Geen zorgkantoor gevonden voor de regio van deze aanbieder.")


# -- writing -----------------------------------------------------------------------------------


def create_request(db: Database, *, by: str, provider_id: str, budget_year: int | str,
                   received_date: object, initial_reserved_amount: object, requested_total: object,
                   requested_staff_amount: object, requested_other_amount: object,
                   justification: str = "", has_special_circumstances: bool = False,
                   external_reference: str = "", letter_date: object = None,
                   care_office_id: str | None = None, region_id: str | None = None,
                   quality_plan_id: str | None = None) -> RequestDetail:
    """Register a received aanvraag (state "ontvangen"). All fields are checked first; on any
    error nothing is written and every message is returned at its field."""
    errors: list[ValidationError] = []
    try:
        year = int(str(budget_year).strip())
        if not 2015 <= year <= 2100:
            raise ValueError
    except ValueError:
        errors.append(ValidationError("budget_year", f"Budgetjaar '{budget_year}' is geen geldig jaartal."))
        year = 0
    received = _date_or_error(received_date, "received_date", "Ontvangstdatum", errors)
    letter = None
    if letter_date not in (None, ""):
        letter = _date_or_error(letter_date, "letter_date", "Datum brief aanbieder", errors)
        if letter and received and letter > received:
            errors.append(ValidationError("letter_date", "De brief van de aanbieder kan niet na de "
                                          "ontvangstdatum liggen."))
    if len(external_reference or "") > 50:
        errors.append(ValidationError("external_reference", "Uw kenmerk mag hoogstens 50 tekens lang zijn."))
    amounts: dict[str, Decimal] = {}
    try:
        amounts = validate_amounts({
            "initial_reserved_amount": initial_reserved_amount, "requested_total": requested_total,
            "requested_staff_amount": requested_staff_amount,
            "requested_other_amount": requested_other_amount})
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

            plan = s.exec(select(QualityPlan).where(
                QualityPlan.provider_id == provider_id, QualityPlan.year == year,
                QualityPlan.deleted_at == None)).first()  # noqa: E711
            quality_plan_id = plan.id if plan else None
        if care_office_id is None or region_id is None:
            office, region = _default_office_region(s, provider_id, received)
            care_office_id = care_office_id or office
            region_id = region_id or region
        req = uow.add(BudgetRequest(
            provider_id=provider_id, care_office_id=care_office_id, region_id=region_id,
            quality_plan_id=quality_plan_id, budget_year=year,
            external_reference=(external_reference or "").strip(), received_date=received,
            letter_date=letter, justification=(justification or "").strip(),
            has_special_circumstances=bool(has_special_circumstances), author_id=by,
            initial_reserved_amount=amounts["initial_reserved_amount"],
            requested_total=amounts["requested_total"],
            requested_staff_amount=amounts["requested_staff_amount"],
            requested_other_amount=amounts["requested_other_amount"]))
        uow.add(DeviationRequest(budget_request_id=req.id))
        return _detail(s, req)


def _date_or_error(value: object, field: str, label: str, errors: list[ValidationError]) -> date | None:
    try:
        return iso_date(value, field, label)
    except ValidationError as exc:
        errors.append(exc)
        return None


_UPDATABLE = {"external_reference", "letter_date", "received_date", "initial_reserved_amount",
              "requested_total", "requested_staff_amount", "requested_other_amount",
              "justification", "has_special_circumstances", "custom_agreements",
              "improvement_points", "quality_plan_id"}


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
        if req.state not in _EDITABLE_STATES:
            raise RuleViolation(f"Een aanvraag met status '{RequestState(req.state).label}' kan niet "
                                "meer worden gewijzigd.")
        values = {f: getattr(req, f) for f in _UPDATABLE}
        values.update(changes)
        errors: list[ValidationError] = []
        received = _date_or_error(values["received_date"], "received_date", "Ontvangstdatum", errors)
        letter = None
        if values["letter_date"] not in (None, ""):
            letter = _date_or_error(values["letter_date"], "letter_date", "Datum brief aanbieder", errors)
            if letter and received and letter > received:
                errors.append(ValidationError("letter_date", "De brief van de aanbieder kan niet na "
                                              "de ontvangstdatum liggen."))
        amounts: dict[str, Decimal] = {}
        try:
            amounts = validate_amounts(values)
        except ValidationErrors as exc:
            errors.extend(exc.errors)
        points = [str(p).strip() for p in (values["improvement_points"] or []) if str(p).strip()]
        if len(points) > 3:
            errors.append(ValidationError("improvement_points", "Hoogstens drie verbeterpunten."))
        if received and any(c.asked_on < received for c in s.exec(select(Clarification).where(
                Clarification.budget_request_id == req.id, Clarification.deleted_at == None))):  # noqa: E711
            errors.append(ValidationError("received_date", "Er is al een toelichting gevraagd vóór "
                                          "deze ontvangstdatum."))
        if len(values["external_reference"] or "") > 50:
            errors.append(ValidationError("external_reference", "Uw kenmerk mag hoogstens 50 tekens lang zijn."))
        if errors:
            raise ValidationErrors(errors)
        new = dict(amounts, received_date=received, letter_date=letter,
                   external_reference=(values["external_reference"] or "").strip(),
                   justification=(values["justification"] or "").strip(),
                   has_special_circumstances=bool(values["has_special_circumstances"]),
                   custom_agreements=(values["custom_agreements"] or "").strip(),
                   improvement_points=points, quality_plan_id=values["quality_plan_id"])
        before = review._hash_in(s, SUBJECT, req.id)
        uow.update(req, **new)
        _after_edit(uow, req, before)
        return _detail(s, req)


def _after_edit(uow: UnitOfWork, req: BudgetRequest, before_hash: str) -> None:
    """A changed version leaves the vier-ogen track: back to "in beoordeling"."""
    after_hash = review._hash_in(uow.session, SUBJECT, req.id)
    if after_hash == before_hash:
        return
    if req.state == RequestState.AWAITING_FOUR_EYES and uow.actor_id:
        # The submitted version no longer exists: take it out of the teamleider's queue.
        review._record(uow, SUBJECT, req.id, ReviewKind.WITHDRAWN, uow.actor_id, after_hash,
                       "Gewijzigd na aanbieden; opnieuw aanbieden is nodig.")
    if req.state in (RequestState.AWAITING_FOUR_EYES, RequestState.DECIDED, RequestState.RECEIVED):
        uow.update(req, state=str(RequestState.IN_REVIEW), decided_on=None)


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
        raise ValidationError("business_case_reference", "Verwijzing naar de business case mag "
                              "hoogstens 200 tekens lang zijn.")
    changes = clean
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in _EDITABLE_STATES:
            raise RuleViolation("Deze aanvraag kan niet meer worden gewijzigd.")
        before = review._hash_in(s, SUBJECT, req.id)
        dev = _deviation(s, req.id) or uow.add(DeviationRequest(budget_request_id=req.id))
        uow.update(dev, **changes)
        _after_edit(uow, req, before)
        return _detail(s, req)


def judge_criteria(db: Database, request_id: str, by: str,
                   judgements: dict[str, tuple[str, str]]) -> RequestDetail:
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
            errors.append(ValidationError(f"criterion:{code}", f"Kies een oordeel bij criterium "
                                          f"{known[code].number}."))
        elif not reasoning:
            errors.append(ValidationError(f"criterion:{code}", f"Geef een onderbouwing bij criterium "
                                          f"{known[code].number} ({known[code].short_nl})."))
        else:
            clean[code] = (judgement, reasoning)
    if errors:
        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in _EDITABLE_STATES:
            raise RuleViolation("Deze aanvraag kan niet meer worden gewijzigd.")
        before = review._hash_in(s, SUBJECT, req.id)
        existing = _judgements(s, req.id)
        for code, (judgement, reasoning) in clean.items():
            row = existing.get(code)
            if not judgement:
                if row is not None:
                    uow.delete(row)
            elif row is None:
                uow.add(CriterionJudgement(budget_request_id=req.id, criterion=code,
                                           judgement=judgement, reasoning=reasoning, author_id=by))
            else:
                uow.update(row, judgement=judgement, reasoning=reasoning, author_id=by)
        _after_edit(uow, req, before)
        return _detail(s, req)


def record_decision(db: Database, request_id: str, by: str, *, decision: str,
                    approved_total: object = None, approved_staff_amount: object = None,
                    approved_other_amount: object = None, rationale: str = "",
                    custom_agreements: str | None = None,
                    improvement_points: list[str] | None = None,
                    accepted_points: dict[str, Any] | None = None) -> RequestDetail:
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
    accepted_in = decisions.clean_acceptances(accepted_points, errors) if accepted_points is not None else None
    amount_names = ("approved_total", "approved_staff_amount", "approved_other_amount")
    given = {"approved_total": approved_total, "approved_staff_amount": approved_staff_amount,
             "approved_other_amount": approved_other_amount}
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if req.state not in (RequestState.RECEIVED, RequestState.IN_REVIEW,
                             RequestState.CLARIFICATION_REQUESTED, RequestState.IN_MEDIATION,
                             RequestState.AWAITING_FOUR_EYES, RequestState.DECIDED):
            raise RuleViolation(f"Bij status '{RequestState(req.state).label}' kan geen besluit "
                                "worden vastgelegd.")
        early = decisions.early_application(req.received_date, req.budget_year)
        parsed = _amounts(given, amount_names, errors, required=False)
        approved: dict[str, Decimal | None]
        if decision == Decision.APPROVED:
            # Akkoord: as requested.
            approved = {"approved_total": req.requested_total,
                        "approved_staff_amount": req.requested_staff_amount,
                        "approved_other_amount": req.requested_other_amount}
            for k, v in parsed.items():
                if v is not None and v != approved[k]:
                    errors.append(ValidationError(k, "Bij 'Akkoord' zijn de toegekende bedragen gelijk "
                                                  "aan de aanvraag; kies 'Akkoord na aanpassing'."))
        elif decision == Decision.REJECTED:
            approved = dict.fromkeys(amount_names)
            errors += decisions.amount_errors(
                decision, requested=(req.requested_total, req.requested_staff_amount,
                                     req.requested_other_amount),
                approved=(parsed["approved_total"], parsed["approved_staff_amount"],
                          parsed["approved_other_amount"]),
                reserved=req.initial_reserved_amount, early=early)
        else:
            approved = parsed
            if decision == Decision.APPROVED_UP_TO_RESERVED and all(v is None for v in parsed.values()):
                total, staff, other = decisions.reserved_split(
                    req.initial_reserved_amount, req.requested_staff_amount, req.requested_other_amount)
                approved = {"approved_total": total, "approved_staff_amount": staff,
                            "approved_other_amount": other}
            elif not any(e.field in amount_names for e in errors):
                for name in amount_names:
                    if approved[name] is None:
                        errors.append(ValidationError(name, f"{_AMOUNT_LABELS[name]} is verplicht."))
            _check_sum(approved["approved_total"], approved["approved_staff_amount"],
                       approved["approved_other_amount"], "approved_total", errors)
        if decision != Decision.REJECTED:
            errors += decisions.amount_errors(
                decision, requested=(req.requested_total, req.requested_staff_amount,
                                     req.requested_other_amount),
                approved=(approved["approved_total"], approved["approved_staff_amount"],
                          approved["approved_other_amount"]),
                reserved=req.initial_reserved_amount, early=early)
        if not rationale:
            errors.append(ValidationError("decision_rationale", "Geef een motivering van het besluit."))
        # The requested split and, for an approval, the approved split are tested alike.
        crit = _criteria_for(s, req)
        judged = _judgements(s, req.id)
        splits = [("aangevraagde", split(req.requested_staff_amount, req.requested_other_amount))]
        if decision != Decision.REJECTED and approved["approved_staff_amount"] is not None \
                and approved["approved_other_amount"] is not None \
                and approved["approved_total"]:
            splits.append(("toegekende", split(approved["approved_staff_amount"],  # type: ignore[arg-type]
                                               approved["approved_other_amount"])))  # type: ignore[arg-type]
        for which, sp in splits:
            if sp.is_deviation:
                missing = [c for c in crit if c.code not in judged]
                if missing:
                    errors.append(ValidationError("criteria", f"De {which} verhouding ({sp.label}) wijkt "
                                  "af van 85/15 (meer dan 15% overige investeringen): het besluit kan "
                                  "pas worden vastgelegd als alle tien criteria"
                                  + (" en de eigen toetspunten" if len(crit) > 10 else "")
                                  + " een oordeel met onderbouwing hebben. Ontbreekt: "
                                  + ", ".join(f"{c.number} ({c.short_nl})" if c.number > 10
                                              else f"C{c.number}" for c in missing) + "."))
                    break
            elif sp.kind == "MORE_STAFF" and not req.justification.strip():
                errors.append(ValidationError("justification", f"De {which} verhouding ({sp.label}) "
                                              "heeft minder dan 15% overige investeringen en wijkt "
                                              "daarmee ook af van 85/15: leg de onderbouwing van de "
                                              "aanbieder vast."))
                break
        points = improvement_points if improvement_points is not None else list(req.improvement_points or [])
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
        before = review._hash_in(s, SUBJECT, req.id)
        changes: dict[str, Any] = dict(decision=decision, decision_rationale=rationale,
                                       improvement_points=points, accepted_points=accepted,
                                       **approved)
        if custom_agreements is not None:
            changes["custom_agreements"] = custom_agreements.strip()
        if req.state == RequestState.RECEIVED:
            changes["state"] = str(RequestState.IN_REVIEW)
        uow.update(req, **changes)
        _after_edit(uow, req, before)
        return _detail(s, req)


# -- clarifications (pause nothing, S1 §4.2.7 "overleg") ---------------------------------------


def add_clarification(db: Database, request_id: str, by: str, question: str,
                      asked_on: object) -> RequestDetail:
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
            errors.append(ValidationError("asked_on", "De datum van de vraag ligt vóór de "
                                          f"ontvangstdatum ({req.received_date:%d-%m-%Y})."))
        if req.state in (RequestState.WITHDRAWN, RequestState.LETTER_SENT, RequestState.ADDENDUM_SIGNED):
            raise RuleViolation("Bij deze status kan geen toelichting meer worden gevraagd.")
        if errors:
            raise ValidationErrors(errors)
        assert asked is not None
        uow.add(Clarification(budget_request_id=req.id, question=question, asked_on=asked))
        if req.state in (RequestState.RECEIVED, RequestState.IN_REVIEW):
            uow.update(req, state=str(RequestState.CLARIFICATION_REQUESTED))
        return _detail(s, req)


def answer_clarification(db: Database, clarification_id: str, by: str, answer: str,
                         answered_on: object) -> RequestDetail:
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
            errors.append(ValidationError("answered_on", "Het antwoord kan niet vóór de vraag liggen."))
        if errors:
            raise ValidationErrors(errors)
        uow.update(c, answer=answer, answered_on=answered)
        req = _get(s, c.budget_request_id)
        open_left = s.exec(select(Clarification).where(
            Clarification.budget_request_id == req.id, Clarification.answered_on == None,  # noqa: E711
            Clarification.deleted_at == None)).first()  # noqa: E711
        if req.state == RequestState.CLARIFICATION_REQUESTED and open_left is None:
            uow.update(req, state=str(RequestState.IN_REVIEW))
        return _detail(s, req)


# -- other state transitions (DOMAIN.md §6.4) --------------------------------------------------

_TRANSITIONS: dict[str, set[str]] = {
    RequestState.RECEIVED: {RequestState.IN_REVIEW, RequestState.WITHDRAWN},
    RequestState.IN_REVIEW: {RequestState.CLARIFICATION_REQUESTED, RequestState.IN_MEDIATION,
                             RequestState.WITHDRAWN},
    RequestState.CLARIFICATION_REQUESTED: {RequestState.IN_REVIEW, RequestState.IN_MEDIATION,
                                           RequestState.WITHDRAWN},
    RequestState.AWAITING_FOUR_EYES: {RequestState.WITHDRAWN},
    RequestState.DECIDED: {RequestState.LETTER_SENT, RequestState.IN_MEDIATION},
    RequestState.LETTER_SENT: {RequestState.ADDENDUM_SIGNED, RequestState.IN_MEDIATION},
    RequestState.IN_MEDIATION: {RequestState.IN_REVIEW, RequestState.WITHDRAWN},
    RequestState.ADDENDUM_SIGNED: set(),
    RequestState.WITHDRAWN: set(),
}


def allowed_transitions(state: str) -> tuple[str, ...]:
    return tuple(sorted(_TRANSITIONS.get(state, set())))


def transition(db: Database, request_id: str, by: str, target: str, *, on: object = None,
               note: str = "") -> RequestDetail:
    """Move a request: start review, mediation start/end, withdrawal (by the provider), letter
    sent, addendum signed. Decisions go through record_decision + the vier-ogen review."""
    if target not in RequestState.__members__:
        raise ValidationError("state", f"Onbekende status '{target}'.")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _require_role(s, by)
        req = _get(s, request_id)
        if target not in _TRANSITIONS.get(req.state, set()):
            raise RuleViolation(f"Van '{RequestState(req.state).label}' naar "
                                f"'{RequestState(target).label}' is geen toegestane stap.")
        errors: list[ValidationError] = []
        day = _date_or_error(on, "on", "Datum", errors) if on not in (None, "") else date.today()
        if errors:
            raise ValidationErrors(errors)
        assert day is not None
        if day < req.received_date:
            raise ValidationError("on", f"De datum ligt vóór de ontvangstdatum ({req.received_date:%d-%m-%Y}).")
        changes: dict[str, Any] = {"state": str(target)}
        if target == RequestState.LETTER_SENT:
            if _valid_in(s, req) is None:
                raise RuleViolation("De brief kan pas worden verstuurd na de vier-ogen goedkeuring.")
            changes["letter_sent_on"] = day
        elif target == RequestState.ADDENDUM_SIGNED:
            if req.letter_sent_on and day < req.letter_sent_on:
                raise ValidationError("on", "Het addendum kan niet vóór het versturen van de brief "
                                      "zijn getekend.")
            changes["addendum_signed_on"] = day
        elif target == RequestState.IN_MEDIATION:
            changes["mediation"] = {**(req.mediation or {}), "started_on": day.isoformat(),
                                    "note": note.strip()}
        elif req.state == RequestState.IN_MEDIATION and target == RequestState.IN_REVIEW:
            changes["mediation"] = {**(req.mediation or {}), "ended_on": day.isoformat(),
                                    "outcome": note.strip()}
        elif target == RequestState.WITHDRAWN and req.state == RequestState.AWAITING_FOUR_EYES:
            review._record(uow, SUBJECT, req.id, ReviewKind.WITHDRAWN, by,
                           review._hash_in(s, SUBJECT, req.id), "Aanvraag ingetrokken")
        uow.update(req, **changes)
        uow.audit("transition", req, state=str(target), note=note.strip())
        return _detail(s, req)


def _valid_in(s: Session, req: BudgetRequest) -> review.Approval | None:
    spec = review._spec(SUBJECT)
    return review._valid_approval(s, spec, req.id, review._hash_in(s, SUBJECT, req.id),
                                  review._events(s, SUBJECT, req.id), {})


# -- vier-ogen wiring --------------------------------------------------------------------------

_RQ_FIELDS = frozenset({
    "provider_id", "care_office_id", "region_id", "quality_plan_id", "budget_year",
    "external_reference", "received_date", "letter_date", "initial_reserved_amount",
    "requested_total", "requested_staff_amount", "requested_other_amount", "justification",
    "has_special_circumstances", "decision", "approved_total", "approved_staff_amount",
    "approved_other_amount", "decision_rationale", "custom_agreements", "improvement_points",
})
# Part of the approved version only when set, so approvals made before issue 15 stay valid.
_RQ_OPTIONAL = frozenset({"accepted_points"})


def _content(s: Session, request_id: str) -> dict[str, Any]:
    req = s.get(BudgetRequest, request_id)
    if req is None:
        raise NotFound("Deze aanvraag bestaat niet.")
    data: dict[str, Any] = {f: getattr(req, f) for f in sorted(_RQ_FIELDS)}
    data.update({f: getattr(req, f) for f in sorted(_RQ_OPTIONAL) if getattr(req, f)})
    data["deleted"] = req.deleted_at is not None
    dev = _deviation(s, request_id)
    data["deviation"] = {f: getattr(dev, f) for f in _DEV_FIELDS} if dev else {}
    data["criteria"] = {code: {"judgement": j.judgement, "reasoning": j.reasoning}
                        for code, j in sorted(_judgements(s, request_id).items())}
    return data


def _watched(s: Session, request_id: str) -> list[review.Watched]:
    out: list[review.Watched] = [("budget_request", request_id, _RQ_FIELDS | _RQ_OPTIONAL)]
    dev = _deviation(s, request_id)
    if dev is not None:
        out.append(("deviation_request", dev.id, frozenset(_DEV_FIELDS)))
    for jid in s.exec(select(CriterionJudgement.id).where(
            CriterionJudgement.budget_request_id == request_id)).all():
        out.append(("criterion_judgement", jid, None))
    return out


def _author(s: Session, request_id: str) -> str | None:
    req = s.get(BudgetRequest, request_id)
    return req.author_id if req else None


def _describe(s: Session, request_id: str) -> str:
    req = s.get(BudgetRequest, request_id)
    if req is None:
        return "?"
    prov = s.get(Provider, req.provider_id)
    sp = split(req.requested_staff_amount, req.requested_other_amount)
    kind = "afwijkingsverzoek" if sp.is_deviation else "aanvraag"
    return f"{prov.name if prov else '?'} – {kind} {req.budget_year} ({sp.label})"


def _before(uow: UnitOfWork, request_id: str, kind: str, by: str) -> None:
    s = uow.session
    req = _get(s, request_id)
    if kind == ReviewKind.SUBMITTED:
        if req.state not in (RequestState.RECEIVED, RequestState.IN_REVIEW,
                             RequestState.CLARIFICATION_REQUESTED, RequestState.IN_MEDIATION):
            raise RuleViolation(f"Een aanvraag met status '{RequestState(req.state).label}' kan niet "
                                "ter vier-ogen worden aangeboden.")
        if not req.decision:
            raise RuleViolation("Leg eerst een besluit vast voordat u de aanvraag ter vier-ogen aanbiedt.")
        _check_complete(s, req)
        check_ceiling(s, req)
        uow.update(req, state=str(RequestState.AWAITING_FOUR_EYES))
    elif kind == ReviewKind.APPROVED:
        if req.state != RequestState.AWAITING_FOUR_EYES:
            raise RuleViolation("Deze aanvraag staat niet ter vier-ogen.")
        # The same completeness rules as on submission: data may have arrived by sync or import.
        if not req.decision:
            raise RuleViolation(NO_DECISION)
        _check_complete(s, req)
        check_ceiling(s, req)
        uow.update(req, state=str(RequestState.DECIDED), decided_on=date.today())
    elif kind in (ReviewKind.REJECTED, ReviewKind.WITHDRAWN):
        if req.state == RequestState.AWAITING_FOUR_EYES:
            uow.update(req, state=str(RequestState.IN_REVIEW))


def _check_complete(s: Session, req: BudgetRequest) -> None:
    """Before submission and approval (data may have arrived by sync or import): every
    toetsingspunt judged for a deviating split (requested or approved), and no unexplained
    "Voldoet niet" under an approval (decisions.DecisionCheck)."""
    judged = _judgements(s, req.id)
    splits = [split(req.requested_staff_amount, req.requested_other_amount)]
    if req.approved_staff_amount is not None and req.approved_other_amount is not None:
        splits.append(split(req.approved_staff_amount, req.approved_other_amount))
    if any(sp.is_deviation for sp in splits):
        missing = [c for c in _criteria_for(s, req) if c.code not in judged]
        if missing:
            raise RuleViolation("Niet alle toetsingspunten zijn beoordeeld (ontbreekt: "
                                + ", ".join(f"C{c.number}" if c.number <= 10 else f"{c.number} ({c.short_nl})"
                                            for c in missing) + ").")
    if req.decision and req.decision != Decision.APPROVED:
        # The request may have been edited after the decision: the amount rules again.
        problems = decisions.amount_errors(
            req.decision, requested=(req.requested_total, req.requested_staff_amount,
                                     req.requested_other_amount),
            approved=(req.approved_total, req.approved_staff_amount, req.approved_other_amount),
            reserved=req.initial_reserved_amount,
            early=decisions.early_application(req.received_date, req.budget_year))
        if problems:
            raise RuleViolation(" ".join(e.message for e in problems)
                                + " Leg het besluit opnieuw vast.")
    elif req.decision == Decision.APPROVED and (
            (req.approved_staff_amount, req.approved_other_amount)
            != (req.requested_staff_amount, req.requested_other_amount)):
        raise RuleViolation("De aanvraag is na het besluit 'Akkoord' gewijzigd; leg het besluit "
                            "opnieuw vast.")
    refusal = _check(s, req).refusal()
    if refusal:
        raise RuleViolation(refusal)


def _still_valid(s: Session, request_id: str) -> bool:
    """An approval counts only for a decided version that fits within the ceiling."""
    req = s.get(BudgetRequest, request_id)
    if req is None or req.deleted_at is not None or not req.decision:
        return False
    try:
        check_ceiling(s, req)
    except RuleViolation:
        return False
    return True


review.register_subject(SUBJECT, review.SubjectSpec(
    content=_content, watched=_watched, author=_author, describe=_describe, before=_before,
    still_valid=_still_valid))


# -- convenience for UI / CLI ------------------------------------------------------------------


def submit(db: Database, request_id: str, by: str, comment: str = "") -> review.ReviewStatus:
    return review.submit(db, SUBJECT, request_id, by, comment)


NO_DECISION = ("Deze aanvraag heeft nog geen besluit en kan daarom niet worden goedgekeurd. "
               "Keur haar af met een toelichting, zodat de opsteller eerst een besluit vastlegt.")


def approve(db: Database, request_id: str, by: str, comment: str = "") -> review.Approval:
    """The teamleider's approval. Without a besluit there is nothing to approve: refused here
    with a plain message before any other rule (and again inside the transaction, _before)."""
    with db.read_session() as s:
        req = _get(s, request_id)
        if not req.decision:
            raise RuleViolation(NO_DECISION)
    return review.approve(db, SUBJECT, request_id, by, comment)


def reject(db: Database, request_id: str, by: str, comment: str) -> review.ReviewStatus:
    return review.reject(db, SUBJECT, request_id, by, comment)


def may_approve(db: Database, user_id: str) -> bool:
    with db.read_session() as s:
        return review.has_role(s, user_id, Role.TEAM_LEAD)


@dataclass(frozen=True)
class ProviderChoice:
    id: str
    name: str


def providers(db: Database) -> list[ProviderChoice]:
    """Providers for the "new request" picker, by name."""
    with db.read_session() as s:
        rows = s.exec(select(Provider.id, Provider.name).where(Provider.deleted_at == None)  # noqa: E711
                      .order_by(Provider.name)).all()
    return [ProviderChoice(i, n) for i, n in rows]


@dataclass(frozen=True)
class RequestBundle:
    """What the request editor and the review queue show about one request."""

    detail: RequestDetail
    review: ReviewStatus
    ceiling: Any  # desktop.services.budget.CeilingSummary (care office level)
    region_ceiling: Any  # the same for the request's region
    history: tuple[HistoryEntry, ...]
    editors: tuple[str, ...]  # user ids who wrote or edited this version (may not approve)


def request_bundle(db: Database, request_id: str, today: date | None = None) -> RequestBundle:
    from desktop.services.budget import summary_in

    with db.read_session() as s:
        req = _get(s, request_id)
        detail = _detail(s, req, today)
        status = review._derive(s, SUBJECT, request_id)
        office = summary_in(s, req.care_office_id, None, req.budget_year)
        region = summary_in(s, req.care_office_id, req.region_id, req.budget_year)
        editors = tuple(sorted(review._editors(s, review._spec(SUBJECT), request_id)))
    clar_ids = tuple(("clarification", c.id) for c in detail.clarifications)
    hist = tuple(review.history(db, SUBJECT, request_id, extra=clar_ids))
    return RequestBundle(detail, status, office, region, hist, editors)
