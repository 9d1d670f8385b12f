"""Shared bits of the request views: labelled fields with their error label, banners, badges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db.errors import UserFacingError, ValidationError, ValidationErrors
from desktop.services import formatting
from desktop.ui.errors import report_exception
from desktop.ui.qt import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import Card, FieldError

DEADLINE_COLOURS = {
    "ON_TRACK": ("#2e7d4f", "#ffffff"),
    "AT_RISK": ("#f4c35a", "#3d2b00"),
    "OVERDUE": ("#c0392b", "#ffffff"),
    "DONE": ("#eceff1", "#5b6b7b"),
}


class Field(QWidget):
    """An input with its FieldError directly underneath (DEVELOPING.md: messages at the field)."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.editor = editor
        self.error = FieldError(editor)
        lay.addWidget(editor)
        lay.addWidget(self.error)
        # The message goes as soon as the user changes the field (issue 14: errors disappear
        # when fixed); the next save or live check says again what is still wrong.
        changed = (getattr(editor, "textEdited", None) or getattr(editor, "textChanged", None)
                   or getattr(editor, "currentIndexChanged", None))
        if changed is not None:
            changed.connect(lambda *_a: self.error.clear_error() if self.error.isVisible() else None)

    def text(self) -> str:
        if isinstance(self.editor, QPlainTextEdit):
            return self.editor.toPlainText()
        return self.editor.text()  # type: ignore[attr-defined]

    def set_text(self, value: str) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(value)
        else:
            self.editor.setText(value)  # type: ignore[attr-defined]


def line(placeholder: str = "", accessible: str = "") -> Field:
    e = QLineEdit()
    e.setPlaceholderText(placeholder)
    e.setAccessibleName(accessible or placeholder)
    return Field(e)


def text_box(height: int = 64, accessible: str = "") -> Field:
    e = QPlainTextEdit()
    e.setFixedHeight(height)
    e.setAccessibleName(accessible)
    e.setTabChangesFocus(True)
    return Field(e)


def money_text(value: Any) -> str:
    """Amount as typed in a field: "1.234.567,89" (no euro sign)."""
    if value is None:
        return ""
    return formatting.money(value).replace("€", "").strip()


class Banner(QLabel):
    """A calm message above the buttons: red for refusals, green for done."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def error(self, message: str) -> None:
        self.setText(f"⚠ {message}")
        self.setStyleSheet("background:#fff6f5; color:#b3261e; border:1px solid #b3261e;"
                           "border-radius:4px; padding:6px;")
        self.setAccessibleDescription(message)
        self.show()

    def ok(self, message: str) -> None:
        self.setText(f"✔ {message}")
        self.setStyleSheet("background:#eef7f0; color:#1e5e36; border:1px solid #2e7d4f;"
                           "border-radius:4px; padding:6px;")
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def badge(label: QLabel, text: str, colours: tuple[str, str]) -> None:
    label.setText(f" {text} ")
    label.setStyleSheet(f"background:{colours[0]}; color:{colours[1]}; border-radius:4px;"
                        "padding:2px 6px; font-weight:600;")


def section_card(title: str) -> tuple[Card, QVBoxLayout]:
    card = Card()
    lay = QVBoxLayout(card)
    lay.setContentsMargins(12, 10, 12, 12)
    t = QLabel(title)
    t.setObjectName("sectionTitle")
    lay.addWidget(t)
    return card, lay


def form_layout() -> QFormLayout:
    f = QFormLayout()
    f.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return f


def show_errors(exc: BaseException, fields: dict[str, Field], banner: Banner,
                parent: QWidget | None = None) -> None:
    """Route an error from a service to the field it belongs to, else to the banner."""
    for f in fields.values():
        f.error.clear_error()
    items: list[ValidationError] = []
    if isinstance(exc, ValidationErrors):
        items = list(exc.errors)
    elif isinstance(exc, ValidationError):
        items = [exc]
    if items:
        loose = []
        for e in items:
            if e.field in fields:
                fields[e.field].error.show_error(e.message)
            else:
                loose.append(e.message)
        if loose:
            banner.error(" ".join(loose))
        else:
            banner.error("Niet opgeslagen: verbeter de gemarkeerde velden.")
        return
    if isinstance(exc, UserFacingError):
        banner.error(exc.message)
        return
    banner.error("Er ging onverwacht iets mis; de details staan in het logbestand.")
    report_exception(exc, parent)


def fill_table(table: QTableWidget, rows: list[list[Any]], data: list[Any] | None = None,
               painter: Callable[[int, int, QTableWidgetItem], None] | None = None) -> None:
    from desktop.ui.qt import QHeaderView

    table.setSortingEnabled(False)
    # A ResizeToContents column measures every row again on each setItem (quadratic: ~0.5 ms
    # per cell on the effect view's wrapped text); measure once, after filling.
    header = table.horizontalHeader()
    auto = [c for c in range(header.count())
            if header.sectionResizeMode(c) == QHeaderView.ResizeMode.ResizeToContents]
    for c in auto:
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
    try:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if data is not None and c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, data[r])
                if painter is not None:
                    painter(r, c, item)
                table.setItem(r, c, item)
    finally:
        for c in auto:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)


def make_table(headers: list[str], name: str = "") -> QTableWidget:
    from desktop.ui.qt import QAbstractItemView, QHeaderView

    t = QTableWidget(0, len(headers))
    t.setAccessibleName(name)
    t.setHorizontalHeaderLabels(headers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t
