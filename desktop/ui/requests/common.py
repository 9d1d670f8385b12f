"""Shared bits of the request views: labelled fields with their error label, banners, badges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from desktop.services import formatting
from desktop.services import requests as rq
from desktop.ui.errors import MARKED, UNEXPECTED, route_error
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import (
    ERROR,
    ERROR_BG,
    SUCCESS_BG,
    SUCCESS_DARK,
    SUCCESS_EDGE,
    rating_style,
)
from desktop.ui.widgets import Card, FieldError, title_label


def _fill(rating: str | None) -> tuple[str, str]:
    st = rating_style(rating)
    return st.background, st.foreground


# Deadline badges in the traffic-light fills of the rating scale (contrast checked there).
DEADLINE_COLOURS = {
    "ON_TRACK": _fill("GOOD"),
    "AT_RISK": _fill("MODERATE"),
    "OVERDUE": _fill("INSUFFICIENT"),
    "DONE": _fill(None),
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
        changed = (
            getattr(editor, "textEdited", None)
            or getattr(editor, "textChanged", None)
            or getattr(editor, "currentIndexChanged", None)
        )
        if changed is not None:
            changed.connect(
                lambda *_a: self.error.clear_error() if self.error.isVisible() else None
            )

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


def text_box(height: int = 64, accessible: str = "", placeholder: str = "") -> Field:
    e = QPlainTextEdit()
    e.setFixedHeight(height)
    e.setPlaceholderText(placeholder)
    e.setAccessibleName(accessible)
    e.setTabChangesFocus(True)
    return Field(e)


def header_row(title: str, *labelled: tuple[str, QWidget]) -> QHBoxLayout:
    """A page title with its choices beside it: ("Budgetjaar", spin box), ..."""
    head = QHBoxLayout()
    head.addWidget(title_label(title), 1)
    for label, widget in labelled:
        head.addWidget(QLabel(label))
        head.addWidget(widget)
    return head


ALL_YEARS = "Alle jaren"


class YearFilter(QComboBox):
    """The budget year a list shows ("Alle jaren" or one year). It opens on the working year
    (requests.working_year) once the list knows its years, and keeps the user's choice after."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(f"{name}: budgetjaar")
        self.setToolTip("Welk budgetjaar de lijst toont")
        self.addItem(ALL_YEARS, None)
        self._chosen = False  # until the first fill: the working year, not "Alle jaren"

    def year(self) -> int | None:
        return self.currentData() if self._chosen else None

    def is_open(self) -> bool:
        """Whether the first fill has chosen a year (before it the list loads the working year)."""
        return self._chosen

    def set_years(self, years: list[int], year: int | None) -> None:
        """The years with data; `year` is selected (added when missing, e.g. an empty new year)."""
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem(ALL_YEARS, None)
            for y in sorted(set(years) | ({year} if year is not None else set()), reverse=True):
                self.addItem(str(y), y)
            self.setCurrentIndex(max(0, self.findData(year)) if year is not None else 0)
            self._chosen = True
        finally:
            self.blockSignals(False)

    def show_year(self, year: int) -> bool:
        """Show `year` (a request or plan of that year was opened or registered) unless the list
        shows every year already; True when the choice changed and the list must reload."""
        if not self._chosen or self.year() in (None, year):
            return False
        years = [self.itemData(i) for i in range(1, self.count())]
        self.set_years(years, year)
        return True


def budget_year_box(value: int | None = None) -> QSpinBox:
    """The budget year: next year unless given."""
    box = QSpinBox()
    box.setRange(2019, 2100)
    box.setValue(value or date.today().year + 1)
    box.setAccessibleName("Budgetjaar")
    return box


def dialog_buttons(
    dialog: QDialog,
    labels: dict[QDialogButtonBox.StandardButton, str],
    on_accept: Callable[[], None] | None = None,
) -> QDialogButtonBox:
    """The dialog's buttons with Dutch texts; accept runs `on_accept`, reject closes."""
    buttons = QDialogButtonBox()
    for which, text in labels.items():
        buttons.addButton(which).setText(text)
    if on_accept is not None:
        buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


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
        self.setStyleSheet(
            f"background:{ERROR_BG}; color:{ERROR}; border:1px solid {ERROR};"
            "border-radius:4px; padding:6px;"
        )
        self.setAccessibleDescription(message)
        self.show()

    def ok(self, message: str) -> None:
        self.setText(f"✔ {message}")
        self.setStyleSheet(
            f"background:{SUCCESS_BG}; color:{SUCCESS_DARK}; border:1px solid {SUCCESS_EDGE};"
            "border-radius:4px; padding:6px;"
        )
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


def badge(label: QLabel, text: str, colours: tuple[str, str]) -> None:
    label.setText(f" {text} ")
    label.setStyleSheet(
        f"background:{colours[0]}; color:{colours[1]}; border-radius:4px;"
        "padding:2px 6px; font-weight:600;"
    )


def section_card(title: str, host: QWidget | None = None) -> tuple[Card, QVBoxLayout]:
    """A card headed by `title`, and its layout. Given `host`, the card fills that widget (a
    panel that is one card)."""
    card = Card()
    lay = QVBoxLayout(card)
    lay.setContentsMargins(12, 10, 12, 12)
    t = QLabel(title)
    t.setObjectName("sectionTitle")
    lay.addWidget(t)
    if host is not None:
        outer = QVBoxLayout(host)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(card)
    return card, lay


def form_layout() -> QFormLayout:
    f = QFormLayout()
    f.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return f


def show_errors(
    exc: BaseException, fields: dict[str, Field], banner: Banner, parent: QWidget | None = None
) -> None:
    """Route an error from a service to the field it belongs to, else to the banner."""
    for f in fields.values():
        f.error.clear_error()
    route_error(
        exc,
        {name: f.error for name, f in fields.items()},
        banner.error,
        parent,
        marked=MARKED,
        unexpected=UNEXPECTED,
    )


def load_bundle(
    ctx: Any,
    request_id: str,
    on_done: Callable[[rq.RequestBundle], None],
    banner: Banner,
    parent: QWidget,
    label: str,
) -> None:
    """Read one request with everything its page shows (on the database worker); a refusal
    (gone, no access) goes to `banner`."""
    ctx.run(
        rq.request_bundle,
        ctx.db,
        request_id,
        on_done=on_done,
        on_error=lambda e: show_errors(e, {}, banner, parent),
        label=label,
    )


def fill_table(
    table: QTableWidget,
    rows: list[list[Any]],
    data: list[Any] | None = None,
    painter: Callable[[int, int, QTableWidgetItem], None] | None = None,
) -> None:
    from desktop.ui.qt import QHeaderView

    table.setSortingEnabled(False)
    # A ResizeToContents column measures every row again on each setItem (quadratic: ~0.5 ms
    # per cell on the effect view's wrapped text); measure once, after filling.
    header = table.horizontalHeader()
    auto = [
        c
        for c in range(header.count())
        if header.sectionResizeMode(c) == QHeaderView.ResizeMode.ResizeToContents
    ]
    for c in auto:
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
    # Cells are set through the model: Qt makes each item (a clone of a read-only prototype)
    # without a Python wrapper per item. Issue 18: 12,813 requests x 7 columns took 54 MiB and
    # 0.8 s as QTableWidgetItem objects made in Python, 22 MiB and 0.3 s this way.
    if not getattr(table, "_read_only_prototype", False):
        proto = QTableWidgetItem()
        proto.setFlags(proto.flags() & ~Qt.ItemFlag.ItemIsEditable)
        table.setItemPrototype(proto)
        table._read_only_prototype = True  # type: ignore[attr-defined]
    model = table.model()
    index, set_data = model.index, model.setData
    display, user = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.UserRole
    try:
        table.clearContents()  # a refresh: no stale cell keeps its old data or colours
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                set_data(index(r, c), str(value), display)
                if painter is not None and (item := table.item(r, c)) is not None:
                    painter(r, c, item)
            if data is not None:
                set_data(index(r, 0), data[r], user)
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
