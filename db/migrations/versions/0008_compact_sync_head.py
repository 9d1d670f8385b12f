"""Sync bookkeeping proportional to operations, not fields (issue 18 item 1).

`sync_head` held one row per field of every record with a JSON copy of the value, under a
four-column text key plus an index on (op_id, field): at zorgkantoor scale 1 GB of a 1.4 GB
file. It becomes one row per operation that still heads some field of its record, WITHOUT
ROWID, no values (they are in `sync_op.payload`, stored once), no second index. The fields an
operation heads are its payload's fields less those in `sync_superseded` (unchanged), so the
conversion keeps exactly the operations that headed some field.

db.migrate backs the file up before any upgrade and compacts it (VACUUM) afterwards when the
upgrade freed much of it.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NEW_DDL = (
    "CREATE TABLE {name} (\n"
    "\tentity_id VARCHAR(36) NOT NULL, \n"
    "\tentity VARCHAR(40) NOT NULL, \n"
    "\top_id VARCHAR(36) NOT NULL, \n"
    "\tPRIMARY KEY (entity_id, entity, op_id)\n"
    ") WITHOUT ROWID"
)


def _columns() -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns("sync_head")}


def upgrade() -> None:
    # Idempotent: a database created at a later head and re-stamped (tests) has the new table.
    if "field" not in _columns():
        return
    op.execute("DROP TABLE IF EXISTS sync_head_new")
    op.execute(NEW_DDL.format(name="sync_head_new"))
    # Only heads whose operation is known (the reducer never writes others).
    op.execute("INSERT OR IGNORE INTO sync_head_new (entity_id, entity, op_id) "
               "SELECT DISTINCT h.entity_id, h.entity, h.op_id FROM sync_head h "
               "WHERE EXISTS (SELECT 1 FROM sync_op o WHERE o.op_id = h.op_id) "
               "ORDER BY 1, 2, 3")
    op.execute("DROP INDEX IF EXISTS ix_sync_head_op")
    op.execute("DROP TABLE sync_head")
    op.execute("ALTER TABLE sync_head_new RENAME TO sync_head")


def downgrade() -> None:
    if "field" in _columns():
        return
    op.execute("CREATE TABLE sync_head_old (entity_id VARCHAR(36) NOT NULL, entity VARCHAR(40) "
               "NOT NULL, field VARCHAR(60) NOT NULL, op_id VARCHAR(36) NOT NULL, hlc VARCHAR(40) "
               "NOT NULL, value VARCHAR NOT NULL, author_id VARCHAR(36), "
               "PRIMARY KEY (entity_id, entity, field, op_id))")
    op.execute("INSERT INTO sync_head_old SELECT h.entity_id, h.entity, j.key, h.op_id, o.hlc, "
               "o.payload -> j.fullkey, o.author_id FROM sync_head h JOIN sync_op o "
               "ON o.op_id = h.op_id, json_each(o.payload) j WHERE NOT EXISTS (SELECT 1 FROM "
               "sync_superseded s WHERE s.op_id = h.op_id AND s.field = j.key)")
    op.execute("DROP TABLE sync_head")
    op.execute("ALTER TABLE sync_head_old RENAME TO sync_head")
    op.execute("CREATE INDEX ix_sync_head_op ON sync_head (op_id, field)")
