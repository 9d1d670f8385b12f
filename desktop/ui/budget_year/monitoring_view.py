"""Section "Begrotingsjaar": monitoring of the kwaliteitsbudget per provider and region
(agreed, advanced, realised, projected, split, fte, signals), with a chart per provider, an
Excel export, and the herschikking round of the care office (tab)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from desktop.services import formatting
from desktop.services.budget import care_offices
from desktop.services.budget_year import monitoring as mon
from desktop.services.changes import ChangeSet, touches
from desktop.ui import files
from desktop.ui.budget_year.chart import BudgetYearChart
from desktop.ui.budget_year.herschikking_view import HerschikkingTab
from desktop.ui.budget_year.year_tabs import AdvancesTab, SettlementTab
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import splitter, title_label

#: what the section shows; an approval (review_event) moves a settlement or round along
_SHOWN = (
    "realisation_report",
    "reallocation_round",
    "reallocation_proposal",
    "budget_request",
    "final_settlement",
    "review_event",
)

COLUMNS = [
    "Zorgaanbieder",
    "Signalen",
    "Regio",
    "Afgesproken",
    "Voorschot",
    "Gerealiseerd",
    "t/m",
    "Prognose",
    "% afspr.",
    "Overig afspr./real.",
    "Extra fte",
    "Fte/cliënt (plan)",
]
ALL = "— alle —"


class SortItem(QTableWidgetItem):
    """A cell that sorts on its value (amounts, percentages), not on its Dutch text."""

    def __init__(self, text: str, key: Any) -> None:
        super().__init__(text)
        self.key = key
        self.setFlags(self.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def __lt__(self, other: QTableWidgetItem) -> bool:  # type: ignore[override]
        mine, theirs = self.key, getattr(other, "key", None)
        if mine is None or theirs is None:
            return (mine is None) and (theirs is not None)
        return mine < theirs


def _m(v: Decimal | None) -> str:
    return "–" if v is None else formatting.money(v)


def row_cells(r: mon.ProviderMonitor) -> list[tuple[str, Any]]:
    split = f"{formatting.number(r.agreed_other_pct, 1)}% / " + (
        f"{formatting.number(r.realised_other_pct, 1)}%"
        if r.realised_other_pct is not None
        else "–"
    )
    fte = "–" if r.fte_per_client is None else formatting.number(r.fte_per_client, 3)
    if r.planned_fte_per_client is not None:
        fte += f" ({formatting.number(r.planned_fte_per_client, 3)})"
    return [
        (r.provider_name, r.provider_name.casefold()),
        (", ".join(s.text for s in r.signals) or "✓ Geen", len(r.signals)),
        (r.region_name, r.region_name.casefold()),
        (_m(r.agreed_total), r.agreed_total),
        (_m(r.advanced), r.advanced),
        (_m(r.realised), r.realised),
        (mon.MONTHS_SHORT[r.realised_months - 1] if r.realised_months else "–", r.realised_months),
        (_m(r.projected), r.projected),
        ("–" if r.projected_pct is None else f"{r.projected_pct}%", r.projected_pct),
        (split, r.realised_other_pct),
        ("–" if r.extra_fte is None else formatting.number(r.extra_fte, 2), r.extra_fte),
        (fte, r.fte_per_client),
    ]


class MonitoringTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.monitor: mon.Monitor | None = None
        self.rows: list[mon.ProviderMonitor] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        filters = QHBoxLayout()
        self.region = QComboBox()
        self.region.setAccessibleName("Regio")
        self.signal = QComboBox()
        self.signal.setAccessibleName("Signaal")
        self.signal.addItem("Alle signalen", "")
        self.signal.addItem("Met een signaal", "ANY")
        for code, (sym, label) in mon.SIGNALS.items():
            self.signal.addItem(f"{sym} {label}", code)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek zorgaanbieder")
        self.search.setAccessibleName("Zoek zorgaanbieder")
        self.export = QPushButton("Exporteren naar Excel…")
        self.enter = QPushButton("Realisatie invoeren…")
        for w, label in ((self.region, "Regio"), (self.signal, "Signaal")):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.enter)
        filters.addWidget(self.export)
        lay.addLayout(filters)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setAccessibleName("Monitoring per zorgaanbieder")
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        head.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        detail = QWidget()
        dl = QHBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        self.chart = BudgetYearChart()
        dl.addWidget(self.chart, 3)
        self.detail = QLabel("Kies een zorgaanbieder.")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumWidth(220)
        from desktop.ui.qt import QFrame, QScrollArea

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        dl.addWidget(scroll, 2)
        lay.addWidget(splitter([(self.table, 3), (detail, 2)]), 1)
        self.region.currentIndexChanged.connect(self._apply_filter)
        self.signal.currentIndexChanged.connect(self._apply_filter)
        self.search.textChanged.connect(self._apply_filter)
        self.table.itemSelectionChanged.connect(self._selected)
        self.export.clicked.connect(self._export)
        self.enter.clicked.connect(self.enter_realisation)

    # -- data ---------------------------------------------------------------------------------
    def load(self, year: int, care_office_id: str | None, as_of: date | None = None) -> None:
        db = self.ctx.db
        self.ctx.run(
            mon.monitor,
            db,
            year,
            care_office_id=care_office_id,
            as_of=as_of,
            on_done=self._show,
            label="Monitoring laden",
        )

    def _show(self, m: mon.Monitor) -> None:
        self.monitor = m
        keep = self.region.currentText()
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(ALL, "")
        for t in m.regions:
            self.region.addItem(t.region_name, t.region_name)
        i = self.region.findText(keep)
        self.region.setCurrentIndex(max(i, 0))
        self.region.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        m = self.monitor
        if m is None:
            return
        region, signal = self.region.currentData() or "", self.signal.currentData() or ""
        needle = self.search.text().strip().casefold()
        rows = [
            r
            for r in m.rows
            if (not region or r.region_name == region)
            and (not signal or (signal == "ANY" and r.signals) or signal in r.signal_codes)
            and (not needle or needle in r.provider_name.casefold())
        ]
        self.rows = rows
        self.table.clearSelection()
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for c, (text, key) in enumerate(row_cells(r)):
                item = SortItem(text, key)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, r.request_id)
                if c >= 3:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if c == 1 and r.signals:
                    item.setToolTip(" ".join(s.detail for s in r.signals))
                self.table.setItem(i, c, item)
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 240))
        self.table.setColumnWidth(9, min(self.table.columnWidth(9), 130))
        agreed = sum((r.agreed_total for r in rows), Decimal(0))
        counts = {code: sum(1 for r in rows if code in r.signal_codes) for code in mon.SIGNALS}
        self.summary.setText(
            f"<b>{len(rows)} zorgaanbieders</b> · afgesproken {formatting.money(agreed)} · "
            f"voorschot betaald {formatting.money(sum((r.advanced for r in rows), Decimal(0)))} · "
            f"gerealiseerd {formatting.money(sum((r.realised for r in rows), Decimal(0)))} · "
            f"prognose {formatting.money(sum((r.projected or Decimal(0) for r in rows), Decimal(0)))}"
            f" (stand {formatting.short_date(m.as_of)})<br>"
            + " · ".join(f"{mon.SIGNALS[c][0]} {mon.SIGNALS[c][1]}: {n}" for c, n in counts.items())
        )
        if rows:
            self.table.selectRow(0)
            self._selected()
        else:
            self.chart.set_row(None)
            self.detail.setText("Geen zorgaanbieders bij deze filters.")

    def selected_row(self) -> mon.ProviderMonitor | None:
        items = self.table.selectedItems()
        if not items:
            return None
        rid = self.table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((r for r in self.rows if r.request_id == rid), None)

    def _selected(self) -> None:
        r = self.selected_row()
        self.chart.set_row(r)
        if r is None:
            return
        reports = "<br>".join(
            f"{_REPORT_MARK[s.status]} {s.label}: "
            + (
                f"ontvangen {formatting.short_date(s.received)}"
                if s.received
                else f"uiterlijk {formatting.short_date(s.due)}"
            )
            for s in r.reports
        )
        signals = (
            "<br>".join(f"<b>{s.symbol} {s.label}</b>: {s.detail}" for s in r.signals)
            or "✓ Geen signalen."
        )
        self.detail.setText(
            f"<b>{r.provider_name}</b><br>Afgesproken {formatting.money(r.agreed_total)} "
            f"(personeel {formatting.money(r.agreed_staff)}, overig {formatting.money(r.agreed_other)})"
            f"<br>Prognose: {r.projection_note}<br><br>{signals}<br><br><b>Realisaties</b><br>{reports}"
        )

    def enter_realisation(self) -> QWidget | None:
        r = self.selected_row()
        if r is None or self.monitor is None:
            return None
        from desktop.ui.budget_year.realisation_dialog import RealisationDialog

        dlg = RealisationDialog(self.ctx, r.provider_id, r.provider_name, self.monitor.year, self)
        dlg.setModal(True)
        dlg.show()
        return dlg

    def _export(self) -> None:
        if self.monitor is None:
            return
        path, _ = files.save_file_name(
            self,
            "Monitoring exporteren",
            f"monitoring-kwaliteitsbudget-{self.monitor.year}.xlsx",
            "Excel-werkmap (*.xlsx)",
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        m = self.monitor
        if m is None:
            return
        shown = mon.Monitor(m.year, m.as_of, tuple(self.rows), m.regions)
        self.ctx.run(
            mon.export_xlsx,
            shown,
            path,
            label="Exporteren",
            on_done=lambda _: self.ctx.offer_open(path, "Monitoring opgeslagen"),
        )


_REPORT_MARK = {"ON_TIME": "✓", "LATE": "◔", "MISSING": "✗", "OPEN": "○"}


class BudgetYearSection(QWidget):
    """Year and care office at the top; tabs for monitoring and herschikking."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        head = QHBoxLayout()
        head.addWidget(title_label("Begrotingsjaar kwaliteitsbudget"), 1)
        head.addWidget(QLabel("Jaar"))
        self.year = QSpinBox()
        self.year.setRange(2019, 2100)
        self.year.setValue(date.today().year)
        self.year.setAccessibleName("Begrotingsjaar")
        head.addWidget(self.year)
        head.addWidget(QLabel("Zorgkantoor"))
        self.office = QComboBox()
        self.office.setAccessibleName("Zorgkantoor")
        self.office.setMinimumWidth(160)
        head.addWidget(self.office)
        lay.addLayout(head)
        self.tabs = QTabWidget()
        self.monitoring = MonitoringTab(ctx)
        self.tabs.addTab(self.monitoring, "Monitoring")
        self.advances = AdvancesTab(ctx, self)
        self.tabs.insertTab(0, self.advances, "Voorschotten")
        self.herschikking = HerschikkingTab(ctx, self)
        self.tabs.addTab(self.herschikking, "Herschikking")
        self.settlement = SettlementTab(ctx, self)
        self.tabs.addTab(self.settlement, "Nacalculatie")
        self.tabs.setCurrentWidget(self.monitoring)
        lay.addWidget(self.tabs, 1)
        self.year.valueChanged.connect(self.refresh)
        self.office.currentIndexChanged.connect(self.refresh)
        ctx.entities_changed.connect(self._on_changes)
        self.ctx.run(care_offices, ctx.db, on_done=self._offices, label="Zorgkantoren laden")

    def _on_changes(self, changes: ChangeSet) -> None:
        if touches(changes, *_SHOWN):
            self.refresh()

    def _offices(self, offices: list[tuple[str, str]]) -> None:
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem("Alle zorgkantoren", "")
        for oid, name in offices:
            self.office.addItem(name, oid)
        if len(offices) == 1:
            self.office.setCurrentIndex(1)
        self.office.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        year, office = self.year.value(), self.office.currentData() or None
        self.monitoring.load(year, office)
        self.herschikking.load(year, office)
        self.advances.load(year, office)
        self.settlement.load(year, office)
