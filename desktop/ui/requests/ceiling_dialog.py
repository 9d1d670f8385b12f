"""Menu "Extra › Kwaliteitsbudgetplafond…": the teamleider records the ceiling per care office
and year, seeing allocated / requested / approved / headroom while typing."""

from __future__ import annotations

from desktop.services import budget, ceiling
from desktop.ui.context import AppContext
from desktop.ui.qt import QComboBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget
from desktop.ui.requests.common import (
    Banner,
    budget_year_box,
    dialog_buttons,
    form_layout,
    line,
    money_text,
    show_errors,
)
from desktop.ui.requests.panels import CeilingPanel


class CeilingDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Kwaliteitsbudgetplafond")
        lay = QVBoxLayout(self)
        form = form_layout()
        self.office = QComboBox()
        self.office.setAccessibleName("Zorgkantoor")
        self.year = budget_year_box()
        self.amount = line("0,00", "Plafond")
        form.addRow("Zorgkantoor", self.office)
        form.addRow("Budgetjaar", self.year)
        form.addRow("Plafond (€)", self.amount)
        lay.addLayout(form)
        self.panel = CeilingPanel()
        lay.addWidget(self.panel)
        self.banner = Banner()
        lay.addWidget(self.banner)
        button = QDialogButtonBox.StandardButton
        lay.addWidget(
            dialog_buttons(self, {button.Save: "Vastleggen", button.Close: "Sluiten"}, self.save)
        )
        self.resize(780, 380)
        self.office.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        # Every read and write goes through the database worker (issue 19: never on the GUI
        # thread); answers for an office or year no longer chosen are dropped.
        ctx.run(budget.care_offices, ctx.db, on_done=self._offices, label="Zorgkantoren laden")

    def _offices(self, offices: list[tuple[str, str]]) -> None:
        self.office.blockSignals(True)
        for o_id, name in offices:
            self.office.addItem(name, o_id)
        self.office.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        office = self.office.currentData()
        if not office:
            return
        year = self.year.value()
        self.ctx.run(
            ceiling.ceiling_summary,
            self.ctx.db,
            office,
            year,
            on_done=lambda s: self._summary(office, year, s),
            label="Plafond laden",
        )

    def _summary(self, office: str, year: int, s: ceiling.CeilingSummary) -> None:
        if (office, year) != (self.office.currentData(), self.year.value()):
            return
        self.panel.show_summary(s)
        self.amount.set_text(money_text(s.allocated))

    def save(self) -> None:
        if self.ctx.user is None:
            self.banner.error("Kies eerst uw profiel.")
            return
        self.ctx.run(
            ceiling.set_ceiling,
            self.ctx.db,
            self.office.currentData(),
            self.year.value(),
            self.amount.text(),
            self.ctx.user.id,
            on_done=self._saved,
            on_error=lambda exc: show_errors(exc, {"amount": self.amount}, self.banner, self),
            label="Plafond vastleggen",
        )

    def _saved(self, s: ceiling.CeilingSummary) -> None:
        self.amount.error.clear_error()
        self.panel.show_summary(s)
        self.banner.ok("Plafond vastgelegd.")  # the executor announces "budget_ceiling"


def open_ceiling_dialog(ctx: AppContext, window: QWidget) -> None:
    CeilingDialog(ctx, window).exec()
