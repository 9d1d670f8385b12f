"""What the sub-commands share: the database the user named with --db, opened once per
command and closed again, with one Dutch message when it does not exist."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.cli import resolve_db

if TYPE_CHECKING:
    from db.engine import Database


def existing_db_path(args: argparse.Namespace, *, check_revision: bool = False) -> Path:
    """The --db path; refused (DatabaseOpenError) when there is no such file. With
    `check_revision`, a file that is not a database of ours is refused too."""
    from db.errors import DatabaseOpenError

    path = resolve_db(args)
    if not path.exists():
        raise DatabaseOpenError(
            f"De database {path} bestaat niet. Maak hem aan met 'kwaliteitsdialoog init'."
        )
    if check_revision:
        from db.migrate import inspect_revision

        inspect_revision(path)
    return path


def open_db(args: argparse.Namespace, *, create: bool = False) -> Database:
    """Open the --db database (upgraded, reference data complete). Without `create` a
    missing file is refused; with it, it is made (`init`, `demo`, `import`)."""
    from desktop.services.database import open_database

    db: Database = open_database(resolve_db(args) if create else existing_db_path(args))
    return db


@contextmanager
def opened(args: argparse.Namespace, *, create: bool = False) -> Iterator[Database]:
    """`with opened(args) as db:` the database of open_db, disposed of afterwards."""
    db = open_db(args, create=create)
    try:
        yield db
    finally:
        db.dispose()


def care_office_id(db: Database, ref: str | None) -> str | None:
    """The id of the care office named by --care-office (code or short name); None without."""
    from desktop.services.budget import care_office_by_code

    return care_office_by_code(db, ref)[0] if ref else None


def as_of(args: argparse.Namespace) -> date | None:
    """The --today reference date (`2027-11-01` or `01-11-2027`); None means today."""
    from desktop.services.validation import iso_date

    return iso_date(args.today, "today", "--today") if getattr(args, "today", None) else None


def team_lead_option(
    p: argparse.ArgumentParser, help: str = "de teamleider (id, initialen of naam)"
) -> None:
    """`--as GEBRUIKER` (args.user), required: the team lead who does a team-lead step."""
    p.add_argument("--as", dest="user", required=True, metavar="GEBRUIKER", help=help)


def group(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    *,
    help: str,
    metavar: str = "OPDRACHT",
) -> argparse._SubParsersAction:  # type: ignore[type-arg]
    """A command made of sub-commands (`budget advances`, `letters make`), one of which must be
    named; the chosen one lands in `args.<name>_command`."""
    p = sub.add_parser(name, help=help)
    return p.add_subparsers(dest=f"{name}_command", metavar=metavar, required=True)


def command(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    *,
    handler: Callable[[argparse.Namespace], int],
    db: bool = True,
    json: bool = True,
    **parser_options: Any,
) -> argparse.ArgumentParser:
    """A sub-command that runs `handler`, with the --db and --json options every command on a
    database has (`db=False` / `json=False` to leave one out)."""
    from desktop.cli import add_db_option, add_json_option

    p: argparse.ArgumentParser = sub.add_parser(name, **parser_options)
    if db:
        add_db_option(p)
    if json:
        add_json_option(p)
    p.set_defaults(handler=handler)
    return p
