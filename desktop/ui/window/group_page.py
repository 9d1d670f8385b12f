"""Provider or region page of the "Locaties" section (chosen in the navigator)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QModelIndex,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import title_label

if TYPE_CHECKING:
    from desktop.services.directory import LocationRow
    from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel


class GroupPage(QWidget):
    """Provider or region page: identifiers and its locations (from the loaded directory)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(16, 12, 16, 12)
        self.title = title_label("")
        self.subtitle = title_label("", "pageSubtitle")
        self.lay.addWidget(self.title)
        self.lay.addWidget(self.subtitle)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Locatie", "Plaats", "AGB-code", "Capaciteit"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        self.lay.addWidget(self.table, 1)
        self._ids: list[str] = []
        self.provider_panel: ProviderDiagnosisPanel | None = None  # built on the first provider

    def show_group(
        self,
        title: str,
        subtitle: str,
        rows: list[LocationRow],
        provider_id: str | None = None,
    ) -> None:
        """A region: its locations. A provider: its kwaliteitsdiagnose (locations × themes,
        top three, provider-wide notes) once the database is open."""
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        diagnose = provider_id is not None and self.ctx.db_ready
        if diagnose and self.provider_panel is None:
            from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel

            self.provider_panel = ProviderDiagnosisPanel(self.ctx)
            self.lay.addWidget(self.provider_panel, 1)
        self.table.setVisible(not diagnose)
        if self.provider_panel is not None:
            self.provider_panel.setVisible(diagnose)
            if diagnose and provider_id is not None:
                self.provider_panel.load(provider_id)
        self.table.setRowCount(len(rows))
        self._ids = [r.id for r in rows]
        for i, r in enumerate(rows):
            for j, v in enumerate((r.name, r.place, r.agb_code, str(r.capacity or ""))):
                self.table.setItem(i, j, QTableWidgetItem(v))

    def _open(self, index: QModelIndex | Any) -> None:
        self.ctx.open_location(self._ids[index.row()])
