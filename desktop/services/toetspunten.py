"""Own toetspunten: a care office (or one of its regions) adds test points beside C1..C10.

Inkoopkader 2020 §4.2.7 (seed 001): "Het zorgkantoor toetst de aanvraag in ieder geval aan de
volgende punten" -- the ten are a minimum. S4 §2.3: Salland uses region-specific themes as test
points. An own toetspunt applies to the requests of its care office (and region, if it has
one) received on or after its valid-from date and not after its valid-to date. Requests judge
them like the ten (CriterionJudgement.criterion = custom_code(id)); letters print their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, or_, select

from db.engine import Database
from db.errors import RuleViolation, ValidationError, ValidationErrors
from db.models import AppUser, CareOffice, CustomCriterion, Region, RegionAssignment
from db.models.enums import Role
from db.repo import UnitOfWork
from desktop.services.guards import live
from desktop.services.validation import date_or_error, iso_date

CODE_PREFIX = "E-"  # CriterionJudgement.criterion of an own toetspunt: "E-<uuid>"
FIRST_NUMBER = 11  # printed after the ten of §4.2.7


def custom_code(criterion_id: str) -> str:
    return CODE_PREFIX + criterion_id


def is_custom(code: str) -> bool:
    return code.startswith(CODE_PREFIX)


@dataclass(frozen=True)
class ToetspuntInfo:
    id: str
    code: str  # custom_code(id)
    care_office_id: str
    care_office_name: str
    region_id: str | None
    region_name: str  # "" for the whole care office
    short_nl: str
    text_nl: str
    valid_from: date
    valid_to: date | None

    @property
    def scope_label(self) -> str:
        return f"regio {self.region_name}" if self.region_id else "heel het zorgkantoor"


def applicable_in(
    s: Session, care_office_id: str, region_id: str | None, on: date
) -> list[CustomCriterion]:
    """The own toetspunten that apply to a request of this office/region received on `on`."""
    q = select(CustomCriterion).where(
        CustomCriterion.care_office_id == care_office_id,
        CustomCriterion.deleted_at == None,  # noqa: E711
        col(CustomCriterion.valid_from) <= on,
        or_(col(CustomCriterion.valid_to).is_(None), col(CustomCriterion.valid_to) >= on),
        or_(CustomCriterion.region_id == None, CustomCriterion.region_id == region_id),  # noqa: E711
    )
    return list(
        s.exec(q.order_by(col(CustomCriterion.valid_from), col(CustomCriterion.created_at))).all()
    )


def _info(s: Session, row: CustomCriterion) -> ToetspuntInfo:
    office = s.get(CareOffice, row.care_office_id)
    region = s.get(Region, row.region_id) if row.region_id else None
    return ToetspuntInfo(
        row.id,
        custom_code(row.id),
        row.care_office_id,
        office.short_name if office else "?",
        row.region_id,
        region.name if region else "",
        row.short_nl,
        row.text_nl,
        row.valid_from,
        row.valid_to,
    )


def list_toetspunten(
    db: Database, care_office_id: str | None = None, include_retired: bool = True
) -> list[ToetspuntInfo]:
    with db.read_session() as s:
        q = select(CustomCriterion).where(CustomCriterion.deleted_at == None)  # noqa: E711
        if care_office_id:
            q = q.where(CustomCriterion.care_office_id == care_office_id)
        rows = s.exec(
            q.order_by(col(CustomCriterion.valid_from), col(CustomCriterion.created_at))
        ).all()
        return [_info(s, r) for r in rows if include_retired or r.valid_to is None]


def _lead(s: Session, by: str | None) -> AppUser:
    user = s.get(AppUser, by) if by else None
    if user is None or user.deleted_at is not None:
        raise RuleViolation("Onbekende gebruiker: kies eerst uw profiel.")
    if Role.TEAM_LEAD not in user.roles:
        raise RuleViolation("Alleen een teamleider mag eigen toetspunten vastleggen of intrekken.")
    return user


def add_toetspunt(
    db: Database,
    by: str,
    *,
    care_office_id: str,
    text: str,
    valid_from: object,
    short: str = "",
    region_id: str | None = None,
) -> ToetspuntInfo:
    """A new toetspunt beside the ten. Text and valid-from date are required."""
    errors: list[ValidationError] = []
    text = " ".join((text or "").split())
    short = " ".join((short or "").split())
    if not text:
        errors.append(ValidationError("text", "Geef de tekst van het toetspunt."))
    elif len(text) > 600:
        errors.append(ValidationError("text", "De tekst mag hoogstens 600 tekens lang zijn."))
    if not short and text:
        short = text if len(text) <= 60 else text[:57].rsplit(" ", 1)[0] + "…"
    if len(short) > 80:
        errors.append(ValidationError("short", "De korte naam mag hoogstens 80 tekens lang zijn."))
    start = date_or_error(valid_from, "valid_from", "Geldig vanaf", errors)
    if errors:
        raise ValidationErrors(errors)
    assert start is not None  # iso_date returned a date or raised
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _lead(s, by)
        if s.get(CareOffice, care_office_id) is None:
            raise ValidationError("care_office_id", "Kies een bestaand zorgkantoor.")
        if region_id:
            served = s.exec(
                select(RegionAssignment).where(
                    RegionAssignment.region_id == region_id,
                    RegionAssignment.care_office_id == care_office_id,
                )
            ).first()
            if served is None:
                raise ValidationError("region_id", "Deze regio hoort niet bij dit zorgkantoor.")
        row = uow.add(
            CustomCriterion(
                care_office_id=care_office_id,
                region_id=region_id or None,
                short_nl=short,
                text_nl=text,
                valid_from=start,
            )
        )
        return _info(s, row)


def retire_toetspunt(db: Database, by: str, criterion_id: str, valid_to: object) -> ToetspuntInfo:
    """Stop using a toetspunt after `valid_to` (requests received before keep it)."""
    end = iso_date(valid_to, "valid_to", "Geldig tot en met")
    with UnitOfWork(db, by) as uow:
        s = uow.session
        _lead(s, by)
        row = live(s, CustomCriterion, criterion_id, "Dit toetspunt bestaat niet.")
        if end < row.valid_from:
            raise ValidationError(
                "valid_to", "De einddatum ligt vóór de begindatum van het toetspunt."
            )
        uow.update(row, valid_to=end)
        return _info(s, row)


def regions_of(db: Database, care_office_id: str) -> list[tuple[str, str]]:
    """(id, name) of the regions a care office serves, by region number (for the choice)."""
    with db.read_session() as s:
        rows = s.exec(
            select(Region)
            .join(RegionAssignment, col(RegionAssignment.region_id) == Region.id)
            .where(RegionAssignment.care_office_id == care_office_id)
            .order_by(col(Region.number))
        ).all()
        seen: dict[str, str] = {}
        for r in rows:
            seen.setdefault(r.id, r.name)
        return list(seen.items())
