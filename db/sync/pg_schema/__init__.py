"""Versioned schema migrations of the PostgreSQL team server (separate from the local SQLite
Alembic chain: the server schema has its own life cycle and is upgraded by its administrator).

Each module `vNNNN_<name>.py` holds `SQL`, applied once, in order, in one transaction per
version, recorded in `kd_schema_version`. Python modules rather than .sql files so that wheels
and the PyInstaller bundle carry them without extra package-data rules. A client refuses a
server older than REQUIRED or newer than LATEST.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

_NAME = re.compile(r"^v(\d{4})_\w+$")


def migrations() -> list[tuple[int, str, str]]:
    """[(version, name, sql)] in order."""
    out = []
    for info in pkgutil.iter_modules(__path__):
        m = _NAME.match(info.name)
        if m:
            mod = importlib.import_module(f"{__name__}.{info.name}")
            out.append((int(m.group(1)), info.name, mod.SQL))
    out.sort()
    return out


LATEST = max((v for v, _, _ in migrations()), default=0)
# The oldest server schema this client works with. Later versions only add what a client can
# do without (v0004: join images; without them a new laptop joins segment by segment).
REQUIRED = 3
