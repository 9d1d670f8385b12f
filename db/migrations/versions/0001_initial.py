"""Initial schema (release 0.1).

The schema of this revision is frozen in tests/fixtures/schema/v0001.sqlite; a new database is
created from the models and stamped with the head revision, older databases are upgraded by
the revisions that follow this one.

Revision ID: 0001
Revises:
"""

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
