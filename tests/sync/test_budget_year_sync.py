"""The budget year syncs like everything else: a realisation report and a herschikking round
approved under vier-ogen on one laptop give the same agreement on the other (issue 16)."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from sync_helpers import add_provider, state_digest, sync_all, team_copy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def test_realisation_and_approved_herschikking_sync(tmp_path: Path) -> None:
    from sqlmodel import select

    from db.models import BudgetRequest, Region, RegionAssignment
    from db.repo import UnitOfWork
    from desktop.services import review
    from desktop.services.budget_year import herschikking as hs
    from desktop.services.budget_year import realisation as rz
    from desktop.services.budget_year.agreements import agreements_in

    store, (lead, buyer) = team_copy(tmp_path, 2)
    pid = add_provider(buyer, "Zorggroep Sync", place="Zwolle")
    with UnitOfWork(buyer.db, buyer.user_id) as uow:
        region = uow.exec(select(Region).order_by(Region.number)).first()
        office = (
            uow.exec(select(RegionAssignment).where(RegionAssignment.region_id == region.id))
            .first()
            .care_office_id
        )
        uow.add(
            BudgetRequest(
                provider_id=pid,
                care_office_id=office,
                region_id=region.id,
                budget_year=2026,
                received_date=date(2025, 11, 1),
                initial_reserved_amount=Decimal("1000000.00"),
                requested_total=Decimal("1000000.00"),
                requested_staff_amount=Decimal("850000.00"),
                requested_other_amount=Decimal("150000.00"),
                state="DECIDED",
                decision="APPROVED",
                approved_total=Decimal("1000000.00"),
                approved_staff_amount=Decimal("850000.00"),
                approved_other_amount=Decimal("150000.00"),
                author_id=buyer.user_id,
                decided_on=date(2026, 2, 1),
            )
        )
    rz.record_report(
        buyer.db,
        buyer.user_id,
        provider_id=pid,
        year=2026,
        period="OCT",
        today=date(2026, 11, 5),
        received_date="2026-10-20",
        staff_costs="400.000,00",
        other_costs="50.000,00",
    )
    rnd = hs.open_round(buyer.db, buyer.user_id, office, 2026, as_of=date(2026, 11, 5))
    assert rnd.proposals[0].new_total == Decimal("600000.00")  # 450.000 x 12/9, up to € 1.000
    review.submit(buyer.db, hs.SUBJECT, rnd.id, buyer.user_id)
    sync_all([buyer, lead])
    review.approve(lead.db, hs.SUBJECT, rnd.id, lead.user_id)  # the teamleider, on her laptop
    sync_all([lead, buyer])
    for r in (lead, buyer):
        assert rz.reports(r.db, pid, 2026)[0].staff_costs == Decimal("400000.00")
        with r.db.read_session() as s:
            (a,) = agreements_in(s, 2026, provider_id=pid)
        assert a.agreed_total == Decimal("600000.00") and a.reallocated
    assert state_digest(lead.path) == state_digest(buyer.path)
