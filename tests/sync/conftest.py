from __future__ import annotations

import pytest
from sync_helpers import fast_memory_keyring


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    yield from fast_memory_keyring(monkeypatch)
