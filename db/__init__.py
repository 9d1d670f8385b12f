"""Persistence layer: SQLModel tables, engine and pragmas, migrations, the write path
(UnitOfWork) and the sync protocol. Never imports Qt (tests/test_layering.py checks)."""
