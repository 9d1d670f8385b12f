"""`budget herschikking|nacalculatie`: the end of the budget year: the herschikking round of
1 November (§4.2.11) and the nacalculatie after the year (§4.2.12-4.2.13)."""

from __future__ import annotations

import argparse

from desktop.cli import emit
from desktop.commands.common import as_of, care_office_id, command, opened


def _herschikking(args: argparse.Namespace) -> int:
    from desktop.services.budget_year import herschikking as hs
    from desktop.services.formatting import money

    with opened(args, create=True) as db:
        if args.open:
            from desktop.services.users import find_user

            if not args.as_user or not args.care_office:
                from db.errors import ValidationError

                raise ValidationError("open", "Geef bij --open ook --care-office en --as op.")
            user = find_user(db, args.as_user)
            hs.open_round(
                db, user.id, care_office_id(db, args.care_office), args.year, as_of=as_of(args)
            )
        found = hs.rounds(db, args.year)
        if args.care_office:
            oid = care_office_id(db, args.care_office)
            found = [r for r in found if r.care_office_id == oid]
        written: list[str] = []
        if args.letters:
            from desktop.services.budget_year.herschikking_letter import write_letters

            for r in found:
                written += [str(p) for p in write_letters(db, r.id, args.letters, draft=args.draft)]

    def human(_: object) -> str:
        if not found:
            return f"Geen herschikkingsronde in {args.year}."
        lines = []
        for r in found:
            lines.append(
                f"{r.care_office_name} {r.year}: {r.review_label}; "
                f"{money(r.previous_total)} -> {money(r.new_total)}"
            )
            for p in r.proposals:
                if p.changed:
                    lines.append(
                        f"  {p.provider_name[:34]:34} {money(p.previous_total):>16} -> "
                        f"{money(p.new_total):>16}  {p.reason}"
                    )
        lines += [f"Brief: {w}" for w in written]
        return "\n".join(lines)

    emit(args, {"rounds": [r.as_json() for r in found], "letters": written}, human)
    return 0


def _nacalculatie(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.services.budget_year import nacalculatie as nc
    from desktop.services.budget_year.nacalculatie_docs import nza_summary_xlsx, statement_pdf

    with opened(args, create=True) as db:
        if args.record:
            from desktop.services.users import find_user

            if not args.as_user or not args.provider:
                from db.errors import ValidationError

                raise ValidationError("record", "Geef bij --record ook --provider en --as op.")
            nc.record(
                db,
                find_user(db, args.as_user).id,
                args.year,
                args.provider,
                extra_reimbursement=args.extra or "0",
                extra_note=args.note or "",
            )
        items = nc.settlements(
            db,
            args.year,
            care_office_id=care_office_id(db, args.care_office),
            provider_id=args.provider,
        )
        if args.provider and not items:
            from db.errors import NotFound

            raise NotFound(
                f"Zorgaanbieder {args.provider} heeft geen afgesproken kwaliteitsbudget in {args.year}."
            )
        if args.out:
            if not args.provider:
                from db.errors import ValidationError

                raise ValidationError("out", "Geef bij --out de zorgaanbieder op (--provider ID).")
            Path(args.out).write_bytes(statement_pdf(db, args.year, args.provider))
        if args.nza_xlsx:
            nza_summary_xlsx(
                db, args.year, args.nza_xlsx, care_office_id=care_office_id(db, args.care_office)
            )

    def human(_: object) -> str:
        from desktop.services.formatting import money

        lines = []
        for p in items:
            st = p.settlement
            lines.append(
                f"{p.agreement.provider_name[:34]:34} "
                + (
                    "jaarrealisatie ontbreekt"
                    if st is None
                    else f"vergoedbaar {money(st.reimbursable)}, voorschot {money(st.advanced)}, "
                    f"saldo {money(st.balance)}"
                )
            )
        if args.out:
            lines.append(f"Opstelling: {args.out}")
        return "\n".join(lines) or f"Geen afgesproken kwaliteitsbudgetten in {args.year}."

    emit(
        args,
        {"settlements": [p.as_json() for p in items], "pdf": args.out, "nza_xlsx": args.nza_xlsx},
        human,
    )
    return 0


def add_parsers(bsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The sub-commands `budget herschikking` and `budget nacalculatie`."""
    h = command(
        bsub,
        "herschikking",
        help="herschikkingsronde per zorgkantoor (1 november)",
        handler=_herschikking,
    )
    h.add_argument("--year", type=int, required=True, help="begrotingsjaar")
    h.add_argument("--care-office", help="zorgkantoor (code of korte naam)")
    h.add_argument(
        "--open", action="store_true", help="maak de ronde (vooringevuld uit de signalen)"
    )
    h.add_argument("--as", dest="as_user", help="gebruiker die de ronde maakt")
    h.add_argument("--today", help="peildatum voor de signalen (standaard vandaag)")
    h.add_argument(
        "--letters", help="schrijf een herschikkingsbrief per gewijzigde aanbieder in deze map"
    )
    h.add_argument(
        "--draft", action="store_true", help="conceptbrieven (ronde nog niet goedgekeurd)"
    )

    n = command(
        bsub,
        "nacalculatie",
        help="nacalculatie per zorgaanbieder: opstelling (PDF) en samenvatting voor de NZa (xlsx)",
        handler=_nacalculatie,
    )
    n.add_argument("--year", type=int, required=True, help="begrotingsjaar")
    n.add_argument("--provider", help="id van de zorgaanbieder")
    n.add_argument("--care-office", help="zorgkantoor (code of korte naam)")
    n.add_argument(
        "--out", help="schrijf de nacalculatie-opstelling van --provider naar dit PDF-bestand"
    )
    n.add_argument("--nza-xlsx", help="schrijf de samenvatting voor de NZa naar dit Excel-bestand")
    n.add_argument("--record", action="store_true", help="leg de nacalculatie van --provider vast")
    n.add_argument("--extra", help="extra vergoeding §4.2.13 (bij --record)")
    n.add_argument("--note", help="toelichting op de extra vergoeding")
    n.add_argument("--as", dest="as_user", help="gebruiker die vastlegt")
