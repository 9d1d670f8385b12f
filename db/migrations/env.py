"""Alembic environment: runs on the connection handed over by db.migrate (batch mode for SQLite)."""

from alembic import context
from sqlmodel import SQLModel

import db.sync.models  # noqa: F401
from db.models import load_all

load_all()  # registers every table on the metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
