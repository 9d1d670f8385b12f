"""The sync outbox as a partial index (issue 18): `ix_sync_op_unpushed` on (origin_id,
origin_seq) WHERE pushed = 0 replaces the index on the boolean `pushed`, so a sync with nothing
new finds the unpushed operations directly instead of walking every operation this replica
ever made.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent (IF [NOT] EXISTS): a database re-stamped to an older revision may have it.
    op.execute("DROP INDEX IF EXISTS ix_sync_op_pushed")
    op.execute("CREATE INDEX IF NOT EXISTS ix_sync_op_unpushed ON sync_op (origin_id, origin_seq) "
               "WHERE pushed = 0")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_sync_op_unpushed")
    op.execute("CREATE INDEX IF NOT EXISTS ix_sync_op_pushed ON sync_op (pushed)")
