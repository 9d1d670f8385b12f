"""Small shared widgets: field error labels, empty states, page headers, cards."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from desktop.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPoint,
    QPushButton,
    QRect,
    QResizeEvent,
    QSize,
    QSizePolicy,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)


class FieldError(QLabel):
    """Red message directly under a field; also marks the field invalid for the stylesheet
    and sets its accessible description so screen readers announce it."""

    def __init__(self, field: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self._field = field
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(f"⚠ {message}")
        self.show()
        if self._field is not None:
            self._field.setProperty("invalid", True)
            self._field.setAccessibleDescription(message)
            self._field.style().unpolish(self._field)
            self._field.style().polish(self._field)

    def clear_error(self) -> None:
        self.clear()
        self.hide()
        if self._field is not None:
            self._field.setProperty("invalid", False)
            self._field.setAccessibleDescription("")
            self._field.style().unpolish(self._field)
            self._field.style().polish(self._field)


class WrappingLabel(QLabel):
    """A word-wrapped label that claims the height its text needs at its current width, also
    in grid layouts that do not ask for height-for-width (no cut-off lines at a large font)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        need = self.heightForWidth(self.width())
        if need > 0 and need != self.minimumHeight():
            self.setMinimumHeight(need)


class EmptyState(QWidget):
    """A friendly 'nothing here yet' that says what to do, with an optional button."""

    def __init__(
        self, title: str, text: str, button: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        t = QLabel(title)
        t.setObjectName("sectionTitle")
        t.setAlignment(Qt.AlignmentFlag.AlignCenter)
        b = QLabel(text)
        b.setObjectName("muted")
        b.setWordWrap(True)
        b.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(t)
        lay.addWidget(b)
        self.button: QPushButton | None = None
        if button:
            self.button = QPushButton(button)
            self.button.setProperty("primary", True)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(self.button)
            row.addStretch(1)
            lay.addLayout(row)
        lay.addStretch(2)


class Card(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)


def muted_label(text: str = "") -> QLabel:
    """Grey explanatory text (an intro, a hint, a legend) that wraps."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def with_error(field: QWidget, error: FieldError) -> QWidget:
    """A field with its FieldError directly under it, as one cell of a form."""
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(field)
    lay.addWidget(error)
    return box


def dialog_buttons(
    dialog: QDialog | None = None,
    ok: str = "Opslaan",
    cancel: str = "Annuleren",
    on_ok: Callable[[], object] | None = None,
) -> QDialogButtonBox:
    """OK and Cancel with Dutch words on them (Qt's own are English without a translator);
    `ok` names what OK does. Given a dialog, OK runs `on_ok` (default: the dialog's accept)
    and Cancel its reject; Enter and Esc work as in any QDialogButtonBox."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
    if dialog is not None:
        buttons.accepted.connect(on_ok or dialog.accept)
        buttons.rejected.connect(dialog.reject)
    return buttons


def splitter(
    panes: Sequence[tuple[QWidget, int]],
    orientation: Qt.Orientation = Qt.Orientation.Vertical,
) -> QSplitter:
    """The panes in a QSplitter (stacked unless told otherwise), each with its stretch factor:
    its share of the room the window gains."""
    split = QSplitter(orientation)
    for i, (pane, stretch) in enumerate(panes):
        split.addWidget(pane)
        split.setStretchFactor(i, stretch)
    return split


def titled_pane(title: str, top: int = 4) -> tuple[QWidget, QVBoxLayout]:
    """A pane under a splitter's handle: a section title, then what the caller adds to the
    layout it returns."""
    pane = QWidget()
    lay = QVBoxLayout(pane)
    lay.setContentsMargins(0, top, 0, 0)
    lay.addWidget(title_label(title, "sectionTitle"))
    return pane, lay


def title_label(text: str, object_name: str = "pageTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)  # a long title at a large font wraps instead of being cut off
    return label


class FlowLayout(QLayout):
    """Lays widgets out in a row and wraps to the next row when they do not fit, so a row of
    buttons or choices never clips its texts at a large font or a narrow window (issue 21).
    Items keep their size hint; `align_right` puts each row at the right edge (toolbars)."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, align_right: bool = False
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._right = align_right
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        # A box layout asks at its own full width even when an ancestor is capped narrower
        # (setMaximumWidth); wrap at the width the row will really get.
        owner, depth = self.parentWidget(), 0
        while owner is not None and depth < 3:
            width = min(width, owner.maximumWidth())
            owner, depth = owner.parentWidget(), depth + 1
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        w = sum(i.sizeHint().width() for i in self._visible()) + self._spacing * max(
            0, len(self._visible()) - 1
        )
        h = max((i.sizeHint().height() for i in self._visible()), default=0)
        m = self.contentsMargins()
        return QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.sizeHint())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if (w := i.widget()) is None or not w.isHidden()]

    def _place(self, rect: QRect, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list] = [[]]
        x = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and x + w > area.width():
                rows.append([])
                x = 0
            rows[-1].append(item)
            x += w + self._spacing
        y = area.y()
        for row in rows:
            height = max((i.sizeHint().height() for i in row), default=0)
            used = sum(i.sizeHint().width() for i in row) + self._spacing * max(0, len(row) - 1)
            x = area.x() + (area.width() - used if self._right else 0)
            for item in row:
                hint = item.sizeHint()
                if apply:
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                x += hint.width() + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + m.bottom() if rows[0] else m.top() + m.bottom()


def button_row(buttons: Sequence[QWidget], align_right: bool = False) -> QWidget:
    """A row of buttons that wraps onto a second line rather than clipping their texts."""
    box = QWidget()
    lay = FlowLayout(box, align_right=align_right)
    for b in buttons:
        lay.addWidget(b)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    box.setSizePolicy(policy)
    return box
