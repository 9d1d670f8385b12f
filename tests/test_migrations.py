"""Schema versions (issue 2 item 3): newer databases refused, frozen fixtures upgraded to head."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_helpers import traced_database

from db.errors import DatabaseOpenError
from db.migrate import inspect_revision, prepare
from db.migrations import HEAD, REVISIONS
from desktop.services.database import open_database

FIXTURES = Path(__file__).parent / "fixtures" / "schema"


def _objects(path: Path) -> set[tuple[str, str]]:
    """Every table, index, trigger and view in the file (sqlite internals excluded)."""
    conn = sqlite3.connect(path)
    try:
        return {
            (t, n)
            for t, n in conn.execute("SELECT type, name FROM sqlite_master")
            if not n.startswith("sqlite_")
        }
    finally:
        conn.close()


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    path = tmp_path_factory.mktemp("fresh") / "fresh.sqlite"
    prepare(path)
    return _objects(path)


def _ddl_tables() -> set[str]:
    """Tables made by DDL events (FTS5 index, derived tables), not by table classes: the
    model comparison skips them; _objects() checks they exist."""
    from sqlmodel import SQLModel

    import db.sync.models  # noqa: F401
    from db.models import load_all

    load_all()

    return {"alembic_version"} | {
        n for t, n in _FRESH_OBJECTS if t == "table" and n not in SQLModel.metadata.tables
    }


_FRESH_OBJECTS: set[tuple[str, str]] = set()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _schema_differences(path: Path) -> list:  # type: ignore[type-arg]
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import db.sync.models  # noqa: F401
    from db.models import load_all

    load_all()

    if not _FRESH_OBJECTS:
        fresh = path.with_name("fresh-for-compare.sqlite")
        prepare(fresh)
        _FRESH_OBJECTS.update(_objects(fresh))
    skip = _ddl_tables()

    def include(name, type_, *_args) -> bool:  # type: ignore[no-untyped-def]
        return not (type_ == "table" and name in skip)

    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_name": include}
            )
            return compare_metadata(ctx, SQLModel.metadata)
    finally:
        engine.dispose()


def _set_revision(path: Path, revision: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
        conn.commit()
    finally:
        conn.close()


def test_revisions_match_the_alembic_script_history() -> None:
    from alembic.script import ScriptDirectory

    from db.migrate import _alembic_config

    script = ScriptDirectory.from_config(_alembic_config())
    history = [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]
    assert tuple(history) == REVISIONS
    assert script.get_current_head() == HEAD


def test_a_new_database_is_created_at_head_and_matches_the_models(db_path: Path) -> None:
    assert prepare(db_path) == "created"
    assert inspect_revision(db_path) == HEAD
    assert prepare(db_path) == "current"
    assert _schema_differences(db_path) == []
    assert {n for t, n in _objects(db_path) if t == "table"} >= {"provider", "location", "sync_op"}


def test_a_database_from_a_newer_version_is_refused_and_left_alone(db_path: Path) -> None:
    open_database(db_path).dispose()
    _set_revision(db_path, "9999")
    before = _sha(db_path)
    files_before = sorted(p.name for p in db_path.parent.iterdir())
    with pytest.raises(DatabaseOpenError) as exc:
        open_database(db_path)
    assert "nieuwere versie van Kwaliteitsdialoog" in exc.value.message
    assert "niet gewijzigd" in exc.value.message
    assert _sha(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before  # no backup either


def test_a_foreign_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "boekhouding.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE facturen (nr INTEGER PRIMARY KEY, bedrag INTEGER)")
    conn.execute("INSERT INTO facturen VALUES (1, 12500)")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(DatabaseOpenError, match="ander programma"):
        open_database(path)
    assert _sha(path) == before


def test_a_file_that_is_no_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notities.sqlite"
    path.write_text("Dit is geen database.\n", encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match="geen Kwaliteitsdialoog-database"):
        open_database(path)
    assert path.read_text(encoding="utf-8") == "Dit is geen database.\n"


def _fixtures() -> list[Path]:
    return sorted(FIXTURES.glob("v*.sqlite"))


@pytest.mark.parametrize(
    "fixture", _fixtures() or [FIXTURES / f"v{REVISIONS[0]}.sqlite"], ids=lambda p: p.stem
)
def test_frozen_fixture_upgrades_to_head_with_a_backup(
    fixture: Path, tmp_path: Path, fresh_schema: set[tuple[str, str]]
) -> None:
    if not fixture.exists():
        pytest.skip(
            f"frozen schema fixture {fixture.name} is missing; create it with "
            "python tests/fixtures/make_schema_fixture.py"
        )
    path = tmp_path / "kwaliteitsdialoog.sqlite"
    shutil.copyfile(fixture, path)
    revision = inspect_revision(path)
    assert revision in REVISIONS
    conn = sqlite3.connect(path)
    before = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("provider", "location", "app_user", "theme_assessment", "budget_request")
    }
    conn.close()
    assert before["provider"] > 0 and before["location"] > 0

    outcome = prepare(path)

    assert inspect_revision(path) == HEAD
    backups = sorted(tmp_path.glob("kwaliteitsdialoog.backup-*"))
    if revision == HEAD:
        assert outcome == "current" and backups == []
    else:
        assert outcome == "upgraded"
        assert len(backups) == 1 and f"backup-{revision}-" in backups[0].name
        assert inspect_revision(backups[0]) == revision  # the copy is of the old version
    assert _schema_differences(path) == []
    assert _objects(path) == fresh_schema  # triggers, indexes and FTS tables too
    conn = sqlite3.connect(path)
    after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
    conn.close()
    assert after == before  # the upgrade carried every row over


def test_upgrade_from_an_older_revision_makes_a_backup_first(tmp_path: Path) -> None:
    """The backup path of prepare(), exercised even while only one revision exists: a database
    stamped with an older known revision is copied (sqlite backup API) before upgrading."""
    if len(REVISIONS) < 2:
        pytest.skip("only one schema revision so far: nothing to upgrade from")
    path = tmp_path / "oud.sqlite"
    open_database(path).dispose()
    _set_revision(path, REVISIONS[-2])
    assert prepare(path) == "upgraded"
    assert list(tmp_path.glob(f"oud.backup-{REVISIONS[-2]}-*"))


def _query_plan(path: Path, sql: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return " | ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
    finally:
        conn.close()


def test_0010_gives_a_0009_database_with_data_the_list_indexes_and_the_lists_use_them(
    tmp_path: Path, fresh_schema: set[tuple[str, str]]
) -> None:
    """Issue 18 item 4: the Kwaliteitsplannen list and the heatmap's latest visits read covering
    partial indexes, the heatmap's cells one location_ratings row per location; revision 0010
    adds them to an existing (0009) database, location_ratings filled from its data."""
    from db.models import LIST_INDEXES
    from desktop.services.demo import generate_demo
    from desktop.services.plans import list_plan_rows

    path = tmp_path / "oud.sqlite"
    db = open_database(path)
    generate_demo(db, "small", seed=3)
    before = list_plan_rows(db)
    db.dispose()
    conn = sqlite3.connect(path)
    ddl = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN "
            "('location_ratings', 'theme_current') OR name LIKE 'ix_%'"
        )
    )
    ratings = sorted(conn.execute("SELECT * FROM location_ratings"))
    for name, *_ in LIST_INDEXES:  # what a 0009 database looks like
        conn.execute(f"DROP INDEX {name}")
    for (trigger,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%location_ratings%'"
    ).fetchall():
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE location_ratings")
    conn.commit()
    conn.close()
    _set_revision(path, "0009")
    names = {name for name, *_ in LIST_INDEXES}
    assert not names & {n for _, n in _objects(path)}

    assert prepare(path) == "upgraded"

    assert inspect_revision(path) == HEAD and _objects(path) == fresh_schema
    assert _schema_differences(path) == []
    assert names <= {n for _, n in _objects(path)}
    conn = sqlite3.connect(path)
    assert (
        dict(
            conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name IN "
                "('location_ratings', 'theme_current') OR name LIKE 'ix_%'"
            )
        )
        == ddl
    )
    assert len(ratings) > 20 and sorted(conn.execute("SELECT * FROM location_ratings")) == ratings
    conn.close()
    db, statements = traced_database(path)
    after = list_plan_rows(db)
    db.dispose()
    assert (
        after == before and any(r.last_status for r in after) and any(r.item_count for r in after)
    )
    plan_sql = next(q for q in statements if "FROM quality_plan" in q)
    used = _query_plan(path, plan_sql)
    assert (
        "ix_plan_assessment_live_latest" in used and "ix_location_improvement_item_live" in used
    ), used
    assert "TEMP B-TREE" not in used  # the latest assessment comes in index order


def test_0011_gives_a_0010_database_the_ceiling_sums_index_and_the_sums_use_it(
    tmp_path: Path, fresh_schema: set[tuple[str, str]]
) -> None:
    """Issue 18: every derived approval of a request checks the budget ceiling again; the sums
    read a covering partial index instead of every request of the year (Brieven at 3x: 1.7 s)."""
    from desktop.services import letters
    from desktop.services.ceiling import check_ceiling
    from desktop.services.demo import generate_demo

    name = "ix_budget_request_ceiling_sums"
    path = tmp_path / "oud.sqlite"
    db = open_database(path)
    generate_demo(db, "small", seed=3)
    before = letters.pending_decisions(db)
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute(f"DROP INDEX {name}")  # what a 0010 database looks like
    request_id = conn.execute(  # an approved request under a recorded ceiling: the sums run
        "SELECT r.id FROM budget_request r JOIN budget_ceiling c ON c.care_office_id = "
        "r.care_office_id AND c.year = r.budget_year AND c.deleted_at IS NULL "
        "WHERE r.decision IS NOT NULL AND r.decision != 'REJECTED' AND r.approved_total > 0"
    ).fetchone()[0]
    conn.commit()
    conn.close()
    _set_revision(path, "0010")

    assert prepare(path) == "upgraded"

    assert inspect_revision(path) == HEAD and _objects(path) == fresh_schema
    assert ("index", name) in _objects(path)
    db, statements = traced_database(path)
    from db.models import BudgetRequest

    with db.read_session() as s:
        check_ceiling(s, s.get(BudgetRequest, request_id))
    assert letters.pending_decisions(db) == before
    db.dispose()
    sums = [q for q in statements if "sum(" in q.lower() and "FROM budget_request" in q]
    assert sums
    for q in sums:
        assert name in _query_plan(path, q), q


def test_0013_gives_a_0012_database_with_data_review_latest_and_the_queue_reads_it(
    tmp_path: Path, fresh_schema: set[tuple[str, str]]
) -> None:
    """Issue 18: the teamleider's "Te beoordelen" read every review event ever made with its
    op-log entry (0.47 s at 3x); revision 0013 adds `review_latest` (kept by triggers), filled
    from the existing steps, and the queue's prefilter reads it instead."""
    from db.models.review_latest import LATEST_DDL, LATEST_TABLE
    from desktop.services import review
    from desktop.services.demo import generate_demo

    path = tmp_path / "oud.sqlite"
    db = open_database(path)
    generate_demo(db, "small", seed=3)
    before = review.queue(db)
    db.dispose()
    conn = sqlite3.connect(path)
    query = f"SELECT name, sql FROM sqlite_master WHERE tbl_name = '{LATEST_TABLE}' OR name IN "
    query += "(SELECT name FROM sqlite_master WHERE sql LIKE '%review_latest%')"
    ddl = dict(conn.execute(query))
    rows = sorted(conn.execute(f"SELECT * FROM {LATEST_TABLE}"))
    assert len(ddl) == len(LATEST_DDL) and len(rows) > 20
    for name in ddl:  # what a 0012 database looks like
        if name != LATEST_TABLE:
            conn.execute(f"DROP TRIGGER {name}")
    conn.execute(f"DROP TABLE {LATEST_TABLE}")
    conn.commit()
    conn.close()
    _set_revision(path, "0012")
    assert not {n for _, n in _objects(path)} & set(ddl)

    assert prepare(path) == "upgraded"

    assert list(tmp_path.glob("oud.backup-0012-*"))  # the backup came first
    assert inspect_revision(path) == HEAD and _objects(path) == fresh_schema
    assert _schema_differences(path) == []
    conn = sqlite3.connect(path)
    assert dict(conn.execute(query)) == ddl  # the same definitions as a new database's
    assert sorted(conn.execute(f"SELECT * FROM {LATEST_TABLE}")) == rows  # filled from the data
    conn.close()
    db, statements = traced_database(path)
    assert review.queue(db) == before and before
    db.dispose()
    prefilter = next(q for q in statements if f"FROM {LATEST_TABLE}" in q)
    used = _query_plan(path, prefilter)
    assert LATEST_TABLE in used and "review_event" not in used, used
    # the steps are read for the candidates only, never all of them
    assert all("IN (" in q for q in statements if "FROM review_event" in q)
