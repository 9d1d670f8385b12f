#!/bin/sh
# Install Kwaliteitsdialoog from this folder.
#   per user (default):  ./install.sh                 -> ~/.local
#   system-wide:         sudo PREFIX=/usr/local ./install.sh
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-"$HOME/.local"}
APP_ID=nl.kwaliteitsdialoog.Kwaliteitsdialoog
APPDIR="$PREFIX/lib/kwaliteitsdialoog"

mkdir -p "$PREFIX/bin" "$PREFIX/lib" "$PREFIX/share/applications" "$PREFIX/share/metainfo"
rm -rf "$APPDIR.new"
cp -a "$HERE/Kwaliteitsdialoog" "$APPDIR.new"
rm -rf "$APPDIR"
mv "$APPDIR.new" "$APPDIR"
ln -sf "$APPDIR/kwaliteitsdialoog" "$PREFIX/bin/kwaliteitsdialoog"

# The menu entry points at the installed executable (~/.local/bin is not always on PATH).
sed -e "s|^Exec=.*|Exec=$APPDIR/kwaliteitsdialoog|" -e "s|^TryExec=.*|TryExec=$APPDIR/kwaliteitsdialoog|" \
    "$HERE/share/applications/$APP_ID.desktop" > "$PREFIX/share/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$PREFIX/share/metainfo/"
(cd "$HERE/share/icons" && find hicolor -type f) | while read -r icon; do
    mkdir -p "$PREFIX/share/icons/$(dirname "$icon")"
    cp "$HERE/share/icons/$icon" "$PREFIX/share/icons/$icon"
done

command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
echo "Kwaliteitsdialoog is geïnstalleerd in $APPDIR (starten: menu Kantoor, of $PREFIX/bin/kwaliteitsdialoog)."
