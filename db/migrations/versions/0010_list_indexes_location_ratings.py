"""Covering partial indexes for the lists at national scale (issue 18 item 4).

The Kwaliteitsplannen list reads each plan's latest assessment status and its count of
improvement items; the region heatmap reads each location's latest completed visit. Ranking
those rows read the whole rows (a plan assessment carries its ~3.6 kB form answers, a visit its
~2.4 kB answers): at 3x (12,813 plans, 3,000 locations) both lists were over their 100 ms. Same
names and definitions as db/models LIST_INDEXES.

And the derived table `location_ratings` (db/models/quality.py RATINGS_DDL): one row per location
with the current rating of all eight themes, kept in step with theme_current by triggers, so the
heatmap reads one row per location instead of eight.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Frozen copy of db.models.LIST_INDEXES at this revision.
INDEXES = (
    ("ix_plan_assessment_live_latest", "plan_assessment",
     ("quality_plan_id", "created_at", "status"), "deleted_at IS NULL"),
    ("ix_location_improvement_item_live", "location_improvement_item",
     ("quality_plan_id",), "deleted_at IS NULL"),
    ("ix_site_visit_completed_latest", "site_visit",
     ("location_id", "visit_date", "completed_at"),
     "status = 'COMPLETED' AND deleted_at IS NULL"),
)

# Frozen copy of db.models.quality RATINGS_DDL / RATINGS_REBUILD_SQL at this revision.
THEMES = tuple(f"T{i}" for i in range(1, 9))


def _cols(code: str) -> tuple[str, str, str]:
    n = code[1:].lower()
    return f"t{n}_rating", f"t{n}_on", f"t{n}_previous"


def _ratings_ddl() -> list[str]:
    columns = ", ".join(f"{r} VARCHAR(20), {o} DATE, {p} VARCHAR(20)"
                        for r, o, p in (_cols(c) for c in THEMES))
    out = [f"""CREATE TABLE IF NOT EXISTS location_ratings (
        location_id VARCHAR(36) NOT NULL PRIMARY KEY, {columns}) WITHOUT ROWID"""]
    for code in THEMES:
        rating, on, previous = _cols(code)
        name = code.lower()
        out.append(f"""CREATE TRIGGER IF NOT EXISTS theme_current_{name}_ai AFTER INSERT ON theme_current
        WHEN NEW.theme_code = '{code}' BEGIN
            INSERT INTO location_ratings (location_id, {rating}, {on}, {previous})
            VALUES (NEW.location_id, NEW.rating, NEW.assessed_on, NEW.previous_rating)
            ON CONFLICT (location_id) DO UPDATE SET {rating} = excluded.{rating},
                {on} = excluded.{on}, {previous} = excluded.{previous}; END""")
        out.append(f"""CREATE TRIGGER IF NOT EXISTS theme_current_{name}_ad AFTER DELETE ON theme_current
        WHEN OLD.theme_code = '{code}' BEGIN
            UPDATE location_ratings SET {rating} = NULL, {on} = NULL, {previous} = NULL
            WHERE location_id = OLD.location_id; END""")
    select = ", ".join(f"MAX(CASE WHEN theme_code = '{c}' THEN {col} END)"
                       for c in THEMES for col in ("rating", "assessed_on", "previous_rating"))
    out += ["DELETE FROM location_ratings",
            f"INSERT INTO location_ratings SELECT location_id, {select} "
            "FROM theme_current GROUP BY location_id"]
    return out


def upgrade() -> None:
    for name, table, columns, where in INDEXES:  # idempotent: a re-stamped database may have them
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)}) "
                   f"WHERE {where}")
    for stmt in _ratings_ddl():
        op.execute(stmt)


def downgrade() -> None:
    for code in THEMES:
        op.execute(f"DROP TRIGGER IF EXISTS theme_current_{code.lower()}_ai")
        op.execute(f"DROP TRIGGER IF EXISTS theme_current_{code.lower()}_ad")
    op.execute("DROP TABLE IF EXISTS location_ratings")
    for name, *_ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
