#!/usr/bin/env bash
# Install Kwaliteitsdialoog in .venv (only the first time and after pyproject.toml changed) and
# start it on the local database in the user's data folder.
# Extra arguments go to the program, e.g. `bash scripts/start.sh --db ~/test.sqlite`.
SETUP_EXTRA_APT=()
source "$(dirname "$0")/_setup.sh"
pip_install_once .
exec .venv/bin/kwaliteitsdialoog "$@"
