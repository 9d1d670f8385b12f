"""The verbeterparagraaf of a kwaliteitsplan (tab "Verbeterparagraaf" in Kwaliteitsplannen):
the items per location in a table, and the form that adds one."""

from __future__ import annotations

from typing import Any

from desktop.services import plans
from desktop.ui.qt import QComboBox, QPushButton, QSizePolicy, Qt, QVBoxLayout, QWidget
from desktop.ui.requests.common import (
    Field,
    fill_table,
    form_layout,
    line,
    make_table,
    section_card,
    text_box,
)

_ROWS = (
    ("Locatie", "location_id"),
    ("Wat", "what"),
    ("Resultaat", "intended_result"),
    ("Wat nodig", "needed"),
    ("Monitoring", "monitoring"),
    ("Thema", "theme_code"),
)


class ImprovementItemsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        card, il = section_card("Verbeterparagraaf per locatie")
        card.setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred
        )  # fills the tab
        outer.addWidget(card)
        self.items = make_table(
            ["Locatie", "Thema", "Wat", "Resultaat", "Wat nodig", "Monitoring"],
            "Onderdelen van het kwaliteitsplan",
        )
        self.items.setMinimumHeight(120)
        il.addWidget(self.items)
        form = form_layout()
        self.location = QComboBox()
        self.location.setAccessibleName("Locatie")
        self.fields: dict[str, Field] = {
            "location_id": Field(self.location),
            "what": text_box(44, "Wat gaat de aanbieder doen"),
            "intended_result": line("", "Wat is het resultaat"),
            "needed": line("", "Wat is nodig"),
            "monitoring": line("", "Interne monitoring"),
            "theme_code": line("T1 t/m T8", "Thema"),
        }
        for label, key in _ROWS:
            form.addRow(label, self.fields[key])
        il.addLayout(form)
        self.button = QPushButton("Item toevoegen")
        il.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        il.addStretch(1)

    def show_plan(self, plan: plans.PlanInfo, locations: list[Any]) -> None:
        fill_table(
            self.items,
            [
                [
                    i.location_name,
                    i.theme_code or "",
                    i.what,
                    i.intended_result,
                    i.needed,
                    i.monitoring,
                ]
                for i in plan.items
            ],
        )
        self.location.clear()
        for loc in locations:
            self.location.addItem(loc.name, loc.id)

    def values(self) -> dict[str, Any]:
        """The new item as plans.add_improvement_item takes it."""
        f = self.fields
        return {
            "location_id": self.location.currentData() or "",
            "what": f["what"].text(),
            "intended_result": f["intended_result"].text(),
            "needed": f["needed"].text(),
            "monitoring": f["monitoring"].text(),
            "theme_code": f["theme_code"].text().strip() or None,
        }

    def clear_input(self) -> None:
        """After adding: the form is empty again (the location stays chosen)."""
        for key, f in self.fields.items():
            f.error.clear_error()
            if key != "location_id":
                f.set_text("")
