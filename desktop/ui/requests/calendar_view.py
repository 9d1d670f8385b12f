"""Section "Budgetkalender": the cycle R1..R18 for a budget year, what is due in the coming
weeks, and per provider the status of its milestones."""

from __future__ import annotations

from datetime import date

from desktop.services import calendar as cal
from desktop.services import formatting
from desktop.services import requests as rq
from desktop.services.changes import ChangeSet, touches
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QComboBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import budget_year_box, fill_table, header_row, make_table
from desktop.ui.style import ERROR, SUCCESS_TEXT, WARNING_TEXT
from desktop.ui.widgets import splitter

# Text colours >= 4.5:1 on white and on the alternate rows (issue 21: #a36b00 was 4.30:1).
_STATUS_COLOURS = {
    "DONE": SUCCESS_TEXT,
    "DONE_LATE": WARNING_TEXT,
    "OVERDUE": ERROR,
    "DUE_SOON": WARNING_TEXT,
}


def _when(start: date | None, end: date | None) -> str:
    if start and end:
        return f"{formatting.short_date(start)} t/m {formatting.short_date(end)}"
    if end:
        return f"uiterlijk {formatting.short_date(end)}"
    return "per aanvraag"


class BudgetCalendarSection(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        self.year = budget_year_box()
        self.provider = QComboBox()
        self.provider.setMinimumWidth(240)
        self.provider.setAccessibleName("Zorgaanbieder")
        lay.addLayout(
            header_row(
                "Budgetkalender", ("Budgetjaar", self.year), ("Zorgaanbieder", self.provider)
            )
        )
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.cycle_title = QLabel()
        self.cycle_title.setObjectName("sectionTitle")
        tl.addWidget(self.cycle_title)
        self.cycle = make_table(
            ["Regel", "Wanneer", "Wie", "Mijlpaal", "Status", "Toelichting"],
            "Mijlpalen van de budgetcyclus",
        )
        from desktop.ui.qt import QHeaderView

        self.cycle.horizontalHeader().setStretchLastSection(False)
        self.cycle.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.cycle.setWordWrap(True)
        tl.addWidget(self.cycle)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        t = QLabel("Binnenkort (komende vier weken) en verlopen termijnen")
        t.setObjectName("sectionTitle")
        bl.addWidget(t)
        self.due = make_table(["Datum", "Regel", "Zorgaanbieder", "Wat"], "Binnenkort te doen")
        bl.addWidget(self.due)
        lay.addWidget(splitter([(top, 3), (bottom, 2)]), 1)
        self.year.valueChanged.connect(self.refresh)
        self.provider.currentIndexChanged.connect(self.refresh)
        ctx.entities_changed.connect(self._entities_changed)
        self.ctx.run(rq.providers, self.ctx.db, on_done=self._providers, label="Aanbieders laden")

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "budget_request"):
            self.refresh()

    def _providers(self, providers: list[rq.ProviderChoice]) -> None:
        self.provider.blockSignals(True)
        self.provider.clear()
        self.provider.addItem("— alle (algemene kalender) —", "")
        for p in providers:
            self.provider.addItem(p.name, p.id)
        self.provider.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        year, pid, db = self.year.value(), self.provider.currentData() or "", self.ctx.db

        def work() -> tuple[list, list]:
            rows = (
                cal.provider_cycle(db, pid, year)
                if pid
                else [
                    cal.MilestoneStatus(
                        m,
                        m.end,
                        s := cal._by_date(m, m.end, date.today()),
                        cal.STATUS_LABELS[s],
                        None,
                        "",
                    )
                    for m in cal.cycle(year)
                ]
            )
            return rows, cal.due_soon(db)

        self.ctx.run(work, on_done=self._show, label="Kalender laden")

    def _show(self, result: tuple[list[cal.MilestoneStatus], list[cal.DueItem]]) -> None:
        rows, due = result
        name = self.provider.currentText() if self.provider.currentData() else "alle zorgaanbieders"
        self.cycle_title.setText(f"Cyclus kwaliteitsbudget {self.year.value()} – {name}")

        def paint(r: int, c: int, item) -> None:  # type: ignore[no-untyped-def]
            if c == 4 and rows[r].status in _STATUS_COLOURS:
                from desktop.ui.qt import QBrush, QColor

                item.setForeground(QBrush(QColor(_STATUS_COLOURS[rows[r].status])))

        fill_table(
            self.cycle,
            [
                [
                    m.milestone.code,
                    _when(m.milestone.start, m.due),
                    m.milestone.actor,
                    m.milestone.title,
                    m.status_label,
                    m.note
                    or (f"gereed op {formatting.short_date(m.done_on)}" if m.done_on else ""),
                ]
                for m in rows
            ],
            painter=paint,
        )
        self.cycle.resizeRowsToContents()

        def paint_due(r: int, c: int, item) -> None:  # type: ignore[no-untyped-def]
            if due[r].overdue:
                from desktop.ui.qt import QBrush, QColor

                item.setForeground(QBrush(QColor(ERROR)))

        fill_table(
            self.due,
            [
                [
                    formatting.short_date(d.due) + (" (verlopen)" if d.overdue else ""),
                    d.code,
                    d.provider_name or "–",
                    d.title,
                ]
                for d in due
            ],
            painter=paint_due,
        )
