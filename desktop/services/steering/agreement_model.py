"""Maatwerkafspraken: the records (an agreement with its checks) and their labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.services.themes import (
    rating_label,
)

CHECK_METHODS = {"BEZOEK": "Locatiebezoek", "INDICATOR": "Indicator", "GESPREK": "Gesprek"}
STATUS_LABELS = {
    "OPEN": "Loopt",
    "MET": "Behaald",
    "PARTLY": "Deels behaald",
    "MISSED": "Niet behaald",
    "WITHDRAWN": "Vervallen",
}
OUTCOMES = ("MET", "PARTLY", "MISSED", "OPEN", "WITHDRAWN")


@dataclass(frozen=True)
class CheckInfo:
    id: str
    checked_on: date
    outcome: str
    visit_id: str | None
    visit_date: date | None
    note: str
    author_name: str

    @property
    def outcome_label(self) -> str:
        return STATUS_LABELS.get(self.outcome, self.outcome)

    @property
    def source_label(self) -> str:
        if self.visit_id:
            from desktop.services.formatting import short_date

            return f"bezoek {short_date(self.visit_date)}" if self.visit_date else "bezoek"
        return "handmatig"


@dataclass(frozen=True)
class AgreementInfo:
    id: str
    provider_id: str
    provider_name: str
    budget_request_id: str | None
    budget_year: int | None
    theme_codes: tuple[str, ...]
    location_ids: tuple[str, ...]
    location_names: tuple[str, ...]
    target_rating: str | None
    target_change: str
    due_date: date
    check_method: str
    status: str
    checks: tuple[CheckInfo, ...]  # oldest first
    overdue: bool  # still open after the deadline

    @property
    def status_label(self) -> str:
        label = STATUS_LABELS.get(self.status, self.status)
        return f"{label} (termijn verstreken)" if self.overdue else label

    @property
    def method_label(self) -> str:
        return CHECK_METHODS.get(self.check_method, self.check_method)

    @property
    def result_text(self) -> str:
        """The result aimed at, in Dutch."""
        parts = []
        if self.target_rating:
            parts.append(f"minimaal {rating_label(self.target_rating).lower()}")
        if self.target_change:
            parts.append(self.target_change)
        return "; ".join(parts)

    @property
    def scope_text(self) -> str:
        where = ", ".join(self.location_names) if self.location_names else "alle locaties"
        return f"{', '.join(self.theme_codes)} · {where}"
