"""Where the app keeps its data, logs and settings.

The data folder is the platform's user data folder (platformdirs), unless the environment
variable KWALITEITSDIALOOG_DATA_DIR points elsewhere; `--db PATH` overrides the database file.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Kwaliteitsdialoog"
ENV_DATA_DIR = "KWALITEITSDIALOOG_DATA_DIR"
DB_FILENAME = "kwaliteitsdialoog.sqlite"


def data_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override).expanduser() / "logs"
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_FILENAME
