"""Keyboard and screen-reader behaviour applied once to every widget tree (issue 21).

`install()` makes the application style an `A11yStyle` (Fusion underneath): whenever Qt polishes
a widget (before it is first shown) it is prepared, so sections, tabs and dialogs that other
modules add later are covered too:

- Tab and Shift+Tab leave tables, trees and lists (arrow keys move inside them);
- Tab leaves multi-line text fields instead of typing a tab character;
- a label tied to a field (QFormLayout rows, `setBuddy`) names the real field, also when the
  field sits in a wrapper widget (the label's buddy is then moved to the first focusable child);
- a scroll area never cuts off content at the right (its sideways scroll bar shows when
  needed); one that only wraps other controls takes no Tab stop of its own; one that is only
  read keeps its stop and gets a frame, so the focus ring of the stylesheet shows;
- tables get a description listing their columns, and, when nobody named them, the name of
  the section title above them;
- page and section titles wrap (a long title at a 2× font would otherwise be cut off).

Names set explicitly with `setAccessibleName` are never overwritten."""

from __future__ import annotations

import logging
import re

from desktop.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QEvent,
    QFrame,
    QLabel,
    QModelIndex,
    QObject,
    QPlainTextEdit,
    QProxyStyle,
    QScrollArea,
    QStyleFactory,
    Qt,
    QTableView,
    QTextEdit,
    QTimer,
    QTreeView,
    QWidget,
)

log = logging.getLogger(__name__)
_TAG = re.compile(r"<[^>]+>")
_TITLES = ("pageTitle", "pageSubtitle", "sectionTitle")


def clean_label(text: str) -> str:
    """'O&nderbouwing *' -> 'Onderbouwing': mnemonic, markup, required-star and colon removed."""
    text = _TAG.sub("", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = text.replace("&nbsp;", " ").strip()
    return text.rstrip("*: ").strip()


def focus_target(widget: QWidget) -> QWidget | None:
    """The widget that actually takes focus for `widget`: itself, its focus proxy, or its first
    focusable descendant (a field wrapped together with its error label)."""
    if widget.focusProxy() is not None:
        return widget.focusProxy()
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
        return widget
    for child in widget.findChildren(QWidget):
        if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.focusProxy() is None:
            return child
    return None


def name_field(field: QWidget, label: str) -> None:
    """Give `field` the accessible name `label` unless it already has one (or a button text)."""
    if field.accessibleName():
        return
    if isinstance(field, QAbstractButton) and field.text():
        return
    name = clean_label(label)
    if name:
        field.setAccessibleName(name)


def prepare(widget: QWidget) -> None:
    """Apply the keyboard and naming rules to one widget (idempotent)."""
    if isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)
        describe_table(widget)
        _name_by_title(widget)
    elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
        widget.setTabChangesFocus(True)
    elif isinstance(widget, QLabel):
        _prepare_label(widget)
        if widget.objectName() in _TITLES and not widget.wordWrap():
            widget.setWordWrap(True)  # titles wrap at a large font instead of being cut off
    elif isinstance(widget, QScrollArea):
        _prepare_scroll_area(widget)
    if isinstance(widget, QComboBox) and not widget.accessibleName() and widget.toolTip():
        widget.setAccessibleName(clean_label(widget.toolTip()))


class _ContentWatch(QObject):
    """On a scroll area's viewport: content set after the area was polished (pages built
    lazily) makes the area decide again, once `setWidget` has finished."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ChildAdded:
            area = self.parent()
            QTimer.singleShot(0, lambda: _reprepare_scroll_area(area))
        return False


def _prepare_scroll_area(area: QScrollArea) -> None:
    if area.property("a11yWatched") is None:
        area.setProperty("a11yWatched", True)
        area.viewport().installEventFilter(_ContentWatch(area))
    if area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
        # Content that cannot shrink further (a large font, 200 %) would be cut off at the
        # right; a scroll bar appears only then.
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    if area.focusPolicy() == Qt.FocusPolicy.NoFocus:
        return
    inner = area.widget()
    if inner is not None and focus_target(inner) is not None:
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the controls inside instead
        if area.property("focusable"):  # it was empty when first polished: undo the frame
            area.setProperty("focusable", False)
            if area.property("a11yFramed"):
                area.setFrameShape(QFrame.Shape.NoFrame)
        return
    _name_by_title(area)
    if not area.property("focusable"):  # a reading area: keeps its stop, shows its focus ring
        area.setProperty("focusable", True)  # read by the stylesheet right after this polish
        if area.frameShape() == QFrame.Shape.NoFrame:
            area.setFrameShape(QFrame.Shape.StyledPanel)
            area.setProperty("a11yFramed", True)


def _reprepare_scroll_area(area: QScrollArea) -> None:
    import shiboken6

    if not shiboken6.isValid(area):
        return
    before = area.property("focusable")
    _prepare_scroll_area(area)
    if area.property("focusable") != before:  # the stylesheet reads the property when polishing
        area.style().unpolish(area)
        area.style().polish(area)


def nearby_title(widget: QWidget, levels: int = 3) -> str:
    """The section or page title nearest above `widget` (a title label that is a direct child
    of one of its first few ancestors), for a table or area nobody named explicitly."""
    parent = widget.parentWidget()
    for _ in range(levels):
        if parent is None:
            break
        for label in parent.findChildren(QLabel, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if label.objectName() in _TITLES and label.text().strip():
                return clean_label(label.text())
        parent = parent.parentWidget()
    return ""


def _name_by_title(widget: QWidget) -> None:
    if not widget.accessibleName() and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
        title = nearby_title(widget)
        if title:
            widget.setAccessibleName(title)


def describe_table(view: QAbstractItemView) -> None:
    """'Tabel, kolommen: Datum, Regel, …' unless the view already has a description."""
    if view.accessibleDescription() or not isinstance(view, (QTableView, QTreeView)):
        return
    model = view.model()
    if model is None:
        return
    heads = [
        str(
            model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
            or model.headerData(c, Qt.Orientation.Horizontal)
            or ""
        ).replace("\n", " ")
        for c in range(model.columnCount(QModelIndex()))
    ]
    heads = [h for h in heads if h and not h.isdigit()]  # Qt numbers unnamed columns
    if len(heads) > 1:
        view.setAccessibleDescription(
            "Kolommen: "
            + ", ".join(heads)
            + ". Pijltjestoetsen bewegen binnen de tabel, Tab gaat verder."
        )


def _prepare_label(label: QLabel) -> None:
    buddy = label.buddy()
    if buddy is None:
        return
    target = focus_target(buddy)
    if target is None:
        return
    if target is not buddy:
        label.setBuddy(target)  # Alt+mnemonic and Qt's own "labelled by" now reach the field
    name_field(target, label.text())


def scrollable(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that follows the window's size and shows scroll bars
    only when the window is smaller than the widget's minimum (200 % scaling, a 2× font):
    then the page scrolls instead of squeezing fields on top of each other."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area


def prepare_tree(root: QWidget) -> None:
    """Prepare `root` and everything inside it now (for code that never shows the widgets)."""
    prepare(root)
    for child in root.findChildren(QWidget):
        prepare(child)


class A11yStyle(QProxyStyle):
    """Fusion, plus `prepare(widget)` whenever Qt polishes a widget (once, before it is first
    shown, and again after a style change). Polishing costs nothing per event, unlike an
    application-wide event filter, and reaches every widget any module creates."""

    def polish(self, target):  # type: ignore[no-untyped-def]
        result = super().polish(target)
        if isinstance(target, QWidget):
            try:
                prepare(target)
            except Exception:  # never let a naming rule break a screen
                log.exception("accessibility preparation failed for %s", type(target).__name__)
        return result


def install(app: QApplication | None = None) -> None:
    """Make the application's style the accessibility style (Fusion underneath) once; safe to
    call again. Widgets polished before this call are prepared now."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or app.property("a11yStyle"):
        return
    app.setProperty("a11yStyle", True)
    app.setStyle(A11yStyle(QStyleFactory.create("Fusion")))
    for top in app.topLevelWidgets():
        prepare_tree(top)
