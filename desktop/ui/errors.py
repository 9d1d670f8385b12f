"""Unexpected errors: logged, shown once in one calm Dutch dialog; the app keeps running."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

log = logging.getLogger("kwaliteitsdialoog.ui")

_shown: set[str] = set()
# Set by the test suite (tests/conftest.py): receives an unexpected error instead of the modal
# dialog, so a test fails with the traceback instead of waiting on a box nobody closes.
unexpected_hook: Callable[[BaseException], None] | None = None


def report_exception(exc: BaseException, parent=None) -> None:  # type: ignore[no-untyped-def]
    from db.errors import UserFacingError
    from desktop.ui.qt import QApplication, QMessageBox

    if isinstance(exc, UserFacingError):
        if QApplication.instance() is not None:
            QMessageBox.warning(parent or QApplication.activeWindow(), "Kwaliteitsdialoog", exc.message)
        return
    from db.errors import storage_problem

    problem = storage_problem(exc)
    if problem is not None:  # a full disk or a locked file: say what to do, not "onverwacht"
        log.warning("storage problem: %s", exc)
        if QApplication.instance() is not None:
            QMessageBox.warning(parent or QApplication.activeWindow(), "Niet opgeslagen", problem)
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    if unexpected_hook is not None:  # the test suite: an unexpected error fails the test
        unexpected_hook(exc)
        return
    key = f"{type(exc).__name__}:{traceback.extract_tb(exc.__traceback__)[-1:]}"
    if key in _shown or QApplication.instance() is None:
        return
    _shown.add(key)
    from desktop.services.paths import log_dir

    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Er ging iets mis")
    box.setText("Er ging onverwacht iets mis. Uw gegevens zijn veilig opgeslagen; u kunt gewoon "
                "verder werken.")
    box.setInformativeText(
        f"De details staan in het logbestand in {log_dir()}. Blijft dit gebeuren, stuur dat "
        "bestand dan naar de functioneel beheerder.")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def install_excepthook() -> None:
    def hook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        exc.__traceback__ = tb
        report_exception(exc)

    sys.excepthook = hook
