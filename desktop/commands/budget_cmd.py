"""`budget advances|adjust-advance|review|realisation import|monitor|herschikking|nacalculatie`:
the budget year after the decision (Inkoopkader 2020 §4.2.9-4.2.13). The end of the year
(herschikking, nacalculatie) is budget_settle_cmd.py."""

from __future__ import annotations

import argparse

from desktop.cli import emit
from desktop.commands.budget_settle_cmd import add_parsers as add_settlement_parsers
from desktop.commands.common import as_of, care_office_id, command, group, opened


def _advances(args: argparse.Namespace) -> int:
    from desktop.services import exports
    from desktop.services.budget_year.advances import advance_schedule, schedule_rows
    from desktop.services.formatting import money

    with opened(args, create=True) as db:
        sch = advance_schedule(db, args.year, care_office_id=care_office_id(db, args.care_office))
        if args.xlsx:
            exports.rows_to_xlsx(
                [
                    (
                        "Voorschotten",
                        f"Voorschotten kwaliteitsbudget {args.year}",
                        schedule_rows(sch),
                    )
                ],
                args.xlsx,
            )
        if args.csv:
            exports.rows_to_csv(schedule_rows(sch), args.csv)

        def human(_: object) -> str:
            if not sch.rows:
                return f"Geen afgesproken kwaliteitsbudgetten in {args.year}."
            lines = [
                f"{'Zorgaanbieder':34} {'Afgesproken':>18} {'Per maand (jan)':>16} {'Totaal voorschot':>18}"
            ]
            for r in sch.rows:
                lines.append(
                    f"{r.provider_name[:34]:34} {money(r.agreed_total):>18} "
                    f"{money(r.months[0]):>16} {money(r.total):>18}"
                )
            return "\n".join(lines)

        emit(args, sch.as_json(), human)
    return 0


def _realisation_import(args: argparse.Namespace) -> int:
    from desktop.services.budget_year.realisation_import import import_realisation

    with opened(args, create=True) as db:
        by = None
        if args.as_user:
            from desktop.services.users import find_user

            by = find_user(db, args.as_user).id
        rep = import_realisation(db, args.file, by=by, dry_run=args.dry_run)

    def human(_: object) -> str:
        lines = [f"{rep.rows} regel(s) gelezen, {rep.valid_rows} correct."]
        lines += [f"  regel {e.line}, kolom {e.column}: {e.message}" for e in rep.errors]
        if rep.written:
            lines.append(f"Opgeslagen: {rep.created} nieuw, {rep.corrected} gecorrigeerd.")
        elif rep.errors:
            lines.append("Niets opgeslagen: verbeter de foute regels en importeer opnieuw.")
        elif rep.dry_run:
            lines.append(
                f"Controle zonder opslaan: {rep.created} nieuw, {rep.corrected} te corrigeren."
            )
        return "\n".join(lines)

    emit(args, rep.as_json(), human)
    return 0 if rep.ok else 1


def _region(db, name: str | None) -> str | None:  # type: ignore[no-untyped-def]
    if not name:
        return None
    from db.errors import NotFound
    from desktop.services.importer import _region_lookup

    rid = _region_lookup(db).get(name.strip().casefold().replace("’", "'"))
    if rid is None:
        raise NotFound(f"Regio '{name}' bestaat niet in deze database.")
    return rid


def _monitor(args: argparse.Namespace) -> int:
    from desktop.services.budget_year.monitoring import export_xlsx, monitor
    from desktop.services.formatting import money

    with opened(args, create=True) as db:
        m = monitor(
            db,
            args.year,
            care_office_id=care_office_id(db, args.care_office),
            region_id=_region(db, args.region),
            as_of=as_of(args),
        )
        if args.xlsx:
            export_xlsx(m, args.xlsx)

    def human(_: object) -> str:
        if not m.rows:
            return f"Geen afgesproken kwaliteitsbudgetten in {args.year}."
        lines = [
            f"{'Zorgaanbieder':30} {'Afgesproken':>16} {'Gerealiseerd':>16} {'Prognose':>16}  Signalen"
        ]
        for r in m.rows:
            proj = money(r.projected) if r.projected is not None else "–"
            lines.append(
                f"{r.provider_name[:30]:30} {money(r.agreed_total):>16} "
                f"{money(r.realised):>16} {proj:>16}  " + ", ".join(g.text for g in r.signals)
            )
        return "\n".join(lines)

    emit(args, m.as_json(), human)
    return 0


def _adjust(args: argparse.Namespace) -> int:
    from desktop.services.budget_year.advances import propose_adjustment
    from desktop.services.users import find_user

    with opened(args, create=True) as db:
        user = find_user(db, args.as_user)
        adj = propose_adjustment(
            db,
            args.request,
            user.id,
            from_month=args.from_month,
            monthly_amount=args.amount,
            reason=args.reason,
        )
    emit(
        args,
        {"id": adj, "subject_type": "advance_adjustment"},
        f"Voorschotaanpassing vastgelegd ({adj}); telt mee na goedkeuring door een teamleider "
        f"(budget review approve --subject advance_adjustment --id {adj}).",
    )
    return 0


SUBJECTS = {
    "advance_adjustment": "voorschotaanpassing",
    "reallocation_round": "herschikkingsronde",
    "final_settlement": "nacalculatie",
}


def _review(args: argparse.Namespace) -> int:
    from desktop.services import review
    from desktop.services.users import find_user

    with opened(args, create=True) as db:
        user = find_user(db, args.as_user)
        if args.verb == "submit":
            st = review.submit(db, args.subject, args.id, user.id, args.comment or "")
            state, text = st.state, f"Ter vier-ogen aangeboden door {user.name}."
        elif args.verb == "approve":
            a = review.approve(db, args.subject, args.id, user.id, args.comment or "")
            state, text = "APPROVED", f"Goedgekeurd door {a.approver_name}."
        else:
            st = review.reject(db, args.subject, args.id, user.id, args.comment or "")
            state, text = st.state, f"Afgekeurd door {user.name}."
    emit(args, {"subject_type": args.subject, "id": args.id, "review": state}, text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    bsub = group(
        sub,
        "budget",
        help="het begrotingsjaar na het besluit: voorschot, realisatie, "
        "monitoring, herschikking, nacalculatie",
        metavar="ONDERDEEL",
    )

    a = command(
        bsub,
        "advances",
        help="voorschotschema per zorgaanbieder en maand (75%%)",
        handler=_advances,
    )
    a.add_argument("--year", type=int, required=True, help="begrotingsjaar")
    a.add_argument("--care-office", help="zorgkantoor (code of korte naam)")
    a.add_argument("--xlsx", help="schrijf het schema naar dit Excel-bestand")
    a.add_argument("--csv", help="schrijf het schema naar dit CSV-bestand")

    aj = command(
        bsub,
        "adjust-advance",
        help="pas het maandvoorschot aan vanaf een maand (telt na vier-ogen)",
        handler=_adjust,
    )
    aj.add_argument("--request", required=True, help="id van de aanvraag (het afgesproken budget)")
    aj.add_argument("--from-month", required=True, help="vanaf maand 1-12")
    aj.add_argument("--amount", required=True, help="nieuw maandvoorschot, bijvoorbeeld 50.000,00")
    aj.add_argument("--reason", required=True, help="reden (het overleg met de zorgaanbieder)")
    aj.add_argument("--as", dest="as_user", required=True, help="gebruiker")

    rv = command(
        bsub,
        "review",
        help="vier-ogen voor voorschotaanpassing, herschikking, nacalculatie",
        handler=_review,
    )
    rv.add_argument(
        "verb", choices=("submit", "approve", "reject"), help="aanbieden, goedkeuren, afkeuren"
    )
    rv.add_argument("--subject", required=True, choices=tuple(SUBJECTS), help="soort")
    rv.add_argument("--id", required=True, help="id van het dossier")
    rv.add_argument("--as", dest="as_user", required=True, help="gebruiker")
    rv.add_argument("--comment", help="toelichting (verplicht bij afkeuren)")

    rsub = group(bsub, "realisation", help="realisatie van de zorgaanbieders", metavar="ACTIE")
    ri = command(
        rsub,
        "import",
        help="importeer een realisatieblad (.xlsx of .csv); alles of niets",
        handler=_realisation_import,
    )
    ri.add_argument(
        "file", metavar="BESTAND", help="realisatieblad, zie resources/examples/README.md"
    )
    ri.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    ri.add_argument("--as", dest="as_user", help="gebruiker (naam of initialen) die importeert")

    m = command(
        bsub,
        "monitor",
        help="monitoring per zorgaanbieder: afgesproken, voorschot, "
        "realisatie, prognose, verhouding, fte, signalen",
        handler=_monitor,
    )
    m.add_argument("--year", type=int, required=True, help="begrotingsjaar")
    m.add_argument("--region", help="alleen deze regio (naam of nummer)")
    m.add_argument("--care-office", help="alleen dit zorgkantoor (code of korte naam)")
    m.add_argument("--today", help="peildatum (standaard vandaag), bijvoorbeeld 01-11-2027")
    m.add_argument("--xlsx", help="schrijf de monitoring naar dit Excel-bestand")

    add_settlement_parsers(bsub)  # herschikking, nacalculatie
