"""A covering partial index for the budget ceiling sums (issue 18: every list at 3x).

Every derived vier-ogen approval of a budget request checks the ceiling again
(budget.check_ceiling: Σ approved and requested of a care office, region and year). Without an
index those sums read every request of the year whole: the Brieven list's pending decisions took
1.7 s at 3x (60 decisions, 116 sums). Same name and definition as db/models LIST_INDEXES.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Frozen copy of the db.models.LIST_INDEXES entry at this revision.
NAME = "ix_budget_request_ceiling_sums"
COLUMNS = ("care_office_id", "budget_year", "state", "region_id", "decision",
           "approved_total", "requested_total", "id")


def upgrade() -> None:
    op.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON budget_request ({', '.join(COLUMNS)}) "
               "WHERE deleted_at IS NULL")


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {NAME}")
