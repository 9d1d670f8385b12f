"""Never lose a word: a separate process types into a draft in the real visit window, waits
for an autosave and is killed with SIGKILL. Reopening finds every word typed up to that
autosave, and the app offers the draft again."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from test_visits import db, db_path, make_location, users, visits_template  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    r"""
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, sys.argv[3])
    from PySide6.QtTest import QTest
    from desktop.ui.qt import QApplication
    app = QApplication([])
    from desktop.services.database import open_database
    from desktop.services.users import get_user
    from desktop.ui.context import AppContext
    from desktop.ui.visits import visit_window

    db = open_database(sys.argv[1])
    ctx = AppContext(db.path)
    ctx.set_db(db)
    ctx.set_user(get_user(db, sys.argv[4]))
    def wait_for(cond, what, timeout=90):
        # Bounded: a child that cannot make progress says why and leaves, never hangs CI.
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > deadline:
                print("TIMEOUT " + what, flush=True)
                os._exit(3)
            app.processEvents(); time.sleep(0.01)

    opened = []
    visit_window.open_visit(ctx, sys.argv[2], opened.append)
    wait_for(lambda: opened, "visit window did not open")
    win = opened[0]
    win.timer.setInterval(150)
    saves = []
    win.saved.connect(saves.append)
    view = win.view
    view.go_to_section(4)  # T3
    box = view.widget_for("t3_observation")
    box.setFocus()
    words = ["Medicatiekar", "stond", "onbeheerd", "open", "in", "de", "gang", "tijdens",
             "de", "middagronde"]
    typed = ""
    for w in words:
        QTest.keyClicks(box, (" " if typed else "") + w)
        typed = box.toPlainText()
        n = len(saves)
        wait_for(lambda: len(saves) > n, "no autosave after a word")  # autosave of this word
    view.widget_for("t3_signal").button_for("ZORG").click()
    n = len(saves)
    wait_for(lambda: len(saves) > n, "no autosave after the signal")
    print("SAVED " + typed, flush=True)
    QTest.keyClicks(box, " en dit is na de laatste opslag")
    while True:                          # keep running until killed
        app.processEvents(); time.sleep(0.01)
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL needs POSIX")
def test_sigkill_during_typing_loses_nothing_that_was_autosaved(db, db_path, users, tmp_path):
    from desktop.services.users import get_user  # noqa: F401  (the child uses it)
    from desktop.services.visits import create_visit, get_visit, list_drafts

    actor = users["purchaser"].id
    w = make_location(db, actor)
    visit = create_visit(db, w.location, actor_id=actor)
    db.dispose()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db_path), visit.id, str(ROOT), actor],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
        line = ""
        deadline = time.monotonic() + 180
        while not line.startswith(("SAVED ", "TIMEOUT ")) and time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                if proc.poll() is not None:
                    break
        assert line.startswith("SAVED "), proc.stderr.read() if proc.poll() is not None else line
        typed = line[len("SAVED ") :].rstrip("\n")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert typed == "Medicatiekar stond onbeheerd open in de gang tijdens de middagronde"

    from desktop.services.database import open_database

    db2 = open_database(db_path)  # "reopen the app"
    try:
        again = get_visit(db2, visit.id)
        assert again.status == "DRAFT"
        assert again.answers["t3_observation"].startswith(typed)
        assert again.answers["t3_signal"] == "ZORG"
        assert [d.id for d in list_drafts(db2, actor)] == [visit.id]  # offered after restart
    finally:
        db2.dispose()
