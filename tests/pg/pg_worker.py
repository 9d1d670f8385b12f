"""A replica in its own process (for the concurrency tests and benchmarks).

    python pg_worker.py CONFIG.json  ->  prints one JSON line per sync round

CONFIG: {"db": path, "url": ..., "password": ..., "secrets": [[service, name, value]],
         "user_id": ..., "edits": n, "rounds": n, "pause": s, "delay_first_commit": s}
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "sync"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    import keyring
    from sync_helpers import MemoryKeyring

    cfg = json.loads(Path(sys.argv[1]).read_text())
    ring = MemoryKeyring()
    for service, name, value in cfg["secrets"]:
        ring.set_password(service, name, value)
    keyring.set_keyring(ring)

    from db.engine import Database
    from db.models import Provider
    from db.repo import UnitOfWork
    from db.sync.pg_hub import PostgresHub
    from desktop.services import sync as svc

    db = Database(cfg["db"])
    for k in range(cfg.get("edits", 0)):
        with UnitOfWork(db, cfg["user_id"]) as uow:
            uow.add(Provider(name=f"{cfg['tag']} {k}", place="Zwolle"))
    keys = svc.load_keys(db)
    delay = {"left": float(cfg.get("delay_first_commit", 0))}

    def before_commit(conn):  # type: ignore[no-untyped-def]
        if delay["left"]:
            conn.execute("SELECT pg_sleep(%s)", (delay["left"],))
            delay["left"] = 0

    hub = PostgresHub(
        cfg["url"], password=cfg["password"], facts=svc.review_facts(db, keys.team_keys)
    )
    hub.before_commit = before_commit
    for _ in range(cfg.get("rounds", 1)):
        t = time.perf_counter()
        s = svc.sync_now(db, hub=hub)
        print(
            json.dumps(
                {
                    "pushed": s.pushed,
                    "pulled": s.pulled,
                    "problems": list(s.problems),
                    "seconds": time.perf_counter() - t,
                }
            ),
            flush=True,
        )
        time.sleep(cfg.get("pause", 0))
    hub.close()
    db.dispose()


if __name__ == "__main__":
    main()
