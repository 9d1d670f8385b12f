"""Read-only panels shown wherever amounts are decided: the ceiling, the review state, the
audit history."""

from __future__ import annotations

from desktop.services import formatting
from desktop.ui.qt import QGridLayout, QLabel, QTableWidget, QWidget
from desktop.ui.requests.common import fill_table, make_table, section_card
from desktop.ui.style import ERROR, SUCCESS_DARK


class CeilingPanel(QWidget):
    """Allocated / requested / approved / headroom for the care office (and region)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card, lay = section_card("Kwaliteitsbudget: plafond en ruimte", self)
        self.scope = QLabel()
        self.scope.setObjectName("muted")
        lay.addWidget(self.scope)
        grid = QGridLayout()
        self.values: dict[str, QLabel] = {}
        for col, (key, label) in enumerate(
            (
                ("allocated", "Plafond"),
                ("requested", "Aangevraagd"),
                ("approved", "Toegekend"),
                ("headroom", "Ruimte"),
            )
        ):
            head = QLabel(label)
            head.setObjectName("muted")
            value = QLabel("–")
            value.setStyleSheet("font-size: 12pt; font-weight: 600;")
            value.setAccessibleName(label)
            grid.addWidget(head, 0, col)
            grid.addWidget(value, 1, col)
            self.values[key] = value
        lay.addLayout(grid)
        self.region = QLabel()
        self.region.setObjectName("muted")
        self.region.setWordWrap(True)
        lay.addWidget(self.region)

    def show_summary(self, office, region=None) -> None:  # type: ignore[no-untyped-def]
        self.scope.setText(f"{office.care_office_name}, budgetjaar {office.year}")
        if office.allocated is None:
            self.values["allocated"].setText("niet vastgelegd")
            self.values["headroom"].setText("–")
        else:
            self.values["allocated"].setText(formatting.money(office.allocated))
            self.values["headroom"].setText(formatting.money(office.headroom))
            colour = ERROR if office.headroom < 0 else SUCCESS_DARK
            self.values["headroom"].setStyleSheet(
                f"font-size: 12pt; font-weight: 600; color:{colour};"
            )
        self.values["requested"].setText(formatting.money(office.requested))
        self.values["approved"].setText(formatting.money(office.approved))
        if region is not None and region.allocated is not None:
            self.region.setText(
                f"Regio {region.region_name}: plafond {formatting.money(region.allocated)}, "
                f"toegekend {formatting.money(region.approved)}, ruimte "
                f"{formatting.money(region.headroom)}."
            )
        elif region is not None:
            self.region.setText(
                f"Regio {region.region_name}: aangevraagd {formatting.money(region.requested)}, "
                f"toegekend {formatting.money(region.approved)} (geen regionaal plafond)."
            )
        else:
            self.region.clear()


class HistoryTable(QWidget):
    """The audit view: every change and review step, with who and when."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        card, lay = section_card("Geschiedenis", self)
        self.table: QTableWidget = make_table(["Wanneer", "Wie", "Wat", "Details"], "Geschiedenis")
        self.table.setMinimumHeight(180)
        lay.addWidget(self.table)

    def show_history(self, entries) -> None:  # type: ignore[no-untyped-def]
        rows = []
        for e in reversed(entries):
            details = "; ".join(f"{k}: {v}" for k, v in e.changes if v != "")[:300]
            if e.comment:
                details = f"“{e.comment}” " + details
            rows.append([formatting.timestamp(e.at), e.actor_name, e.action, details])
        fill_table(self.table, rows)
