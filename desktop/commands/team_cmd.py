"""team list / grant / revoke: who belongs to the team with which roles (issue 13)."""

from __future__ import annotations

import argparse

from desktop.cli import add_db_option, add_json_option, emit
from desktop.commands.common import command, group, opened, team_lead_option


def register(sub: argparse._SubParsersAction) -> None:
    tsub = group(
        sub, "team", help="teamleden en hun rollen: tonen, toekennen, intrekken", metavar="ACTIE"
    )
    command(
        tsub,
        "list",
        help="toon de teamleden, hun rollen en wie die toekende",
        description="Toont elke collega met de rollen die in het team gelden "
        "(ondertekende toekenningen zodra er een gedeelde opslag is) en wie ze "
        "wanneer toekende of introk.",
        handler=_list,
    )
    for verb, text in (("grant", "ken een rol toe"), ("revoke", "trek een rol in")):
        p = tsub.add_parser(
            verb,
            help=f"teamleider: {text}",
            description=f"Teamleider: {text}. Met een gedeelde opslag wordt dat "
            "een toekenning ondertekend met uw sleutel; elke collega neemt haar "
            "over bij de volgende synchronisatie.",
        )
        add_db_option(p)
        team_lead_option(p)
        p.add_argument(
            "--member",
            required=True,
            metavar="GEBRUIKER",
            help="de collega (id, initialen of naam)",
        )
        p.add_argument(
            "--role", required=True, metavar="ROL", help="PURCHASER, QUALITY_ADVISOR of TEAM_LEAD"
        )
        add_json_option(p)
        p.set_defaults(handler=_change, verb=verb)


def _human(members: list[dict]) -> str:  # type: ignore[type-arg]
    from desktop.services.team import when

    lines = []
    for m in members:
        roles = ", ".join(m["roles"]) or "geen rol"
        lines.append(f"{m['name']} ({m['initials']}): {roles}{' – eigenaar' if m['owner'] else ''}")
        for g in m["grants"]:
            verb = "toegekend" if g["action"] == "grant" else "ingetrokken"
            extra = f" – telt niet: {g['refused']}" if g["refused"] else ""
            lines.append(f"    {g['role']} {verb} door {g['by']} op {when(g['at'])}{extra}")
    return "\n".join(lines) or "Geen teamleden."


def _list(args: argparse.Namespace) -> int:
    from desktop.services.team import members

    with opened(args) as db:
        data = [m.as_dict() for m in members(db)]
    emit(args, data, _human)
    return 0


def _change(args: argparse.Namespace) -> int:
    from desktop.services import team
    from desktop.services.sync import find_user

    with opened(args) as db:
        actor = find_user(db, args.user)
        member = find_user(db, args.member)
        fn = team.grant if args.verb == "grant" else team.revoke
        result = fn(db, actor, member, args.role).as_dict()
    emit(args, result, lambda m: _human([m]))
    return 0
