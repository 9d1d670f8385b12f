"""`kwaliteitsdialoog`: without a sub-command it starts the desktop app; with one it runs
headless over the same services. Exit code 0 on success; otherwise a Dutch message on stderr
and a non-zero code (1: refused by a rule or bad input, 2: wrong use of the command,
3: unexpected error, logged)."""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop import __version__

# Each module registers its sub-commands: register(subparsers) -> None.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.commands.basic",
    "desktop.commands.data",
    "desktop.commands.requests_cmd",
    "desktop.commands.themes_cmd",
    "desktop.commands.visits_cmd",
    "desktop.commands.letters_cmd",
    "desktop.commands.sync_cmd",
    "desktop.commands.pg_cmd",
    "desktop.commands.steering_cmd",
    "desktop.commands.documents_cmd",
    "desktop.commands.budget_cmd",
    "desktop.commands.team_cmd",
)

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3

log = logging.getLogger("kwaliteitsdialoog.cli")


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with Dutch headings, help option and usage line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="toon deze hulp en stop"
        )

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "gebruik: ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "gebruik: ", 1)

    _MESSAGES = (
        ("the following arguments are required:", "deze argumenten ontbreken:"),
        ("unrecognized arguments:", "onbekende argumenten:"),
        ("invalid choice:", "ongeldige keuze:"),
        ("choose from", "kies uit"),
        ("expected one argument", "verwacht één waarde"),
        ("invalid int value:", "geen geheel getal:"),
        ("not allowed with argument", "niet samen met argument"),
        ("one of the arguments", "een van de argumenten"),
        ("is required", "is verplicht"),
    )

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, dutch in self._MESSAGES:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"kwaliteitsdialoog: fout in de opdracht: {message}\n")
        sys.exit(EXIT_USAGE)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="databasebestand (standaard: kwaliteitsdialoog.sqlite in de gegevensmap)",
    )


def add_json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="uitvoer als JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="kwaliteitsdialoog",
        description="Kwaliteitsdialoog: kwaliteitssturing verpleeghuiszorg. Zonder opdracht "
        "start het programma met vensters.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"Kwaliteitsdialoog {__version__}",
        help="toon het versienummer en stop",
    )
    add_db_option(parser)
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="start het venster onzichtbaar, sla een schermafbeelding op en stop",
    )
    parser.add_argument("--offscreen", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(
        dest="command", metavar="OPDRACHT", parser_class=DutchArgumentParser
    )
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def resolve_db(args: argparse.Namespace) -> Path:
    from desktop.services.paths import default_db_path

    return (args.db or default_db_path()).expanduser()


def emit(args: argparse.Namespace, data: Any, human: Callable[[Any], str] | str) -> None:
    """Print `data` as JSON with --json, else the human (Dutch) text."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human(data) if callable(human) else human)


class TerminalProgress:
    """Progress of long work on one line of stderr. `for_args` gives one only on a terminal
    and without --json; `done()` ends the line."""

    cancelled = False

    @classmethod
    def for_args(cls, args: argparse.Namespace) -> TerminalProgress | None:
        return cls() if sys.stderr.isatty() and not getattr(args, "json", False) else None

    def report(self, done: int, total: int, text: str = "") -> None:
        sys.stderr.write(f"\r{done}/{total} {text[:70]:<70}")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\n")


def _only_app_options(argv: list[str]) -> bool:
    """True for `kwaliteitsdialoog [--db PATH] [--screenshot OUT] [--offscreen]`."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--db", "--screenshot") and i + 1 < len(argv):
            i += 2
        elif a.startswith(("--db=", "--screenshot=")) or a == "--offscreen":
            i += 1
        else:
            return False
    return True


def _app_options(argv: list[str]) -> tuple[Path | None, Path | None]:
    values: dict[str, str] = {}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--db", "--screenshot"):
            values[a] = argv[i + 1]
            i += 2
            continue
        if "=" in a:
            key, _, value = a.partition("=")
            values[key] = value
        i += 1
    db, shot = values.get("--db"), values.get("--screenshot")
    return (Path(db) if db else None), (Path(shot) if shot else None)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _only_app_options(argv):
        # Start-up budget: starting the window needs none of the sub-command parsers.
        from desktop.ui.app import run_app

        db, shot = _app_options(argv)
        return run_app(db_path=db, screenshot=shot, offscreen="--offscreen" in argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from desktop.ui.app import run_app

        return run_app(db_path=args.db, screenshot=args.screenshot, offscreen=args.offscreen)
    from desktop.logging_setup import setup_logging

    setup_logging(console=False)
    from db.errors import UserFacingError

    try:
        code = int(args.handler(args) or EXIT_OK)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # `kwaliteitsdialoog ... --json | head -c1`: the reader has gone; nothing went wrong.
        _silence_stdout()
        return EXIT_OK
    except UserFacingError as exc:
        sys.stderr.write(f"kwaliteitsdialoog: {exc.message}\n")
        return EXIT_REFUSED
    except KeyboardInterrupt:
        sys.stderr.write("kwaliteitsdialoog: afgebroken.\n")
        return EXIT_REFUSED
    except Exception as exc:  # noqa: BLE001 - last line of defence: log, calm message
        from db.errors import storage_problem

        problem = storage_problem(exc)
        if problem is not None:  # a full disk is not a bug: say what to do
            log.warning("storage problem in command %s: %s", args.command, exc)
            sys.stderr.write(f"kwaliteitsdialoog: {problem}\n")
            return EXIT_REFUSED
        log.exception("unexpected error in command %s", args.command)
        from desktop.services.paths import log_dir

        sys.stderr.write(
            "kwaliteitsdialoog: er ging onverwacht iets mis. De details staan in het logbestand "
            f"in {log_dir()}.\n"
        )
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
