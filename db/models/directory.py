"""Care offices, regions, providers, locations, users and the Kwaliteitskader themes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from db.models.base import Record
from db.types import JSONText


class CareOffice(Record, table=True):
    """Zorgkantoor (Wlz-uitvoerder acting regionally). Also carries the letterhead data."""

    __tablename__ = "care_office"

    code: str = Field(index=True, unique=True, max_length=16)  # e.g. "ZK" (letter kenmerk prefix)
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=60)
    postal_address: str = Field(default="", max_length=200)  # "Postbus 1234"
    postcode: str = Field(default="", max_length=7)
    place: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    website: str = Field(default="", max_length=200)
    kvk_number: str = Field(default="", max_length=8)
    logo_path: str = Field(default="", max_length=500)
    letter_settings: dict = Field(default_factory=dict, sa_type=JSONText)


class Region(Record, table=True):
    """One of the 31 zorgkantoorregio's (S4 Bijlage 1)."""

    __tablename__ = "region"

    number: int = Field(index=True, unique=True)
    name: str = Field(index=True, max_length=100)
    aliases: list = Field(default_factory=list, sa_type=JSONText)


class RegionAssignment(Record, table=True):
    """Which care office serves a region, time-bounded (DOMAIN.md §9: assignments change)."""

    __tablename__ = "region_assignment"

    region_id: str = Field(foreign_key="region.id", index=True)
    care_office_id: str = Field(foreign_key="care_office.id", index=True)
    valid_from: date
    valid_to: date | None = None


class Provider(Record, table=True):
    """Zorgaanbieder (legal entity)."""

    __tablename__ = "provider"

    name: str = Field(index=True, max_length=200)
    kvk_number: str = Field(default="", index=True, max_length=8)
    agb_code: str = Field(default="", index=True, max_length=8)
    street: str = Field(default="", max_length=200)
    house_number: str = Field(default="", max_length=20)
    postcode: str = Field(default="", max_length=7)
    place: str = Field(default="", max_length=100)
    # Letter addressee: "t.a.v. de Raad van Bestuur" / "mevrouw drs. A. de Vries, bestuurder"
    attention_of: str = Field(default="", max_length=200)
    salutation: str = Field(default="", max_length=200)  # "Geachte mevrouw De Vries,"
    annual_turnover: int | None = None  # whole euros, VV4-VV10 production (seed data, S1 §4.2.3)


class Location(Record, table=True):
    """Verpleeghuislocatie (vestiging) of a provider."""

    __tablename__ = "location"

    provider_id: str = Field(foreign_key="provider.id", index=True)
    region_id: str = Field(foreign_key="region.id", index=True)
    name: str = Field(index=True, max_length=200)
    street: str = Field(default="", max_length=200)
    house_number: str = Field(default="", max_length=20)
    postcode: str = Field(default="", max_length=7)
    place: str = Field(default="", index=True, max_length=100)
    agb_code: str = Field(default="", index=True, max_length=8)
    kvk_branch_number: str = Field(default="", max_length=12)
    capacity: int | None = None  # places (bewoners)
    target_groups: list = Field(default_factory=list, sa_type=JSONText)  # ["PG", "somatiek"]


class AppUser(Record, table=True):
    """A colleague at the care office. Roles: PURCHASER, QUALITY_ADVISOR, TEAM_LEAD."""

    __tablename__ = "app_user"

    name: str = Field(max_length=200)
    initials: str = Field(max_length=10)
    email: str = Field(default="", max_length=200)
    function_title: str = Field(default="", max_length=100)  # for letters: "Zorginkoper"
    roles: list = Field(default_factory=list, sa_type=JSONText)
    care_office_id: str | None = Field(default=None, foreign_key="care_office.id")
    signing_public_key: str = Field(default="", max_length=200)  # Ed25519, base64 (sync)


class Theme(Record, table=True):
    """A Kwaliteitskader theme (T1..T8) or subtheme (T1.1 ..), per framework version."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("framework_version", "code"),)

    framework_version: str = Field(default="KK2017", max_length=10)
    code: str = Field(max_length=8)  # "T1" or "T1.2"
    key: str = Field(max_length=60)  # "PERSON_CENTRED_CARE"
    parent_code: str | None = Field(default=None, max_length=8)
    group: str = Field(max_length=20)  # ThemeGroup
    name_nl: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    sort_order: int = 0
