"""One master-detail section (issue 19): a list on the left, the chosen record's detail beside
it in a QSplitter. Used by the list+detail screens (Aanvragen, Te beoordelen,
Kwaliteitsplannen) so they share the splitter, the margins, the keyboard order (list first,
then the detail), the accessible names of both panes and the placeholder shown while nothing
is chosen.

    md = MasterDetail("Te beoordelen", placeholder=("Kies een dossier", "Kies links ..."))
    md.master_layout.addWidget(title_label("Te beoordelen"))
    md.set_list(table)                   # a QTableWidget with the record id in column 0
    md.set_detail(detail_widget)         # shown by md.show_detail(), after a row is chosen
    md.set_sizes([520, 780], stretch=(2, 3))
"""

from __future__ import annotations

from typing import Any

from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import EmptyState


def detail_page(
    area: QScrollArea | None = None,
    margins: tuple[int, int, int, int] = (12, 12, 12, 12),
    spacing: int | None = 12,
) -> tuple[QScrollArea, QVBoxLayout]:
    """A detail pane that scrolls: no frame, the page's margins; returns its layout.
    `spacing=None` keeps the style's spacing."""
    area = area if area is not None else QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget()
    area.setWidget(body)
    lay = QVBoxLayout(body)
    lay.setContentsMargins(*margins)
    if spacing is not None:
        lay.setSpacing(spacing)
    return area, lay


class MasterDetail(QWidget):
    """The list pane (`master`, laid out by `master_layout`) and the detail pane (a stack of the
    detail widget and, when given, a placeholder) side by side in `splitter`."""

    def __init__(
        self,
        name: str,
        placeholder: tuple[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.master = QWidget()
        self.master.setAccessibleName(f"{name}: lijst")
        self.master_layout = QVBoxLayout(self.master)
        self.master_layout.setContentsMargins(12, 12, 6, 12)
        self.detail_stack = QStackedWidget()
        self.detail_stack.setAccessibleName(f"{name}: details")
        self.placeholder: EmptyState | None = None
        self._placeholder_text: tuple[str, str | None] | None = placeholder
        if placeholder is not None:
            self.placeholder = EmptyState(*placeholder)
            self.placeholder.setAccessibleName(placeholder[0])
            self.detail_stack.addWidget(self.placeholder)
        self.detail: QWidget | None = None
        self.list: QTableWidget | None = None
        self.splitter.addWidget(self.master)
        self.splitter.addWidget(self.detail_stack)
        lay.addWidget(self.splitter)

    # -- building ----------------------------------------------------------------------------
    def add_header(self, *widgets: QWidget, stretch_first: bool = True) -> QHBoxLayout:
        """A row above the list: a title and its buttons."""
        row = QHBoxLayout()
        for i, w in enumerate(widgets):
            row.addWidget(w, 1 if (i == 0 and stretch_first) else 0)
        self.master_layout.addLayout(row)
        return row

    def set_list(self, table: QTableWidget, stretch: int = 1) -> None:
        self.list = table
        self.master_layout.addWidget(table, stretch)
        self._tab_order()

    def set_detail(self, widget: QWidget) -> None:
        self.detail = widget
        self.detail_stack.addWidget(widget)
        self.detail_stack.setCurrentWidget(self.placeholder or widget)
        self._tab_order()

    def set_sizes(self, sizes: list[int], stretch: tuple[int, int] = (1, 1)) -> None:
        self.splitter.setStretchFactor(0, stretch[0])
        self.splitter.setStretchFactor(1, stretch[1])
        self.splitter.setSizes(sizes)

    def _tab_order(self) -> None:
        """Keyboard: from the list straight into the detail, before whatever else the list pane
        holds (a form under the list, for example); Tab leaves the table (desktop/ui/a11y.py).
        The detail's own tab stops keep their order; they move as one run behind the list."""
        if self.list is None or self.detail is None:
            return
        stops: list[QWidget] = []
        w = self.detail.nextInFocusChain()
        while w is not self.detail and w is not None:
            if self.detail.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                stops.append(w)
            w = w.nextInFocusChain()
        before: QWidget = self.list
        for stop in stops:
            QWidget.setTabOrder(before, stop)
            before = stop

    # -- state ---------------------------------------------------------------------------------
    def show_detail(self) -> None:
        if self.detail is not None:
            self.detail_stack.setCurrentWidget(self.detail)

    def show_placeholder(self, title: str | None = None, text: str | None = None) -> None:
        """The placeholder instead of the detail; with `title` and `text` it says something
        else than it was made with (an empty list, for example)."""
        if self.placeholder is None:
            return
        if title is not None and (title, text) != self._placeholder_text:
            old = self.placeholder
            self.placeholder = EmptyState(title, text or "")
            self.placeholder.setAccessibleName(title)
            self.detail_stack.insertWidget(0, self.placeholder)
            self.detail_stack.removeWidget(old)
            old.deleteLater()
            self._placeholder_text = (title, text)
        self.detail_stack.setCurrentWidget(self.placeholder)

    @property
    def showing_detail(self) -> bool:
        return self.detail is not None and self.detail_stack.currentWidget() is self.detail

    def selected_id(self) -> Any:
        """The id (UserRole of column 0) of the chosen row, or None."""
        if self.list is None:
            return None
        items = self.list.selectedItems()
        if not items:
            return None
        first = self.list.item(items[0].row(), 0)
        return first.data(Qt.ItemDataRole.UserRole) if first is not None else None

    def selected_row(self) -> int | None:
        if self.list is None:
            return None
        items = self.list.selectedItems()
        return items[0].row() if items else None

    def select_id(self, key: Any) -> bool:
        """Select the row of `key` without announcing it (a refresh never jumps to another
        record, issue 14); False when it is not in the list."""
        table = self.list
        if table is None:
            return False
        found = False
        table.blockSignals(True)
        try:
            table.clearSelection()
            for row in range(table.rowCount()):
                item = table.item(row, 0)
                if key is not None and item is not None:
                    if item.data(Qt.ItemDataRole.UserRole) == key:
                        table.selectRow(row)
                        found = True
                        break
        finally:
            table.blockSignals(False)
        return found
