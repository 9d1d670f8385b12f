"""Schema versions. Keep REVISIONS in step with versions/ (tests/test_migrations.py checks).

Each released schema version has a frozen fixture database in tests/fixtures/schema/.
"""

REVISIONS: tuple[str, ...] = (
    "0001",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
)
HEAD = REVISIONS[-1]
