#!/usr/bin/env bash
# Install Kwaliteitsdialoog in .venv and start it on the local database in the user's data folder.
# Extra arguments go to the program, e.g. `bash scripts/start.sh --db ~/test.sqlite`.
source "$(dirname "$0")/_setup.sh"
.venv/bin/python -m pip install -q -e .
exec .venv/bin/kwaliteitsdialoog "$@"
