"""demo and import (providers/locations from CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli import (
    EXIT_OK,
    EXIT_REFUSED,
    TerminalProgress,
    emit,
    resolve_db,
)
from desktop.commands.common import command


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "demo",
        help="laad voorbeeldgegevens (verzonnen aanbieders, locaties, bezoeken, aanvragen)",
        description="Vult een lege database met voorbeeldgegevens. Dezelfde --seed geeft "
        "dezelfde gegevens.",
        handler=_demo,
    )
    p.add_argument(
        "--scale",
        choices=("small", "zorgkantoor", "national"),
        default="small",
        help="omvang: small (2 regio's, ~20 aanbieders) of zorgkantoor "
        "(11 regio's, ~400 aanbieders, 10 jaar) of national "
        "(3×: ~1.200 aanbieders, ~3.000 locaties)",
    )
    p.add_argument("--seed", type=int, default=1, help="startgetal van de toevalsgenerator")
    p.add_argument(
        "--today",
        metavar="DATUM",
        help="de dag waarop alle datums van de voorbeeldgegevens zijn gebaseerd "
        "(standaard vandaag), bijvoorbeeld 23-11-2026: zo geeft dezelfde --seed "
        "ook later precies dezelfde gegevens",
    )

    p = command(
        sub,
        "import",
        help="importeer zorgaanbieders en locaties uit een CSV-bestand",
        description="Eén regel per locatie. Kolommen: aanbieder, kvk, agb_aanbieder, locatie, "
        "straat, huisnummer, postcode, plaats, agb_locatie, vestigingsnummer, capaciteit, regio, "
        "doelgroepen. Zie resources/examples/aanbieders_locaties.csv.",
        handler=_import,
    )
    p.add_argument("file", type=Path, metavar="BESTAND.csv", help="het CSV-bestand")
    p.add_argument(
        "--skip-invalid", action="store_true", help="sla foute regels over en importeer de rest"
    )
    p.add_argument("--dry-run", action="store_true", help="controleer alleen; sla niets op")


def _demo(args: argparse.Namespace) -> int:
    from desktop.services.database import open_database
    from desktop.services.demo import generate_demo
    from desktop.services.validation import iso_date

    today = iso_date(args.today, "today", "--today") if args.today else None
    path = resolve_db(args)
    db = open_database(path)
    try:
        progress = TerminalProgress.for_args(args)
        report = generate_demo(db, args.scale, args.seed, progress, today=today)
        if progress is not None:
            progress.done()
    finally:
        db.dispose()
    data = {
        "db": str(path),
        "scale": report.scale,
        "seed": report.seed,
        "today": report.today.isoformat(),
        "seconds": report.seconds,
        "counts": report.counts,
    }
    c = report.counts
    emit(
        args,
        data,
        lambda d: (
            f"Voorbeeldgegevens geladen in {d['db']} ({report.seconds:.1f} s): "
            f"{c.get('provider', 0)} zorgaanbieders, {c.get('location', 0)} locaties, "
            f"{c.get('app_user', 0)} medewerkers, {c.get('theme_assessment', 0)} thema-oordelen, "
            f"{c.get('site_visit', 0)} locatiebezoeken, {c.get('budget_request', 0)} aanvragen "
            f"kwaliteitsbudget, {c.get('letter', 0)} beoordelingsbrieven."
        ),
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from desktop.commands.common import opened
    from desktop.services.importer import import_csv
    from desktop.services.users import current_user

    path = resolve_db(args)
    with opened(args, create=True) as db:
        user = current_user(db)
        report = import_csv(
            db,
            args.file,
            skip_invalid=args.skip_invalid,
            dry_run=args.dry_run,
            actor_id=user.id if user else None,
        )
    data = {
        "db": str(path),
        "file": str(args.file),
        "dry_run": report.dry_run,
        "written": report.written,
        "rows": report.rows,
        "valid_rows": report.valid_rows,
        "providers_created": report.providers_created,
        "locations_created": report.locations_created,
        "already_present": report.already_present,
        "errors": [
            {"line": e.line, "column": e.column, "message": e.message} for e in report.errors
        ],
    }
    for err in report.errors:
        sys.stderr.write(f"kwaliteitsdialoog: {args.file.name}: {err}\n")
    emit(args, data, lambda d: _summary(report))
    if report.errors and not args.skip_invalid:
        sys.stderr.write(
            f"kwaliteitsdialoog: {len(report.errors)} fout(en) in {args.file.name}; er is niets "
            "opgeslagen. Verbeter het bestand of gebruik --skip-invalid om foute regels over te "
            "slaan.\n"
        )
        return EXIT_REFUSED
    return EXIT_OK


def _summary(report) -> str:  # type: ignore[no-untyped-def]
    head = f"{report.rows} regels gelezen, {report.valid_rows} goed, {len(report.errors)} fout(en)."
    counts = (
        f"{report.providers_created} zorgaanbieder(s) en {report.locations_created} "
        f"locatie(s); {report.already_present} locatie(s) stonden er al"
    )
    if report.dry_run:
        return f"{head}\nProefrun, er is niets opgeslagen. Te importeren: {counts}."
    if report.errors and not report.written and report.providers_created + report.locations_created:
        return f"{head}\nEr is niets opgeslagen."
    return f"{head}\nGeïmporteerd: {counts}."
