#!/bin/sh
# Remove Kwaliteitsdialoog installed by install.sh (same PREFIX). User data is kept
# (~/.local/share/Kwaliteitsdialoog); remove it by hand only if you no longer need it.
set -eu
PREFIX=${PREFIX:-"$HOME/.local"}
APP_ID=nl.kwaliteitsdialoog.Kwaliteitsdialoog
rm -rf "$PREFIX/lib/kwaliteitsdialoog"
rm -f "$PREFIX/bin/kwaliteitsdialoog" "$PREFIX/share/applications/$APP_ID.desktop" \
      "$PREFIX/share/metainfo/$APP_ID.metainfo.xml"
find "$PREFIX/share/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$PREFIX/share/applications" || true
echo "Kwaliteitsdialoog is verwijderd. Uw gegevens zijn bewaard."
