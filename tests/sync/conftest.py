from __future__ import annotations

import keyring
import pytest
from sync_helpers import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import db.sync.segment as segment

    monkeypatch.setattr(segment, "SCRYPT_N", 2**10)  # fast invitations in tests
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
