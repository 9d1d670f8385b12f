"""Location tab "Bezoeken" (issue 19 split): `view` builds the widgets, `observations` shows
the observations of a visit, `controller` (`VisitsTab`) holds the behaviour. Every name stays
importable from `desktop.ui.visits.visits_tab`."""

from desktop.ui.visits.visits_tab.controller import VisitsTab
from desktop.ui.visits.visits_tab.observations import SIGNAL_TEXT, ObservationsPanel
from desktop.ui.visits.visits_tab.view import VisitsTabView

__all__ = ["SIGNAL_TEXT", "ObservationsPanel", "VisitsTab", "VisitsTabView"]
