"""The ground floor: Dutch display formatting (`formatting`), identifier validation
(`identifiers`: KvK, AGB, postcode) and the user-facing errors (`errors`). Pure Python, no Qt,
no database; it imports nothing of ours, so `forms`, `db` and `desktop` may all use it
(tests/test_layering.py)."""
