"""Reading budget requests: functions that take a session (`*_in`, the private helpers) for use
cases that read inside their own unit of work, and the read-only use cases of the UI and CLI."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from common.gc_pause import collector_paused
from db.engine import Database
from db.errors import RuleViolation
from db.models import (
    AppUser,
    BudgetRequest,
    CareOffice,
    Clarification,
    CriterionJudgement,
    DeviationRequest,
    Provider,
    Region,
)
from db.models.enums import Decision, Judgement, RequestState, Role
from desktop.services import decisions, review, toetspunten
from desktop.services.budget import (
    AT_RISK_DAYS,
    add_months,
    deadline,
    deadline_status,
    split,
    split_cents,
)
from desktop.services.guards import acting_user, live
from desktop.services.requests.model import (
    _DEV_FIELDS,
    _STATE_LABELS,
    SUBJECT,
    ClarificationInfo,
    Criterion,
    CriterionInfo,
    ProviderChoice,
    RequestBundle,
    RequestDetail,
    RequestRow,
    criteria,
)


def _criteria_for(s: Session, req: BudgetRequest) -> tuple[Criterion, ...]:
    """C1..C10 plus the own toetspunten of the request's care office and region that apply on
    its receipt date (numbered 11, 12, ... in the letter)."""
    own = toetspunten.applicable_in(s, req.care_office_id, req.region_id, req.received_date)
    return criteria() + tuple(
        Criterion(
            toetspunten.custom_code(c.id), toetspunten.FIRST_NUMBER + i, c.short_nl, c.text_nl
        )
        for i, c in enumerate(own)
    )


def _get(s: Session, request_id: str) -> BudgetRequest:
    req = live(s, BudgetRequest, request_id, "Deze aanvraag bestaat niet (meer).")
    return req


def _judgements(s: Session, request_id: str) -> dict[str, CriterionJudgement]:
    rows = s.exec(
        select(CriterionJudgement).where(
            CriterionJudgement.budget_request_id == request_id,
            CriterionJudgement.deleted_at == None,  # noqa: E711
        )
    ).all()
    return {j.criterion: j for j in rows}


def _deviation(s: Session, request_id: str) -> DeviationRequest | None:
    return s.exec(
        select(DeviationRequest).where(DeviationRequest.budget_request_id == request_id)
    ).first()


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
        CriterionInfo(
            c.code,
            c.number,
            c.short_nl,
            c.text_nl,
            judged[c.code].judgement if c.code in judged else None,
            Judgement(judged[c.code].judgement).label if c.code in judged else "",
            judged[c.code].reasoning if c.code in judged else "",
        )
        for c in _criteria_for(s, req)
    )
    clar = s.exec(
        select(Clarification)
        .where(Clarification.budget_request_id == req.id, Clarification.deleted_at == None)  # noqa: E711
        .order_by(col(Clarification.asked_on), col(Clarification.created_at))
    ).all()
    dev = _deviation(s, req.id)
    approved_split = ""
    if req.approved_staff_amount is not None and req.approved_other_amount is not None:
        approved_split = split(req.approved_staff_amount, req.approved_other_amount).label
    return RequestDetail(
        id=req.id,
        provider_id=req.provider_id,
        provider_name=prov.name if prov else "?",
        provider_street=prov.street if prov else "",
        provider_house_number=prov.house_number if prov else "",
        provider_postcode=prov.postcode if prov else "",
        provider_place=prov.place if prov else "",
        attention_of=prov.attention_of if prov else "",
        salutation=prov.salutation if prov else "",
        care_office_id=req.care_office_id,
        care_office_name=office.name if office else "?",
        region_id=req.region_id,
        region_name=region.name if region else "?",
        quality_plan_id=req.quality_plan_id,
        budget_year=req.budget_year,
        external_reference=req.external_reference,
        letter_date=req.letter_date,
        received_date=req.received_date,
        initial_reserved_amount=req.initial_reserved_amount,
        requested_total=req.requested_total,
        requested_staff_amount=req.requested_staff_amount,
        requested_other_amount=req.requested_other_amount,
        requested_split=sp.label,
        requested_staff_pct=sp.staff_pct,
        requested_other_pct=sp.other_pct,
        is_deviation=sp.is_deviation,
        split_kind=sp.kind,
        justification=req.justification,
        has_special_circumstances=req.has_special_circumstances,
        deadline=due,
        deadline_status=dstat,
        deadline_label=_deadline_label(dstat),
        state=req.state,
        state_label=RequestState(req.state).label,
        decision=req.decision,
        decision_label=Decision(req.decision).label if req.decision else "",
        approved_total=req.approved_total,
        approved_staff_amount=req.approved_staff_amount,
        approved_other_amount=req.approved_other_amount,
        approved_split=approved_split,
        decision_rationale=req.decision_rationale,
        custom_agreements=req.custom_agreements,
        improvement_points=tuple(req.improvement_points or ()),
        criteria=crit,
        clarifications=tuple(
            ClarificationInfo(c.id, c.question, c.asked_on, c.answer, c.answered_on) for c in clar
        ),
        deviation={f: getattr(dev, f) for f in _DEV_FIELDS} if dev else {},
        mediation=dict(req.mediation or {}),
        author_id=req.author_id,
        author_name=author.name if author else "?",
        author_function=author.function_title if author else "",
        decided_on=req.decided_on,
        letter_sent_on=req.letter_sent_on,
        addendum_signed_on=req.addendum_signed_on,
        check=_check(s, req),
        accepted_points=dict(req.accepted_points or {}),
    )


def _plan_points(s: Session, req: BudgetRequest) -> list[decisions.Point]:
    """The plan checks of §4.2.2-4.2.5 judged "Voldoet niet" in the latest completed plan
    assessment of the request's kwaliteitsplan."""
    if not req.quality_plan_id:
        return []
    from db.models import PlanAssessment
    from desktop.services import plans

    row = s.exec(
        select(PlanAssessment)
        .where(
            PlanAssessment.quality_plan_id == req.quality_plan_id,
            PlanAssessment.status == "COMPLETED",
            PlanAssessment.deleted_at == None,  # noqa: E711
        )
        .order_by(col(PlanAssessment.created_at).desc())
    ).first()
    if row is None:
        return []
    try:
        form = plans.assessment_form(row.form_version)
    except Exception:  # noqa: BLE001 - an unknown form version still lists the failing codes
        form = None
    return decisions.requirement_points(row.answers, form)


def _check(
    s: Session,
    req: BudgetRequest,
    *,
    decision: str | None = None,
    approved: dict[str, Decimal | None] | None = None,
    accepted: dict[str, Any] | None = None,
) -> decisions.DecisionCheck:
    """The decision (as stored, or as about to be stored) against the plan assessment and the
    criteria: the one check behind record_decision, the vier-ogen steps and the letter."""
    judged = {code: (j.judgement, j.reasoning) for code, j in _judgements(s, req.id).items()}
    if approved is None:
        approved = {
            "approved_staff_amount": req.approved_staff_amount,
            "approved_other_amount": req.approved_other_amount,
        }
    return decisions.evaluate(
        decision if decision is not None else req.decision,
        requirements=_plan_points(s, req),
        criteria=decisions.criterion_points(_criteria_for(s, req), judged),
        approved_staff=approved.get("approved_staff_amount"),
        approved_other=approved.get("approved_other_amount"),
        accepted=accepted if accepted is not None else dict(req.accepted_points or {}),
        early=decisions.early_application(req.received_date, req.budget_year),
    )


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
        return request_in(s, request_id, today)


def request_in(s: Session, request_id: str, today: date | None = None) -> RequestDetail:
    """`get_request` inside the caller's session."""
    return _detail(s, _get(s, request_id), today)


@collector_paused  # a long list: no full sweep of the heap in the middle of it
def list_requests(
    db: Database,
    *,
    today: date | None = None,
    year: int | None = None,
    state: str | None = None,
    care_office_id: str | None = None,
) -> list[RequestRow]:
    """All live requests with state, deadline status and amounts (fast: one plain query)."""
    today = today or date.today()
    sql = (
        "SELECT r.id, p.name, r.budget_year, r.received_date, r.state, "
        "r.has_special_circumstances, r.requested_total, r.requested_staff_amount, "
        "r.requested_other_amount, r.decision, r.approved_total "
        "FROM budget_request r JOIN provider p ON p.id = r.provider_id "
        "WHERE r.deleted_at IS NULL"
    )
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
    done_states = {
        str(x)
        for x in (
            RequestState.DECIDED,
            RequestState.LETTER_SENT,
            RequestState.ADDENDUM_SIGNED,
            RequestState.WITHDRAWN,
        )
    }
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
        out.append(
            RequestRow(
                rid,
                pname,
                year_,
                rec,
                st,
                _STATE_LABELS.get(st, st),
                due,
                dstat,
                dl_labels[dstat],
                tot,
                staff,
                other,
                label,
                kind == "DEVIATION",
                dec,
                appr,
            )
        )
    return out


def may_approve(db: Database, user_id: str) -> bool:
    with db.read_session() as s:
        return review.has_role(s, user_id, Role.TEAM_LEAD)


def providers(db: Database) -> list[ProviderChoice]:
    """Providers for the "new request" picker, by name."""
    with db.read_session() as s:
        rows = s.exec(
            select(Provider.id, Provider.name)
            .where(Provider.deleted_at == None)  # noqa: E711
            .order_by(Provider.name)
        ).all()
    return [ProviderChoice(i, n) for i, n in rows]


def request_bundle(db: Database, request_id: str, today: date | None = None) -> RequestBundle:
    from desktop.services.ceiling import summary_in

    with db.read_session() as s:
        req = _get(s, request_id)
        detail = _detail(s, req, today)
        status = review.status_in(s, SUBJECT, request_id)
        office = summary_in(s, req.care_office_id, None, req.budget_year)
        region = summary_in(s, req.care_office_id, req.region_id, req.budget_year)
        editors = tuple(sorted(review.editors_of(s, SUBJECT, request_id)))
    clar_ids = tuple(("clarification", c.id) for c in detail.clarifications)
    hist = tuple(review.history(db, SUBJECT, request_id, extra=clar_ids))
    return RequestBundle(detail, status, office, region, hist, editors)


def _require_role(s: Session, by: str) -> AppUser:
    user = acting_user(s, by)
    return user


def _open_in(
    s: Session, request_id: str, by: str, allowed: Collection[str], refusal: str
) -> BudgetRequest:
    """The request `by` may change (role checked) while in one of the `allowed` states, else
    RuleViolation(refusal); `{state}` in the refusal is the state's Dutch label."""
    _require_role(s, by)
    req = _get(s, request_id)
    if req.state not in allowed:
        raise RuleViolation(refusal.format(state=RequestState(req.state).label))
    return req
