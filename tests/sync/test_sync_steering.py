"""Steering records (issue 17) travel with the op-log: an agreement checked and an intervention
escalated on one laptop arrive, with the same state, on the others."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sync_helpers import add_provider, state_digest, sync_all, team_copy


def test_agreements_and_interventions_sync(tmp_path: Path) -> None:
    from db.models import Location
    from db.repo import UnitOfWork
    from desktop.services.steering.agreements import (
        check_agreement,
        create_agreement,
        list_agreements,
    )
    from desktop.services.steering.interventions import (
        escalate,
        list_interventions,
        start_intervention,
    )
    from desktop.services.themes import connect_ro

    _store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(a, "Zorggroep Sturing")
    region = connect_ro(a.path).execute("SELECT id FROM region LIMIT 1").fetchone()[0]
    with UnitOfWork(a.db, a.user_id) as uow:
        uow.add(Location(provider_id=pid, region_id=region, name="Huize Sturing"))
    ag = create_agreement(
        a.db,
        provider_id=pid,
        actor_id=a.user_id,
        theme_codes=["T6"],
        target_rating="SUFFICIENT",
        due_date="01-03-2026",
        check_method="GESPREK",
    )
    sync_all([a, b, c])
    check_agreement(b.db, ag.id, outcome="MISSED", actor_id=b.user_id, checked_on="02-03-2026")
    first = start_intervention(
        b.db,
        provider_id=pid,
        step="GESPREK",
        actor_id=b.user_id,
        description="Gesprek met de bestuurder.",
        theme_codes_=["T6"],
        follow_up_on=date.today() + timedelta(days=7),
        agreement_ids=[ag.id],
    )
    sync_all([a, b, c])
    escalate(
        c.db,
        first.id,
        actor_id=c.user_id,
        description="Verbeterplan.",
        deadline=date.today() + timedelta(days=60),
    )
    sync_all([a, b, c])
    for r in (a, b, c):
        got = list_agreements(r.db, provider_id=pid)
        assert [x.status for x in got] == ["MISSED"] and len(got[0].checks) == 1
        assert [(i.step, i.status) for i in list_interventions(r.db, provider_id=pid)] == [
            ("VERBETERPLAN", "OPEN"),
            ("GESPREK", "ESCALATED"),
        ]
    assert len({state_digest(r.path) for r in (a, b, c)}) == 1
