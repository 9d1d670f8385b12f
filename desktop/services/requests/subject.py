"""The budget request as a vier-ogen subject (desktop.services.review): what is hashed and
watched, who wrote it, the rules checked on submit and approve, and the state moves of the
review steps (through the lifecycle table)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from sqlalchemy import literal_column
from sqlalchemy import select as sa_select
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

import desktop.services.requests.lifecycle as lifecycle
from db.engine import Database
from db.errors import NotFound, RuleViolation
from db.models import BudgetRequest, CriterionJudgement, DeviationRequest, Provider
from db.models.enums import Decision, RequestState, ReviewKind
from db.repo import UnitOfWork
from desktop.services import decisions, diagnosis, review
from desktop.services.budget import split
from desktop.services.ceiling import ceiling_fits_many, check_ceiling
from desktop.services.requests.lifecycle import Event
from desktop.services.requests.model import _DEV_FIELDS, EDITABLE_FIELDS, SUBJECT
from desktop.services.requests.queries import (
    _check,
    _criteria_for,
    _deviation,
    _get,
    _judgements,
    _open_in,
)

_RQ_FIELDS = EDITABLE_FIELDS | frozenset(
    {
        "provider_id",
        "care_office_id",
        "region_id",
        "budget_year",
        "decision",
        "approved_total",
        "approved_staff_amount",
        "approved_other_amount",
        "decision_rationale",
    }
)


# Part of the approved version only when set, so approvals made before issue 15 stay valid.
_RQ_OPTIONAL = frozenset({"accepted_points"})


def _content(s: Session, request_id: str) -> dict[str, Any]:
    req = s.get(BudgetRequest, request_id)
    if req is None:
        raise NotFound("Deze aanvraag bestaat niet.")
    return _content_of(req, _deviation(s, request_id), _judgements(s, request_id))


def _content_of(
    req: BudgetRequest, dev: DeviationRequest | None, judged: Mapping[str, _Judged]
) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(req, f) for f in sorted(_RQ_FIELDS)}
    data.update({f: getattr(req, f) for f in sorted(_RQ_OPTIONAL) if getattr(req, f)})
    data["deleted"] = req.deleted_at is not None
    data["deviation"] = {f: getattr(dev, f) for f in _DEV_FIELDS} if dev else {}
    data["criteria"] = {
        code: {"judgement": j.judgement, "reasoning": j.reasoning}
        for code, j in sorted(judged.items())
    }
    return data


def _watched(s: Session, request_id: str) -> list[review.Watched]:
    jids = s.exec(
        select(CriterionJudgement.id).where(CriterionJudgement.budget_request_id == request_id)
    ).all()
    return _watched_of(request_id, _deviation(s, request_id), list(jids))


def _watched_of(
    request_id: str, dev: DeviationRequest | None, judgement_ids: list[str]
) -> list[review.Watched]:
    out: list[review.Watched] = [("budget_request", request_id, _RQ_FIELDS | _RQ_OPTIONAL)]
    if dev is not None:
        out.append(("deviation_request", dev.id, frozenset(_DEV_FIELDS)))
    for jid in judgement_ids:
        out.append(("criterion_judgement", jid, None))
    return out


def _author(s: Session, request_id: str) -> str | None:
    req = s.get(BudgetRequest, request_id)
    return req.author_id if req else None


# -- the same for many requests at once (a list of decisions, issue 18) ------------------------


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + 500] for i in range(0, len(ids), 500)]


def _requests_many(s: Session, ids: list[str]) -> dict[str, BudgetRequest]:
    """The requests as `s.get` gives them: those this session holds already (the list that
    asks holds them), the others read in one query per 500."""
    out: dict[str, BudgetRequest] = {}
    missing = []
    for i in ids:
        held = s.identity_map.get(identity_key(BudgetRequest, i))
        if isinstance(held, BudgetRequest):
            out[i] = held
        else:
            missing.append(i)
    for chunk in _chunks(missing):
        out.update(
            (r.id, r)
            for r in s.exec(select(BudgetRequest).where(col(BudgetRequest.id).in_(chunk))).all()
        )
    return out


def _deviations_many(s: Session, ids: list[str]) -> dict[str, DeviationRequest]:
    out: dict[str, DeviationRequest] = {}
    for chunk in _chunks(ids):
        for dev in s.exec(
            select(DeviationRequest).where(col(DeviationRequest.budget_request_id).in_(chunk))
        ).all():
            out.setdefault(dev.budget_request_id, dev)  # unique per request
    return out


class _Judged(Protocol):
    id: str
    criterion: str
    judgement: str
    reasoning: str


def _judgements_many(s: Session, ids: list[str], *, live_only: bool) -> dict[str, list[_Judged]]:
    """Each request's criterion judgements in table order (as `_judgements` reads them), as
    plain rows: the hashed fields and the id."""
    out: dict[str, list[_Judged]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        q = sa_select(
            col(CriterionJudgement.id),
            col(CriterionJudgement.budget_request_id),
            col(CriterionJudgement.criterion),
            col(CriterionJudgement.judgement),
            col(CriterionJudgement.reasoning),
        ).where(col(CriterionJudgement.budget_request_id).in_(chunk))
        if live_only:
            q = q.where(col(CriterionJudgement.deleted_at).is_(None))
        for j in s.execute(q.order_by(literal_column("criterion_judgement.rowid"))):
            out[j.budget_request_id].append(j)
    return out


def _content_many(s: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    reqs = _requests_many(s, ids)
    devs = _deviations_many(s, list(reqs))
    judged = _judgements_many(s, list(reqs), live_only=True)
    return {
        i: _content_of(r, devs.get(i), {j.criterion: j for j in judged[i]}) for i, r in reqs.items()
    }


def _watched_many(s: Session, ids: list[str]) -> dict[str, list[review.Watched]]:
    devs = _deviations_many(s, ids)
    judged = _judgements_many(s, ids, live_only=False)
    return {i: _watched_of(i, devs.get(i), [j.id for j in judged[i]]) for i in ids}


def _author_many(s: Session, ids: list[str]) -> dict[str, str | None]:
    authors: dict[str, str | None] = {}
    for chunk in _chunks(ids):
        q = sa_select(col(BudgetRequest.id), col(BudgetRequest.author_id))
        authors.update(
            (rid, author) for rid, author in s.execute(q.where(col(BudgetRequest.id).in_(chunk)))
        )
    return {i: authors.get(i) for i in ids}


def _still_valid_many(s: Session, ids: list[str]) -> dict[str, bool]:
    reqs = _requests_many(s, ids)
    live = [
        r for i in ids if (r := reqs.get(i)) is not None and r.deleted_at is None and r.decision
    ]
    fits = ceiling_fits_many(s, live)
    return {i: fits.get(i, False) for i in ids}


def _describe(s: Session, request_id: str) -> str:
    req = s.get(BudgetRequest, request_id)
    if req is None:
        return "?"
    prov = s.get(Provider, req.provider_id)
    sp = split(req.requested_staff_amount, req.requested_other_amount)
    kind = "afwijkingsverzoek" if sp.is_deviation else "aanvraag"
    return f"{prov.name if prov else '?'} – {kind} {req.budget_year} ({sp.label})"


def _describe_many(s: Session, ids: list[str]) -> dict[str, str]:
    """`_describe` of many requests: the columns it needs, one query per 500 requests."""
    out = {i: "?" for i in ids}
    r = BudgetRequest
    for chunk in _chunks(ids):
        q = (
            sa_select(
                col(r.id),
                col(Provider.name),
                col(r.budget_year),
                col(r.requested_staff_amount),
                col(r.requested_other_amount),
            )
            .join(Provider, col(Provider.id) == col(r.provider_id), isouter=True)
            .where(col(r.id).in_(chunk))
        )
        for rid, name, year, staff, other in s.execute(q):
            sp = split(staff, other)
            kind = "afwijkingsverzoek" if sp.is_deviation else "aanvraag"
            out[rid] = f"{name if name is not None else '?'} – {kind} {year} ({sp.label})"
    return out


NO_DECISION = (
    "Deze aanvraag heeft nog geen besluit en kan daarom niet worden goedgekeurd. "
    "Keur haar af met een toelichting, zodat de opsteller eerst een besluit vastlegt."
)


def _before(uow: UnitOfWork, request_id: str, kind: str, by: str) -> None:
    s = uow.session
    req = _get(s, request_id)
    if kind == ReviewKind.SUBMITTED:
        lifecycle.require(Event.SUBMITTED, req)
        if not req.decision:
            raise RuleViolation(
                "Leg eerst een besluit vast voordat u de aanvraag ter vier-ogen aanbiedt."
            )
        _check_complete(s, req)
        check_ceiling(s, req)
        lifecycle.move(uow, req, Event.SUBMITTED, required=True)
    elif kind == ReviewKind.APPROVED:
        lifecycle.require(Event.APPROVED, req)
        # The same completeness rules as on submission: data may have arrived by sync or import.
        if not req.decision:
            raise RuleViolation(NO_DECISION)
        _check_complete(s, req)
        check_ceiling(s, req)
        lifecycle.move(uow, req, Event.APPROVED, required=True, decided_on=date.today())
    elif kind in (ReviewKind.REJECTED, ReviewKind.WITHDRAWN):
        lifecycle.move(uow, req, Event.RETURNED)


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
            raise RuleViolation(
                "Niet alle toetsingspunten zijn beoordeeld (ontbreekt: "
                + ", ".join(
                    f"C{c.number}" if c.number <= 10 else f"{c.number} ({c.short_nl})"
                    for c in missing
                )
                + ")."
            )
    if req.decision and req.decision != Decision.APPROVED:
        # The request may have been edited after the decision: the amount rules again.
        problems = decisions.amount_errors(
            req.decision,
            requested=(req.requested_total, req.requested_staff_amount, req.requested_other_amount),
            approved=(req.approved_total, req.approved_staff_amount, req.approved_other_amount),
            reserved=req.initial_reserved_amount,
            early=decisions.early_application(req.received_date, req.budget_year),
        )
        if problems:
            raise RuleViolation(
                " ".join(e.message for e in problems) + " Leg het besluit opnieuw vast."
            )
    elif req.decision == Decision.APPROVED and (
        (req.approved_staff_amount, req.approved_other_amount)
        != (req.requested_staff_amount, req.requested_other_amount)
    ):
        raise RuleViolation(
            "De aanvraag is na het besluit 'Akkoord' gewijzigd; leg het besluit opnieuw vast."
        )
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


def _after_approve(uow: UnitOfWork, request_id: str) -> None:
    """The diagnosis notes a decision rested on are frozen with it (issue 4: notes are
    "editable until included in an approved decision"), in the approval's unit of work."""
    req = uow.get(BudgetRequest, request_id)
    if req is not None:
        diagnosis.lock_provider_notes_in(uow, req.provider_id, request_id)


review.register_subject(
    SUBJECT,
    review.SubjectSpec(
        content=_content,
        watched=_watched,
        author=_author,
        describe=_describe,
        before=_before,
        still_valid=_still_valid,
        after_approve=_after_approve,
        content_many=_content_many,
        watched_many=_watched_many,
        author_many=_author_many,
        still_valid_many=_still_valid_many,
        describe_many=_describe_many,
    ),
)


def _before_edit(uow: UnitOfWork, request_id: str, by: str) -> tuple[BudgetRequest, str]:
    """The request opened for an edit by `by` (role checked, state still editable) and the
    hash of its version before the edit (for _after_edit)."""
    s = uow.session
    req = _open_in(
        s, request_id, by, lifecycle.EDITABLE, "Deze aanvraag kan niet meer worden gewijzigd."
    )
    return req, review.content_hash_in(s, SUBJECT, req.id)


def _after_edit(uow: UnitOfWork, req: BudgetRequest, before_hash: str) -> None:
    """A changed version leaves the vier-ogen track: back to "in beoordeling"."""
    after_hash = review.content_hash_in(uow.session, SUBJECT, req.id)
    if after_hash == before_hash:
        return
    if req.state == RequestState.AWAITING_FOUR_EYES and uow.actor_id:
        # The submitted version no longer exists: take it out of the teamleider's queue.
        review.record_step(
            uow,
            SUBJECT,
            req.id,
            ReviewKind.WITHDRAWN,
            uow.actor_id,
            after_hash,
            "Gewijzigd na aanbieden; opnieuw aanbieden is nodig.",
        )
    lifecycle.move(uow, req, Event.EDITED, decided_on=None)


def submit(db: Database, request_id: str, by: str, comment: str = "") -> review.ReviewStatus:
    return review.submit(db, SUBJECT, request_id, by, comment)


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
