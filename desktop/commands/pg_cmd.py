"""The team server (PostgreSQL): teamserver upgrade / add-user / password / use / sync / status,
and store-migrate (move a file-share store to the server). docs/POSTGRES.md explains the steps.

`store` itself (create / invite / join / status) belongs to desktop/commands/sync_cmd.py; the
move gets its own top-level name `store-migrate` so the two parsers never collide.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import emit, resolve_db
from desktop.commands.common import command, group, open_db, opened

URL_HELP = "adres van de teamserver: postgresql://gebruiker@server:5432/database[?sslmode=require]"


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "store-migrate",
        help="zet een gedeelde opslag op een share over naar de teamserver",
        description="Kopieert de gedeelde opslag (identiteit, teamlijst, uitnodigingen en alle "
        "segmenten, byte voor byte) naar een PostgreSQL-teamserver. Er hoeft niets opnieuw "
        "versleuteld te worden. Veilig om te herhalen: wat er al staat, wordt overgeslagen. "
        "Voer dit uit als beheerder van de database (eigenaar van het schema).",
        handler=_migrate,
    )
    p.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="MAP",
        help="map van de huidige gedeelde opslag",
    )
    p.add_argument("--to", dest="target", required=True, metavar="URL", help=URL_HELP)
    p.add_argument(
        "--password-file",
        type=Path,
        default=None,
        metavar="BESTAND",
        help="bestand met het wachtwoord van de beheerder (anders: sleutelbos)",
    )
    p.add_argument(
        "--use",
        action="store_true",
        help="laat deze database daarna met de teamserver synchroniseren",
    )

    tsub = group(
        sub,
        "teamserver",
        help="PostgreSQL-teamserver: schema, gebruikers, wachtwoord, synchroniseren",
        metavar="ACTIE",
    )

    p = command(
        tsub,
        "upgrade",
        help="beheerder: maak of werk het schema op de server bij",
        handler=_upgrade,
        db=False,
    )
    p.add_argument("--url", required=True, metavar="URL", help=URL_HELP)
    p.add_argument("--password-file", type=Path, default=None, metavar="BESTAND")

    p = command(
        tsub,
        "add-user",
        help="beheerder: maak een databasegebruiker voor een collega",
        description="Maakt (of wijzigt) een inlogrol op de server, lid van kd_member, gekoppeld "
        "aan een gebruiker van Kwaliteitsdialoog. Alleen met --team-lead accepteert de database "
        "goedkeuringen (vier-ogen) van deze gebruiker.",
        handler=_add_user,
    )
    p.add_argument(
        "--url", required=True, metavar="URL", help="adres met de beheerder als gebruiker"
    )
    p.add_argument(
        "--password-file",
        type=Path,
        default=None,
        metavar="BESTAND",
        help="wachtwoord van de beheerder",
    )
    p.add_argument("--login", required=True, metavar="NAAM", help="databasegebruiker (a-z, 0-9, _)")
    p.add_argument(
        "--user",
        required=True,
        metavar="GEBRUIKER",
        help="gebruiker in Kwaliteitsdialoog (id, initialen of naam)",
    )
    p.add_argument(
        "--user-password-file",
        type=Path,
        required=True,
        metavar="BESTAND",
        help="bestand met het (eerste) wachtwoord van de collega",
    )
    p.add_argument("--team-lead", action="store_true", help="mag goedkeuren (teamleider)")

    p = tsub.add_parser("password", help="bewaar uw wachtwoord voor de teamserver in de sleutelbos")
    p.add_argument("--url", required=True, metavar="URL", help=URL_HELP)
    p.add_argument("--password-file", type=Path, required=True, metavar="BESTAND")
    p.set_defaults(handler=_password)

    p = command(
        tsub, "use", help="laat deze database met de teamserver synchroniseren", handler=_use
    )
    p.add_argument("--url", required=True, metavar="URL", help=URL_HELP)

    p = command(tsub, "sync", help="synchroniseer met de teamserver", handler=_sync)
    p.add_argument(
        "--url",
        default=None,
        metavar="URL",
        help="adres (standaard: de gekozen teamserver van deze database)",
    )

    p = command(
        tsub,
        "status",
        help="schemaversie, opslag en aantallen op de teamserver",
        handler=_status,
        db=False,
    )
    p.add_argument("--url", required=True, metavar="URL", help=URL_HELP)


def _read_secret(path: Path | None) -> str | None:
    from db.errors import ValidationError

    if path is None:
        return None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValidationError(
            "password", f"Het bestand {path} kan niet worden gelezen ({exc.strerror})."
        ) from exc
    if not lines or not lines[0]:
        raise ValidationError("password", f"Het bestand {path} is leeg.")
    return lines[0]


def _hub_error(exc: Exception) -> Exception:
    from desktop.services.sync import StoreUnavailable

    return StoreUnavailable(getattr(exc, "message", str(exc)))


def _migrate(args: argparse.Namespace) -> int:
    from db.sync.folder_hub import FolderHub, HubError
    from db.sync.pg_hub import (
        PostgresHub,
        migrate_store,
        point_at_server,
        upgrade,
    )
    from desktop.services import sync as svc

    password = _read_secret(args.password_file)
    db = None
    facts = None
    if resolve_db(args).exists():
        db = open_db(args)
        try:
            facts = svc.review_facts(db, svc.load_keys(db).team_keys)
        except Exception:  # noqa: BLE001 - no keys here: move the bytes, facts come later
            facts = None
    try:
        upgrade(args.target, password)
        with PostgresHub(args.target, password=password) as target:
            result = migrate_store(FolderHub(args.source.expanduser()), target, facts)
            if args.use and db is not None:
                point_at_server(db, target)
    except HubError as exc:
        raise _hub_error(exc) from exc
    finally:
        if db is not None:
            db.dispose()
    emit(
        args,
        result.as_dict(),
        lambda d: (
            f"Overgezet naar de teamserver: {d['segments_copied']} segment(en) gekopieerd, "
            f"{d['segments_present']} stonden er al, {d['documents']} document(en), "
            f"{d['facts_imported']} beoordelingsstap(pen) voor de vier-ogencontrole."
        ),
    )
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from db.sync.folder_hub import HubError
    from db.sync.pg_hub import upgrade

    try:
        applied = upgrade(args.url, _read_secret(args.password_file))
    except HubError as exc:
        raise _hub_error(exc) from exc
    emit(
        args,
        {"applied": applied},
        lambda d: (
            "Schema bijgewerkt: " + ", ".join(d["applied"])
            if d["applied"]
            else "Het schema op de teamserver is al actueel."
        ),
    )
    return 0


def _add_user(args: argparse.Namespace) -> int:
    from db.sync.folder_hub import HubError
    from db.sync.pg_hub import add_user
    from desktop.services.sync import find_user

    with opened(args) as db:
        user_id = find_user(db, args.user)
    try:
        add_user(
            args.url,
            args.login,
            user_id,
            _read_secret(args.user_password_file) or "",
            team_lead=args.team_lead,
            admin_password=_read_secret(args.password_file),
        )
    except HubError as exc:
        raise _hub_error(exc) from exc
    emit(
        args,
        {"login": args.login, "user_id": user_id, "team_lead": args.team_lead},
        f"Databasegebruiker {args.login} gekoppeld aan {args.user}"
        + (" (teamleider: mag goedkeuren)." if args.team_lead else "."),
    )
    return 0


def _password(args: argparse.Namespace) -> int:
    from db.sync.pg_hub import ServerSettings, store_password
    from desktop.services import keys as keystore

    keystore.require_backend()
    store_password(ServerSettings.from_url(args.url), _read_secret(args.password_file) or "")
    print("Wachtwoord bewaard in de sleutelbos van deze computer.")
    return 0


def _use(args: argparse.Namespace) -> int:
    from db.sync.folder_hub import HubError
    from db.sync.pg_hub import PostgresHub, point_at_server

    db = open_db(args)
    try:
        with PostgresHub(args.url) as hub:
            point_at_server(db, hub)
            root = hub.root
    except HubError as exc:
        raise _hub_error(exc) from exc
    finally:
        db.dispose()
    emit(args, {"store": root}, f"Deze database synchroniseert voortaan met {root}.")
    return 0


def server_sync(db, url: str | None = None):  # type: ignore[no-untyped-def]
    """One sync round with the team server (also used by the Teamserver dialog)."""
    from db.sync.pg_hub import is_server_url
    from desktop.services import sync as svc
    from desktop.services import teamserver

    if url is None:
        url = teamserver.current_url(db)
    if not is_server_url(url):
        raise svc.StoreUnavailable(
            "Deze database is niet op een teamserver aangesloten. Kies "
            "eerst 'kwaliteitsdialoog teamserver use --url ...'."
        )
    return teamserver.sync_with_server(db, url)


def _sync(args: argparse.Namespace) -> int:
    with opened(args) as db:
        result = server_sync(db, args.url)
    emit(
        args,
        result.as_dict(),
        lambda d: (
            f"Gesynchroniseerd met de teamserver: {d['pushed']} verstuurd, {d['pulled']} opgehaald, "
            f"{d['conflicts']} conflict(en)." + "".join(f"\n- {p}" for p in d["problems"])
        ),
    )
    return 0


def _status(args: argparse.Namespace) -> int:
    from db.sync.folder_hub import HubError
    from db.sync.pg_hub import PostgresHub

    try:
        with PostgresHub(args.url) as hub:
            identity = hub.read_identity()
            heads = hub.heads()
    except HubError as exc:
        raise _hub_error(exc) from exc
    data = {"hub_id": identity["hub_id"], "origins": len(heads), "operations": sum(heads.values())}
    emit(
        args,
        data,
        lambda d: (
            f"Teamserver in orde. Opslag {d['hub_id']}, {d['origins']} "
            f"bron(nen), {d['operations']} bewerking(en)."
        ),
    )
    return 0
