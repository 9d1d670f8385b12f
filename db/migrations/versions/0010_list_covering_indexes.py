"""Covering partial indexes for the lists at national scale (issue 18 item 4).

The Kwaliteitsplannen list reads each plan's latest assessment status and its count of
improvement items; the region heatmap reads each location's latest completed visit. Ranking
those rows read the whole rows (a plan assessment carries its ~3.6 kB form answers, a visit its
~2.4 kB answers): at 3x (12,813 plans, 3,000 locations) both lists were over their 100 ms. Same
names and definitions as db/models LIST_INDEXES.

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


def upgrade() -> None:
    for name, table, columns, where in INDEXES:  # idempotent: a re-stamped database may have them
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({', '.join(columns)}) "
                   f"WHERE {where}")


def downgrade() -> None:
    for name, *_ in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
