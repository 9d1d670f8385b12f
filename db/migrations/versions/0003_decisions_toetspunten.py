"""Issue 15: decisions that follow the assessment, and own toetspunten.

* budget_request.accepted_points (JSON): per failing requirement or criterion, why an approval
  accepts it (maatwerkafspraak or condition).
* custom_criterion: toetspunten a care office (or one of its regions) adds beside C1..C10.

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from db.types import JSONText, UTCDateTime

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent: a database created from the models at a later head and stamped back (the
    # backup test in tests/test_migrations.py) already has both.
    inspector = sa.inspect(op.get_bind())
    if "accepted_points" in {c["name"] for c in inspector.get_columns("budget_request")}:
        return
    op.add_column("budget_request", sa.Column("accepted_points", JSONText(), nullable=False,
                                              server_default="{}"))
    op.create_table(
        "custom_criterion",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("care_office_id", sa.String(), sa.ForeignKey("care_office.id"), nullable=False),
        sa.Column("region_id", sa.String(), sa.ForeignKey("region.id"), nullable=True),
        sa.Column("short_nl", sa.String(80), nullable=False),
        sa.Column("text_nl", sa.String(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_custom_criterion_care_office_id", "custom_criterion", ["care_office_id"])


def downgrade() -> None:
    op.drop_index("ix_custom_criterion_care_office_id", "custom_criterion")
    op.drop_table("custom_criterion")
    with op.batch_alter_table("budget_request") as batch:
        batch.drop_column("accepted_points")
