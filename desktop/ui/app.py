"""Start-up: paint the window first, load the rest behind it (ARCHITECTURE.md budget 0.8 s).

1. Qt + the window with the location list, read with the stdlib sqlite3 module;
2. then, on the database worker: SQLAlchemy/SQLModel, the Database, the current user;
3. then first-start questions (profile, demo data) and the areas' start-up hooks.

The cyclic garbage collector is paused from here until the database is usable (issue 18).
Start-up allocates about a million small containers (Qt wrappers, SQLAlchemy's and pydantic's
class machinery, the models) and frees almost none of them; with the collector on, its full
collections walked that growing heap again and again: about 0.2 s of CPU before the database
was usable. Once it is, one collection runs, the start-up objects are moved to the permanent
generation (`gc.freeze`: later collections do not walk them again) and the collector resumes.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from pathlib import Path

log = logging.getLogger("kwaliteitsdialoog.app")

T0 = time.perf_counter()


def _pause_gc() -> None:
    gc.disable()


def _resume_gc() -> None:
    """After start-up: collect once, keep the start-up objects out of later collections."""
    if gc.isenabled():
        return
    gc.collect()
    if not gc.get_freeze_count():  # once per process (tests start the app more than once)
        gc.freeze()
    gc.enable()


def _init_services(db_path: Path):  # type: ignore[no-untyped-def]
    from desktop.services import users
    from desktop.services.database import open_database

    db = open_database(db_path)
    return db, users.current_user(db)


def run_app(
    db_path: Path | None = None,
    screenshot: Path | None = None,
    offscreen: bool = False,
    argv: list[str] | None = None,
) -> int:
    if screenshot is not None or offscreen:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _pause_gc()
    try:
        return _run_app(db_path, screenshot, argv)
    finally:
        _resume_gc()


def _run_app(db_path: Path | None, screenshot: Path | None, argv: list[str] | None) -> int:
    from desktop.logging_setup import setup_logging

    setup_logging()
    from db.errors import DatabaseOpenError
    from desktop.services.database import prepare_database
    from desktop.services.directory import load_directory
    from desktop.services.paths import default_db_path
    from desktop.ui.qt import QApplication, QIcon, QMessageBox, QTimer
    from desktop.ui.style import apply as apply_style

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Kwaliteitsdialoog")
    app.setOrganizationName("Kwaliteitsdialoog")
    from desktop.ui.dutch import install_translations

    install_translations(app)  # Qt's own buttons and dialogs in Dutch (qtbase_nl)
    apply_style(app)  # Fusion, stylesheet at the system font size, accessibility rules
    _set_icon(app, QIcon)
    from desktop.ui.errors import install_excepthook

    install_excepthook()

    path = Path(db_path or default_db_path()).expanduser()
    try:
        prepare_database(path)  # a new database gets its reference data before it exists
        directory = load_directory(path)
    except DatabaseOpenError as exc:
        log.warning("cannot open database %s: %s", path, exc.message)
        if screenshot is None:
            QMessageBox.critical(None, "Database kan niet worden geopend", exc.message)
        else:
            sys.stderr.write(f"kwaliteitsdialoog: {exc.message}\n")
        return 1

    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    ctx = AppContext(path)
    window = MainWindow(ctx, directory)
    if screenshot is None:
        window.restore_geometry()  # size and place of the last session
    else:
        window.resize(1366, 768)  # screenshots: the same size on every machine
    window.show()
    log.info("window shown after %.0f ms", (time.perf_counter() - T0) * 1000)
    if os.environ.get("KWALITEITSDIALOOG_EXIT_AFTER_PAINT"):
        # tests/bench/test_bench_startup.py: report the first complete paint, then leave.
        app.processEvents()
        window.grab()
        print(
            f"painted {len(window.directory.locations)} {(time.perf_counter() - T0) * 1000:.1f}",
            flush=True,
        )
        os._exit(0)

    def ready(result) -> None:  # type: ignore[no-untyped-def]
        db, user = result
        ctx.set_db(db)
        ctx.set_user(user)
        if os.environ.get("KWALITEITSDIALOOG_EXIT_AFTER_READY"):
            # tests/bench/test_bench_national.py (issue 18): the database is usable; leave.
            print(f"ready {(time.perf_counter() - T0) * 1000:.1f}", flush=True)
            os._exit(0)
        QTimer.singleShot(0, _resume_gc)  # behind the first events, before the questions
        QTimer.singleShot(0, window.build_pages)  # before the first click on a location
        if screenshot is None:
            _after_start(ctx, window)
        _run_startup_hooks(ctx, window)

    def failed(exc: BaseException) -> None:
        _resume_gc()
        from desktop.ui.errors import report_exception

        report_exception(exc, window)

    ctx.run(_init_services, path, on_done=ready, on_error=failed, label="Database openen")

    if screenshot is not None:
        return _take_screenshot(app, ctx, window, Path(screenshot))
    code = app.exec()
    ctx.executor.shutdown()
    return int(code)


def _set_icon(app, QIcon) -> None:  # type: ignore[no-untyped-def]
    from importlib import resources

    try:
        icon = resources.files("resources").joinpath("icons", "kwaliteitsdialoog.svg")
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    except (FileNotFoundError, ModuleNotFoundError):
        pass


def _run_startup_hooks(ctx, window) -> None:  # type: ignore[no-untyped-def]
    from desktop.ui.sections import STARTUP_HOOKS, load

    for ref in STARTUP_HOOKS:
        try:
            load(ref)(ctx, window)
        except Exception:
            log.exception("startup hook %s failed", ref)


def _after_start(ctx, window) -> None:  # type: ignore[no-untyped-def]
    """First start: ask who uses this laptop, then offer demo data on an empty database."""
    if ctx.user is None:
        ask_profile(ctx, window, first_start=True)
    if not window.directory.locations:
        from desktop.ui.dutch import ask

        if ask(
            window,
            "Voorbeeldgegevens laden",
            "Deze database is nog leeg. Wilt u voorbeeldgegevens laden (fictieve zorgaanbieders "
            "en locaties in twee regio's) om het programma te verkennen?",
            yes="Voorbeeldgegevens laden",
            no="Nee, leeg beginnen",
            default_yes=True,
        ):
            load_demo(ctx, window)


def ask_profile(ctx, window, first_start: bool) -> None:  # type: ignore[no-untyped-def]
    """The first user's profile, stored on the database worker (never on the GUI thread)."""
    from desktop.services import users
    from desktop.ui.team.team_dialog import edit_own_profile, own_details, profile_dialog

    if ctx.user is not None:  # Mijn profiel: the current user's own details, never roles
        edit_own_profile(ctx, window)
        return
    profile_dialog(
        ctx,
        window,
        lambda db, v: users.create_user(db, roles=v["roles"], **own_details(v)),
        first_start=first_start,
    )


def load_demo(ctx, window) -> None:  # type: ignore[no-untyped-def]
    def work(progress=None):  # type: ignore[no-untyped-def]
        from desktop.services.demo import generate_demo

        return generate_demo(ctx.db, scale="small", seed=2026, progress=progress)

    def done(_result) -> None:  # type: ignore[no-untyped-def]
        ctx.announce("*")
        ctx.status_message("Voorbeeldgegevens geladen.")

    ctx.run(work, on_done=done, label="Voorbeeldgegevens laden…", cancellable=True)


def _take_screenshot(app, ctx, window, out: Path) -> int:  # type: ignore[no-untyped-def]
    """--screenshot: wait for start-up, open the first location, render the window to PNG."""
    from desktop.ui.qt import QEventLoop

    deadline = time.monotonic() + 30
    while not ctx.db_ready and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    first = window.navigator.first_location_id()
    if first:
        window.open_location(first)
    # let queued database jobs deliver and the page paint
    for _ in range(3):
        ctx.executor.wait_idle(10)
        t_end = time.monotonic() + 0.2
        while time.monotonic() < t_end:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(out))
    window.close()  # closeEvent waits for the worker, so close before shutting it down
    ctx.executor.shutdown()
    if not ok:
        sys.stderr.write(
            f"kwaliteitsdialoog: schermafbeelding kon niet worden opgeslagen in {out}\n"
        )
        return 1
    print(f"Schermafbeelding opgeslagen: {out}")
    return 0


def main() -> int:
    return run_app()


if __name__ == "__main__":
    sys.exit(main())
