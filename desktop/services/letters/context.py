"""What a beoordelingsbrief shows, read in one pass in the caller's session (issue 19): the
request and its decision, the letterhead, the signatories, the requirements of the plan
assessment, the toetsingspunten and the steering agreements, plus the letter's template."""

from __future__ import annotations

import re
from typing import Any

from sqlmodel import Session

from db.engine import Database
from db.errors import NotFound, RuleViolation
from db.models import CareOffice
from desktop.services.letters.letterhead import letterhead_of
from desktop.services.letters.model import (
    AcceptedPoint,
    Addressee,
    AgreedResult,
    Judged,
    LetterSource,
    Signatory,
)
from desktop.services.letters.templates import DEFAULT_TEMPLATE, Template, load_template


def _requirements(
    s: Session, quality_plan_id: str | None, template: Template
) -> tuple[Judged, ...]:
    """Per requirement (§4.2.2-4.2.5): the worst judgement of its checks in the latest
    completed plan assessment (plans.requirement_checks_in), with one sentence of reasoning for
    that requirement: its own "met" sentence from the template, or the codes of the checks that
    fall short with the assessor's reasoning of the first of them."""
    from db.models.enums import Judgement
    from desktop.services import plans

    out = []
    for req in plans.requirement_checks_in(s, quality_plan_id):
        worst = min((c.judgement for c in req.checks), key=plans.JUDGEMENTS.index)
        if worst == "NOT_APPLICABLE":
            continue
        if worst == "MEETS":
            reasoning = str(
                template.get("blocks", "requirement_met", req.code, default="")
                or "Uw aanvraag voldoet aan deze eis."
            )
        else:
            short = [c for c in req.checks if c.judgement == worst]
            codes = [c.code for c in short]
            why = re.sub(
                r"^(voldoet( niet| deels)?)\s*[:;,]\s*",
                "",
                " ".join(short[0].reasoning.split()),
                flags=re.IGNORECASE,
            )
            head = " en ".join(codes if len(codes) < 3 else [", ".join(codes[:-1]), codes[-1]])
            verb = "voldoet" if len(codes) == 1 else "voldoen"
            degree = "niet" if worst == "DOES_NOT_MEET" else "deels"
            reasoning = f"{head} {verb} {degree}" + (
                f": {why[0].lower() + why[1:]}" if why else "."
            )
            if not reasoning.endswith((".", "!", "?")):
                reasoning += "."
        out.append(Judged(req.code, req.number, "", Judgement(worst).label, reasoning))
    return tuple(out)


def _approver_function(user: Any) -> str:
    """The approver signs in the teamleider role it approved in (vier-ogen, S4 §2.3): a user
    with both roles whose title hides that ("Zorginkoper") signs as teamleider."""
    title = (getattr(user, "function_title", "") or "").strip()
    if any(w in title.lower() for w in ("teamleider", "manager", "hoofd")):
        return title
    return "Teamleider zorginkoop"


def gather(
    db: Database,
    request_id: str,
    *,
    maker_id: str | None,
    approver_id: str | None,
    users: dict[str, Any] | None = None,
) -> LetterSource:
    """Everything the letter of a request shows. `users` caches the signatories over a batch."""
    with db.read_session() as s:
        return gather_in(s, request_id, maker_id=maker_id, approver_id=approver_id, users=users)


def gather_in(
    s: Session,
    request_id: str,
    *,
    maker_id: str | None,
    approver_id: str | None,
    users: dict[str, Any] | None = None,
) -> LetterSource:
    """`gather` inside the caller's session (one read of everything the letter shows)."""
    return gather_source(s, request_id, maker_id=maker_id, approver_id=approver_id, users=users)[0]


def gather_source(
    s: Session,
    request_id: str,
    *,
    maker_id: str | None,
    approver_id: str | None,
    users: dict[str, Any] | None = None,
) -> tuple[LetterSource, Template]:
    """The letter's source and its template (loaded once: the requirement texts come from it)."""
    from desktop.services import requests as rq
    from desktop.services.users import user_in

    def get_user(user_id: str) -> Any:
        if users is None:
            return user_in(s, user_id)
        if user_id not in users:
            users[user_id] = user_in(s, user_id)
        return users[user_id]

    r = rq.request_in(s, request_id)
    if not r.decision:
        raise RuleViolation(
            "Voor deze aanvraag is nog geen besluit vastgelegd; er kan nog geen "
            "brief worden gemaakt."
        )
    office = s.get(CareOffice, r.care_office_id)
    if office is None:
        raise NotFound("Het zorgkantoor van deze aanvraag bestaat niet.")
    head = letterhead_of(office)
    inline = ((office.letter_settings or {}).get("templates") or {}).get(DEFAULT_TEMPLATE)
    maker = get_user(maker_id) if maker_id else None
    approver = get_user(approver_id) if approver_id else None
    template = load_template(DEFAULT_TEMPLATE, head.code, inline)
    req_texts = template.get("requirements", default={}) or {}
    # The toetsingspunten verbatim from criteria.yaml (and the own toetspunten): one source.
    crit = tuple(
        Judged(c.code, str(c.number), c.text_nl, c.judgement_label, c.reasoning)
        for c in r.criteria
        if c.judgement
    )
    reqs = tuple(
        Judged(j.code, j.number, req_texts.get(j.code, j.number), j.judgement, j.reasoning)
        for j in _requirements(s, r.quality_plan_id, template)
    )
    check = r.check
    target_themes, agreed = _steering(s, r.id)
    att = r.attention_of.strip()
    if att.lower().startswith("t.a.v."):
        att = att[6:].strip()
    return (
        LetterSource(
            request_id=r.id,
            budget_year=r.budget_year,
            decision=r.decision,
            letterhead=head,
            addressee=Addressee(
                r.provider_name,
                att,
                r.provider_street,
                r.provider_house_number,
                r.provider_postcode,
                r.provider_place,
                r.salutation,
            ),
            received_date=r.received_date,
            initial_reserved_amount=r.initial_reserved_amount,
            requested_total=r.requested_total,
            requested_staff_amount=r.requested_staff_amount,
            requested_other_amount=r.requested_other_amount,
            approved_total=r.approved_total,
            approved_staff_amount=r.approved_staff_amount,
            approved_other_amount=r.approved_other_amount,
            maker=Signatory(maker.name, maker.function_title) if maker else None,
            approver=Signatory(approver.name, _approver_function(approver)) if approver else None,
            your_reference=r.external_reference,
            your_letter_date=r.letter_date,
            criteria=crit,
            requirements=reqs,
            decision_rationale=r.decision_rationale,
            custom_agreements=r.custom_agreements,
            improvement_points=tuple(r.improvement_points),
            maker_email=maker.email if maker else "",
            template_override=inline,
            care_office_id=r.care_office_id,
            accepted=tuple(AcceptedPoint(p.label, a.basis_label, a.text) for p, a in check.accepted)
            if check
            else (),
            unexplained=tuple(f"{p.label}: {p.text}" for p in check.unexplained)
            if check and check.is_approval
            else (),
            target_themes=target_themes,
            agreed_results=agreed,
        ),
        template,
    )


def _steering(s: Session, request_id: str) -> tuple[tuple[str, ...], tuple[AgreedResult, ...]]:
    """The decision's doelthema's and its maatwerkafspraken recorded as agreements (issue 17),
    as the letter names them: "T3 Veiligheid". Withdrawn agreements are not part of the deal."""
    from desktop.services.reference import themes
    from desktop.services.steering.agreements import agreements_in
    from desktop.services.steering.targets import decision_targets_in

    names = {t.code: f"{t.code} {t.name_nl}" for t in themes()}
    codes, _locations = decision_targets_in(s, request_id)
    agreed = tuple(
        AgreedResult(
            ", ".join(names.get(c, c) for c in a.theme_codes),
            ", ".join(a.location_names) if a.location_names else "alle locaties",
            a.result_text,
            a.due_date,
            a.check_method,
        )
        for a in sorted(
            agreements_in(s, request_id), key=lambda a: (a.due_date, a.theme_codes, a.id)
        )
        if a.status != "WITHDRAWN"
    )
    return tuple(names.get(c, c) for c in codes), agreed
