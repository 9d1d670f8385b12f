"""Operation payloads stored compressed (issue 18 item 1: the database ≤ 2× its business data).

`sync_op.payload` held each operation's canonical JSON as text: 140 of the 198 MiB of the
sync_op table in the 429 MiB zorgkantoor file. New operations are stored as a version byte and
the JSON deflated with a frozen dictionary made from the schema (db.sync.stored, version 1);
this revision converts the existing rows the same way. The text is compressed as it is (no
re-encoding), so the JSON read back is the same bytes; a payload that would not get shorter
stays text (both forms are read alike). The column keeps its declared type: SQLite stores a
BLOB in a TEXT column as is.

Chunks of CHUNK rows in rowid order, so memory stays bounded whatever the size of the op-log;
all in the migration's one transaction (a failure leaves the file as it was). db.migrate
backs the file up first and VACUUMs afterwards (db.migrate.COMPACT_AFTER), which gives the
space back: rows rewritten smaller in place free little whole pages.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

from db.sync.stored import pack

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

CHUNK = 2000


def _raw():  # type: ignore[no-untyped-def]
    """The sqlite3 connection under the migration's transaction."""
    return op.get_bind().connection.driver_connection


def upgrade() -> None:
    raw = _raw()
    last = 0
    while True:
        rows = raw.execute(
            "SELECT rowid, payload FROM sync_op WHERE rowid > ? AND typeof(payload) = 'text' "
            "ORDER BY rowid LIMIT ?",
            (last, CHUNK),
        ).fetchall()
        if not rows:
            return
        packed = [(p, rowid) for rowid, text in rows if isinstance(p := pack(text), bytes)]
        raw.executemany("UPDATE sync_op SET payload = ? WHERE rowid = ?", packed)
        last = rows[-1][0]


def downgrade() -> None:
    # op_json is registered on every connection of db.engine (db.sync.stored.register).
    op.execute("UPDATE sync_op SET payload = op_json(payload) WHERE typeof(payload) = 'blob'")
