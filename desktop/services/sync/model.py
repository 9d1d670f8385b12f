"""What the sync use cases return: the store's status, a round's summary, a conflict with its
versions, and the labels of the synchronised entities."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.errors import UserFacingError

log = logging.getLogger("desktop.services.sync")


class StoreUnavailable(UserFacingError):
    """The shared store cannot be used now (offline, foreign, not configured)."""


ENTITY_LABELS = {
    "theme_assessment": "Themabeoordeling",
    "site_visit": "Locatiebezoek",
    "follow_up_action": "Vervolgactie",
    "diagnosis_note": "Diagnosenotitie",
    "quality_plan": "Kwaliteitsplan",
    "plan_assessment": "Planbeoordeling",
    "budget_request": "Budgetaanvraag",
    "deviation_request": "Afwijkingsverzoek",
    "criterion_judgement": "Criteriumoordeel",
    "review_event": "Beoordelingsstap",
    "letter": "Brief",
    "provider": "Zorgaanbieder",
    "location": "Locatie",
    "app_user": "Gebruiker",
    "region": "Regio",
    "care_office": "Zorgkantoor",
    "custom_criterion": "Eigen toetspunt",
    "document": "Stuk",
    "decision_target": "Doelthema's van een besluit",
    "custom_agreement": "Maatwerkafspraak",
    "agreement_check": "Toets van een maatwerkafspraak",
    "intervention": "Interventie",
    "advance_adjustment": "Aanpassing voorschot",
    "realisation_report": "Realisatieopgave",
    "reallocation_round": "Herschikkingsronde",
    "reallocation_proposal": "Herschikkingsvoorstel",
    "final_settlement": "Nacalculatie",
}


@dataclass(frozen=True)
class StoreStatus:
    configured: bool
    store_path: str
    hub_id: str
    user_id: str
    last_sync: str  # ISO UTC or ""
    pending_ops: int
    conflicts: int
    quarantined: int
    held: int = 0  # own changes kept local because the team would refuse them


@dataclass(frozen=True)
class SyncSummary:
    pushed: int
    pulled: int
    conflicts: int
    quarantined: int
    quarantined_total: int
    waiting: int
    skipped: int
    fork: bool
    problems: tuple[str, ...]
    cancelled: bool
    seconds: float
    from_snapshot: int = 0
    held: tuple[str, ...] = ()  # own changes kept local, with what to do (Dutch)
    refused_ops: int = 0  # colleagues' operations refused op by op
    waiting_detail: tuple[dict[str, Any], ...] = ()  # per origin: what waits and why
    republished: int = 0
    from_image: str = ""  # the join image a new laptop started from (db/sync/image.py)

    def as_dict(self) -> dict[str, Any]:
        return {
            "held": list(self.held),
            "refused_ops": self.refused_ops,
            "waiting_detail": list(self.waiting_detail),
            "republished": self.republished,
            "from_snapshot": self.from_snapshot,
            "from_image": self.from_image,
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "quarantined_total": self.quarantined_total,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "fork": self.fork,
            "problems": list(self.problems),
            "cancelled": self.cancelled,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class ConflictVersion:
    op_id: str
    value: Any
    text: str
    author: str
    at: datetime | None
    shown: bool  # the version currently shown (the deterministic winner)


@dataclass(frozen=True)
class ConflictInfo:
    kind: str  # field / edit_delete / unapplied
    entity: str
    entity_id: str
    field: str
    entity_label: str
    versions: tuple[ConflictVersion, ...]
    detail: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.entity}:{self.entity_id}:{self.field}"
