"""Steering on outcomes (issue 17): decision_target, custom_agreement, agreement_check,
intervention. Additive only: four new tables, nothing existing changes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

from db.types import JSONText, UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_S = sqlmodel.sql.sqltypes.AutoString


def _record() -> list[sa.Column]:
    return [
        sa.Column("id", _S(length=36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
    ]


def upgrade() -> None:
    # Idempotent: a database created from the models at a later head and then stamped back
    # (tests/test_migrations.py does this) already has the tables.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if {"decision_target", "custom_agreement", "agreement_check", "intervention"} <= existing:
        return
    op.create_table(
        "decision_target", *_record(),
        sa.Column("budget_request_id", _S(), nullable=False),
        sa.Column("theme_codes", JSONText(), nullable=False),
        sa.Column("location_ids", JSONText(), nullable=False),
        sa.Column("author_id", _S(), nullable=True),
        sa.ForeignKeyConstraint(["budget_request_id"], ["budget_request.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_decision_target_budget_request_id", "decision_target",
                    ["budget_request_id"], unique=True)
    op.create_table(
        "custom_agreement", *_record(),
        sa.Column("provider_id", _S(), nullable=False),
        sa.Column("budget_request_id", _S(), nullable=True),
        sa.Column("theme_codes", JSONText(), nullable=False),
        sa.Column("location_ids", JSONText(), nullable=False),
        sa.Column("target_rating", _S(length=20), nullable=True),
        sa.Column("target_change", _S(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("check_method", _S(length=12), nullable=False),
        sa.Column("status", _S(length=12), nullable=False),
        sa.Column("author_id", _S(), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.ForeignKeyConstraint(["budget_request_id"], ["budget_request.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for col in ("provider_id", "budget_request_id", "due_date", "status"):
        op.create_index(f"ix_custom_agreement_{col}", "custom_agreement", [col])
    op.create_table(
        "agreement_check", *_record(),
        sa.Column("agreement_id", _S(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("outcome", _S(length=12), nullable=False),
        sa.Column("visit_id", _S(), nullable=True),
        sa.Column("note", _S(), nullable=False),
        sa.Column("author_id", _S(), nullable=True),
        sa.ForeignKeyConstraint(["agreement_id"], ["custom_agreement.id"]),
        sa.ForeignKeyConstraint(["visit_id"], ["site_visit.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agreement_check_agreement_id", "agreement_check", ["agreement_id"])
    op.create_table(
        "intervention", *_record(),
        sa.Column("provider_id", _S(), nullable=False),
        sa.Column("step", _S(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("owner_id", _S(), nullable=True),
        sa.Column("description", _S(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("theme_codes", JSONText(), nullable=False),
        sa.Column("agreement_ids", JSONText(), nullable=False),
        sa.Column("location_ids", JSONText(), nullable=False),
        sa.Column("escalated_from_id", _S(), nullable=True),
        sa.Column("igj_reported_on", sa.Date(), nullable=True),
        sa.Column("igj_note", _S(), nullable=False),
        sa.Column("status", _S(length=12), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("outcome", _S(), nullable=False),
        sa.Column("follow_up_action_id", _S(), nullable=True),
        sa.ForeignKeyConstraint(["provider_id"], ["provider.id"]),
        sa.ForeignKeyConstraint(["owner_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["escalated_from_id"], ["intervention.id"]),
        sa.ForeignKeyConstraint(["follow_up_action_id"], ["follow_up_action.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intervention_provider_id", "intervention", ["provider_id"])
    op.create_index("ix_intervention_status", "intervention", ["status"])


def downgrade() -> None:
    for name in ("intervention", "agreement_check", "custom_agreement", "decision_target"):
        op.drop_table(name)
