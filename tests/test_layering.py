"""ARCHITECTURE.md: Qt is imported only under desktop/ui/."""

import subprocess
import sys


def test_importing_core_packages_does_not_load_qt() -> None:
    code = (
        "import sys, importlib, pkgutil\n"
        "import db, db.models, db.repo, db.migrate, db.sync, forms, desktop.services, desktop.cli\n"
        "import desktop.services as s\n"
        "for m in pkgutil.walk_packages(s.__path__, 'desktop.services.'):\n"
        "    importlib.import_module(m.name)\n"
        "import db.sync as y\n"
        "for m in pkgutil.walk_packages(y.__path__, 'db.sync.'):\n"
        "    importlib.import_module(m.name)\n"
        "import forms as f\n"
        "for m in pkgutil.walk_packages(f.__path__, 'forms.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
