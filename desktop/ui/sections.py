"""Extension points of the main window. Areas add one line here; classes load lazily.

SECTIONS       the left bar: key, Dutch label, "module:Class" built as Class(ctx)
LOCATION_TABS  tabs on a location page: built as Class(ctx), then .set_location(location_id)
MENU_ACTIONS   menu entries: handler "module:function" called as function(ctx, window)
STARTUP_HOOKS  "module:function" called as function(ctx, window) once the database is ready
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SectionSpec:
    key: str
    label: str
    factory: str
    shortcut: str = ""
    tooltip: str = ""


@dataclass(frozen=True)
class TabSpec:
    key: str
    label: str
    factory: str


@dataclass(frozen=True)
class ActionSpec:
    menu: str  # "Bestand", "Bewerken", "Beeld", "Extra", "Help"
    label: str
    handler: str
    shortcut: str = ""


SECTIONS: list[SectionSpec] = [
    # "locaties" is built in (navigator + location pages) and always first.
    SectionSpec("regio", "Regio-overzicht", "desktop.ui.diagnosis.region:RegionOverview"),
    SectionSpec("sturing", "Sturing", "desktop.ui.steering.section:SteeringSection"),
    SectionSpec("zoeken", "Zoeken", "desktop.ui.diagnosis.search:SearchSection"),
    SectionSpec("aanvragen", "Aanvragen", "desktop.ui.requests.requests_view:RequestsSection"),
    SectionSpec(
        "te_beoordelen", "Te beoordelen", "desktop.ui.requests.queue_view:ReviewQueueSection"
    ),
    SectionSpec(
        "budgetkalender",
        "Budgetkalender",
        "desktop.ui.requests.calendar_view:BudgetCalendarSection",
    ),
    SectionSpec(
        "kwaliteitsplannen", "Kwaliteitsplannen", "desktop.ui.requests.plans_view:PlansSection"
    ),
    SectionSpec("brieven", "Brieven", "desktop.ui.letters.letters_view:LettersSection"),
    SectionSpec(
        "begrotingsjaar",
        "Begrotingsjaar",
        "desktop.ui.budget_year.monitoring_view:BudgetYearSection",
    ),
    SectionSpec("mijn_acties", "Mijn acties", "desktop.ui.visits.actions_view:ActionsView"),
]

LOCATION_TABS: list[TabSpec] = [
    # "overzicht" is built in and always first.
    TabSpec("kwaliteitsdiagnose", "Kwaliteitsdiagnose", "desktop.ui.diagnosis.tab:DiagnosisTab"),
    TabSpec("bezoeken", "Bezoeken", "desktop.ui.visits.visits_tab:VisitsTab"),
    TabSpec("stukken", "Stukken", "desktop.ui.documents.panel:LocationDocumentsTab"),
    TabSpec(
        "kwaliteitsbudget", "Kwaliteitsbudget", "desktop.ui.budget_year.location_tab:BudgetYearTab"
    ),
]

MENU_ACTIONS: list[ActionSpec] = [
    ActionSpec(
        "Extra",
        "Kwaliteitsbudgetplafond…",
        "desktop.ui.requests.ceiling_dialog:open_ceiling_dialog",
    ),
    ActionSpec(
        "Extra",
        "Eigen toetspunten…",
        "desktop.ui.requests.toetspunten_dialog:open_toetspunten_dialog",
    ),
    ActionSpec(
        "Extra", "Teamserver…", "desktop.ui.sync_pg.teamserver_dialog:open_teamserver_dialog"
    ),
    ActionSpec("Bestand", "Synchroniseren", "desktop.ui.sync.actions:sync_now", "Ctrl+Shift+S"),
    ActionSpec("Extra", "Gedeelde opslag…", "desktop.ui.sync.actions:open_store_dialog"),
    ActionSpec("Extra", "Conflicten oplossen…", "desktop.ui.sync.actions:open_conflicts_dialog"),
    ActionSpec(
        "Extra", "Niet gedeelde wijzigingen…", "desktop.ui.sync.held_dialog:open_held_dialog"
    ),
    ActionSpec("Extra", "Team…", "desktop.ui.team.team_dialog:open_team_dialog"),
    ActionSpec("Bestand", "Importeren…", "desktop.ui.import_dialog:open_import_dialog"),  # issue 14
    ActionSpec("Help", "Handleiding", "desktop.ui.guide:open_guide", "F1"),  # issue 14
]

STARTUP_HOOKS: list[str] = [
    "desktop.ui.visits.actions_view:offer_drafts",
    "desktop.ui.sync.actions:install",
]
STARTUP_HOOKS.append("desktop.ui.documents.hooks:install")  # Stukken: upload/extract after sync


def load(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)
