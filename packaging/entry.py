"""Entry point of the PyInstaller bundle (packaging/kwaliteitsdialoog.spec).

It runs exactly the same code as `kwaliteitsdialoog` from a checkout: desktop.cli.main, which
starts the windowed app without a sub-command and runs the headless commands otherwise.

`--bundle-selftest` (not shown in --help) checks, from inside the bundle, that every data file
and dynamically imported module the app needs was packed: see packaging/bundle_selftest.py.
"""

from __future__ import annotations

import os
import sys


def _ensure_std_streams() -> None:
    # The windowed Windows executable has no console: sys.stdout/stderr are None there, and
    # code that writes to them (argparse, logging) must not crash the app.
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def main() -> int:
    _ensure_std_streams()
    if len(sys.argv) > 1 and sys.argv[1] == "--bundle-selftest":
        import bundle_selftest

        return bundle_selftest.main(sys.argv[2:])
    from desktop.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()
    sys.exit(main())
