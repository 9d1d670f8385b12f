"""Indexes on the child columns of foreign keys that had none (issue 18 item 2).

Inserting a parent row (a visit, a budget request) while deferred foreign-key checks are
pending makes SQLite look for the row's children; without an index on the child column that
is a full scan of the child table. A new laptop joining a store of the zorgkantoor database
spent 30 of its 75 seconds on such scans (1,500 visits × 86,000 assessments). Partial indexes:
most of these columns are NULL. Same names and definitions as db/models FK_CHILD_INDEXES.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Frozen copy of db.models.FK_CHILD_INDEXES at this revision.
INDEXES = (
    ("theme_assessment", "linked_visit_id"),
    ("diagnosis_note", "source_visit_id"),
    ("diagnosis_note", "locked_by_request_id"),
    ("agreement_check", "visit_id"),
    ("site_visit", "revision_of_id"),
    ("budget_request", "quality_plan_id"),
    ("reallocation_proposal", "provider_id"),
    ("intervention", "follow_up_action_id"),
    ("intervention", "escalated_from_id"),
)


def upgrade() -> None:
    for table, column in INDEXES:  # idempotent: a re-stamped database may have them
        op.execute(f"CREATE INDEX IF NOT EXISTS ix_{table}_{column}_fk ON {table} ({column}) "
                   f"WHERE {column} IS NOT NULL")


def downgrade() -> None:
    for table, column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_{column}_fk")
