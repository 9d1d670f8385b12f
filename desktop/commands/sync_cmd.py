"""sync, store create / invite / join / status, conflicts."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli import add_db_option, add_json_option, emit
from desktop.commands.common import command, group, opened, team_lead_option


def register(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "sync",
        help="synchroniseer met de gedeelde opslag (versturen en ophalen)",
        description="Verstuurt de eigen wijzigingen naar de gedeelde opslag en verwerkt die van "
        "collega's. Zonder --store wordt de gekozen opslag van deze database gebruikt. Offline "
        "werken is normaal: is de opslag niet bereikbaar, dan blijft alles bewaard.",
        handler=_sync,
    )
    p.add_argument(
        "--store",
        type=str,
        default=None,
        metavar="MAP|URL",
        help="map van de gedeelde opslag (standaard: de gekozen opslag)",
    )

    ssub = group(
        sub,
        "store",
        help="gedeelde opslag aanmaken, collega uitnodigen, aansluiten",
        metavar="ACTIE",
    )

    p = command(
        ssub,
        "create",
        help="teamleider: maak een nieuwe gedeelde opslag in een lege map",
        description="Maakt in een lege map een nieuwe gedeelde opslag met een nieuwe teamsleutel. "
        "De sleutels komen in de sleutelbos van deze computer.",
        handler=_create,
    )
    p.add_argument("--store", type=Path, required=True, metavar="MAP", help="lege map op de share")
    team_lead_option(p)

    p = ssub.add_parser(
        "invite",
        help="teamleider: nodig een collega uit met een eenmalige wachtzin",
        description="Zet de collega op de teamlijst en legt een uitnodiging in de opslag die "
        "alleen met de wachtzin te openen is. Geef de wachtzin persoonlijk of telefonisch door.",
    )
    add_db_option(p)
    team_lead_option(p, "de teamleider die de opslag aanmaakte")
    p.add_argument(
        "--member",
        required=True,
        metavar="GEBRUIKER",
        help="de collega die wordt uitgenodigd (id, initialen of naam)",
    )
    secret = p.add_mutually_exclusive_group(required=True)
    secret.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="BESTAND",
        help="bestand met de eenmalige wachtzin (eerste regel)",
    )
    secret.add_argument(
        "--new-key-file",
        type=Path,
        metavar="BESTAND",
        help="maak een sleutelbestand met een willekeurige sleutel (bijv. voor "
        "een USB-stick); de collega sluit aan met --passphrase-file BESTAND",
    )
    add_json_option(p)
    p.set_defaults(handler=_invite)

    p = command(
        ssub,
        "join",
        help="collega: sluit aan bij een gedeelde opslag met de wachtzin",
        description="Opent de uitnodiging met de wachtzin en bewaart de teamsleutel en uw "
        "ondertekensleutel in de sleutelbos van deze computer.",
        handler=_join,
    )
    p.add_argument(
        "--store",
        type=str,
        required=True,
        metavar="MAP|URL",
        help="map van de opslag, of postgresql://gebruiker@server/database",
    )
    p.add_argument(
        "--passphrase-file",
        type=Path,
        required=True,
        metavar="BESTAND",
        help="bestand met de wachtzin van de uitnodiging (eerste regel)",
    )
    p.add_argument(
        "--as",
        dest="user",
        default=None,
        metavar="GEBRUIKER",
        help="(optioneel) controleer dat de uitnodiging voor deze gebruiker is",
    )

    command(
        ssub,
        "snapshot",
        help="leg een momentopname in de opslag (sneller aansluiten voor nieuwe collega's)",
        description="Bundelt alle ondertekende segmenten die deze database kent in één bestand "
        "in de opslag. Een nieuwe collega leest dat ene bestand in plaats van duizenden losse.",
        handler=_snapshot,
    )

    command(
        ssub,
        "image",
        help="eigenaar: leg een aansluitbestand in de opslag (een nieuwe laptop is in "
        "seconden bij)",
        description="Synchroniseert eerst en legt dan een versleutelde, door u ondertekende "
        "kopie van deze database in de opslag (images/). Een nieuwe collega neemt die kopie "
        "in één keer over en haalt daarna alleen op wat erna kwam. Alleen de teamleider die "
        "de opslag aanmaakte kan dit, op de laptop waarmee dat gebeurde.",
        handler=_image,
    )

    command(
        ssub,
        "status",
        help="toon de gekozen opslag, laatste synchronisatie, "
        "wachtende wijzigingen, conflicten en quarantaine",
        handler=_status,
    )

    command(sub, "conflicts", help="toon de conflicten na synchroniseren", handler=_conflicts)


def _passphrase(path: Path) -> str:
    from db.errors import ValidationError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValidationError(
            "passphrase", f"Het wachtzinbestand {path} kan niet worden gelezen ({exc.strerror})."
        ) from exc
    if not lines or not lines[0].strip():
        raise ValidationError("passphrase", f"Het wachtzinbestand {path} is leeg.")
    return lines[0].strip()


def _sync(args: argparse.Namespace) -> int:
    from desktop.services.sync import sync_now

    with opened(args) as db:
        result = sync_now(db, args.store)
    emit(
        args,
        result.as_dict(),
        lambda d: (
            f"Gesynchroniseerd: {d['pushed']} verstuurd, {d['pulled']} opgehaald, "
            f"{d['conflicts']} conflict(en), {d['quarantined']} in quarantaine."
            + "".join(f"\n- {p}" for p in d["problems"])
        ),
    )
    return 0


def _status_dict(st) -> dict:  # type: ignore[no-untyped-def]
    return {
        "configured": st.configured,
        "store": st.store_path,
        "hub_id": st.hub_id,
        "user_id": st.user_id,
        "last_sync": st.last_sync,
        "pending": st.pending_ops,
        "conflicts": st.conflicts,
        "quarantined": st.quarantined,
    }


def _human_status(d: dict) -> str:  # type: ignore[type-arg]
    if not d["configured"]:
        return "Nog geen gedeelde opslag gekozen."
    return (
        f"Gedeelde opslag: {d['store']}\nLaatst gesynchroniseerd: {d['last_sync'] or 'nog nooit'}"
        f"\nWachtende wijzigingen: {d['pending']}\nConflicten: {d['conflicts']}"
        f"\nIn quarantaine: {d['quarantined']}"
    )


def _create(args: argparse.Namespace) -> int:
    from desktop.services.sync import create_store, find_user

    with opened(args) as db:
        st = create_store(db, args.store, find_user(db, args.user))
    emit(
        args,
        _status_dict(st),
        lambda d: (
            "Gedeelde opslag aangemaakt.\n"
            + _human_status(d)
            + "\nTip: synchroniseer en leg daarna met 'store image' een aansluitbestand in de "
            "opslag; nieuwe collega's zijn dan in seconden bij."
        ),
    )
    return 0


def _invite(args: argparse.Namespace) -> int:
    from desktop.services.sync import find_user, invite_member

    if args.new_key_file is not None:
        import secrets

        from db.errors import ValidationError

        phrase = secrets.token_urlsafe(32)
        try:
            with open(args.new_key_file, "x", encoding="utf-8") as fh:
                fh.write(phrase + "\n")
        except OSError as exc:
            raise ValidationError(
                "key_file",
                f"Het sleutelbestand {args.new_key_file} kan niet worden gemaakt ({exc.strerror}).",
            ) from exc
    else:
        phrase = _passphrase(args.passphrase_file)
    with opened(args) as db:
        invite_id = invite_member(db, find_user(db, args.member), phrase, find_user(db, args.user))
    emit(
        args,
        {"invite_id": invite_id},
        "Uitnodiging klaargezet. Geef de wachtzin persoonlijk door aan uw collega.\n"
        "Tip: leg met 'store image' een actueel aansluitbestand in de opslag; de laptop van uw "
        "collega is dan in seconden bij.",
    )
    return 0


def _join(args: argparse.Namespace) -> int:
    from db.errors import RuleViolation
    from desktop.services.sync import join_store

    phrase = _passphrase(args.passphrase_file)
    with opened(args) as db:
        st = join_store(db, args.store, phrase)
        if args.user and args.user != st.user_id:
            from desktop.services.sync import find_user

            try:
                expected = find_user(db, args.user)
            except Exception:  # noqa: BLE001 - the user may only arrive with the first sync
                expected = args.user
            if expected != st.user_id:
                raise RuleViolation("Deze uitnodiging is voor een andere gebruiker.")
    emit(
        args, _status_dict(st), lambda d: "Aangesloten bij de gedeelde opslag.\n" + _human_status(d)
    )
    return 0


def _snapshot(args: argparse.Namespace) -> int:
    from desktop.services.sync import make_snapshot

    with opened(args) as db:
        name = make_snapshot(db)
    emit(
        args,
        {"snapshot": name},
        lambda d: (
            f"Momentopname geschreven: {d['snapshot']}"
            if d["snapshot"]
            else "Nog niets om te bundelen."
        ),
    )
    return 0


def _image(args: argparse.Namespace) -> int:
    from desktop.services.sync import make_image

    with opened(args) as db:
        name = make_image(db)
    emit(args, {"image": name}, lambda d: f"Aansluitbestand geschreven: {d['image']}")
    return 0


def _status(args: argparse.Namespace) -> int:
    from desktop.services.sync import status

    with opened(args) as db:
        st = status(db)
    emit(args, _status_dict(st), _human_status)
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    from desktop.services.sync import list_conflicts

    with opened(args) as db:
        items = list_conflicts(db)
    data = [
        {
            "kind": c.kind,
            "entity": c.entity,
            "entity_id": c.entity_id,
            "field": c.field,
            "versions": [
                {"op_id": v.op_id, "value": v.text, "author": v.author, "shown": v.shown}
                for v in c.versions
            ],
            "detail": c.detail,
        }
        for c in items
    ]
    emit(
        args,
        data,
        lambda d: (
            "\n".join(
                f"{c['entity']} {c['entity_id'][:8]} {c['field'] or c['kind']}: "
                + " | ".join(v["value"][:40] for v in c["versions"])
                for c in d
            )
            or "Geen conflicten."
        ),
    )
    return 0
