"""`budget advances|realisation import|monitor|herschikking|nacalculatie`: the budget year after
the decision (Inkoopkader 2020 §4.2.9-4.2.13)."""

from __future__ import annotations

import argparse

from desktop.cli import add_db_option, add_json_option, emit, resolve_db


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from desktop.services.database import open_database

    return open_database(resolve_db(args))


def _office(db, ref: str | None) -> str | None:  # type: ignore[no-untyped-def]
    from desktop.services.budget import care_office_by_code

    return care_office_by_code(db, ref)[0] if ref else None


def _advances(args: argparse.Namespace) -> int:
    from desktop.services import exports
    from desktop.services.budget_year.advances import advance_schedule, schedule_rows
    from desktop.services.formatting import money

    db = _open(args)
    try:
        sch = advance_schedule(db, args.year, care_office_id=_office(db, args.care_office))
        if args.xlsx:
            exports.rows_to_xlsx([("Voorschotten", f"Voorschotten kwaliteitsbudget {args.year}",
                                   schedule_rows(sch))], args.xlsx)
        if args.csv:
            exports.rows_to_csv(schedule_rows(sch), args.csv)

        def human(_: object) -> str:
            if not sch.rows:
                return f"Geen afgesproken kwaliteitsbudgetten in {args.year}."
            lines = [f"{'Zorgaanbieder':34} {'Afgesproken':>18} {'Per maand (jan)':>16} {'Totaal voorschot':>18}"]
            for r in sch.rows:
                lines.append(f"{r.provider_name[:34]:34} {money(r.agreed_total):>18} "
                             f"{money(r.months[0]):>16} {money(r.total):>18}")
            return "\n".join(lines)

        emit(args, sch.as_json(), human)
    finally:
        db.dispose()
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("budget", help="het begrotingsjaar na het besluit: voorschot, realisatie, "
                       "monitoring, herschikking, nacalculatie")
    bsub = p.add_subparsers(dest="budget_command", metavar="ONDERDEEL", required=True,
                            parser_class=type(p))

    a = bsub.add_parser("advances", help="voorschotschema per zorgaanbieder en maand (75%)")
    add_db_option(a)
    add_json_option(a)
    a.add_argument("--year", type=int, required=True, help="begrotingsjaar")
    a.add_argument("--care-office", help="zorgkantoor (code of korte naam)")
    a.add_argument("--xlsx", help="schrijf het schema naar dit Excel-bestand")
    a.add_argument("--csv", help="schrijf het schema naar dit CSV-bestand")
    a.set_defaults(handler=_advances)
