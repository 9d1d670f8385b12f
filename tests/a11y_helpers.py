"""Accessibility audit of a live widget tree (issue 21), shared by tests/test_accessibility.py.

Each check returns a list of human-readable findings; an empty list means the screen passes."""

from __future__ import annotations

from PySide6.QtTest import QTest

from desktop.ui.qt import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QAccessible,
    QApplication,
    QComboBox,
    QEvent,
    QImage,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QRect,
    QScrollArea,
    Qt,
    QTextEdit,
    QWidget,
)


def describe(w: QWidget) -> str:
    name = (
        QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
        if QAccessible.queryAccessibleInterface(w)
        else ""
    )
    bits = [type(w).__name__]
    if w.objectName():
        bits.append(f"#{w.objectName()}")
    text = getattr(w, "text", None)
    if callable(text) and isinstance(w, (QAbstractButton, QLabel)):
        bits.append(repr(text()[:40]))
    bits.append(f"name={name[:50]!r}")
    p = w.parentWidget()
    chain = []
    while p is not None and len(chain) < 3:
        chain.append(type(p).__name__)
        p = p.parentWidget()
    bits.append("in " + "/".join(chain))
    return " ".join(bits)


def _inside_compound(w: QWidget) -> bool:
    """The line edit inside a spin box or editable combo box is part of that control."""
    p = w.parentWidget()
    return isinstance(p, (QAbstractSpinBox, QComboBox))


def focusables(root: QWidget) -> list[QWidget]:
    """Visible, enabled widgets that Tab can reach in `root`'s window."""
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not (w.isVisible() and w.isEnabled()):
            continue
        if not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or w.focusProxy() is not None:
            continue
        if _inside_compound(w) or w.window() is not root.window():
            continue
        out.append(w)
    return out


def accessible_name(w: QWidget) -> str:
    """The name a screen reader announces. Qt on Linux reports a combo box's *value* as its
    name and leaves the label to the "labelled by" relation (AT-SPI); Windows and macOS use
    the accessible name. So for a combo box: its accessible name, else its label relation."""
    iface = QAccessible.queryAccessibleInterface(w)
    if iface is None:
        return ""
    if isinstance(w, QComboBox):
        if w.accessibleName():
            return w.accessibleName().strip()
        labels = [
            r[0].text(QAccessible.Text.Name)
            for r in iface.relations()
            if r[1] & QAccessible.RelationFlag.Label
        ]
        return (labels[0] if labels else "").strip()
    return iface.text(QAccessible.Text.Name).strip()


def _value(w: QWidget) -> str:
    if isinstance(w, QComboBox):
        return w.currentText().strip()
    if isinstance(w, (QLineEdit, QAbstractSpinBox)):
        return (w.text() if isinstance(w, QLineEdit) else w.text()).strip()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText().strip()
    if isinstance(w, QTextEdit):
        return w.toPlainText().strip()
    return ""


def unnamed(root: QWidget) -> list[str]:
    """Focusable widgets whose accessible name is empty or merely their current value."""
    bad = []
    for w in focusables(root):
        name = accessible_name(w)
        value = _value(w)
        if not name:
            bad.append(f"no name: {describe(w)}")
        elif value and name == value:
            bad.append(f"named by its value only: {describe(w)}")
    return bad


def focus_widget() -> QWidget | None:
    return QApplication.focusWidget()


def tab_cycle(root: QWidget, start: QWidget | None = None, backwards: bool = False) -> list[str]:
    """Press Tab from the first control until focus comes back: every control is reached and
    nothing traps the focus."""
    targets = focusables(root)
    if not targets:
        return []
    start = start or targets[0]
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    first = focus_widget()
    if first is None:
        return [f"cannot focus {describe(start)} (window not active?)"]
    seen: list[QWidget] = [first]
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    limit = 3 * len(targets) + 20
    stay = 0
    for _ in range(limit):
        current = focus_widget()
        QTest.keyClick(current, key)
        QApplication.processEvents()
        now = focus_widget()
        if now is None:
            return ["focus left the window"]
        if now is first:
            break
        # A date field steps through day, month and year, a label through its links: a few
        # presses inside one control are fine, never leaving it is a trap.
        stay = stay + 1 if now is current else 0
        if stay >= 8:
            return [f"Tab is trapped in {describe(now)}"]
        if now is not current:
            seen.append(now)
    else:
        trail = ", ".join(describe(w) for w in seen[-4:])
        return [f"Tab never returned to the start after {limit} presses; last: {trail}"]
    missing = [
        w
        for w in targets
        if w not in seen and not _reached_via_proxy(w, seen) and not _radio_sibling_reached(w, seen)
    ]
    return [f"never reached by Tab: {describe(w)}" for w in missing]


def _radio_sibling_reached(w: QWidget, seen: list[QWidget]) -> bool:
    """Exclusive radio buttons are one Tab stop; the arrow keys choose within the group."""
    if not isinstance(w, QRadioButton):
        return False
    group = w.group()
    siblings = (
        group.buttons()
        if group is not None
        else [
            b
            for b in w.parentWidget().findChildren(QRadioButton)
            if b.parentWidget() is w.parentWidget()
        ]
    )
    return any(b in seen for b in siblings)


def _reached_via_proxy(w: QWidget, seen: list[QWidget]) -> bool:
    return any(s.focusProxy() is w for s in seen)


def _image(w: QWidget) -> QImage:
    return w.grab().toImage()


def focus_invisible(root: QWidget) -> list[str]:
    """Controls that look the same with and without keyboard focus."""
    bad = []
    targets = focusables(root)
    for w in targets:
        other = next(
            (t for t in targets if t is not w and not w.isAncestorOf(t) and not t.isAncestorOf(w)),
            None,
        )
        if other is None:
            w.clearFocus()
        else:
            other.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        without = _image(w)
        w.setFocus(Qt.FocusReason.TabFocusReason)
        QApplication.processEvents()
        if not w.hasFocus():
            bad.append(f"cannot take focus: {describe(w)}")
            continue
        with_focus = _image(w)
        if with_focus == without:
            bad.append(f"no visible focus: {describe(w)}")
    return bad


def _flush() -> None:
    """Run pending layout requests, so geometries are the ones the user will see."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def clipped(root: QWidget, tolerance: int = 2) -> list[str]:
    """Labels and buttons narrower or lower than their text needs."""
    _flush()
    bad = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, (QLabel, QAbstractButton)):
            continue
        if w.window() is not root.window():
            continue
        text = w.text()
        if not text or (
            isinstance(w, QLabel) and (w.pixmap() is not None and not w.pixmap().isNull())
        ):
            continue
        if isinstance(w, QLabel) and w.property("elides"):
            continue  # draws its own elided text; full text in tool tip and accessible name
        cut = _cut_by_scroll_area(w)
        if cut:
            bad.append(
                f"cut off at the right by a scroll area without horizontal scroll bar "
                f"({cut} px): {describe(w)}"
            )
            continue
        hint = w.sizeHint()
        if isinstance(w, QLabel) and w.wordWrap():
            need_h = w.heightForWidth(w.width())
            if need_h > w.height() + tolerance:
                bad.append(f"wrapped text cut off ({w.height()} < {need_h} px high): {describe(w)}")
            continue
        if hint.width() > w.width() + tolerance or hint.height() > w.height() + tolerance:
            bad.append(
                f"text clipped ({w.width()}×{w.height()} < {hint.width()}×{hint.height()}): "
                f"{describe(w)}"
            )
    return bad


_SOLID = (
    QLabel,
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QPlainTextEdit,
    QTextEdit,
)


def overlapping(root: QWidget, slack: int = 3) -> list[str]:
    """Texts and controls drawn on top of each other (a layout that ran out of room)."""
    _flush()
    boxes, solid = [], []
    for w in root.findChildren(QWidget):
        if not isinstance(w, _SOLID) or not w.isVisible() or w.window() is not root.window():
            continue
        if _inside_compound(w) or isinstance(w, QLabel) and not w.text():
            continue
        solid.append(w)
        shown = w.visibleRegion().boundingRect()
        if shown.isEmpty():
            continue
        top_left = w.mapTo(w.window(), shown.topLeft())
        boxes.append((w, QRect(top_left, shown.size())))
    bad = []
    for w in solid:  # pushed partly outside its parent: the overflow is cut off unseen
        parent = w.parentWidget()
        if parent is None or isinstance(parent.parentWidget(), QAbstractScrollArea):
            continue
        room = parent.rect().adjusted(-slack, -slack, slack, slack)
        if not room.contains(w.geometry()):
            bad.append(
                f"sticks out of its parent ({w.geometry().getRect()} in "
                f"{parent.rect().getRect()}): {describe(w)}"
            )
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1 :]:
            if a.isAncestorOf(b) or b.isAncestorOf(a):
                continue
            both = ra.intersected(rb)
            if both.width() > slack and both.height() > slack:
                bad.append(f"overlaps {describe(b)}: {describe(a)}")
    return bad


def _cut_by_scroll_area(w: QWidget) -> int:
    """How many pixels of `w` lie right of the viewport of an enclosing scroll area that
    cannot scroll sideways (0 when none)."""
    p = w.parentWidget()
    while p is not None:
        if (
            isinstance(p, QScrollArea)
            and p.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        ):
            viewport = p.viewport()
            right = w.mapTo(viewport, w.rect().topRight()).x()
            return max(0, right - viewport.width() - 2)
        p = p.parentWidget()
    return 0


def scroll_areas_without_name(root: QWidget) -> list[str]:
    return [
        describe(w)
        for w in root.findChildren(QScrollArea)
        if w.isVisible() and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not accessible_name(w)
    ]
