"""Rotating log file in the user's log folder."""

from __future__ import annotations

import logging
import logging.handlers

_configured = False


def setup_logging(console: bool = False) -> None:
    global _configured
    if _configured:
        return
    _configured = True
    from desktop.services.paths import log_dir

    root = logging.getLogger()
    root.setLevel(logging.INFO)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "kwaliteitsdialoog.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(fmt)
    root.addHandler(handler)
    if console:
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        root.addHandler(stream)
