"""The server's administrator: create or upgrade the schema, add a login role per app user."""

from __future__ import annotations

import re

import psycopg
from psycopg import sql

from db.sync.folder_hub import HubError
from db.sync.pg_schema import migrations
from db.sync.pg_settings import ServerSettings, conninfo, unreachable


def schema_version(conn: psycopg.Connection) -> int:
    exists = conn.execute("SELECT to_regclass('kd_schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM kd_schema_version").fetchone()
    return int(row[0]) if row else 0


def upgrade(url: str, password: str | None = None) -> list[str]:
    """Create or upgrade the server schema (run by the server's administrator). Each version
    in its own transaction, serialised by an advisory lock; returns the versions applied."""
    applied: list[str] = []
    try:
        conn = psycopg.connect(conninfo(url, password, 10), autocommit=False)
    except psycopg.OperationalError as exc:
        raise unreachable(ServerSettings.from_url(url).url, exc) from exc
    with conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(4242001)")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS kd_schema_version (version integer PRIMARY KEY, "
                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), "
                "applied_by name NOT NULL DEFAULT session_user)"
            )
            conn.execute("GRANT SELECT ON kd_schema_version TO PUBLIC")
        for version, name, text_ in migrations():
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(4242001)")
                if conn.execute(
                    "SELECT 1 FROM kd_schema_version WHERE version = %s", (version,)
                ).fetchone():
                    continue
                conn.execute(text_)  # type: ignore[arg-type]  # trusted, ours, no parameters
                conn.execute(
                    "INSERT INTO kd_schema_version (version, name) VALUES (%s, %s)", (version, name)
                )
                applied.append(name)
    return applied


def add_user(
    url: str,
    login: str,
    user_id: str,
    password: str,
    *,
    team_lead: bool,
    admin_password: str | None = None,
) -> None:
    """Administrator: a database login role for one app user (member of kd_member), mapped to
    the app user id; `team_lead` lets the database accept that user's approvals."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", login):
        raise HubError(
            "Kies als databasegebruiker kleine letters, cijfers en _ (begin met een letter)."
        )
    with psycopg.connect(conninfo(url, admin_password, 10), autocommit=False) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
        verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
        conn.execute(
            sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                verb, sql.Identifier(login), sql.Literal(password)
            )
        )
        conn.execute(sql.SQL("GRANT kd_member TO {}").format(sql.Identifier(login)))
        conn.execute(
            "INSERT INTO hub_user (db_role, user_id, is_team_lead) VALUES (%s, %s, %s) "
            "ON CONFLICT (db_role) DO UPDATE SET user_id = EXCLUDED.user_id, "
            "is_team_lead = EXCLUDED.is_team_lead",
            (login, user_id, team_lead),
        )
