#!/usr/bin/env bash
# Install Kwaliteitsdialoog with its test tools in .venv and run the whole test suite headless.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k letters`.
SETUP_EXTRA_APT=(postgresql binutils libpython3.11)
source "$(dirname "$0")/_setup.sh"
pip_install_once '.[test,packaging]'
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q "$@"
