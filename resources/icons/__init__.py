"""Application icons: kwaliteitsdialoog.svg is the source; the PNGs, .ico and .icns are
generated from it by packaging/make_icons.py (committed, so builds need no extra tools)."""
