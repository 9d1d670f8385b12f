"""The blocks a form page is made of (view): one field (label with * when required, hint,
control, the message at the field) and a repeat (rows of fields, add and remove a row).

A block knows its answer path; the form (controller) decides what it shows: relevance,
required marks and messages (`desktop.ui.visits.form_view.controller`).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from desktop.ui.qt import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import BASE_PT, ERROR, REPEAT_ROW_BACKGROUND, REPEAT_ROW_BORDER
from desktop.ui.visits.form_view.inputs import Binder, make_binder
from desktop.ui.widgets import FieldError, WrappingLabel
from forms import FieldDef, path_of

if TYPE_CHECKING:
    from desktop.ui.visits.form_view.view import FormPagesView

FIELD_MAX_WIDTH = 760
UNLIMITED = 16777215  # QWIDGETSIZE_MAX
REQUIRED_MARK = f" <span style='color:{ERROR}'>*</span>"
ROW_STYLE = (
    f"QFrame#repeatRow {{ background: {REPEAT_ROW_BACKGROUND}; "
    f"border: 1px solid {REPEAT_ROW_BORDER}; border-radius: 6px; }}"
)


def bold(label: QLabel, size: float | None = None) -> QLabel:
    f = label.font()
    f.setBold(True)
    if size:  # relative to the system font (size was designed at BASE_PT)
        f.setPointSizeF(size * f.pointSizeF() / BASE_PT)
    label.setFont(f)
    return label


class FieldBlock(QWidget):
    """Label (+ * when required), hint, control, error message; one answer path."""

    def __init__(
        self, path: str, fd: FieldDef, binder: Binder | None, control: QWidget | None = None
    ) -> None:
        super().__init__()
        self.path = path
        self.fd = fd
        self.binder = binder
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 6)
        lay.setSpacing(3)
        self.label = bold(WrappingLabel(fd.label))
        lay.addWidget(self.label)
        self.required = False
        if fd.hint:
            hint = WrappingLabel(fd.hint)
            hint.setObjectName("muted")
            lay.addWidget(hint)
        main = control if control is not None else (binder.widget if binder else None)
        if main is not None:
            lay.addWidget(main)
            if binder is not None:
                self.label.setBuddy(binder.focus)
        self.error = FieldError(binder.widget if binder else None)
        lay.addWidget(self.error)
        self.setMaximumWidth(FIELD_MAX_WIDTH if fd.type != "repeat" else UNLIMITED)

    def set_required(self, required: bool) -> None:
        if required != self.required:
            self.required = required
            self.label.setText(self.fd.label + REQUIRED_MARK if required else self.fd.label)
            if self.binder is not None:
                self.binder.focus.setAccessibleDescription("verplicht" if required else "")


class RepeatBlock(QWidget):
    """Rows of a repeat; '+ <label> toevoegen' and 'Verwijderen' per row."""

    def __init__(self, view: FormPagesView, fd: FieldDef) -> None:
        super().__init__()
        self.view = view
        self.fd = fd
        self.rows: list[dict[str, Any]] = []  # per row: {"frame": QFrame, "binders": {...}}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 6)
        lay.setSpacing(6)
        head = bold(QLabel(fd.label + "en" if not fd.label.endswith(("e", "en")) else fd.label))
        self.head = head
        self.required = False
        lay.addWidget(head)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(6)
        lay.addLayout(self.rows_box)
        self.empty = QLabel("Nog geen regels.")
        self.empty.setObjectName("muted")
        lay.addWidget(self.empty)
        self.add_button = QPushButton(f"+ {fd.label} toevoegen")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_row)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.error = FieldError(self.add_button)
        lay.addWidget(self.error)

    def set_required(self, required: bool) -> None:
        if required != self.required:
            self.required = required
            plain = self.head.text().split(" <")[0]
            self.head.setText(plain + REQUIRED_MARK if required else plain)

    def data(self) -> list[dict[str, Any]]:
        v = self.view.answers.get(self.fd.name)
        return v if isinstance(v, list) else []

    def rebuild(self) -> None:
        for r in self.rows:
            r["frame"].setParent(None)
            r["frame"].deleteLater()
            for p in list(self.view.blocks):
                if p.startswith(f"{self.fd.name}["):
                    del self.view.blocks[p]
        self.rows = []
        was_loading, self.view._loading = self.view._loading, True
        try:
            for i, row in enumerate(self.data()):
                self._add_row_widgets(i, row if isinstance(row, dict) else {})
        finally:
            self.view._loading = was_loading
        self.empty.setVisible(not self.rows)
        # rows are created after the rest of the page: put them back in the tab order,
        # right after the heading, so Tab runs row by row and then to the add button
        prev: QWidget = self.head
        for r in self.rows:
            for b in r["binders"].values():
                for inp in b.inputs:
                    QWidget.setTabOrder(prev, inp)
                    prev = inp
            QWidget.setTabOrder(prev, r["remove"])
            prev = r["remove"]
        self.set_read_only(self.view.read_only)

    def _add_row_widgets(self, i: int, row: dict[str, Any]) -> None:
        frame = QFrame()
        frame.setObjectName("repeatRow")
        frame.setStyleSheet(ROW_STYLE)
        grid = QGridLayout(frame)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(14)
        col = row_no = 0
        binders: dict[str, Binder] = {}
        for child in self.fd.children:
            if not child.is_input:
                continue
            path = path_of(child.name, self.fd.name, i)
            b = make_binder(self.view.form, child, partial(self._edited, i, child.name, path))
            b.put(row.get(child.name))
            if child.type == "multiline":
                b.widget.setMinimumHeight(56)
                b.widget.setMaximumHeight(90)
            block = FieldBlock(path, child, b)
            block.setMaximumWidth(UNLIMITED)
            self.view._register_block(path, block)
            span = 2 if child.type in ("multiline", "select_multiple") else 1
            if col + span > 3:
                col = 0
                row_no += 1
            grid.addWidget(block, row_no, col, 1, span)
            col += span
            if col >= 3:
                col = 0
                row_no += 1
            binders[child.name] = b
        remove = QPushButton("Verwijderen")
        remove.setAutoDefault(False)
        remove.setAccessibleName(f"{self.fd.label} {i + 1} verwijderen")
        remove.clicked.connect(lambda _=False, idx=i: self.remove_row(idx))
        grid.addWidget(remove, 0, 3, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        self.rows_box.addWidget(frame)
        self.rows.append({"frame": frame, "binders": binders, "remove": remove})

    def _edited(self, idx: int, name: str, path: str) -> None:
        if self.view._loading or idx >= len(self.rows):
            return
        rows = self.data()
        if idx < len(rows):
            value = self.rows[idx]["binders"][name].get()
            if value is None or value == []:
                rows[idx].pop(name, None)
            else:
                rows[idx][name] = value
        self.view._edited(path)

    def add_row(self) -> None:
        rows = self.data()
        rows.append({})
        self.view.answers[self.fd.name] = rows
        self.rebuild()
        self.view._edited(self.fd.name)
        first = next(iter(self.rows[-1]["binders"].values()), None)
        if first is not None:
            first.focus.setFocus()

    def remove_row(self, idx: int) -> None:
        rows = self.data()
        if idx < len(rows):
            rows.pop(idx)
        self.rebuild()
        self.view._edited(self.fd.name)
        self.add_button.setFocus()

    def set_read_only(self, ro: bool) -> None:
        self.add_button.setVisible(not ro)
        for r in self.rows:
            r["remove"].setVisible(not ro)
            for b in r["binders"].values():
                b.set_read_only(ro)
        self.empty.setText("Geen regels." if ro else "Nog geen regels.")
