"""SYNC-NOTES.md §10 #10: the database itself guards the vier-ogen rule. A direct SQL approval
by the author, by an editor, by someone who is not a teamleider or in someone else's name is
refused by the trigger, whatever client writes it; so is a tampered app's push."""

from __future__ import annotations

import hashlib
import sqlite3

import psycopg
import pytest
from pg_helpers import login, make_pg_team, password
from review_helpers import write_review_event

from desktop.services import sync as svc


def _conn(team, i: int) -> psycopg.Connection:  # type: ignore[no-untyped-def]
    c = team.cluster
    return psycopg.connect(
        f"host=127.0.0.1 port={c.port} dbname={team.dbname} "
        f"user={login(i)} password={password(i)} sslmode=disable"
    )


def _submitted_version(tmp_path, pg, team_template):  # type: ignore[no-untyped-def]
    """Replica 1 (zorginkoper) creates a provider and submits it; it is on the server."""
    from db.models import Provider
    from db.repo import UnitOfWork

    cluster, name = pg
    team = make_pg_team(team_template, tmp_path / "w", cluster, name, 3)
    r1 = team.replicas[1]
    with UnitOfWork(r1.db, r1.user_id) as uow:
        p = Provider(name="Zorggroep Vier Ogen", place="Zwolle")
        uow.add(p)
        pid = p.id
    digest = hashlib.sha256(b"Zorggroep Vier Ogen").hexdigest()
    write_review_event(r1.db, "provider", pid, "SUBMITTED", r1.user_id, digest)
    with team.hub(1) as hub:
        assert svc.sync_now(r1.db, hub=hub).problems == ()
    return team, pid, digest


INSERT = (
    "INSERT INTO review_fact (op_id, subject_type, subject_id, kind, actor_id, "
    "content_hash) VALUES (%s, 'provider', %s, 'APPROVED', %s, %s)"
)


def test_server_knows_submission_and_editors(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    team, pid, digest = _submitted_version(tmp_path, pg, team_template)
    with _conn(team, 1) as c:
        assert c.execute(
            "SELECT kind, actor_id FROM review_fact WHERE subject_id = %s", (pid,)
        ).fetchall() == [("SUBMITTED", team.replicas[1].user_id)]
        editors = {
            r[0]
            for r in c.execute(
                "SELECT editor_id FROM version_editor WHERE subject_id = %s AND content_hash = %s",
                (pid, digest),
            )
        }
        assert team.replicas[1].user_id in editors


def test_direct_sql_approval_by_author_is_refused(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    team, pid, digest = _submitted_version(tmp_path, pg, team_template)
    author = team.replicas[1].user_id
    # Not a teamleider: refused.
    with (
        _conn(team, 1) as c,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="alleen een teamleider"),
    ):
        c.execute(INSERT, ("a1", pid, author, digest))
    # Even when the author is (also) a teamleider: the author may not approve her own work.
    team.set_login(1, team_lead=True)
    with (
        _conn(team, 1) as c,
        pytest.raises(psycopg.errors.CheckViolation, match="auteur of een bewerker"),
    ):
        c.execute(INSERT, ("a2", pid, author, digest))
    # Nothing was stored.
    with _conn(team, 0) as c:
        assert (
            c.execute("SELECT COUNT(*) FROM review_fact WHERE kind = 'APPROVED'").fetchone()[0] == 0
        )


def test_non_teamleider_and_other_names_are_refused(tmp_path, pg, team_template) -> None:  # type: ignore[no-untyped-def]
    team, pid, digest = _submitted_version(tmp_path, pg, team_template)
    lead, colleague = team.replicas[0].user_id, team.replicas[2].user_id
    with _conn(team, 2) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="alleen een teamleider"):
            c.execute(INSERT, ("b1", pid, colleague, digest))
    with _conn(team, 2) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="naam van een ander"):
            c.execute(INSERT, ("b2", pid, lead, digest))
    with _conn(team, 2) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="beheerder"):
            c.execute(
                INSERT.replace("content_hash)", "content_hash, imported)").replace(
                    "%s)", "%s, true)"
                ),
                ("b3", pid, lead, digest),
            )
    # A version nobody submitted cannot be approved either.
    with _conn(team, 0) as c:
        with pytest.raises(psycopg.errors.CheckViolation, match="niet ter beoordeling"):
            c.execute(INSERT, ("b4", pid, lead, "0" * 64))
    # The teamleider, who did not edit it, may approve the submitted version.
    with _conn(team, 0) as c:
        c.execute(INSERT, ("b5", pid, lead, digest))


def test_tampered_app_push_is_refused_and_reaches_nobody(
    tmp_path,
    pg,
    team_template,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    """A client that skips the app's own check (here: a ReviewEvent added directly, the
    outbox pushed unchecked) still cannot get its self-approval onto the server: that step
    is refused for good (issue 13: held back locally, the rest keeps flowing)."""
    from trust_helpers import unchecked_client

    team, pid, digest = _submitted_version(tmp_path, pg, team_template)
    r1 = team.replicas[1]
    team.set_login(1, team_lead=True)
    write_review_event(r1.db, "provider", pid, "APPROVED", r1.user_id, digest)
    with team.hub(1) as hub, unchecked_client(monkeypatch):
        summary = svc.sync_now(r1.db, hub=hub)
    assert summary.pushed == 0
    assert any("weigert" in p and "auteur" in p and "definitief" in p for p in summary.held)
    r0 = team.replicas[0]
    with team.hub(0) as hub:
        svc.sync_now(r0.db, hub=hub)
    with sqlite3.connect(r0.path) as c:
        assert (
            c.execute(
                "SELECT COUNT(*) FROM review_event WHERE subject_id = ? AND kind = 'APPROVED'",
                (pid,),
            ).fetchone()[0]
            == 0
        )
