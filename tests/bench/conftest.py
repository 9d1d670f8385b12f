"""Shared benchmark fixtures (tests/bench/README.md).

`zorgkantoor_db_path` is a database at the `zorgkantoor` demo scale (11 regions, ~400
providers, ~1,000 locations, 10 years), built once and cached, because building it takes
minutes. The cache key covers what shapes the data (demo generator, its word lists, the
models and the schema revision), so a change there rebuilds it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("KD_BENCH_CACHE", Path(__file__).parent / ".cache"))
SEED = 2026
TODAY = date(2026, 11, 23)  # fixed, so the cache stays valid from day to day
# What shapes the data: the generator, its word lists, the schema. (Not the write path or the
# op-log code: they are edited often and do not change the content.)
_KEY_SOURCES = (
    "desktop/services/demo",
    "resources/demo",
    "db/models",
    "db/sync/models.py",
    "db/migrations/__init__.py",
    "resources/reference",
)


def _cache_key(scale: str) -> str:
    h = hashlib.sha256(f"{scale}|{SEED}|{TODAY}".encode())
    for rel in _KEY_SOURCES:
        p = ROOT / rel
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file() and f.suffix in {".py", ".yaml", ".yml"}:
                h.update(str(f.relative_to(ROOT)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


def build_demo_db(scale: str = "zorgkantoor") -> Path:
    """Path of a cached demo database of `scale`; built (under a file lock) when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    target = CACHE / f"{scale}-{_cache_key(scale)}.sqlite"
    if _usable(target):
        return target
    with open(CACHE / f"{scale}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building the same file
        if _usable(target):
            return target
        from desktop.services.database import open_database
        from desktop.services.demo import generate_demo

        tmp = target.with_suffix(".building")
        for leftover in CACHE.glob(f"{tmp.name}*"):
            leftover.unlink()
        db = open_database(tmp)
        try:
            generate_demo(db, scale, SEED, today=TODAY)
        finally:
            db.dispose()
        conn = sqlite3.connect(tmp)
        try:  # fold the WAL into the main file: the cache is one self-contained file
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
        tmp.replace(target)
        # Other keys' files may still be in use by a run that started earlier: only remove
        # those that have not been touched for two hours.
        for old in CACHE.glob(f"{scale}-*.sqlite"):
            if old != target and time.time() - old.stat().st_mtime > 7200:
                old.unlink(missing_ok=True)
        return target


def _usable(path: Path) -> bool:
    """A complete cache file (an interrupted or emptied one is rebuilt)."""
    if not path.exists() or path.stat().st_size < 1_000_000:
        return False
    with path.open("rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


@pytest.fixture(scope="session")
def zorgkantoor_db_path() -> Path:
    """Read-only zorgkantoor-scale database (shared by all benchmarks: do not write to it;
    use `zorgkantoor_db_copy` for benchmarks that write)."""
    return build_demo_db("zorgkantoor")


@pytest.fixture
def zorgkantoor_db_copy(zorgkantoor_db_path: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the zorgkantoor database in tmp_path."""
    dst = tmp_path / "zorgkantoor.sqlite"
    shutil.copyfile(zorgkantoor_db_path, dst)
    return dst


@pytest.fixture(scope="session")
def national_db_path() -> Path:
    """Read-only national-scale database (issue 18: 3×, 1,200 providers, 3,000 locations, 10
    years; about every nursing-home location in the Netherlands). Built once and cached like
    the zorgkantoor one (about 3× as long to build); do not write to it."""
    return build_demo_db("national")


@pytest.fixture(scope="session", params=["zorgkantoor", "national"], ids=["1x", "3x"])
def scaled_db_path(request) -> Path:  # type: ignore[no-untyped-def]
    """The zorgkantoor database (1×) and the national one (3×): benchmarks side by side."""
    return Path(request.getfixturevalue(f"{request.param}_db_path"))


@pytest.fixture(scope="module")
def scaled_database(scaled_db_path):  # type: ignore[no-untyped-def]
    """A Database on the 1× or 3× file (read only: the benchmarks only read)."""
    from db.engine import Database

    db = Database(scaled_db_path)
    yield db
    db.dispose()
