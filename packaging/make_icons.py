"""Generate the app icon files from resources/icons/kwaliteitsdialoog.svg.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Sizes up to 24 px come from kwaliteitsdialoog-small.svg (no badge, bolder shapes).
Writes resources/icons/png/kwaliteitsdialoog-<size>.png (16 ... 512), a multi-size
kwaliteitsdialoog.ico (Windows: 16, 20, 24, 32, 40, 48, 64, 128, 256) and kwaliteitsdialoog.icns
(macOS). Rendering is done with Qt's SVG renderer at every size (not by scaling one bitmap), so
small sizes stay sharp; Pillow assembles the .ico/.icns. The generated files are committed.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "kwaliteitsdialoog.svg"
# Below 32 px the badge turns to mush: a simplified drawing is used for those sizes.
SMALL_SVG = ICONS / "kwaliteitsdialoog-small.svg"
SMALL_MAX = 24
PNG_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render_png(size: int) -> bytes:
    svg = SMALL_SVG if size <= SMALL_MAX else SVG
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    out = ICONS / "png"
    out.mkdir(exist_ok=True)
    images: dict[int, Image.Image] = {}
    for size in PNG_SIZES:
        data = render_png(size)
        (out / f"kwaliteitsdialoog-{size}.png").write_bytes(data)
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")
    largest = images[max(ICO_SIZES)]
    largest.save(
        ICONS / "kwaliteitsdialoog.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    images[512].save(
        ICONS / "kwaliteitsdialoog.icns",
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != 512],
    )
    print(f"wrote {len(PNG_SIZES)} PNGs, kwaliteitsdialoog.ico and .icns in {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
