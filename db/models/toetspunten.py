"""Own toetspunten of a care office or one of its regions (issue 15).

Inkoopkader 2020 §4.2.7 (seed 001): "Het zorgkantoor toetst de aanvraag in ieder geval aan de
volgende punten" -- the ten criteria are a minimum, so a zorgkantoor (or one region of it, the
Salland practice of region-specific test points, S4 §2.3) adds its own. They are judged like
C1..C10 (CriterionJudgement.criterion holds `custom_code(id)`) and printed in the letter.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from db.models.base import Record


class CustomCriterion(Record, table=True):
    __tablename__ = "custom_criterion"

    care_office_id: str = Field(foreign_key="care_office.id", index=True)
    region_id: str | None = Field(default=None, foreign_key="region.id")  # None: whole office
    short_nl: str = Field(max_length=80)
    text_nl: str
    valid_from: date  # applies to requests received on or after this day
    valid_to: date | None = None  # retired after this day (never hard-deleted)
