"""Menu "Extra › Kwaliteitsbudgetplafond…": the teamleider records the ceiling per care office
and year, seeing allocated / requested / approved / headroom while typing."""

from __future__ import annotations

from datetime import date

from desktop.services import budget
from desktop.ui.context import AppContext
from desktop.ui.qt import QComboBox, QDialog, QDialogButtonBox, QSpinBox, QVBoxLayout, QWidget
from desktop.ui.requests.common import Banner, form_layout, line, money_text, show_errors
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
        self.year = QSpinBox()
        self.year.setRange(2019, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.setAccessibleName("Budgetjaar")
        self.amount = line("0,00", "Plafond")
        form.addRow("Zorgkantoor", self.office)
        form.addRow("Budgetjaar", self.year)
        form.addRow("Plafond (€)", self.amount)
        lay.addLayout(form)
        self.panel = CeilingPanel()
        lay.addWidget(self.panel)
        self.banner = Banner()
        lay.addWidget(self.banner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Vastleggen")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(780, 380)
        for o_id, name in budget.care_offices(ctx.db):
            self.office.addItem(name, o_id)
        self.office.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        office = self.office.currentData()
        if not office:
            return
        s = budget.ceiling_summary(self.ctx.db, office, self.year.value())
        self.panel.show_summary(s)
        self.amount.set_text(money_text(s.allocated))

    def save(self) -> None:
        if self.ctx.user is None:
            self.banner.error("Kies eerst uw profiel.")
            return
        try:
            s = budget.set_ceiling(self.ctx.db, self.office.currentData(), self.year.value(),
                                   self.amount.text(), self.ctx.user.id)
        except Exception as exc:  # noqa: BLE001 - routed to the field / banner
            show_errors(exc, {"amount": self.amount}, self.banner, self)
            return
        self.amount.error.clear_error()
        self.panel.show_summary(s)
        self.banner.ok("Plafond vastgelegd.")
        self.ctx.changed.emit("budget_ceiling")


def open_ceiling_dialog(ctx: AppContext, window: QWidget) -> None:
    CeilingDialog(ctx, window).exec()
