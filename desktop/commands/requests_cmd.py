"""`requests list|show|decide|submit|approve|reject|withdraw`: budget requests and the vier-ogen review.

A refused rule (own work, wrong role, ceiling, ...) gives exit 1 and the Dutch message.
"""

from __future__ import annotations

import argparse

from desktop.cli import add_db_option, add_json_option, emit
from desktop.commands.common import command, group, open_db, opened


def _user(db, ref: str):  # type: ignore[no-untyped-def]
    from desktop.services.users import find_user

    return find_user(db, ref)


def _list(args: argparse.Namespace) -> int:
    from desktop.services.formatting import money
    from desktop.services.requests import list_requests
    from desktop.services.validation import iso_date

    today = iso_date(args.today, "today", "--today") if args.today else None
    db = open_db(args, create=True)
    rows = list_requests(db, today=today, year=args.year, state=args.state)
    data = [r.as_json() for r in rows]

    def human(_: object) -> str:
        if not rows:
            return "Geen aanvragen."
        lines = [
            f"{'Aanbieder':30} {'Jaar':4} {'Status':22} {'Termijn':20} {'Totaal':>18} Verhouding"
        ]
        for r in rows:
            lines.append(
                f"{r.provider_name[:30]:30} {r.budget_year:4} {r.state_label:22} "
                f"{r.deadline_label:20} {money(r.requested_total):>18} {r.split_label}"
            )
        return "\n".join(lines)

    emit(args, data, human)
    db.dispose()
    return 0


def _show(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desktop.services.requests import get_request

    db = open_db(args, create=True)
    d = get_request(db, args.id)
    data = asdict(d)
    emit(
        args,
        data,
        lambda _: (
            f"{d.provider_name} – aanvraag {d.budget_year}\n"
            f"Status: {d.state_label}; termijn {d.deadline.isoformat()} "
            f"({d.deadline_label})\nVerhouding: {d.requested_split}"
        ),
    )
    db.dispose()
    return 0


def _review_verb(args: argparse.Namespace) -> int:
    from desktop.services import requests as rq
    from desktop.services import review

    with opened(args, create=True) as db:
        user = _user(db, args.as_user)
        if args.verb == "submit":
            st = rq.submit(db, args.id, user.id, args.comment or "")
            result = {"id": args.id, "review": st.state, "label": st.label}
            text = f"Aanvraag ter vier-ogen aangeboden door {user.name}."
        elif args.verb == "approve":
            a = rq.approve(db, args.id, user.id, args.comment or "")
            result = {
                "id": args.id,
                "review": "APPROVED",
                "approver": a.approver_name,
                "content_hash": a.content_hash,
            }
            text = f"Goedgekeurd door {a.approver_name} (versie {a.content_hash[:12]})."
        elif args.verb == "reject":
            st = rq.reject(db, args.id, user.id, args.comment or "")
            result = {"id": args.id, "review": st.state, "label": st.label}
            text = f"Afgekeurd door {user.name}. De opsteller ziet de toelichting."
        else:
            st = review.withdraw(db, rq.SUBJECT, args.id, user.id, args.comment or "")
            result = {"id": args.id, "review": st.state, "label": st.label}
            text = "Aanbieding teruggetrokken."
        emit(args, result, text)
    return 0


_DECISION_WORDS = {
    "akkoord": "APPROVED",
    "aangepast": "APPROVED_ADJUSTED",
    "gereserveerd": "APPROVED_UP_TO_RESERVED",
    "afgewezen": "REJECTED",
    "niet-akkoord": "REJECTED",
}


def _accepted(values: list[str]) -> dict[str, dict[str, str]]:
    """--accept CODE=maatwerk:tekst / CODE=voorwaarde:tekst -> {code: {basis, text}}."""
    from db.errors import ValidationError

    out: dict[str, dict[str, str]] = {}
    for raw in values:
        code, _, rest = raw.partition("=")
        basis, _, text = rest.partition(":")
        basis_code = {
            "maatwerk": "MAATWERK",
            "maatwerkafspraak": "MAATWERK",
            "voorwaarde": "CONDITION",
        }.get(basis.strip().lower(), basis.strip().upper())
        if not code.strip() or not text.strip():
            raise ValidationError(
                "accept",
                f"'{raw}': gebruik --accept CODE=maatwerk:toelichting "
                "of --accept CODE=voorwaarde:toelichting.",
            )
        out[code.strip()] = {"basis": basis_code, "text": text.strip()}
    return out


def _decide(args: argparse.Namespace) -> int:
    """Record the (proposed) besluit; refused with every failing point that is not explained."""
    from desktop.services import requests as rq

    with opened(args, create=True) as db:
        user = _user(db, args.as_user)
        decision = _DECISION_WORDS.get(args.decision.lower(), args.decision.upper())
        d = rq.record_decision(
            db,
            args.id,
            user.id,
            decision=decision,
            approved_total=args.total,
            approved_staff_amount=args.staff,
            approved_other_amount=args.other,
            rationale=args.rationale,
            custom_agreements=args.agreements,
            accepted_points=_accepted(args.accept) if args.accept else None,
        )
        data = {
            "id": d.id,
            "decision": d.decision,
            "decision_label": d.decision_label,
            "approved_total": None if d.approved_total is None else str(d.approved_total),
            "approved_split": d.approved_split,
            "state": d.state,
            "accepted_points": d.accepted_points,
        }
        emit(
            args,
            data,
            lambda _: (
                f"Besluit vastgelegd: {d.decision_label}"
                + (
                    f", toegekend {d.approved_total} ({d.approved_split})"
                    if d.approved_total is not None
                    else ""
                )
                + ". Bied het aan ter vier-ogen met 'requests submit'."
            ),
        )
    return 0


def _ceiling(args: argparse.Namespace) -> int:
    from desktop.services import budget, ceiling
    from desktop.services.formatting import money

    with opened(args, create=True) as db:
        office_id, _name = budget.care_office_by_code(db, args.office)
        if args.amount is not None:
            user = _user(db, args.as_user or "")
            s = ceiling.set_ceiling(db, office_id, args.year, args.amount, user.id)
        else:
            s = ceiling.ceiling_summary(db, office_id, args.year)
        data = {
            "care_office": s.care_office_name,
            "year": s.year,
            "allocated": None if s.allocated is None else str(s.allocated),
            "requested": str(s.requested),
            "approved": str(s.approved),
            "headroom": None if s.headroom is None else str(s.headroom),
        }
        emit(
            args,
            data,
            lambda _: (
                f"{s.care_office_name} {s.year}: plafond "
                f"{money(s.allocated) if s.allocated is not None else 'niet vastgelegd'}, aangevraagd "
                f"{money(s.requested)}, toegekend {money(s.approved)}, ruimte "
                f"{money(s.headroom) if s.headroom is not None else '–'}"
            ),
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    rsub = group(
        sub, "requests", help="aanvragen kwaliteitsbudget en vier-ogen beoordeling", metavar="ACTIE"
    )

    lp = command(rsub, "list", help="alle aanvragen met status, termijn en bedragen", handler=_list)
    lp.add_argument("--year", type=int, help="alleen dit budgetjaar")
    lp.add_argument("--state", help="alleen deze status (bijv. AWAITING_FOUR_EYES)")
    lp.add_argument("--today", help=argparse.SUPPRESS)

    sp = command(rsub, "show", help="één aanvraag", handler=_show)
    sp.add_argument("id")

    dp = command(
        rsub,
        "decide",
        help="besluit vastleggen (geweigerd bij een onverklaard 'Voldoet niet')",
        handler=_decide,
    )
    dp.add_argument("id", help="id van de aanvraag")
    dp.add_argument("--as", dest="as_user", required=True, metavar="GEBRUIKER")
    dp.add_argument(
        "--decision",
        required=True,
        metavar="BESLUIT",
        help="akkoord, aangepast, gereserveerd (tot het gereserveerde budget) of afgewezen",
    )
    dp.add_argument(
        "--rationale", required=True, metavar="TEKST", help="motivering van het besluit"
    )
    dp.add_argument("--total", help="toegekend totaal (aangepast / gereserveerd)")
    dp.add_argument("--staff", help="toegekend deel extra zorgpersoneel")
    dp.add_argument("--other", help="toegekend deel overige investeringen")
    dp.add_argument("--agreements", help="maatwerkafspraken (één per regel)")
    dp.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="CODE=SOORT:TEKST",
        help="waarom een punt dat niet voldoet toch wordt geaccepteerd; SOORT is "
        "maatwerk of voorwaarde (herhaalbaar)",
    )

    cp = command(
        rsub,
        "ceiling",
        help="kwaliteitsbudgetplafond tonen of vastleggen (teamleider)",
        handler=_ceiling,
    )
    cp.add_argument("--office", required=True, help="zorgkantoor (code of korte naam)")
    cp.add_argument("--year", type=int, required=True, help="budgetjaar")
    cp.add_argument("--amount", help="nieuw plafond, bijv. 75.000.000,00 (leeg: alleen tonen)")
    cp.add_argument("--as", dest="as_user", metavar="GEBRUIKER", help="teamleider die vastlegt")

    for verb, help_text in (
        ("submit", "ter vier-ogen aanbieden"),
        ("approve", "goedkeuren (teamleider)"),
        ("reject", "afkeuren met toelichting (teamleider)"),
        ("withdraw", "aanbieding terugtrekken"),
    ):
        vp = rsub.add_parser(verb, help=help_text)
        vp.add_argument("id", help="id van de aanvraag")
        vp.add_argument(
            "--as",
            dest="as_user",
            required=True,
            metavar="GEBRUIKER",
            help="gebruiker (id, initialen of naam)",
        )
        vp.add_argument("--comment", default="", help="opmerking (verplicht bij afkeuren)")
        add_db_option(vp)
        add_json_option(vp)
        vp.set_defaults(handler=_review_verb, verb=verb)
