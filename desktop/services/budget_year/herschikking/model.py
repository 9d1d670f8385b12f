"""The herschikking's records: a proposal per agreed budget and the round with its totals."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SUBJECT = "reallocation_round"
ZERO = Decimal("0.00")
THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class ProposalRow:
    id: str
    request_id: str
    provider_id: str
    provider_name: str
    region_id: str
    region_name: str
    previous_total: Decimal
    new_staff: Decimal
    new_other: Decimal
    # The cap (§4.2.11 "nooit meer dan begroot in de goedgekeurde aanvraag"): the request, or
    # for a part the decision itself set higher (an adjusted split), the decided part.
    requested_total: Decimal
    requested_staff: Decimal
    requested_other: Decimal
    reason: str
    signal: str
    previous_staff: Decimal = ZERO
    previous_other: Decimal = ZERO

    @property
    def new_total(self) -> Decimal:
        return self.new_staff + self.new_other

    @property
    def change(self) -> Decimal:
        return self.new_total - self.previous_total

    @property
    def changed(self) -> bool:
        return self.change != 0


@dataclass(frozen=True)
class RoundDetail:
    id: str
    care_office_id: str
    care_office_name: str
    year: int
    note: str
    author_id: str
    proposals: tuple[ProposalRow, ...]
    ceiling: Decimal | None  # care-office ceiling of the year (None: none recorded)
    review_state: str
    review_label: str

    @property
    def previous_total(self) -> Decimal:
        return sum((p.previous_total for p in self.proposals), ZERO)

    @property
    def new_total(self) -> Decimal:
        return sum((p.new_total for p in self.proposals), ZERO)

    @property
    def headroom(self) -> Decimal | None:
        return None if self.ceiling is None else self.ceiling - self.new_total

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "care_office": self.care_office_name,
            "year": self.year,
            "review": self.review_state,
            "review_label": self.review_label,
            "ceiling": None if self.ceiling is None else str(self.ceiling),
            "previous_total": str(self.previous_total),
            "new_total": str(self.new_total),
            "headroom": None if self.headroom is None else str(self.headroom),
            "proposals": [
                {
                    "id": p.id,
                    "request_id": p.request_id,
                    "provider_id": p.provider_id,
                    "provider": p.provider_name,
                    "region": p.region_name,
                    "previous_total": str(p.previous_total),
                    "new_total": str(p.new_total),
                    "new_staff": str(p.new_staff),
                    "new_other": str(p.new_other),
                    "requested_total": str(p.requested_total),
                    "change": str(p.change),
                    "signal": p.signal,
                    "reason": p.reason,
                }
                for p in self.proposals
            ],
        }
