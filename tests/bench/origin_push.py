"""Run as a subprocess by test_bench_origin.py: `store create` on a copy of the zorgkantoor
database and its first push, measured in a process of its own (peak RSS). Prints JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import keyring

sys.path[:0] = [
    str(Path(__file__).resolve().parents[2]),
    str(Path(__file__).resolve().parents[1] / "sync"),
]
from sync_helpers import MemoryKeyring  # noqa: E402


def main(db_path: str, store: str, ring_out: str) -> None:
    from desktop.services import sync as svc
    from desktop.services.database import open_database
    from desktop.services.users import list_users

    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    db = open_database(Path(db_path))
    lead = next(u for u in list_users(db) if "TEAM_LEAD" in u.roles)
    svc.create_store(db, Path(store), lead.id)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    report = svc.sync_now(db)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    db.dispose()
    Path(ring_out).write_text(json.dumps([[s, u, v] for (s, u), v in ring.secrets.items()]))
    print(
        json.dumps(
            {
                "pushed": report.pushed,
                "seconds": seconds,
                "rss_before_kib": before,
                "peak_rss_kib": peak,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
