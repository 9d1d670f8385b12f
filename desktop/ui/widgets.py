"""Small shared widgets: field error labels, empty states, page headers, cards."""

from __future__ import annotations

from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
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


class EmptyState(QWidget):
    """A friendly 'nothing here yet' that says what to do, with an optional button."""

    def __init__(self, title: str, text: str, button: str | None = None,
                 parent: QWidget | None = None) -> None:
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


def title_label(text: str, object_name: str = "pageTitle") -> QLabel:
    label = QLabel(text)
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
