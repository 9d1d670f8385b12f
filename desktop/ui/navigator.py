"""Care office -> region -> provider -> location tree with filter-as-you-type (Ctrl+F).

Filtering runs in Qt's C++ proxy on a pre-folded search key (no diacritics, lower case), so a
keystroke over 1,000 locations stays well inside the 30 ms budget.
"""

from __future__ import annotations

import re

from desktop.services.directory import Directory, fold
from desktop.ui.qt import (
    QEvent,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QModelIndex,
    QObject,
    QRegularExpression,
    QSortFilterProxyModel,
    QStandardItem,
    QStandardItemModel,
    Qt,
    QTreeView,
    QVBoxLayout,
    QWidget,
    Signal,
)

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
KEY_ROLE = Qt.ItemDataRole.UserRole + 3
EXPAND_ALL_LIMIT = 150


class Navigator(QWidget):
    location_selected = Signal(str)
    provider_selected = Signal(str)
    region_selected = Signal(str)
    search_requested = Signal(str)  # Enter in the filter field

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 4, 8)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Zoek locatie, aanbieder, plaats, KvK of AGB  (Ctrl+F)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Zoeken in locaties")
        self.filter_edit.textChanged.connect(self.apply_filter)
        # Enter opens the location the filter found; Down moves into the tree (issue 14 item 8).
        self.filter_edit.returnPressed.connect(self.open_found)
        self.filter_edit.installEventFilter(self)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(KEY_ROLE)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.setAccessibleName("Locaties")
        self.tree.selectionModel().currentChanged.connect(self._on_current)
        lay.addWidget(self.filter_edit)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.count_label)
        self._location_count = 0
        self._location_keys: list[str] = []
        self._location_index: dict[str, QStandardItem] = {}

    def set_directory(self, directory: Directory) -> None:
        # Build the tree in a detached model and attach it once: appending 1,500 rows to a
        # model that a proxy and a view are listening to costs a signal cascade per row.
        model = QStandardItemModel(self)
        self._location_index.clear()
        root = model.invisibleRootItem()
        offices: dict[str, QStandardItem] = {}
        regions: dict[str, QStandardItem] = {}
        providers: dict[tuple[str, str], QStandardItem] = {}
        for r in directory.locations:
            office_key = r.care_office_id or "-"
            office = offices.get(office_key)
            if office is None:
                office = _item(
                    r.care_office_name or "Zonder zorgkantoor", "care_office", office_key, ""
                )
                offices[office_key] = office
                root.appendRow(office)
            region = regions.get(r.region_id)
            if region is None:
                region = _item(r.region_name, "region", r.region_id, "")
                regions[r.region_id] = region
                office.appendRow(region)
            pkey = (r.region_id, r.provider_id)
            provider = providers.get(pkey)
            if provider is None:
                provider = _item(
                    r.provider_name,
                    "provider",
                    r.provider_id,
                    fold(f"{r.provider_name} {r.provider_kvk} {r.provider_agb}"),
                )
                providers[pkey] = provider
                region.appendRow(provider)
            loc = _item(
                f"{r.name} — {r.place}" if r.place else r.name, "location", r.id, r.search_key
            )
            loc.setToolTip(f"{r.name}\n{r.provider_name}\n{r.place}  ·  AGB {r.agb_code or '–'}")
            provider.appendRow(loc)
            self._location_index[r.id] = loc
        self._location_count = len(directory.locations)
        self._location_keys = [r.search_key for r in directory.locations]
        old = self.model
        self.model = model
        self.proxy.setSourceModel(model)  # already in display order (directory SQL ORDER BY)
        old.deleteLater()
        self.apply_filter(self.filter_edit.text())

    def apply_filter(self, text: str) -> None:
        words = fold(text).split()
        if not words:
            self.proxy.setFilterRegularExpression(QRegularExpression())
            self.tree.collapseAll()
            for row in range(self.proxy.rowCount()):
                self.tree.expand(self.proxy.index(row, 0))
            self.count_label.setText(_count_text(self._location_count, self._location_count))
            return
        pattern = "".join(f"(?=.*{re.escape(w)})" for w in words)
        self.proxy.setFilterRegularExpression(QRegularExpression(pattern))
        # Same predicate as the proxy's pattern, on plain strings: much cheaper than walking
        # the filtered tree through the proxy from Python.
        shown = sum(1 for key in self._location_keys if all(w in key for w in words))
        if shown <= EXPAND_ALL_LIMIT:
            self.tree.expandAll()
        else:
            # A broad first keystroke: show providers, not hundreds of expanded locations
            # (laying those out would cost more than the 30 ms a keystroke may take).
            self.tree.expandToDepth(1)
        self.count_label.setText(_count_text(shown, self._location_count))

    def select_location(self, location_id: str) -> bool:
        item = self._location_index.get(location_id)
        if item is None:
            return False
        idx = self.proxy.mapFromSource(item.index())
        if not idx.isValid():
            self.filter_edit.clear()
            idx = self.proxy.mapFromSource(item.index())
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        return True

    def first_location_id(self) -> str | None:
        return next(iter(self._location_index), None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        kind = current.data(KIND_ROLE)
        ident = current.data(ID_ROLE)
        if kind == "location":
            self.location_selected.emit(ident)
        elif kind == "provider":
            self.provider_selected.emit(ident)
        elif kind == "region":
            self.region_selected.emit(ident)

    def found_location_id(self) -> str | None:
        """The first location the filter shows, in display order."""
        for lid, item in self._location_index.items():
            if self.proxy.mapFromSource(item.index()).isValid():
                return lid
        return None

    def open_found(self) -> None:
        """Enter in the filter: open the first location it found and clear the filter (the
        tree keeps it selected). Nothing found: hand the text to the full-text search."""
        text = self.filter_edit.text()
        lid = self.found_location_id() if text.strip() else None
        if lid is None:
            if text.strip():
                self.search_requested.emit(text)
            return
        before = self.tree.currentIndex().data(ID_ROLE)
        self.filter_edit.clear()
        self.select_location(lid)
        if before == lid:  # already current: currentChanged does not fire
            self.location_selected.emit(lid)
        self.tree.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            obj is self.filter_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
            and self.proxy.rowCount() > 0
        ):
            lid = self.found_location_id()
            item = self._location_index.get(lid) if lid else None
            idx = (
                self.proxy.mapFromSource(item.index())
                if item is not None
                else self.proxy.index(0, 0)
            )
            self.tree.setFocus()
            self.tree.setCurrentIndex(idx)
            self.tree.scrollTo(idx)
            return True
        return super().eventFilter(obj, event)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()


def _item(text: str, kind: str, ident: str, key: str) -> QStandardItem:
    item = QStandardItem(text)
    item.setData(kind, KIND_ROLE)
    item.setData(ident, ID_ROLE)
    item.setData(key, KEY_ROLE)
    if kind in ("care_office", "region"):
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def _count_text(shown: int, total: int) -> str:
    if shown == total:
        return f"{total} locaties"
    return f"{shown} van {total} locaties"
