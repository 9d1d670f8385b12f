"""Small hand-made budget years for the budget-year tests: decided requests written the way
sync or an import would bring them (state DECIDED), plus the real review flow where it matters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlmodel import select

from db.models import BudgetRequest, Location, Provider, RegionAssignment
from db.repo import UnitOfWork


def add_agreement(
    db,
    actor_id: str,
    region_id: str,
    *,
    name: str,
    total: str,  # type: ignore[no-untyped-def]
    staff: str | None = None,
    requested: str | None = None,
    year: int = 2027,
    decided_on: date = date(2027, 2, 15),
    kvk: str = "",
) -> tuple[str, str]:
    """A provider with a decided budget request; returns (provider_id, request_id)."""
    total_d = Decimal(total)
    staff_d = Decimal(staff) if staff else (total_d * Decimal("0.85")).quantize(Decimal("0.01"))
    req_total = Decimal(requested) if requested else total_d
    req_staff = (req_total * staff_d / total_d).quantize(Decimal("0.01")) if total_d else req_total
    with UnitOfWork(db, actor_id) as uow:
        office = (
            uow.exec(select(RegionAssignment).where(RegionAssignment.region_id == region_id))
            .first()
            .care_office_id
        )
        prov = uow.add(
            Provider(
                name=name,
                kvk_number=kvk,
                street="Dorpsstraat",
                house_number="1",
                postcode="3511AB",
                place="Utrecht",
                attention_of="t.a.v. de Raad van Bestuur",
                salutation="Geachte heer, mevrouw,",
            )
        )
        uow.add(
            Location(
                provider_id=prov.id, region_id=region_id, name=f"Locatie {name}", place="Utrecht"
            )
        )
        req = uow.add(
            BudgetRequest(
                provider_id=prov.id,
                care_office_id=office,
                region_id=region_id,
                budget_year=year,
                received_date=date(year - 1, 11, 20),
                initial_reserved_amount=req_total,
                requested_total=req_total,
                requested_staff_amount=req_staff,
                requested_other_amount=req_total - req_staff,
                state="DECIDED",
                decision="APPROVED",
                approved_total=total_d,
                approved_staff_amount=staff_d,
                approved_other_amount=total_d - staff_d,
                author_id=actor_id,
                decided_on=decided_on,
            )
        )
        return prov.id, req.id
