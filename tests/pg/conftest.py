"""Team-server tests against a real PostgreSQL: one throwaway cluster per test session (see
pg_cluster.py), one fresh database per test. Skips with a clear reason only when the server
binaries cannot be found (install them with `apt-get install -y postgresql`)."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))

import pg_cluster  # noqa: E402
from sync_helpers import fast_memory_keyring  # noqa: E402

pytestmark = pytest.mark.postgres
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster_session():  # type: ignore[no-untyped-def]
    if pg_cluster.find_bin() is None:
        pytest.skip(
            "PostgreSQL-serverprogramma's (initdb, pg_ctl) niet gevonden: installeer "
            "ze met `apt-get install -y postgresql` of zet KD_PG_BIN"
        )
    try:
        cluster = pg_cluster.start_cluster()
    except FileNotFoundError as exc:
        pytest.skip(f"PostgreSQL kan hier niet draaien: {exc}")
    yield cluster
    pg_cluster.remove_cluster(cluster)


@pytest.fixture
def pg(pg_cluster_session):  # type: ignore[no-untyped-def]
    """The session cluster with a fresh, empty database for this test: (cluster, dbname)."""
    name = f"kd_test_{next(_counter)}"
    pg_cluster_session.create_database(name)
    return pg_cluster_session, name


@pytest.fixture(scope="session")
def team_template():  # type: ignore[no-untyped-def]
    """A file-share team of 4 (replica 0 is the teamleider) that has synced twice, built once
    per session; tests copy it (pg_helpers.copy_team)."""
    import pg_helpers

    template = pg_helpers.build_template(4)
    yield template
    import shutil

    shutil.rmtree(template.root, ignore_errors=True)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    yield from fast_memory_keyring(monkeypatch)
