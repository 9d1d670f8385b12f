"""`documents add|list|get|remove|sync|extract`: Stukken from the command line (issue 20)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import TerminalProgress, emit
from desktop.commands.common import command, group, open_db, opened


def register(sub: argparse._SubParsersAction) -> None:
    dsub = group(
        sub,
        "documents",
        help="stukken: bijlagen bij aanbieders, locaties, plannen, "
        "aanvragen, bezoeken en realisaties",
    )
    a = command(dsub, "add", help="voeg een bestand toe als stuk", handler=_add)
    a.add_argument(
        "--to",
        required=True,
        metavar="SOORT:ID",
        help="waaraan: provider, location, quality_plan, budget_request, "
        "site_visit of realisation_report, met het id (bijv. location:3f2a…)",
    )
    a.add_argument("file", type=Path, metavar="BESTAND")
    a.add_argument(
        "--type",
        dest="doc_type",
        default=None,
        metavar="SOORT",
        help="kwaliteitsplan, begroting, verslag, brief of overig (standaard)",
    )
    a.add_argument(
        "--received", default=None, metavar="DATUM", help="datum van ontvangst (standaard vandaag)"
    )
    a.add_argument(
        "--as",
        dest="as_user",
        default=None,
        metavar="GEBRUIKER",
        help="wie het toevoegt (standaard de huidige gebruiker)",
    )

    ls = command(dsub, "list", help="stukken (alle, of van één record)", handler=_list)
    ls.add_argument("--to", default=None, metavar="SOORT:ID", help="alleen de stukken hiervan")

    g = command(
        dsub,
        "get",
        help="schrijf de inhoud van een stuk naar een bestand",
        handler=_get,
        json=False,
    )
    g.add_argument("sha256", metavar="SHA256")
    g.add_argument("--out", required=True, type=Path, metavar="BESTAND")

    r = command(
        dsub,
        "remove",
        help="verwijder een stuk (blijft in de geschiedenis)",
        handler=_remove,
        json=False,
    )
    r.add_argument("id", metavar="ID")
    r.add_argument("--as", dest="as_user", default=None, metavar="GEBRUIKER")

    s = command(
        dsub,
        "sync",
        help="stukken uploaden naar en downloaden van de gedeelde opslag",
        handler=_sync,
    )
    s.add_argument(
        "--all",
        action="store_true",
        help="download alle ontbrekende stukken (standaard: alleen uploaden)",
    )
    s.add_argument(
        "--sha256",
        action="append",
        default=[],
        metavar="SHA256",
        help="download dit stuk (mag vaker)",
    )

    command(
        dsub,
        "extract",
        help="haal de tekst uit nieuwe PDF- en Word-stukken (voor zoeken)",
        handler=_extract,
    )


def _actor(db, as_user: str | None) -> str | None:  # type: ignore[no-untyped-def]
    from desktop.services import users

    if as_user:
        return users.find_user(db, as_user).id
    me = users.current_user(db)
    return me.id if me else None


def _add(args: argparse.Namespace) -> int:
    from desktop.services.documents import extract, service
    from desktop.services.documents.targets import parse_target
    from desktop.services.validation import iso_date

    with opened(args) as db:
        spec, target_id = parse_target(args.to)
        received = (
            iso_date(args.received, "received_on", "Datum van ontvangst") if args.received else None
        )
        info = service.add_file(
            db,
            _actor(db, args.as_user),
            spec.kind,
            target_id,
            args.file,
            doc_type=args.doc_type,
            received_on=received,
        )
        extract.extract_pending(db)
        from desktop.services.documents import transport

        transport.upload_quietly(db)  # when a shared store is configured and reachable
        info = service.get_document(db, info.id)
    emit(
        args,
        info.as_dict(),
        lambda d: (
            f"Toegevoegd: {d['title']} ({d['type_label']}, "
            f"{info.size_label}) bij {d['target']}\n"
            f"SHA-256 {d['sha256']}"
        ),
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    from desktop.services.documents import service
    from desktop.services.documents.targets import parse_target

    with opened(args) as db:
        if args.to:
            spec, target_id = parse_target(args.to)
            docs = service.list_documents(db, spec.kind, target_id)
        else:
            docs = service.list_documents(db)

    def human(rows: list[dict]) -> str:
        if not rows:
            return "Geen stukken."
        return "\n".join(
            f"{r['received_on'] or ''}  {r['type_label']:<14} {r['title']}  "
            f"({r['target']}; {r['state']}) {r['sha256'][:12]}"
            for r in rows
        )

    emit(args, [d.as_dict() for d in docs], human)
    return 0


def _get(args: argparse.Namespace) -> int:
    from desktop.services.documents import transport

    db = open_db(args)
    progress = TerminalProgress.for_args(args)
    try:
        data = transport.fetch_and_read(db, args.sha256, progress)  # downloads when needed
        args.out.write_bytes(data)
        n = len(data)
    finally:
        if progress:
            progress.done()
        db.dispose()
    print(f"{n} bytes geschreven naar {args.out} (SHA-256 gecontroleerd).")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from desktop.services.documents import service

    with opened(args) as db:
        service.remove_document(db, _actor(db, args.as_user), args.id)
    print("Stuk verwijderd.")
    return 0


def _sync(args: argparse.Namespace) -> int:
    from desktop.services.documents import extract, transport

    db = open_db(args)
    progress = TerminalProgress.for_args(args)
    try:
        report = transport.sync_documents(
            db, fetch_all=args.all, fetch=args.sha256, progress=progress, count_missing=True
        )
        if report.downloaded:
            extract.extract_pending(db)
    finally:
        if progress:
            progress.done()
        db.dispose()
    emit(
        args,
        report.as_dict(),
        lambda d: (
            f"{d['uploaded']} stuk(ken) geüpload, {d['downloaded']} gedownload, "
            f"{d['missing']} nog niet gedownload."
            + "".join(f"\nGeweigerd: {p}" for p in d["refused"])
            + "".join(f"\nProbleem: {p}" for p in d["problems"])
        ),
    )
    return 1 if report.refused else 0


def _extract(args: argparse.Namespace) -> int:
    from desktop.services.documents import extract

    with opened(args) as db:
        n = extract.extract_pending(db)
    emit(args, {"extracted": n}, f"Tekst uit {n} stuk(ken) gehaald.")
    return 0
