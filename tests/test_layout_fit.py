"""The window fits (issue 14 item 3): every section and location tab, and the dialogs, rendered
at 1024×600 and 1366×768; no visible button text is cut and no two visible labels/buttons
overlap. PNGs go to tmp for a human look (KWALITEITSDIALOOG_LAYOUT_PNG=folder keeps them)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_accessibility import (  # noqa: F401 - fixtures
    _build_window,
    _dialogs,
    _open_dialog,
    _screens,
    _settle,
    demo_path,
    styled,
)

SIZES = [(1366, 768), (1024, 600)]


def _visible_texts(root):  # type: ignore[no-untyped-def]
    from desktop.ui.qt import QAbstractButton, QLabel, QToolButton

    for w in root.findChildren(QLabel) + root.findChildren(QAbstractButton):
        if not w.isVisible() or w.width() <= 1 or not w.visibleRegion().boundingRect().isValid():
            continue
        if isinstance(w, QToolButton) and not w.text():
            continue
        yield w


def _clipped(root) -> list[str]:  # type: ignore[no-untyped-def]
    """Buttons whose text is wider than the button (the 'el vastleg' of the report)."""
    from desktop.ui.qt import QCheckBox, QPushButton, QRadioButton

    out = []
    for w in _visible_texts(root):
        if not isinstance(w, QPushButton) or isinstance(w, QCheckBox | QRadioButton):
            continue
        text = w.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
        if not text or "\n" in text:
            continue
        need = w.fontMetrics().horizontalAdvance(text) + (w.iconSize().width() + 4 if not w.icon().isNull() else 0)
        if need > w.contentsRect().width() - 2 and not w.toolTip():
            out.append(f"knop '{text}' {w.width()} px breed, tekst {need} px")
    return out


def _overlaps(root) -> list[str]:  # type: ignore[no-untyped-def]
    """Two visible labels/buttons (neither inside the other) whose rectangles intersect."""
    from desktop.ui.qt import QRect

    items = []
    for w in _visible_texts(root):
        r = w.visibleRegion().boundingRect()
        top_left = w.mapTo(root, r.topLeft())
        items.append((w, QRect(top_left, r.size()).adjusted(1, 1, -1, -1)))
    out = []
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1:]:
            if a.isAncestorOf(b) or b.isAncestorOf(a) or not ra.intersects(rb):
                continue
            if a.window() is not b.window():
                continue
            out.append(f"'{a.text()[:30]}' overlapt '{b.text()[:30]}'")
    return out


def _png_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KWALITEITSDIALOOG_LAYOUT_PNG") or tmp_path / "layout")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_without_cut_or_overlapping_text(qtbot, styled, demo_path, tmp_path, size) -> None:  # type: ignore[no-untyped-def]
    ctx, window, _db = _build_window(qtbot, demo_path, tmp_path)
    window.resize(*size)
    _settle(qtbot, ctx)
    folder = _png_folder(tmp_path)
    findings: dict[str, list[str]] = {}
    for n, (name, root) in enumerate(_screens(qtbot, ctx, window)):
        window.grab().save(str(folder / f"{size[0]}x{size[1]}-{n:02d}.png"))
        problems = _clipped(root) + _overlaps(root)
        if problems:
            findings[name] = problems
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
    ctx.executor.wait_idle(10)


def test_dialogs_fit_at_1024x600(qtbot, styled, demo_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx, window, _db = _build_window(qtbot, demo_path, tmp_path)
    window.resize(1024, 600)
    folder = _png_folder(tmp_path)
    findings: dict[str, list[str]] = {}
    for name, make in _dialogs(ctx, window):
        dialog = _open_dialog(qtbot, ctx, make)
        assert dialog.height() <= 600 or dialog.minimumHeight() <= 600, name
        dialog.grab().save(str(folder / f"dialoog-{name}.png"))
        problems = _clipped(dialog) + _overlaps(dialog)
        if problems:
            findings[name] = problems
        dialog.close()
    assert not findings, "\n".join(f"{k}: {v}" for k, v in findings.items())
    ctx.executor.wait_idle(10)


def test_the_checks_find_cut_and_overlapping_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The detectors themselves: a button too narrow for its text, two labels on top of
    each other (the heatmap filter labels drawn over their combos)."""
    from desktop.ui.qt import QLabel, QPushButton, QWidget

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 200)
    button = QPushButton("Oordeel vastleggen", root)
    button.setGeometry(10, 10, 40, 30)
    first = QLabel("Zorgaanbieder", root)
    first.setGeometry(10, 100, 120, 20)
    second = QLabel("Thema", root)
    second.setGeometry(60, 105, 120, 20)
    root.show()
    qtbot.waitExposed(root)
    assert any("Oordeel vastleggen" in f for f in _clipped(root))
    assert any("Zorgaanbieder" in f and "Thema" in f for f in _overlaps(root))
    button.setToolTip("Oordeel vastleggen")  # elided on purpose, with the full text as tooltip
    assert _clipped(root) == []
