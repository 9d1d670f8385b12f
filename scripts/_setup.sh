# Shared set-up for scripts/start.sh and scripts/test.sh (sourced, not run).
# Installs the Debian packages Qt and the tests need, then a virtualenv in .venv.
# Extra Debian packages come from the array SETUP_EXTRA_APT (set before sourcing), never from
# the caller's arguments: those belong to the program or to pytest.
# KD_SETUP_VERBOSE=1 shows the installers' output.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

APT_PACKAGES=(
  # Qt (PySide6 wheels bring Qt itself; these are the system libraries it loads)
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
  fonts-dejavu-core
  # venv for Debian's python3, PDF tools for the tests (pdftotext, pdftoppm)
  python3-venv poppler-utils
  ${SETUP_EXTRA_APT[@]+"${SETUP_EXTRA_APT[@]}"}
)

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Systeempakketten installeren: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq >/dev/null
    # Packages a given Debian release does not have are skipped, not fatal.
    for p in "${missing[@]}"; do
      $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 || echo "  (pakket $p overgeslagen)"
    done
  fi
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Virtuele omgeving aanmaken in .venv"
  "$PYTHON" -m venv .venv
fi

# pip_install_once SPEC: `pip install -e SPEC` only when pyproject.toml changed since the last
# install of SPEC (a stamp in .venv), with the output in .venv/install.log instead of the terminal.
pip_install_once() {
  local spec="$1" key stamp hash log
  key="$(printf '%s' "$spec" | tr -c 'A-Za-z0-9' '_')"
  stamp=".venv/.kwaliteitsdialoog-installed-$key"
  hash="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
    return 0
  fi
  log=".venv/install.log"
  echo "Kwaliteitsdialoog installeren in .venv (alleen na een wijziging; details in $log)…"
  if [ "${KD_SETUP_VERBOSE:-}" = "1" ]; then
    .venv/bin/python -m pip install --upgrade pip
    .venv/bin/python -m pip install -e "$spec"
  elif ! { .venv/bin/python -m pip install -q --upgrade pip \
           && .venv/bin/python -m pip install -q -e "$spec"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "Installeren mislukt; zie $log" >&2
    return 1
  fi
  printf '%s' "$hash" >"$stamp"
}
