"""Stukken (issue 20): the `document` record, per-laptop blob state and the text index.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.models.documents import DOCUMENT_DDL

    # Idempotent: a database re-stamped to an older revision (tests) may have the tables.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "document" not in existing:
        _create_tables()
    for ddl in DOCUMENT_DDL:
        op.execute(ddl)


def _create_tables() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted_at", UTCDateTime(), nullable=True),
        sa.Column("target_kind", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=36), nullable=False),
        sa.Column("provider_id", sa.String(length=36), nullable=True),
        sa.Column("doc_type", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("added_by_id", sa.String(), sa.ForeignKey("app_user.id"), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
    )
    op.create_index("ix_document_target", "document", ["target_kind", "target_id"])
    op.create_index("ix_document_provider_id", "document", ["provider_id"])
    op.create_index("ix_document_sha256", "document", ["sha256"])
    op.create_table(
        "document_blob",
        sa.Column("sha256", sa.String(length=64), primary_key=True),
        sa.Column("upload_pending", sa.Boolean(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=True),
        sa.Column("problem", sa.String(), nullable=False),
        sa.Column("problem_at", UTCDateTime(), nullable=True),
        sa.Column("text_status", sa.String(length=10), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
    )
    op.create_index("ix_document_blob_upload_pending", "document_blob", ["upload_pending"])


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS document_text_fts")
    op.drop_table("document_blob")
    op.drop_table("document")
