"""Issue 13: the eight attacks on vier-ogen and on the shared store, on the folder store, each
through the entry point an attacker would use. Each shows the attack refused on every replica
and the honest operations of the same laptop delivered.

Team (tests/sync/sync_helpers.team_copy): r0 Carla Bakker, teamleider and store owner; r1 and
r2 zorginkopers (PURCHASER, granted by Carla's invitation)."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from sync_helpers import add_provider, edit_provider, provider, state_digest, sync_all, team_copy
from trust_helpers import (
    approvals,
    current_hash,
    offered,
    provider_names,
    raw_event,
    states,
    unchecked_client,
)

from db.errors import RuleViolation
from desktop.services import review
from desktop.services import sync as svc


def _update_own_roles(r, roles: list[str]) -> None:  # type: ignore[no-untyped-def]
    from db.models import AppUser
    from db.repo import UnitOfWork

    with UnitOfWork(r.db, r.user_id) as uow:
        uow.update(uow.get(AppUser, r.user_id), roles=roles)


def test_1_self_promotion_is_ignored_everywhere(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A zorginkoper gives herself Teamleider (an ordinary op on app_user.roles, or a new
    profile with that role) and approves a colleague's work: refused on every replica."""
    from desktop.services.users import create_user, get_user, set_current_user

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    _update_own_roles(r1, ["PURCHASER", "TEAM_LEAD"])
    assert "TEAM_LEAD" not in get_user(r1.db, r1.user_id).roles  # the grants decide
    with pytest.raises(RuleViolation, match="teamleider"):
        review.approve(r1.db, "provider", pid, by=r1.user_id)
    # The old profile dialog path: a *new* profile with any roles on this laptop.
    imposter = create_user(r1.db, name="Nieuwe Ik", initials="NI", roles=["TEAM_LEAD"])
    set_current_user(r1.db, imposter.id)
    assert get_user(r1.db, imposter.id).roles == ()
    with pytest.raises(RuleViolation, match="teamleider"):
        review.approve(r1.db, "provider", pid, by=imposter.id)
    # A modified client writes the approval anyway and pushes unchecked.
    raw_event(r1, pid, "APPROVED", r1.user_id, current_hash(r1, pid))
    honest = add_provider(r1, "Eerlijke Wijziging")
    with unchecked_client(monkeypatch):
        svc.sync_now(r1.db)
    summaries = [svc.sync_now(r.db) for r in (lead, r2)]
    sync_all(reps)
    assert states(reps, pid) == ["SUBMITTED"] * 3
    assert approvals(reps, pid) == [None] * 3
    assert any("rolwijziging" in p for p in summaries[0].problems)
    for r in reps:
        assert "Eerlijke Wijziging" in provider_names(r)
        assert provider(r, honest) is not None
        steps = review.status(r.db, "provider", pid).steps
        assert any(s.kind == "APPROVED" and "teamleidersrol" in s.refused for s in steps)
        hist = review.history(r.db, "provider", pid)
        assert any("geweigerd" in h.action for h in hist)
    # The teamleider can still approve: nothing was vetoed.
    review.approve(lead.db, "provider", pid, by=lead.user_id)
    sync_all(reps)
    assert states(reps, pid) == ["APPROVED"] * 3


def test_2_forged_authorship_is_refused_op_by_op(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The teamleider edits a colleague's work under the colleague's author id, then approves
    "someone else's" work: her edit counts as hers, the approval as an editor's."""
    from db.models import Provider
    from db.repo import UnitOfWork

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    with UnitOfWork(lead.db, r2.user_id) as uow:  # author id of the colleague
        uow.update(uow.get(Provider, pid), place="Kampen")
    # Locally already: the teamleider is an editor (own ops are hers, whatever they say).
    with pytest.raises(RuleViolation):
        review.approve(lead.db, "provider", pid, by=lead.user_id)
    raw_event(lead, pid, "APPROVED", lead.user_id, current_hash(lead, pid))
    honest = add_provider(lead, "Eerlijk Van Carla")
    # A modified client pushes the forged edit and the approval unchecked.
    with unchecked_client(monkeypatch):
        svc.sync_now(lead.db)
    # The app itself keeps such an edit local and tells its author.
    with UnitOfWork(lead.db, r2.user_id) as uow:
        uow.update(uow.get(Provider, pid), place="Elburg")
    summary = svc.sync_now(lead.db)
    assert any("op naam van een ander" in h for h in summary.held)
    sync_all(reps)
    assert approvals(reps, pid) == [None] * 3
    assert all(s != "APPROVED" for s in states(reps, pid))
    for r in (r1, r2):
        assert provider(r, pid).place == "Zwolle"  # the forged edit was refused
        assert provider(r, honest) is not None  # the honest op of the same segment was not
        with sqlite3.connect(r.path) as c:
            assert (
                c.execute(
                    "SELECT COUNT(*) FROM sync_segment WHERE status = 'refused' AND "
                    "reason LIKE '%naam van een ander%'"
                ).fetchone()[0]
                >= 1
            )


def test_4_an_invalid_approval_vetoes_nothing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A non-teamleider's own-name APPROVED event of another version: no "vervallen" state
    anywhere, and the pending review can still be approved."""
    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r1, [lead, r2])
    raw_event(r2, pid, "APPROVED", r2.user_id, "0" * 64)
    summary = svc.sync_now(r2.db)
    assert summary.held and "teamleider" in summary.held[0]
    with unchecked_client(monkeypatch):
        svc.sync_now(r2.db)
    sync_all(reps)
    assert states(reps, pid) == ["SUBMITTED"] * 3
    assert pid in {q.subject_id for q in review.queue(lead.db)}  # still waiting for review
    review.approve(lead.db, "provider", pid, by=lead.user_id)
    sync_all(reps)
    assert states(reps, pid) == ["APPROVED"] * 3
    assert len({state_digest(r.path) for r in reps}) == 1


def test_5_local_forgery_does_not_act_locally(tmp_path: Path) -> None:
    """An approval in the teamleider's name written straight into one's own SQLite counts
    nowhere, also not on that laptop (where the letter would be made)."""
    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r1, [lead, r2])
    digest = current_hash(r1, pid)
    with sqlite3.connect(r1.path) as c:  # without an op-log entry
        c.execute(
            "INSERT INTO review_event (id, subject_type, subject_id, kind, actor_id, "
            "content_hash, comment, at, created_at, updated_at) VALUES ('ev-raw-1', "
            "'provider', ?, 'APPROVED', ?, ?, '', '2026-12-06 07:00:00', "
            "'2026-12-06 07:00:00', '2026-12-06 07:00:00')",
            (pid, lead.user_id, digest),
        )
    assert review.approval(r1.db, "provider", pid) is None
    # ... and with a forged op-log entry under this laptop's origin.
    raw_event(r1, pid, "APPROVED", lead.user_id, digest)
    assert review.approval(r1.db, "provider", pid) is None
    st = review.status(r1.db, "provider", pid)
    assert st.state == "SUBMITTED"
    assert sum(1 for s in st.steps if s.refused) == 2
    honest = add_provider(r1, "Eerlijk Van Eén")
    summary = svc.sync_now(r1.db)
    assert summary.held  # the forged approval stays here, reported to its author
    sync_all(reps)
    assert approvals(reps, pid) == [None] * 3
    for r in reps:
        assert provider(r, honest) is not None


def test_6_a_damaged_segment_is_republished_and_named(tmp_path: Path) -> None:
    """A flipped byte in one of r1's segments: r2 is told whose file is damaged and since
    when; r1's next sync republishes it; r2 then gets everything."""
    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    first = add_provider(r1, "Eerste Segment")
    svc.sync_now(r1.db)
    seg = max((store / "ops").glob("*/*.seg"), key=lambda p: p.stat().st_mtime_ns)
    second = add_provider(r1, "Tweede Segment")
    svc.sync_now(r1.db)
    data = bytearray(seg.read_bytes())
    data[len(data) // 2] ^= 0x40
    time.sleep(0.01)
    seg.write_bytes(bytes(data))
    summary = svc.sync_now(r2.db)
    assert summary.quarantined == 1 and summary.waiting >= 1
    detail = summary.waiting_detail[0]
    assert detail["user"] == "Collega 1" and detail["damaged"] and detail["since"]
    assert any("Collega 1" in p and "beschadigd" in p and "herstelt" in p for p in summary.problems)
    repaired = svc.sync_now(r1.db)
    assert repaired.republished == 1
    assert any("opnieuw verstuurd" in p for p in repaired.problems)
    svc.sync_now(r2.db)
    assert provider(r2, first) is not None and provider(r2, second) is not None
    assert svc.sync_now(r1.db).republished == 0  # repaired once, not every round


def test_6b_leftover_temp_files_are_cleaned(tmp_path: Path) -> None:
    store, reps = team_copy(tmp_path, 2)
    old, fresh = store / "tmp" / "dead.tmp", store / "tmp" / "busy.tmp"
    old.write_bytes(b"half a segment")
    fresh.write_bytes(b"being written")
    past = time.time() - 3600
    os.utime(old, (past, past))
    svc.sync_now(reps[0].db)
    assert not old.exists() and fresh.exists()


def test_7_a_refused_op_never_holds_back_the_outbox(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Honest edit, an op the team refuses, honest edit: both honest edits arrive everywhere,
    the refused op stays local with a Dutch message, and later syncs do not stall."""
    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    before = add_provider(r1, "Voor De Fout")
    raw_event(r1, pid, "APPROVED", lead.user_id, current_hash(r1, pid))  # in lead's name
    after = add_provider(r1, "Na De Fout")
    summary = svc.sync_now(r1.db)
    assert len(summary.held) == 1 and "Niet gedeeld" in summary.held[0]
    assert svc.held_changes(r1.db)[0]["status"] == "held"
    sync_all(reps)
    for r in reps:
        assert provider(r, before) is not None and provider(r, after) is not None
    edit_provider(r1, after, place="Urk")
    sync_all(reps)
    assert provider(r2, after).place == "Urk"
    assert states(reps, pid) == ["SUBMITTED"] * 3
    # Crafted: the same mix pushed unchecked is refused op by op by the receivers.
    raw_event(r1, pid, "APPROVED", lead.user_id, current_hash(r1, pid))
    third = add_provider(r1, "Derde Eerlijke")
    with unchecked_client(monkeypatch):
        svc.sync_now(r1.db)
    sync_all([lead, r2])
    assert provider(r2, third) is not None and provider(lead, third) is not None
    assert approvals(reps, pid) == [None] * 3


def test_grant_and_revoke_reach_every_replica(tmp_path: Path) -> None:
    from desktop.services import team
    from desktop.services.users import get_user

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    with pytest.raises(RuleViolation):
        team.grant(r1.db, r1.user_id, r1.user_id, "TEAM_LEAD")  # not a teamleider
    team.grant(lead.db, lead.user_id, r1.user_id, "TEAM_LEAD")
    sync_all(reps)
    for r in reps:
        assert "TEAM_LEAD" in get_user(r.db, r1.user_id).roles
    pid = offered(r2, [lead, r1])
    review.approve(r1.db, "provider", pid, by=r1.user_id)  # granted: counts everywhere
    sync_all(reps)
    assert states(reps, pid) == ["APPROVED"] * 3
    team.revoke(lead.db, lead.user_id, r1.user_id, "TEAM_LEAD")
    sync_all(reps)
    for r in reps:
        assert "TEAM_LEAD" not in get_user(r.db, r1.user_id).roles
        assert states([r], pid) == ["SUBMITTED"]  # the approver lost the role: not approved
    log = [m for m in team.members(r2.db) if m.user_id == r1.user_id][0].history
    assert [g.action for g in log if g.role == "TEAM_LEAD"] == ["grant", "revoke"]
    assert all(g.by_name == "Carla Bakker" for g in log)


def test_held_approval_is_released_once_the_role_is_granted(tmp_path: Path) -> None:
    from desktop.services import team

    store, reps = team_copy(tmp_path)
    lead, r1, r2 = reps
    pid = offered(r2, [lead, r1])
    raw_event(r1, pid, "APPROVED", r1.user_id, current_hash(r1, pid))
    assert svc.sync_now(r1.db).held
    team.grant(lead.db, lead.user_id, r1.user_id, "TEAM_LEAD")
    summary = svc.sync_now(r1.db)
    assert svc.held_changes(r1.db) == [], summary
    sync_all(reps)
    assert states(reps, pid) == ["APPROVED"] * 3
