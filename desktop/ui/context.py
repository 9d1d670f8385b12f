"""AppContext: what every view gets. Views call services through ctx.run (never a session)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.ui.executor import DbExecutor, Job
from desktop.ui.qt import QObject, Signal


class AppContext(QObject):
    #: emitted after every job that committed writes, with the entity names (a ChangeSet,
    #: frozenset[str]); collected by UnitOfWork, so no view has to remember to announce them
    entities_changed = Signal(object)
    #: emitted when the current user changes
    user_changed = Signal(object)
    _status = Signal(str)

    def __init__(self, db_path: Path, executor: DbExecutor | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.executor = executor or DbExecutor(self)
        self.executor.entities_changed.connect(self.entities_changed)
        self._db: Any = None
        self._db_ready = threading.Event()
        self.user: Any = None  # desktop.services.users.UserInfo | None
        self.window: Any = None  # set by the main window

    def announce(self, *entities: str) -> None:
        """Announce a change no unit of work collected (a sync, another user, F5): views get it
        on `entities_changed` like any other; `announce("*")` refreshes everything."""
        self.entities_changed.emit(frozenset(entities or ("*",)))

    # -- database ---------------------------------------------------------------------------
    def set_db(self, db: Any) -> None:
        self._db = db
        self._db_ready.set()

    @property
    def db(self) -> Any:
        """The open db.engine.Database. Waits (briefly, at start-up only) until it is ready."""
        if not self._db_ready.wait(timeout=60):
            raise RuntimeError("database not ready")
        return self._db

    @property
    def db_ready(self) -> bool:
        return self._db_ready.is_set()

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        """Run fn(*args, **kwargs) on the database worker; on_done(result) on the GUI thread.
        The options (on_done, on_error, label, cancellable) are DbExecutor.submit's."""
        return self.executor.submit(fn, *args, **kwargs)

    # -- navigation ------------------------------------------------------------------------------
    def open_location(self, location_id: str, theme_code: str | None = None) -> None:
        if self.window is not None:
            self.window.open_location(location_id, theme_code)

    def show_section(self, key: str) -> Any:
        if self.window is not None:
            return self.window.show_section(key)
        return None

    def status_message(self, text: str, msecs: int = 5000) -> None:
        if self.window is not None:
            self.window.statusBar().showMessage(text, msecs)

    def offer_open(self, path: Any, what: str = "Opgeslagen") -> None:
        """After saving: the status bar names the file and offers to open it."""
        if self.window is not None:
            from desktop.ui.files import offer_open

            offer_open(self.window, str(path), what)

    def set_user(self, user: Any) -> None:
        self.user = user
        self.user_changed.emit(user)
