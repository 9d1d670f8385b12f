"""Shared fixtures: real SQLite files in tmp_path, offscreen Qt, isolated data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data folder: logs and default databases go to tmp."""
    data = tmp_path / "appdata"
    monkeypatch.setenv("KWALITEITSDIALOOG_DATA_DIR", str(data))
    return data


@pytest.fixture(autouse=True)
def _unexpected_errors_fail(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """An unexpected error the app would show in its "Er ging iets mis" dialog fails the test
    with its traceback (the modal dialog would otherwise wait for a click that never comes).
    Tests that provoke one on purpose carry `@pytest.mark.expected_error`."""
    if request.node.get_closest_marker("expected_error"):
        yield
        return
    from desktop.ui import errors

    reported: list[BaseException] = []
    errors.unexpected_hook = reported.append
    try:
        yield
    finally:
        errors.unexpected_hook = None
    if reported:
        import traceback

        pytest.fail(
            "unexpected error reported to the user:\n"
            + "".join(traceback.format_exception(reported[0])),
            pytrace=False,
        )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite"


@pytest.fixture(scope="session")
def _template_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database per test session; each test gets its own copy of it."""
    from desktop.services.database import open_database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    open_database(path).dispose()
    return path


@pytest.fixture
def db(db_path: Path, _template_db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh, initialised database file (schema + reference data), copied from the session
    template with SQLite's backup API (creating one through the op-log takes seconds)."""
    import sqlite3

    from desktop.services.database import open_database

    src = sqlite3.connect(_template_db_path)
    dst = sqlite3.connect(db_path)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    database = open_database(db_path)
    yield database
    database.dispose()


@pytest.fixture
def users(db):  # type: ignore[no-untyped-def]
    """Three colleagues: a zorginkoper (current user), a kwaliteitsadviseur, a teamleider."""
    from people_helpers import make_colleagues

    return make_colleagues(db)


@pytest.fixture
def no_database_on_gui_thread():  # type: ignore[no-untyped-def]
    """Fails the test when UI code opens the database on the GUI thread (tests/gui_thread.py).
    Yields the live list of violations (a test of the guard itself may inspect and clear it)."""
    from tests.gui_thread import database_on_gui_thread

    with database_on_gui_thread() as seen:
        yield seen
    assert not seen, "database opened on the GUI thread (use ctx.run):\n" + "\n".join(seen)
