"""The GUI-thread guard (issue 19): UI code never opens the database on the GUI thread; every
read and write goes through `ctx.run` (the database worker).

While `database_on_gui_thread()` is active, every transaction SQLAlchemy begins and every
plain sqlite3 connection is checked: opened on the main (GUI) thread with UI code
(`desktop.ui.*`) on the call stack, it is a violation, noted with the UI function that did it.
The test's own set-up on the main thread (services called straight from the test) is fine.
Use the `no_database_on_gui_thread` fixture (tests/conftest.py): it fails the test at the end
if any violation was seen.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

_WORKER_SIDE = ("desktop.ui.executor",)  # runs jobs; its frames are never on the GUI thread


def _ui_caller(frame: FrameType | None) -> str | None:
    """The innermost `desktop.ui` function on the stack, as "module:function:line"."""
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("desktop.ui") and not module.startswith(_WORKER_SIDE):
            return f"{module}:{frame.f_code.co_name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@contextmanager
def database_on_gui_thread() -> Iterator[list[str]]:
    """Yields the list of violations seen while the block runs (empty when all is well)."""
    seen: list[str] = []
    gui = threading.main_thread()

    def check(what: str) -> None:
        if threading.current_thread() is gui:
            where = _ui_caller(sys._getframe(2))
            if where is not None:
                seen.append(f"{what} from {where}")

    def on_begin(_conn: Any) -> None:
        check("a database transaction")

    real_connect = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        check("a sqlite3 connection")
        return real_connect(*args, **kwargs)

    event.listen(Engine, "begin", on_begin)
    sqlite3.connect = connect  # type: ignore[assignment]
    try:
        yield seen
    finally:
        sqlite3.connect = real_connect
        event.remove(Engine, "begin", on_begin)
