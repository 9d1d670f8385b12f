"""The visit window (issue 19 split, TagStudio-style): `view` builds the widgets,
`controller` holds the behaviour (autosave, completing, correcting), `opening` keeps one
window per visit. Every name stays importable from `desktop.ui.visits.visit_window`."""

from desktop.ui.visits.visit_window.controller import AUTOSAVE_MS, SYNC_MS, VisitWindow
from desktop.ui.visits.visit_window.opening import (
    _OPEN,
    close_all_visits,
    new_visit,
    open_visit,
    open_windows,
)
from desktop.ui.visits.visit_window.view import VisitWindowView

__all__ = [
    "AUTOSAVE_MS",
    "SYNC_MS",
    "_OPEN",
    "VisitWindow",
    "VisitWindowView",
    "close_all_visits",
    "new_visit",
    "open_visit",
    "open_windows",
]
