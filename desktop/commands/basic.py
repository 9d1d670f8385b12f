"""init and stats."""

from __future__ import annotations

import argparse

from desktop.cli import emit, resolve_db
from desktop.commands.common import command


def register(sub: argparse._SubParsersAction) -> None:
    command(
        sub,
        "init",
        help="maak een nieuwe database aan (of werk hem bij) met referentiegegevens",
        handler=_init,
    )

    command(sub, "stats", help="aantallen per soort gegeven", handler=_stats)


def _init(args: argparse.Namespace) -> int:
    from desktop.services.database import open_database
    from desktop.services.directory import counts

    path = resolve_db(args)
    open_database(path).dispose()
    c = counts(path)
    emit(
        args,
        {
            "db": str(path),
            "themes": c["theme"],
            "regions": c["region"],
            "care_offices": c["care_office"],
        },
        lambda d: (
            f"Database klaar: {d['db']} ({d['regions']} regio's, "
            f"{d['care_offices']} zorgkantoren, {d['themes']} thema's en subthema's)."
        ),
    )
    return 0


def _stats(args: argparse.Namespace) -> int:
    from desktop.commands.common import existing_db_path
    from desktop.services.directory import counts

    path = existing_db_path(args, check_revision=True)  # refuses foreign files clearly
    c = counts(path)
    emit(args, c, lambda d: "\n".join(f"{k:<28}{v:>10}" for k, v in d.items()))
    return 0
