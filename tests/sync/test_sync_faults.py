"""A fault-injecting file layer under the real folder hub (§10 #4): EACCES / EBUSY, short writes,
stale listings, delayed and reordered arrival as with OneDrive, conflict copies."""

from __future__ import annotations

import errno
from pathlib import Path

from sync_helpers import add_provider, edit_provider, op_ids, provider, state_digest, team_copy

from db.sync.folder_hub import FolderHub, LocalFS
from desktop.services import sync as svc


class FaultyFS(LocalFS):
    def __init__(self) -> None:
        self.deny_writes = False
        self.busy: set[str] = set()  # file names that raise EBUSY on read
        self.short_writes = 0
        self.hidden: set[str] = set()  # not (yet) listed: stale / lagging listing

    def write_durable(self, path: Path, data: bytes) -> None:
        if self.deny_writes:
            raise PermissionError(errno.EACCES, "Toegang geweigerd", str(path))
        if self.short_writes:
            self.short_writes -= 1
            data = data[: len(data) // 2]  # the share swallowed half and reported success
        super().write_durable(path, data)

    def read_bytes(self, path: Path) -> bytes:
        if path.name in self.busy:
            raise OSError(errno.EBUSY, "Bestand in gebruik (virusscanner)", str(path))
        return super().read_bytes(path)

    def listdir(self, path):  # type: ignore[no-untyped-def]
        return [e for e in super().listdir(path) if e.name not in self.hidden]


def _sync(r, store: Path, fs: FaultyFS):  # type: ignore[no-untyped-def]
    return svc.sync_now(r.db, store, hub=FolderHub(store, fs))


def test_eacces_on_push_and_ebusy_on_read_lose_nothing(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    fs = FaultyFS()
    pid = add_provider(a, "Zorggroep West")
    fs.deny_writes = True
    result = _sync(a, store, fs)
    assert result.pushed == 0 and any("Versturen lukte nu niet" in p for p in result.problems)
    assert svc.status(a.db).pending_ops > 0
    assert not list((store / "tmp").iterdir())
    fs.deny_writes = False
    assert _sync(a, store, fs).pushed > 0
    # the antivirus holds the new file while b syncs: skipped now, applied next time
    newest = max((store / "ops").glob("*/*.seg"), key=lambda p: p.stat().st_mtime_ns)
    fs_b = FaultyFS()
    fs_b.busy = {newest.name}
    assert _sync(b, store, fs_b).skipped == 1
    assert provider(b, pid) is None
    fs_b.busy = set()
    assert _sync(b, store, fs_b).pulled > 0
    assert provider(b, pid).name == "Zorggroep West"


def test_short_write_is_detected_by_read_back_and_published_again(tmp_path: Path) -> None:
    store, (a, b, c) = team_copy(tmp_path)
    fs = FaultyFS()
    pid = add_provider(a, "Huize Kort")
    fs.short_writes = 1
    result = _sync(a, store, fs)
    assert result.pushed == 0  # not acknowledged: the read-back differed
    assert svc.status(a.db).pending_ops > 0
    assert _sync(a, store, fs).pushed > 0  # published again under the next attempt name
    assert list((store / "ops").glob("*/*~2.seg"))
    result_b = svc.sync_now(b.db)
    assert result_b.quarantined == 1  # the damaged first attempt, kept and reported
    assert provider(b, pid).name == "Huize Kort"


def test_onedrive_delayed_reordered_arrival_and_conflict_copies(tmp_path: Path) -> None:
    """b edits in three sessions; a's OneDrive delivers the newest segment first, an older one
    late, plus a conflict copy. Nothing is skipped, nothing applied out of order."""
    store, (a, b, c) = team_copy(tmp_path)
    pid = add_provider(b, "Versie 1")
    svc.sync_now(b.db)
    edit_provider(b, pid, name="Versie 2")
    svc.sync_now(b.db)
    edit_provider(b, pid, name="Versie 3")
    svc.sync_now(b.db)
    origin = {
        p.parent.name
        for p in (store / "ops").glob("*/*.seg")
        if p.stat().st_mtime_ns
        == max(q.stat().st_mtime_ns for q in (store / "ops").glob("*/*.seg"))
    }.pop()
    segs = sorted((store / "ops" / origin).glob("*.seg"))[-3:]
    (store / "ops" / origin / f"{segs[0].stem} (LAPTOP-ANNA's conflict).seg").write_bytes(
        segs[0].read_bytes()
    )
    fs = FaultyFS()
    fs.hidden = {segs[0].name, segs[1].name}  # only the newest has arrived
    r = _sync(a, store, fs)
    assert r.waiting == 1 and provider(a, pid) is None  # not applied before its predecessors
    fs.hidden = {segs[1].name}  # the oldest arrives, the middle one is still late
    _sync(a, store, fs)
    assert provider(a, pid).name == "Versie 1"
    fs.hidden = set()
    r = _sync(a, store, fs)
    assert provider(a, pid).name == "Versie 3"
    assert op_ids(b.path) <= op_ids(a.path)
    for x in (a, b, c):
        svc.sync_now(x.db)
    assert state_digest(a.path) == state_digest(b.path) == state_digest(c.path)
    assert (store / "ops" / origin / f"{segs[0].stem} (LAPTOP-ANNA's conflict).seg").exists()
