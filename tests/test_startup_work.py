"""What start-up no longer does (issue 18: the database usable <= 0.8 s after start at 3x).

Three costs were found with `-X importtime`, cProfile and process CPU time on the national
database and removed; each test here fails when its cost comes back:

* the Qt facade star-imported QtCore/QtGui/QtWidgets/QtPrintSupport, which makes PySide6
  create every class and enum up front (130-210 ms);
* the cyclic garbage collector walked the growing start-up heap again and again (~0.2 s CPU);
* the directory folded 3,000 location keys character by character in Python (~50 ms);
* pydantic built validators for 44 table classes that are never validated (50-100 ms);
* the location and group pages were built before the window was shown (~50 ms).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=120,
    )


def _qt_names() -> set[str]:
    """Every name any module of ours imports from the Qt facade (also inside functions)."""
    names: set[str] = set()
    for package in ("desktop", "tests"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "desktop.ui.qt":
                    names.update(a.name for a in node.names)
    return names


def test_every_name_imported_from_the_qt_facade_resolves() -> None:
    names = _qt_names()
    assert {"QApplication", "QWidget", "Qt", "Signal", "QPrinter"} <= names
    from desktop.ui import qt

    missing = [n for n in sorted(names) if not hasattr(qt, n)]
    assert missing == []
    with pytest.raises(AttributeError):
        qt.QDoesNotExist  # noqa: B018


def test_the_qt_facade_creates_no_type_nobody_asked_for() -> None:
    """PySide6 creates a module's Python types on first use; a star import asks for all."""
    code = (
        "import sys\n"
        "import desktop.ui.qt as qt\n"
        "assert 'PySide6.QtPrintSupport' not in sys.modules, 'print support loaded up front'\n"
        "from PySide6 import QtWidgets\n"
        "created = [n for n in ('QCalendarWidget', 'QUndoView', 'QFileSystemModel')\n"
        "           if n in QtWidgets.__dict__]\n"
        "print(created); sys.exit(1 if created else 0)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_garbage_collector_runs_again_once_the_database_is_usable(tmp_path: Path) -> None:
    """Paused for start-up only: a collector left off would let every cycle leak all day."""
    code = (
        "import gc, os, sys\n"
        "import desktop.ui.app as app\n"
        "from desktop.ui.qt import QTimer\n"
        "def hooks(ctx, window):\n"
        "    def check():\n"
        "        print('gc', gc.isenabled(), gc.get_freeze_count() > 0, flush=True)\n"
        "        print('pages', window._location_page is not None, flush=True)\n"
        "        os._exit(0)\n"
        "    QTimer.singleShot(50, check)\n"
        "app._run_startup_hooks = hooks\n"
        "app._after_start = lambda ctx, window: None\n"
        f"app.run_app(db_path={str(tmp_path / 'kd.sqlite')!r}, offscreen=True)\n"
    )
    result = _run(code)
    assert "gc True True" in result.stdout, result.stdout + result.stderr[-2000:]
    # built right after the database is usable, before the first click on a location
    assert "pages True" in result.stdout, result.stdout


def test_the_window_is_shown_before_the_location_and_group_pages_are_built(qtbot, db_path) -> None:  # type: ignore[no-untyped-def]
    """~50 ms of the start-up budget: the pages a click on the list shows are built later."""
    from desktop.services.database import open_database
    from desktop.services.directory import load_directory
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    open_database(db_path)
    ctx = AppContext(db_path)
    window = MainWindow(ctx, load_directory(db_path))
    qtbot.addWidget(window)
    window.show()
    assert window._location_page is None and window._group_page is None
    page = window.location_page  # built on first use, in the page stack
    assert window.pages.indexOf(page) >= 0 and window.location_page is page
    ctx.executor.shutdown()


def _slow_fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


def test_the_directory_search_key_is_the_same_on_the_fast_path() -> None:
    from desktop.services.directory import fold

    samples = [
        "Zorgcentrum De Linde Utrecht 3511 AB 06110001",
        "ZORGGROEP ÜHLENBECK",
        "Huize Ĳsselmonde",
        "Stichting ﬁjn wonen",  # a ligature: NFKD splits it
        "Crèche Émile",
        "",
        "Straße",
    ]
    assert [fold(s) for s in samples] == [_slow_fold(s) for s in samples]
    assert fold("Zorggroep Ühlenbeck") == "zorggroep uhlenbeck"


def test_the_directory_rows_carry_their_own_columns(db, db_path) -> None:  # type: ignore[no-untyped-def]
    """Rows are built positionally from the query: each field holds its own column."""
    from sqlmodel import select

    from db.models import Location, Provider
    from desktop.services.demo import generate_demo
    from desktop.services.directory import load_directory

    generate_demo(db, "small")
    rows = load_directory(db_path).locations
    assert rows
    with db.read_session() as s:
        for row in rows[:20]:
            loc = s.get(Location, row.id)
            assert loc is not None
            prov = s.exec(select(Provider).where(Provider.id == loc.provider_id)).one()
            assert (row.name, row.place, row.postcode, row.agb_code, row.capacity) == (
                loc.name,
                loc.place,
                loc.postcode,
                loc.agb_code,
                loc.capacity,
            )
            assert (row.provider_id, row.provider_name, row.provider_kvk) == (
                prov.id,
                prov.name,
                prov.kvk_number,
            )
            assert row.region_id == loc.region_id


def test_no_table_class_builds_its_pydantic_validators_at_import() -> None:
    """Table classes derive from db.table.Table (`defer_build`): pydantic builds a table's
    validators on first validation, not while the worker imports the models (0.09-0.17 s)."""
    code = (
        "import sys\n"
        "import db.models, db.sync.models\n"
        "db.models.load_all()\n"
        "from sqlmodel import SQLModel\n"
        "from db.table import Table\n"
        "tables = [m.class_ for m in SQLModel._sa_registry.mappers]\n"
        "assert len(tables) > 40, len(tables)\n"
        "bad = [c.__name__ for c in tables if not issubclass(c, Table) or c.__pydantic_complete__]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_opening_the_database_loads_only_the_table_modules_it_needs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """db.models loads a table module on first use: the worker that makes the database usable
    after start (open, current user) does not create the budget, steering, budget-year or
    document classes (~0.12 s at 3x with all of them); ENTITIES and load_all still give every
    table."""
    from desktop.services.database import prepare_database

    path = tmp_path / "kd.sqlite"
    prepare_database(path)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop.ui.app import _init_services\n"
        f"_init_services(Path({str(path)!r}))[0].dispose()\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('db.models.'))\n"
        "print(loaded)\n"
        "later = {'db.models.budget', 'db.models.budget_year', 'db.models.steering', 'db.models.quality',\n"
        "         'db.models.documents', 'db.models.toetspunten'}\n"
        "assert not later & set(loaded), loaded\n"
        "from db.models import ENTITIES\n"
        "assert {'budget_request', 'advance_adjustment', 'intervention', 'document'} <= set(ENTITIES)\n"
        "from sqlmodel import SQLModel\n"
        "assert 'custom_criterion' in SQLModel.metadata.tables\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_first_write_of_a_fresh_process_knows_every_table(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A flush orders tables by their foreign keys, so every table a foreign key names must be
    known: a fresh process that had loaded only the quality tables crashed on its first
    diagnosis note (its locked_by_request_id names budget_request). The tests of this suite run
    with every model imported and could not see it; this one starts a process of its own."""
    from db.models import AppUser, Provider
    from db.repo import UnitOfWork
    from desktop.services.database import open_database, prepare_database

    path = tmp_path / "kd.sqlite"
    prepare_database(path)
    db = open_database(path)
    with UnitOfWork(db, None) as uow:
        user = uow.add(AppUser(name="Anna de Vries", initials="AdV", roles=["PURCHASER"]))
        provider = uow.add(Provider(name="Zorggroep De Linde"))
    db.dispose()
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from desktop.services.database import open_database\n"
        "from db.repo import UnitOfWork\n"
        "from db.models import DiagnosisNote\n"
        f"db = open_database({str(path)!r})\n"
        "assert 'db.models.budget' not in sys.modules\n"
        f"with UnitOfWork(db, {user.id!r}) as uow:\n"
        "    uow.add(DiagnosisNote(\n"
        f"        provider_id={provider.id!r}, kind='NOTE', theme_codes=[], text='Notitie',\n"
        f"        source='', noted_on=date(2026, 12, 7), author_id={user.id!r}))\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stdout + result.stderr
