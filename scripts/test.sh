#!/usr/bin/env bash
# Install Kwaliteitsdialoog with its test tools in .venv and run the whole test suite headless.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k letters`.
source "$(dirname "$0")/_setup.sh" postgresql binutils libpython3.11
.venv/bin/python -m pip install -q -e '.[test,packaging]'
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
