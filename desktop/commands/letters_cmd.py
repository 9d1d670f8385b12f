"""letters make / addendum / batch / list / sent: beoordelingsbrieven from the command line (issues 6, 15)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from desktop.cli import TerminalProgress, add_db_option, add_json_option, emit
from desktop.commands.common import command, group, opened


def register(sub: argparse._SubParsersAction) -> None:
    lsub = group(sub, "letters", help="beoordelingsbrieven maken, definitief maken en bundelen")

    m = command(
        lsub, "make", help="brief bij een besluit als PDF (concept, of definitief)", handler=_make
    )
    m.add_argument("--request", required=True, metavar="ID", help="id van de aanvraag")
    m.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="PDF-bestand")
    m.add_argument(
        "--definitive",
        action="store_true",
        help="maak de brief definitief (kenmerk, opgeslagen PDF met SHA-256)",
    )
    m.add_argument(
        "--as",
        dest="as_user",
        metavar="GEBRUIKER",
        help="wie de brief opstelt (id, initialen of naam); standaard het profiel",
    )
    m.add_argument("--date", metavar="JJJJ-MM-DD", help="datum van de brief (standaard vandaag)")

    b = command(
        lsub,
        "batch",
        help="alle goedgekeurde, niet verzonden brieven van een regio in een map",
        handler=_batch,
    )
    b.add_argument("--region", required=True, metavar="NAAM", help="regio (naam of nummer)")
    b.add_argument("--out", required=True, type=Path, metavar="MAP", help="map voor de PDF's")
    b.add_argument(
        "--definitive",
        action="store_true",
        help="maak goedgekeurde besluiten zonder definitieve brief eerst definitief",
    )
    b.add_argument("--as", dest="as_user", metavar="GEBRUIKER", help="wie de brieven opstelt")
    b.add_argument("--date", metavar="JJJJ-MM-DD", help="datum van de brieven (standaard vandaag)")

    li = command(lsub, "list", help="brieven en goedgekeurde besluiten zonder brief", handler=_list)
    li.add_argument("--region", metavar="NAAM")

    a = command(
        lsub,
        "addendum",
        help="addendum kwaliteitsbudget (bijlage 6) van een goedgekeurd besluit als PDF",
        handler=_addendum,
    )
    a.add_argument("--request", required=True, metavar="ID", help="id van de aanvraag")
    a.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="PDF-bestand")
    a.add_argument(
        "--signed",
        metavar="JJJJ-MM-DD",
        help="leg vast dat beide partijen het addendum op deze datum tekenden",
    )
    a.add_argument("--as", dest="as_user", metavar="GEBRUIKER", help="wie het tekenen vastlegt")

    h = lsub.add_parser("letterhead", help="briefhoofd van een zorgkantoor tonen of wijzigen")
    add_db_option(h)
    add_json_option(h)
    h.add_argument("--office", required=True, metavar="CODE", help="zorgkantoor (code, bijv. ZK)")
    h.add_argument("--as", dest="as_user", metavar="GEBRUIKER")
    for name, text in _LETTERHEAD_OPTIONS:
        h.add_argument("--" + name.replace("_", "-"), dest=name, metavar="WAARDE", help=text)
    h.set_defaults(handler=_letterhead)

    s = command(lsub, "sent", help="markeer een definitieve brief als verzonden", handler=_sent)
    s.add_argument("--letter", required=True, metavar="ID")
    s.add_argument("--as", dest="as_user", metavar="GEBRUIKER")
    s.add_argument("--date", metavar="JJJJ-MM-DD", help="verzenddatum (standaard vandaag)")


_LETTERHEAD_OPTIONS = (
    ("name", "naam van het zorgkantoor op de brief"),
    ("postal_address", "postadres, bijvoorbeeld 'Postbus 444'"),
    ("postcode", "postcode, bijvoorbeeld 2700 AK"),
    ("place", "plaats"),
    ("visiting_address", "bezoekadres (optioneel)"),
    ("phone", "telefoonnummer"),
    ("email", "e-mailadres"),
    ("website", "website"),
    ("kvk_number", "KvK-nummer (8 cijfers)"),
    ("iban", "IBAN voor de voettekst (optioneel)"),
    ("logo_path", "logobestand (PNG of JPG)"),
    ("kenmerk_domain", "middendeel van het kenmerk (standaard KB)"),
    ("window_left_mm", "venster: afstand tot de linkerrand (mm)"),
    ("window_top_mm", "venster: afstand tot de bovenrand (mm)"),
    ("window_width_mm", "venster: breedte (mm)"),
    ("window_height_mm", "venster: hoogte (mm)"),
)


def _letterhead(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desktop.services import letters

    with opened(args) as db:
        changes = {
            k: getattr(args, k) for k, _ in _LETTERHEAD_OPTIONS if getattr(args, k) is not None
        }
        by = _user(db, args.as_user).id if changes else None
        head = (
            letters.set_letterhead(db, args.office, by, **changes)
            if changes
            else letters.get_letterhead(db, args.office)
        )
        data = asdict(head)

        def human(d: dict) -> str:
            w = d.pop("window")
            lines = [f"{k:<18}{v}" for k, v in d.items()]
            lines.append(
                f"{'venster (mm)':<18}links {w['left_mm']:g}, boven {w['top_mm']:g}, "
                f"{w['width_mm']:g} x {w['height_mm']:g}"
            )
            return "\n".join(lines)

        emit(args, data, human)
    return 0


def _user(db, ref: str | None):  # type: ignore[no-untyped-def]
    from db.errors import ValidationError
    from desktop.services.users import current_user, find_user

    if ref:
        return find_user(db, ref)
    user = current_user(db)
    if user is None:
        raise ValidationError("as", "Geef met --as aan wie de brief opstelt.")
    return user


def _date(value: str | None) -> date | None:
    from desktop.services.validation import iso_date

    return iso_date(value, "date", "Datum") if value else None


def _info_dict(info) -> dict:  # type: ignore[no-untyped-def]
    from dataclasses import asdict

    return asdict(info)


def _make(args: argparse.Namespace) -> int:
    from desktop.services import letters

    with opened(args) as db:
        user = _user(db, args.as_user)
        day = _date(args.date)
        info = letters.create_letter(db, args.request, user.id)
        if args.definitive and info.status == "DRAFT":
            info = letters.make_definitive(db, info.id, user.id, letter_date=day)
        pdf = letters.letter_pdf(db, info.id, today=day)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
        warning = letters.date_warning(info.letter_date or day or letters.service.today_nl())
        if warning:
            import sys

            sys.stderr.write(f"kwaliteitsdialoog: {warning}\n")
        data = _info_dict(info) | {"file": str(args.out), "warning": warning}
        emit(
            args,
            data,
            lambda d: (
                f"Brief {d['kenmerk'] or '(concept)'} voor {d['provider_name']}: {d['status_label'].lower()}, "
                f"opgeslagen in {d['file']}" + (f"\nSHA-256: {d['sha256']}" if d["sha256"] else "")
            ),
        )
    return 0


def _addendum(args: argparse.Namespace) -> int:
    from desktop.services import letters

    with opened(args) as db:
        pdf = letters.addendum_pdf(db, args.request)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(pdf)
        data = {"request": args.request, "file": str(args.out), "signed_on": None}
        if args.signed:
            d = letters.record_signed(
                db, args.request, _user(db, args.as_user).id, signed_on=_date(args.signed)
            )
            data["signed_on"] = d.addendum_signed_on.isoformat() if d.addendum_signed_on else None
        emit(
            args,
            data,
            lambda d: (
                f"Addendum opgeslagen in {d['file']}"
                + (f"; getekend op {d['signed_on']}." if d["signed_on"] else ".")
            ),
        )
    return 0


def _batch(args: argparse.Namespace) -> int:
    from desktop.services import letters

    with opened(args) as db:
        by = _user(db, args.as_user).id if args.definitive else None
        if args.definitive:
            warning = letters.date_warning(_date(args.date) or letters.service.today_nl())
            if warning:
                import sys

                sys.stderr.write(f"kwaliteitsdialoog: {warning}\n")
        progress = TerminalProgress.for_args(args)
        result = letters.batch_letters(
            db,
            region=args.region,
            out_dir=args.out,
            by=by,
            make_definitive_first=args.definitive,
            letter_date=_date(args.date),
            progress=progress,
        )
        if progress is not None:
            progress.done()
        data = {
            "written": list(result.written),
            "made_definitive": result.made_definitive,
            "skipped": list(result.skipped),
            "addenda": list(result.addenda),
        }
        emit(
            args,
            data,
            lambda d: "\n".join(
                [
                    f"{len(d['written'])} brieven"
                    + (f" en {len(d['addenda'])} addenda" if d["addenda"] else "")
                    + f" opgeslagen in {args.out}"
                    + (
                        f" ({d['made_definitive']} nieuw definitief gemaakt)"
                        if d["made_definitive"]
                        else ""
                    )
                    + "."
                ]
                + [f"Overgeslagen: {s}" for s in d["skipped"]]
            ),
        )
    return 0


def _list(args: argparse.Namespace) -> int:
    from desktop.services import formatting as fmt
    from desktop.services import letters

    with opened(args) as db:
        rows = letters.list_letters(db, region=args.region)
        pending = letters.pending_decisions(db, region=args.region)
        data = {
            "letters": [_info_dict(r) for r in rows],
            "pending": [_info_dict(p) for p in pending],
        }

        def human(_d: dict) -> str:
            lines = [
                f"{r.kenmerk or '(concept)':<22}{r.status_label:<12}{r.provider_name} "
                f"({r.decision_label}){'  ' + fmt.long_date(r.sent_on) if r.sent_on else ''}"
                for r in rows
            ]
            lines += [
                f"{'(geen brief)':<22}{'':<12}{p.provider_name} ({p.decision_label}) "
                f"aanvraag {p.request_id}"
                for p in pending
            ]
            return "\n".join(lines) or "Geen brieven."

        emit(args, data, human)
    return 0


def _sent(args: argparse.Namespace) -> int:
    from desktop.services import letters

    with opened(args) as db:
        user = _user(db, args.as_user)
        info = letters.mark_sent(db, args.letter, user.id, sent_on=_date(args.date))
        emit(args, _info_dict(info), lambda d: f"Brief {d['kenmerk']} gemarkeerd als verzonden.")
    return 0
