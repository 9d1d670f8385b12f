"""Beoordelingsbrieven: make, preview, make definitive, mark as sent (issue 6; the region batch is in batch.py).

Rules (DOMAIN.md §8, Inkoopkader 2020 §4.2.7):
  * A letter belongs to one budget request with a recorded decision. A draft (concept) can be
    previewed at any time and always carries the CONCEPT watermark.
  * Only a decision with a valid vier-ogen approval (review.approval) becomes a definitive
    letter. Making it definitive assigns the kenmerk `{CODE}/{KB}/{year}/{000123}` (unique per
    care office, budget year and sequence), renders the PDF without watermark, and stores the
    bytes with their SHA-256: kenmerk and PDF never change afterwards; printing again gives the
    same bytes.
  * Missing addressee or letterhead fields and template placeholders without a value are
    refused with a Dutch message naming what is missing; nothing is written then.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.orm import aliased, defer
from sqlmodel import Session, col, select

from db.engine import Database
from db.errors import NotFound, RuleViolation, ValidationError
from db.models import AppUser, AuditEvent, BudgetRequest, CareOffice, Letter, Provider, Region
from db.models.enums import Decision, LetterStatus, RequestState
from db.repo import UnitOfWork
from db.types import utcnow
from desktop.services.letters.address import address_block
from desktop.services.letters.model import (
    HERSCHIKKING_TEMPLATE,
    KENMERK_DOMAIN,
    AcceptedPoint,
    Addressee,
    AgreedResult,
    EnvelopeWindow,
    Judged,
    Letterhead,
    LetterInfo,
    LetterSource,
    PendingDecision,
    Signatory,
)
from desktop.services.letters.render import Rendered, check_fillable, render_letter
from desktop.services.letters.templates import DEFAULT_TEMPLATE, Template, load_template

SUBJECT = "budget_request"
_TZ = ZoneInfo("Europe/Amsterdam")


def today_nl() -> date:
    return datetime.now(_TZ).date()


# -- gathering ---------------------------------------------------------------------------------


def letterhead_of(office: CareOffice) -> Letterhead:
    """Letterhead from the CareOffice row; letter_settings may override or add any field
    (visiting_address, iban, logo_path, ...) and set "envelope_window": {left_mm, top_mm,
    width_mm, height_mm, padding_mm}."""
    cfg: dict[str, Any] = dict(office.letter_settings or {})
    win_cfg = cfg.get("envelope_window") or {}
    window = EnvelopeWindow(
        **{k: float(v) for k, v in win_cfg.items() if k in EnvelopeWindow.__dataclass_fields__}
    )

    def pick(name: str, column: str | None = None) -> str:
        value = cfg.get(name)
        if value in (None, ""):
            value = getattr(office, column or name, "") or ""
        return str(value)

    return Letterhead(
        code=office.code,
        name=pick("name"),
        postal_address=pick("postal_address"),
        postcode=pick("postcode"),
        place=pick("place"),
        visiting_address=str(cfg.get("visiting_address", "")),
        phone=pick("phone"),
        email=pick("email"),
        website=pick("website"),
        kvk_number=pick("kvk_number"),
        iban=str(cfg.get("iban", "")),
        logo_path=pick("logo_path"),
        window=window,
        kenmerk_domain=str(cfg.get("kenmerk_domain") or KENMERK_DOMAIN),
    )


def _requirements(
    s: Session, quality_plan_id: str | None, template: Template
) -> tuple[Judged, ...]:
    """Per requirement (§4.2.2-4.2.5): the worst judgement of its checks in the latest
    completed plan assessment, with one sentence of reasoning for that requirement: its own
    "met" sentence from the template, or the codes of the checks that fall short with the
    assessor's reasoning of the first of them."""
    if not quality_plan_id:
        return ()
    from db.models.enums import Judgement
    from desktop.services import decisions, plans

    try:
        plan = plans.plan_in(s, quality_plan_id)
    except NotFound:
        return ()
    done = [a for a in plan.assessments if a.status == "COMPLETED"]
    if not done:
        return ()
    answers = decisions.flatten(done[-1].answers)
    order = {"DOES_NOT_MEET": 0, "PARTLY": 1, "MEETS": 2, "NOT_APPLICABLE": 3}
    out = []
    for prefix, number, code in decisions.REQUIREMENT_GROUPS:
        checks = sorted(k for k in answers if re.fullmatch(rf"{prefix}_\d+_judgement", k))
        judged = [(k, answers[k]) for k in checks if answers[k] in order]
        if not judged:
            continue
        worst = min((j for _, j in judged), key=lambda j: order[j])
        if worst == "NOT_APPLICABLE":
            continue
        if worst == "MEETS":
            reasoning = str(
                template.get("blocks", "requirement_met", code, default="")
                or "Uw aanvraag voldoet aan deze eis."
            )
        else:
            short = [k for k, j in judged if j == worst]
            codes = [f"{prefix.upper()}-{k.split('_')[1]}" for k in short]
            why = str(answers.get(short[0].replace("_judgement", "_reasoning")) or "").strip()
            why = re.sub(
                r"^(voldoet( niet| deels)?)\s*[:;,]\s*",
                "",
                " ".join(why.split()),
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
        out.append(Judged(code, number, "", Judgement(worst).label, reasoning))
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
    return _gather(s, request_id, maker_id=maker_id, approver_id=approver_id, users=users)[0]


def _gather(
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


# -- checks ------------------------------------------------------------------------------------

_ADDRESSEE_FIELDS = (
    ("organisation", "naam"),
    ("street", "straat"),
    ("house_number", "huisnummer"),
    ("postcode", "postcode"),
    ("place", "plaats"),
)
_LETTERHEAD_FIELDS = (
    ("name", "naam"),
    ("postal_address", "postadres"),
    ("postcode", "postcode"),
    ("place", "plaats"),
    ("phone", "telefoonnummer"),
    ("email", "e-mailadres"),
)


def check_complete(src: LetterSource) -> None:
    missing = [
        label for name, label in _ADDRESSEE_FIELDS if not str(getattr(src.addressee, name)).strip()
    ]
    if missing:
        raise ValidationError(
            "addressee",
            "De brief kan niet definitief worden: van de geadresseerde "
            f"({src.addressee.organisation or 'zorgaanbieder'}) ontbreekt: "
            + ", ".join(missing)
            + ".",
        )
    head = src.letterhead
    missing = [label for name, label in _LETTERHEAD_FIELDS if not str(getattr(head, name)).strip()]
    if not head.kvk_number.strip():
        missing.append("KvK-nummer")
    if missing:
        raise ValidationError(
            "letterhead",
            "De brief kan niet definitief worden: in het briefhoofd van "
            f"{head.name or head.code} ontbreekt: "
            + ", ".join(missing)
            + ". Vul dit aan bij de gegevens van het zorgkantoor.",
        )
    if src.maker is None:
        raise ValidationError(
            "maker", "De brief kan niet definitief worden: de opsteller ontbreekt."
        )
    if src.approver is None:
        raise RuleViolation(
            "De brief kan niet definitief worden: het besluit is niet door een "
            "teamleider goedgekeurd (vier-ogen)."
        )
    if src.decision != Decision.REJECTED and src.approved_total is None:
        raise ValidationError(
            "approved_total",
            "De brief kan niet definitief worden: het toegekende bedrag ontbreekt.",
        )
    if src.decision == Decision.REJECTED and src.approved_total is not None:
        raise ValidationError(
            "approved_total",
            "De brief kan niet definitief worden: een besluit "
            "'Niet akkoord' heeft geen toegekende bedragen.",
        )
    if src.unexplained:
        # Issue 15: the letter follows the decision, the decision follows the assessment.
        raise RuleViolation(
            "De brief kan niet definitief worden: het besluit is akkoord, maar deze "
            "punten voldoen niet en zijn niet toegelicht:\n"
            + "\n".join(f"• {u}" for u in src.unexplained)
            + "\nLeg in het besluit per punt vast waarom het wordt geaccepteerd."
        )
    block = address_block(
        src.addressee, head.window, bool(head.postal_address or head.postcode or head.place)
    )
    if not block.fits:
        raise ValidationError(
            "addressee",
            "De brief kan niet definitief worden: "
            + block.problem
            + " Kort de naam of de t.a.v.-regel van de zorgaanbieder in, of stel "
            "het venster in bij het briefhoofd.",
        )


# -- reading -----------------------------------------------------------------------------------


def _info(s: Session, letter: Letter, pdf_size: int | None = None) -> LetterInfo:
    req = s.get(BudgetRequest, letter.budget_request_id)
    prov = s.get(Provider, req.provider_id) if req else None
    region = s.get(Region, req.region_id) if req else None
    office = s.get(CareOffice, letter.care_office_id)
    maker = s.get(AppUser, letter.maker_id) if letter.maker_id else None
    approver = s.get(AppUser, letter.approver_id) if letter.approver_id else None
    return _make_info(
        letter,
        pdf_size if pdf_size is not None else (len(letter.pdf) if letter.pdf else 0),
        prov.name if prov else "?",
        region.name if region else "",
        office.code if office else "",
        req.decision if req else "",
        maker.name if maker else "",
        approver.name if approver else "",
    )


def _make_info(
    letter: Letter,
    pdf_size: int,
    provider: str,
    region: str,
    office_code: str,
    request_decision: str | None,
    maker: str,
    approver: str,
) -> LetterInfo:
    decision = letter.decision or request_decision or ""
    return LetterInfo(
        id=letter.id,
        request_id=letter.budget_request_id,
        provider_name=provider,
        region_name=region,
        care_office_code=office_code,
        year=letter.year,
        status=letter.status,
        status_label=LetterStatus(letter.status).label,
        decision=decision,
        decision_label=Decision(decision).label if decision in Decision.__members__ else "",
        kenmerk=letter.kenmerk,
        letter_date=letter.letter_date,
        subject=letter.subject,
        template_id=letter.template_id,
        template_version=letter.template_version,
        maker_name=maker,
        approver_name=approver,
        sha256=letter.sha256,
        sent_on=letter.sent_on,
        pdf_size=pdf_size,
    )


def get_letter(db: Database, letter_id: str) -> LetterInfo:
    with db.read_session() as s:
        letter = s.get(Letter, letter_id)
        if letter is None or letter.deleted_at is not None:
            raise NotFound("Deze brief bestaat niet.")
        return _info(s, letter)


def letter_for_request(db: Database, request_id: str) -> LetterInfo | None:
    with db.read_session() as s:
        letter = _current(s, request_id)
        return _info(s, letter) if letter else None


def _current(s: Session, request_id: str) -> Letter | None:
    return s.exec(
        select(Letter)
        .where(
            Letter.budget_request_id == request_id,
            Letter.template_id != HERSCHIKKING_TEMPLATE,
            Letter.deleted_at == None,  # noqa: E711
        )
        .order_by(Letter.created_at.desc())
    ).first()  # type: ignore[attr-defined]


def _region_id(s: Session, region: str | None) -> str | None:
    if not region:
        return None
    rows = s.exec(select(Region)).all()
    key = region.strip().casefold()
    for r in rows:
        names = [r.name, str(r.number), r.id, *(r.aliases or [])]
        if any(str(n).casefold() == key for n in names):
            return r.id
    raise NotFound(f"Regio '{region}' bestaat niet.")


def list_letters(
    db: Database,
    *,
    region: str | None = None,
    status: str | None = None,
    year: int | None = None,
    herschikking: bool = False,
) -> list[LetterInfo]:
    """Beoordelingsbrieven, or with `herschikking` the stored herschikkingsbrieven."""
    with db.read_session() as s:
        region_id = _region_id(s, region)
        # One query with every name the list shows; the PDF bytes stay in the database (only
        # their length is read).
        maker, approver = aliased(AppUser), aliased(AppUser)
        q = (
            select(
                Letter,
                func.coalesce(func.length(Letter.pdf), 0),
                Provider.name,
                Region.name,
                CareOffice.code,
                BudgetRequest.decision,
                maker.name,
                approver.name,
            )
            .options(defer(Letter.pdf))
            .join(BudgetRequest, BudgetRequest.id == Letter.budget_request_id)
            .join(Provider, Provider.id == BudgetRequest.provider_id, isouter=True)
            .join(Region, Region.id == BudgetRequest.region_id, isouter=True)
            .join(CareOffice, CareOffice.id == Letter.care_office_id, isouter=True)
            .join(maker, maker.id == Letter.maker_id, isouter=True)
            .join(approver, approver.id == Letter.approver_id, isouter=True)
            .where(
                Letter.deleted_at == None,  # noqa: E711
                (Letter.template_id == HERSCHIKKING_TEMPLATE)
                if herschikking
                else (Letter.template_id != HERSCHIKKING_TEMPLATE),
            )
        )
        if region_id:
            q = q.where(BudgetRequest.region_id == region_id)
        if status:
            q = q.where(Letter.status == status)
        if year:
            q = q.where(Letter.year == year)
        out = [
            _make_info(
                x, int(size), pname or "?", rname or "", code or "", rdec, mname or "", aname or ""
            )
            for x, size, pname, rname, code, rdec, mname, aname in s.exec(q).all()
        ]
    out.sort(key=lambda i: (i.status != LetterStatus.DRAFT, i.kenmerk or "", i.provider_name))
    return out


def pending_decisions(db: Database, *, region: str | None = None) -> list[PendingDecision]:
    """Decided requests (state "Besloten", letter not yet sent) with a valid vier-ogen approval
    and no letter record yet."""
    from desktop.services import review

    with db.read_session() as s:
        region_id = _region_id(s, region)
        q = (
            select(BudgetRequest, Provider.name, Region.name)
            .join(Provider, col(Provider.id) == BudgetRequest.provider_id)
            .join(Region, col(Region.id) == BudgetRequest.region_id)
            .where(
                BudgetRequest.deleted_at == None,  # noqa: E711
                BudgetRequest.decision != None,  # noqa: E711
                BudgetRequest.state == RequestState.DECIDED,
            )
        )
        if region_id:
            q = q.where(BudgetRequest.region_id == region_id)
        with_letter = set(
            s.exec(
                select(Letter.budget_request_id).where(
                    Letter.deleted_at == None,  # noqa: E711
                    Letter.template_id != HERSCHIKKING_TEMPLATE,
                )
            ).all()
        )
        rows = [
            (r, pn, rn)
            for r, pn, rn in s.exec(q).all()
            if r.id not in with_letter and review.approval_in(s, SUBJECT, r.id) is not None
        ]
    out = []
    for r, pn, rn in rows:
        decision = Decision(r.decision or "")
        out.append(
            PendingDecision(
                r.id, pn, rn, r.budget_year, decision.value, decision.label, r.approved_total
            )
        )
    out.sort(key=lambda p: (p.region_name, p.provider_name))
    return out


# -- writing -----------------------------------------------------------------------------------


def create_letter(db: Database, request_id: str, by: str) -> LetterInfo:
    """Start a letter (concept) for a decided request; returns the existing one if there is."""
    from desktop.services import requests as rq

    r = rq.get_request(db, request_id)
    if not r.decision:
        raise RuleViolation(
            "Voor deze aanvraag is nog geen besluit vastgelegd; er kan nog geen "
            "brief worden gemaakt."
        )
    with UnitOfWork(db, by) as uow:
        s = uow.session
        user = s.get(AppUser, by)
        if user is None or user.deleted_at is not None:
            raise RuleViolation("Onbekende gebruiker: kies eerst uw profiel.")
        existing = _current(s, request_id)
        if existing is not None:
            return _info(s, existing)
        letter = uow.add(
            Letter(
                budget_request_id=request_id,
                care_office_id=r.care_office_id,
                year=r.budget_year,
                status=str(LetterStatus.DRAFT),
                your_reference=r.external_reference,
                your_letter_date=r.letter_date,
                template_id=DEFAULT_TEMPLATE,
                maker_id=by,
                decision=r.decision,
            )
        )
        return _info(s, letter)


def letter_pdf(db: Database, letter_id: str, *, today: date | None = None) -> bytes:
    """The PDF to show, save or print: the stored bytes of a definitive letter (identical every
    time), or a freshly rendered concept with the CONCEPT watermark (read in one session)."""
    from desktop.services import review

    with db.read_session() as s:
        letter = s.get(Letter, letter_id)
        if letter is None or letter.deleted_at is not None:
            raise NotFound("Deze brief bestaat niet.")
        if letter.status != LetterStatus.DRAFT:
            assert letter.pdf is not None
            return bytes(letter.pdf)
        approval = review.approval_in(s, SUBJECT, letter.budget_request_id)
        src, template = _gather(
            s,
            letter.budget_request_id,
            maker_id=letter.maker_id,
            approver_id=approval.approver_id if approval else None,
        )
    return render_letter(
        src, template, kenmerk=None, letter_date=today or today_nl(), draft=True
    ).pdf


def concept_pdf(
    db: Database, request_id: str, by: str, *, today: date | None = None
) -> tuple[LetterInfo, bytes]:
    """Create (or reuse) the letter of a request and return its PDF (concept or definitive)."""
    info = create_letter(db, request_id, by)
    return get_letter(db, info.id), letter_pdf(db, info.id, today=today)


def _next_sequence(s: Session, care_office_id: str, year: int) -> int:
    top = s.exec(
        select(func.max(Letter.sequence)).where(
            Letter.care_office_id == care_office_id, Letter.year == year
        )
    ).one()
    return int(top or 0) + 1


@dataclass(frozen=True)
class _Prepared:
    """Everything needed to make one letter definitive, read and checked before the write."""

    request_id: str
    letter_id: str | None  # None: no concept yet (the batch creates the record)
    care_office_id: str
    year: int
    kenmerk_prefix: str  # "ZK/KB/2027/"
    maker_id: str
    approver_id: str
    src: LetterSource
    template: Template


NOT_APPROVED = (
    "Alleen een goedgekeurd besluit levert een definitieve brief op: het besluit over "
    "deze aanvraag heeft (nog) geen geldige vier-ogen goedkeuring van een teamleider. "
    "De brief blijft een concept."
)
APPROVER_SIGNS = (
    "De teamleider die het besluit goedkeurde kan niet ook de opsteller van de brief "
    "zijn (vier-ogen). Laat een collega de brief definitief maken."
)


def definitive_refusal(db: Database, request_id: str, by: str | None) -> str | None:
    """Why `by` may not make this request's letter definitive (the vier-ogen part of _prepare),
    or None. The letters view asks before the click (issue 14); _prepare refuses the same."""
    from desktop.services import review

    if by is None:
        return "Kies eerst uw profiel (Extra › Mijn profiel)."
    approval = review.approval(db, SUBJECT, request_id)
    if approval is None:
        return NOT_APPROVED
    if by == approval.approver_id:
        return APPROVER_SIGNS
    return None


def _prepare(
    db: Database,
    request_id: str,
    letter: Letter | None,
    by: str,
    day: date,
    users: dict[str, Any] | None = None,
) -> _Prepared:
    """`_prepare_in` in a read session of its own (the batch reads a chunk before it writes)."""
    with db.read_session() as s:
        return _prepare_in(s, request_id, letter, by, day, users)


def _prepare_in(
    s: Session,
    request_id: str,
    letter: Letter | None,
    by: str,
    day: date,
    users: dict[str, Any] | None = None,
) -> _Prepared:
    """Check the vier-ogen approval, the signatories and every field the definitive letter needs
    (RuleViolation / ValidationError in Dutch), reading in the caller's session; nothing is
    written."""
    from desktop.services import review

    approval = review.approval_in(s, SUBJECT, request_id)
    if approval is None:
        raise RuleViolation(NOT_APPROVED)
    maker_id = (letter.maker_id if letter is not None else None) or by
    if maker_id == approval.approver_id:
        maker_id = by  # the approving teamleider started the draft: whoever finishes it signs
    if maker_id == approval.approver_id:
        raise RuleViolation(APPROVER_SIGNS)
    src, template = _gather(
        s, request_id, maker_id=maker_id, approver_id=approval.approver_id, users=users
    )
    check_complete(src)
    check_fillable(src, template, letter_date=day)
    head = src.letterhead
    return _Prepared(
        request_id,
        letter.id if letter is not None else None,
        src.care_office_id,
        src.budget_year,
        f"{head.code}/{head.kenmerk_domain}/{src.budget_year}/",
        maker_id,
        approval.approver_id,
        src,
        template,
    )


def _definitive_fields(
    p: _Prepared, seq: int, kenmerk: str, rendered: Rendered, day: date
) -> dict[str, Any]:
    src = p.src
    addressee = {
        "organisation": src.addressee.organisation,
        "attention_of": src.addressee.attention_of,
        "street": src.addressee.street,
        "house_number": src.addressee.house_number,
        "postcode": src.addressee.postcode,
        "place": src.addressee.place,
        "salutation": src.addressee.salutation,
    }
    return dict(
        sequence=seq,
        kenmerk=kenmerk,
        status=str(LetterStatus.DEFINITIVE),
        letter_date=day,
        addressee=addressee,
        subject=rendered.subject,
        template_id=p.template.id,
        template_version=p.template.version,
        maker_id=p.maker_id,
        approver_id=p.approver_id,
        decision=src.decision,
        pdf=rendered.pdf,
        sha256=hashlib.sha256(rendered.pdf).hexdigest(),
        definitive_at=utcnow(),
        your_reference=src.your_reference,
        your_letter_date=src.your_letter_date,
    )


def _store_definitive(
    uow: UnitOfWork, items: list[tuple[_Prepared, int, str, Rendered]], day: date
) -> list[Letter]:
    """Write definitive letters (creating the record where there was no concept) with their PDF
    and SHA-256, plus their audit events, in the caller's transaction. New records go in with
    one op-log call for all of them."""
    s = uow.session
    rows: list[Letter] = []
    new: list[Letter] = []
    for p, seq, kenmerk, rendered in items:
        fields = _definitive_fields(p, seq, kenmerk, rendered, day)
        if p.letter_id is None:
            if _current(s, p.request_id) is not None:
                raise RuleViolation("Voor deze aanvraag is intussen al een brief gemaakt.")
            row = Letter(
                budget_request_id=p.request_id,
                care_office_id=p.care_office_id,
                year=p.year,
                **fields,
            )
            new.append(row)
        else:
            got = s.get(Letter, p.letter_id)
            if got is None or got.status != LetterStatus.DRAFT:
                raise RuleViolation("Deze brief is intussen al definitief gemaakt.")
            row = uow.update(got, **fields)
        rows.append(row)
    uow.add_all(new)
    uow.add_all(
        [
            AuditEvent(
                actor_id=uow.actor_id,
                entity="letter",
                entity_id=row.id,
                action="definitive",
                details={
                    "kenmerk": row.kenmerk,
                    "sha256": row.sha256,
                    "template_version": row.template_version,
                },
            )
            for row in rows
        ]
    )
    return rows


def make_definitive(
    db: Database, letter_id: str, by: str, *, letter_date: date | None = None
) -> LetterInfo:
    """Concept -> definitief: assigns the kenmerk and stores the PDF with its SHA-256.

    One transaction: the letter, the approval (vier-ogen), the request and everything the
    letter shows are read once, checked, rendered and stored in the unit of work that writes
    it, so an approval withdrawn or a request edited meanwhile cannot slip in between."""
    day = letter_date or today_nl()
    with UnitOfWork(db, by) as uow:
        s = uow.session
        letter = s.get(Letter, letter_id)
        if letter is None or letter.deleted_at is not None:
            raise NotFound("Deze brief bestaat niet.")
        if letter.status != LetterStatus.DRAFT:
            raise RuleViolation(
                f"Deze brief is al {LetterStatus(letter.status).label.lower()} "
                f"(kenmerk {letter.kenmerk}); een definitieve brief verandert niet meer."
            )
        user = s.get(AppUser, by)
        if user is None or user.deleted_at is not None:
            raise RuleViolation("Onbekende gebruiker: kies eerst uw profiel.")
        prepared = _prepare_in(s, letter.budget_request_id, letter, by, day)
        seq = _next_sequence(s, prepared.care_office_id, prepared.year)
        kenmerk = f"{prepared.kenmerk_prefix}{seq:06d}"
        rendered = render_letter(
            prepared.src, prepared.template, kenmerk=kenmerk, letter_date=day, draft=False
        )
        [row] = _store_definitive(uow, [(prepared, seq, kenmerk, rendered)], day)
        return _info(s, row)


def mark_sent(db: Database, letter_id: str, by: str, *, sent_on: date | None = None) -> LetterInfo:
    """Definitief -> verzonden; the request moves to "Brief verstuurd" in the same transaction."""
    day = sent_on or today_nl()
    with UnitOfWork(db, by) as uow:
        s = uow.session
        row = s.get(Letter, letter_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Deze brief bestaat niet.")
        if row.status == LetterStatus.DRAFT:
            raise RuleViolation(
                "Een concept kan niet als verzonden worden gemarkeerd; maak de brief "
                "eerst definitief."
            )
        if row.status == LetterStatus.SENT:
            raise RuleViolation(f"Deze brief is al verzonden op {day_label(row.sent_on)}.")
        if row.letter_date and day < row.letter_date:
            raise ValidationError("sent_on", "De verzenddatum ligt vóór de datum van de brief.")
        uow.update(row, status=str(LetterStatus.SENT), sent_on=day)
        req = s.get(BudgetRequest, row.budget_request_id)
        if (
            req is not None
            and req.state == RequestState.DECIDED
            and row.template_id != HERSCHIKKING_TEMPLATE
        ):
            uow.update(req, state=str(RequestState.LETTER_SENT), letter_sent_on=day)
        uow.audit("sent", row, sent_on=day.isoformat(), kenmerk=row.kenmerk)
        return _info(s, row)


def day_label(d: date | None) -> str:
    from desktop.services.formatting import long_date

    return long_date(d)


def region_names(db: Database) -> list[str]:
    """Region names for the batch choice, in region number order."""
    with db.read_session() as s:
        return [
            r.name
            for r in s.exec(
                select(Region)
                .where(Region.deleted_at == None)  # noqa: E711
                .order_by(col(Region.number))
            ).all()
        ]


# -- letterhead configuration ------------------------------------------------------------------

_COLUMN_FIELDS = (
    "name",
    "postal_address",
    "postcode",
    "place",
    "phone",
    "email",
    "website",
    "kvk_number",
    "logo_path",
)
_SETTING_FIELDS = ("visiting_address", "iban", "kenmerk_domain")
_WINDOW_FIELDS = ("left_mm", "top_mm", "width_mm", "height_mm", "padding_mm")


def set_letterhead(db: Database, care_office: str, by: str | None, **changes: Any) -> Letterhead:
    """Change the letterhead of a care office (code or id): CareOffice columns, extra settings
    (visiting_address, iban, kenmerk_domain) and the envelope window (window_left_mm, ...).
    Values are checked first; nothing is written when one is wrong."""
    from desktop.services import validation as val

    errors: list[ValidationError] = []
    columns: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    window: dict[str, float] = {}
    for key, value in changes.items():
        if value is None:
            continue
        text = str(value).strip()
        try:
            if key == "postcode":
                columns[key] = val.postcode(text) if text else ""
            elif key == "kvk_number":
                columns[key] = val.kvk_number(text) if text else ""
            elif key == "email":
                if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
                    raise ValidationError("email", f"'{text}' is geen geldig e-mailadres.")
                columns[key] = text
            elif key == "logo_path":
                if text and not Path(text).expanduser().is_file():
                    raise ValidationError("logo_path", f"Het logobestand {text} bestaat niet.")
                columns[key] = str(Path(text).expanduser().resolve()) if text else ""
            elif key in _COLUMN_FIELDS:
                columns[key] = text
            elif key in _SETTING_FIELDS:
                settings[key] = text
            elif key.startswith("window_") and key[7:] in _WINDOW_FIELDS:
                try:
                    number = float(text.replace(",", "."))
                except ValueError:
                    raise ValidationError(key, f"'{text}' is geen getal (millimeters).") from None
                if not 0 <= number <= 297:
                    raise ValidationError(key, "Een maat moet tussen 0 en 297 mm liggen.")
                window[key[7:]] = number
            else:
                raise ValidationError(key, f"Onbekend onderdeel van het briefhoofd: '{key}'.")
        except ValidationError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        from db.errors import ValidationErrors

        raise ValidationErrors(errors)
    with UnitOfWork(db, by) as uow:
        office = _office(uow.session, care_office)
        cfg = dict(office.letter_settings or {})
        cfg.update(settings)
        if window:
            cfg["envelope_window"] = {**(cfg.get("envelope_window") or {}), **window}
        uow.update(office, letter_settings=cfg, **columns)
        return letterhead_of(office)


def get_letterhead(db: Database, care_office: str) -> Letterhead:
    with db.read_session() as s:
        return letterhead_of(_office(s, care_office))


def _office(s: Session, ref: str) -> CareOffice:
    office = s.get(CareOffice, ref)
    if office is None:
        office = s.exec(
            select(CareOffice).where(func.upper(CareOffice.code) == ref.strip().upper())
        ).first()
    if office is None or office.deleted_at is not None:
        raise NotFound(f"Zorgkantoor '{ref}' bestaat niet.")
    return office


def care_offices(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every care office, for choosing whose letterhead to edit."""
    with db.read_session() as s:
        rows = s.exec(
            select(CareOffice)
            .where(CareOffice.deleted_at == None)  # noqa: E711
            .order_by(CareOffice.name)
        ).all()
        return [(o.code, o.name) for o in rows]
