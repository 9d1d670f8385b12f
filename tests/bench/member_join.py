"""Run as a subprocess by test_bench_join.py: a new laptop joins the store of the zorgkantoor
origin replica (a folder, or a team server `postgresql://…`) and makes its first sync, in a
process of its own (peak RSS). Prints JSON.
`member_join.py image DB KEYRING`: the owner publishes a join image instead."""

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


def main(store: str, db_path: str, ring_in: str, passphrase: str) -> None:
    import db.sync.segment as segment
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    segment.SCRYPT_N = 2**10  # as when the invitation was made
    ring = MemoryKeyring()
    for s, u, v in json.loads(Path(ring_in).read_text()):
        ring.set_password(s, u, v)
    keyring.set_keyring(ring)
    started = time.perf_counter()
    db = open_database(Path(db_path))
    svc.join_store(db, store if "://" in store else Path(store), passphrase)  # or a server
    joined = time.perf_counter()
    report = svc.sync_now(db)
    done = time.perf_counter()
    db.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "pulled": report.pulled,
                "refused": report.refused_ops,
                "waiting": report.waiting,
                "conflicts": report.conflicts,
                "quarantined": report.quarantined,
                "from_image": report.from_image,
                "join_seconds": joined - started,
                "pull_seconds": done - joined,
                "seconds": done - started,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_kib": usage.ru_maxrss,
            }
        )
    )


def image(db_path: str, ring_in: str) -> None:
    """The owner publishes a join image (store image), timed in a process of its own."""
    from desktop.services import sync as svc
    from desktop.services.database import open_database

    ring = MemoryKeyring()
    for s, u, v in json.loads(Path(ring_in).read_text()):
        ring.set_password(s, u, v)
    keyring.set_keyring(ring)
    db = open_database(Path(db_path))
    started = time.perf_counter()
    name = svc.make_image(db)
    seconds = time.perf_counter() - started
    db.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "image": name,
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_kib": usage.ru_maxrss,
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1] == "image":
        image(*sys.argv[2:4])
    else:
        main(*sys.argv[1:5])
