"""Issue 13 on the team server (real PostgreSQL): the attacks that reach the server refused on
every replica, the honest operations of the same laptop delivered, nothing stalled.

Team: r0 Carla Bakker (teamleider, owner, login kd_r0 with --team-lead), r1 and r2
zorginkopers (logins kd_r1, kd_r2)."""

from __future__ import annotations

import sqlite3

from pg_helpers import make_pg_team
from sync_helpers import add_provider, provider
from trust_helpers import current_hash, raw_event, unchecked_client

from db.sync.pg_hub import PostgresHub
from desktop.services import review
from desktop.services import sync as svc


def _sync(team, i: int, **kw):  # type: ignore[no-untyped-def]
    with team.hub(i, **kw) as hub:
        return svc.sync_now(team.replicas[i].db, hub=hub)


def _sync_all(team, rounds: int = 2) -> None:  # type: ignore[no-untyped-def]
    for _ in range(rounds):
        for i in range(len(team.replicas)):
            _sync(team, i)


def _offered(team, i: int) -> str:  # type: ignore[no-untyped-def]
    r = team.replicas[i]
    pid = add_provider(r, "Zorggroep Server", place="Zwolle")
    review.submit(r.db, "provider", pid, by=r.user_id)
    _sync_all(team)
    return pid


def _states(team, pid: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [review.status(r.db, "provider", pid).state for r in team.replicas]


def test_self_promotion_and_forged_authorship_through_the_server(  # type: ignore[no-untyped-def]
    tmp_path, pg, team_template, monkeypatch
) -> None:
    """Attacks 1 and 2 pushed through the server by an unchecked client: the role change is
    ignored, the edit under a colleague's name refused op by op, no approval counts; the
    honest edit of the same push arrives everywhere."""
    from db.models import AppUser, Provider
    from db.repo import UnitOfWork

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    lead, r1, r2 = team.replicas
    pid = _offered(team, 2)
    with UnitOfWork(r1.db, r1.user_id) as uow:  # attack 1: her own roles as a field
        uow.update(uow.get(AppUser, r1.user_id), roles=["PURCHASER", "TEAM_LEAD"])
    raw_event(r1, pid, "APPROVED", r1.user_id, current_hash(r1, pid))
    with UnitOfWork(lead.db, r2.user_id) as uow:  # attack 2: an edit in a colleague's name
        uow.update(uow.get(Provider, pid), place="Kampen")
    raw_event(lead, pid, "APPROVED", lead.user_id, current_hash(lead, pid))
    honest1 = add_provider(r1, "Eerlijk Eén")
    honest0 = add_provider(lead, "Eerlijk Carla")
    with unchecked_client(monkeypatch):
        _sync(team, 1)
        _sync(team, 0)
    _sync_all(team)
    assert all(s != "APPROVED" for s in _states(team, pid))
    for r in team.replicas:
        assert review.approval(r.db, "provider", pid) is None
        assert provider(r, honest1) is not None and provider(r, honest0) is not None
    assert provider(r2, pid).place == "Zwolle"


def test_a_client_that_skips_review_facts_gets_nothing_approved(  # type: ignore[no-untyped-def]
    tmp_path, pg, team_template, monkeypatch
) -> None:
    """Attack 3: a client that writes no review facts. With the steps listed in the header
    the server refuses them for good (the rest is pushed); with the list stripped the server
    cannot see them, and every replica refuses the unlisted step."""
    from sqlalchemy import text

    from db.sync import published
    from db.sync.oplog import get_meta, origin_id
    from db.sync.segment import seal

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    lead, r1, r2 = team.replicas
    # r1 is (wrongly) a teamleider on the server, so only the missing facts stop her.
    team.set_login(1, team_lead=True)
    pid = _offered(team, 2)
    raw_event(r1, pid, "APPROVED", r1.user_id, current_hash(r1, pid))
    honest = add_provider(r1, "Eerlijk Zonder Feiten")
    with unchecked_client(monkeypatch), PostgresHub(team.url(1)) as no_facts:
        summary = svc.sync_now(r1.db, hub=no_facts)
    assert any("definitief" in h and "feit" in h for h in summary.held), summary
    assert summary.pushed >= 1
    # Crafted: the same kind of step in a segment whose header lists nothing.
    raw_event(r1, pid, "APPROVED", r1.user_id, current_hash(r1, pid))
    honest2 = add_provider(r1, "Eerlijk Gecraft")
    keys = svc.load_keys(r1.db)
    with r1.db.read_session() as s:
        own = origin_id(s)
        ops = published.ops_rows(s, "origin_id = :o AND pushed = 0", {"o": own})
        hub_id = get_meta(s, "hub_id")
    header = {"hub": hub_id, "o": own, "a": ops[0]["s"], "b": ops[-1]["s"], "d": {}, "c": len(ops)}
    with PostgresHub(team.url(1)) as no_facts:
        assert no_facts.push(own, ops[0]["s"], ops[-1]["s"], seal(header, ops, keys)) == "written"
    with r1.db.write_session() as s, s.begin():
        s.execute(text("UPDATE sync_op SET pushed = 1 WHERE origin_id = :o"), {"o": own})
    _sync_all(team)
    for r in (lead, r2):
        assert provider(r, honest) is not None and provider(r, honest2) is not None
        with sqlite3.connect(r.path) as c:
            assert (
                c.execute(
                    "SELECT COUNT(*) FROM sync_segment WHERE status = 'refused' AND "
                    "reason LIKE '%kop van het segment%'"
                ).fetchone()[0]
                == 1
            )
    assert _states(team, pid) == ["SUBMITTED"] * 3


def test_teamleider_login_without_team_lead_refuses_for_good_and_the_rest_flows(  # type: ignore[no-untyped-def]
    tmp_path, pg, team_template
) -> None:
    """Attack 7 on the server: an honest set-up slip. The approval is refused for good with a
    Dutch message; the teamleider's other changes are delivered, in this and later syncs."""
    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    lead, r1, r2 = team.replicas
    team.set_login(0, team_lead=False)
    pid = _offered(team, 1)
    before = add_provider(lead, "Voor De Goedkeuring")
    review.approve(lead.db, "provider", pid, by=lead.user_id)
    after = add_provider(lead, "Na De Goedkeuring")
    summary = _sync(team, 0)
    assert len(summary.held) == 1
    assert "definitief" in summary.held[0] and "teamleider" in summary.held[0]
    assert summary.pushed == 2
    later = add_provider(lead, "Later")
    assert _sync(team, 0).pushed == 1  # nothing stalls
    _sync_all(team)
    for r in team.replicas:
        for pid_ in (before, after, later):
            assert provider(r, pid_) is not None
    assert _states(team, pid) == ["SUBMITTED"] * 3  # refused here too: this laptop agrees
    assert svc.held_changes(lead.db)[0]["status"] == "refused_server"


def test_an_invalid_approval_vetoes_nothing_on_the_server(  # type: ignore[no-untyped-def]
    tmp_path, pg, team_template
) -> None:
    """Attack 4 on the server: the non-teamleider's approval stays on her laptop, the review
    stays pending everywhere and the teamleider approves it."""
    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    lead, r1, r2 = team.replicas
    pid = _offered(team, 1)
    raw_event(r2, pid, "APPROVED", r2.user_id, "0" * 64)
    honest = add_provider(r2, "Eerlijk Twee")
    summary = _sync(team, 2)
    assert summary.held and summary.pushed == 1
    _sync_all(team)
    assert _states(team, pid) == ["SUBMITTED"] * 3
    assert provider(lead, honest) is not None
    review.approve(lead.db, "provider", pid, by=lead.user_id)
    _sync_all(team)
    assert _states(team, pid) == ["APPROVED"] * 3
