"""Run as a subprocess by test_bench_national.py (issue 18): a session in the real main window
that opens every section of the left bar, then a location (the one with the most data) with
every tab, with the peak RSS of this process after each step. Prints JSON.

    python tests/bench/session_memory.py DB.sqlite
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _peak_mib() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: Linux keeps ru_maxrss
    across exec, so it would start at the RSS of the pytest process that started this one."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _rss_mib() -> float:
    """Resident now (not the peak): what a section keeps, as opposed to what it passed through."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _busiest_location(db_path: Path) -> str:
    conn = sqlite3.connect(str(db_path))
    try:
        return str(
            conn.execute(
                """SELECT location_id FROM theme_assessment GROUP BY location_id
               ORDER BY count(*) DESC LIMIT 1"""
            ).fetchone()[0]
        )
    finally:
        conn.close()


def main(db_path: Path) -> None:
    from desktop.ui.qt import QApplication, QEventLoop

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from desktop.services import users
    from desktop.services.database import open_database
    from desktop.services.directory import load_directory
    from desktop.ui.context import AppContext
    from desktop.ui.main_window import MainWindow

    def settle() -> None:
        for _ in range(3):
            ctx.executor.wait_idle(120)
            end = time.monotonic() + 0.15
            while time.monotonic() < end:
                app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    steps: list[dict[str, object]] = [
        {"step": "start", "peak_mib": round(_peak_mib(), 1), "rss_mib": round(_rss_mib(), 1)}
    ]
    ctx = AppContext(db_path)
    window = MainWindow(ctx, load_directory(db_path))
    db = open_database(db_path)
    ctx.set_db(db)
    user = users.current_user(db) or next(u for u in users.list_users(db) if "TEAM_LEAD" in u.roles)
    ctx.set_user(user)
    window.resize(1366, 768)
    window.show()
    settle()
    steps.append(
        {"step": "window", "peak_mib": round(_peak_mib(), 1), "rss_mib": round(_rss_mib(), 1)}
    )
    keys = [window.section_bar.item(r).data(0x0100) for r in range(window.section_bar.count())]
    opened = []
    for key in keys:
        t = time.perf_counter()
        widget = window.show_section(key)
        settle()
        spec = window._section_specs.get(key)
        assert window.stack.currentIndex() == window._sections[key], key
        assert spec is None or type(widget).__name__ == spec.factory.rsplit(":", 1)[1], key
        opened.append(key)
        steps.append(
            {
                "step": key,
                "seconds": round(time.perf_counter() - t, 2),
                "peak_mib": round(_peak_mib(), 1),
                "rss_mib": round(_rss_mib(), 1),
            }
        )
    location_id = _busiest_location(db_path)
    window.open_location(location_id)
    settle()
    page = window.location_page
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        settle()
        steps.append(
            {
                "step": f"locatie:{page.tabs.tabText(i)}",
                "peak_mib": round(_peak_mib(), 1),
                "rss_mib": round(_rss_mib(), 1),
            }
        )
    window.close()
    ctx.executor.shutdown()
    print(
        json.dumps(
            {
                "sections": opened,
                "steps": steps,
                "peak_mib": round(_peak_mib(), 1),
                "rss_mib": round(_rss_mib(), 1),
            }
        )
    )
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown: the figures are out


if __name__ == "__main__":
    main(Path(sys.argv[1]))
