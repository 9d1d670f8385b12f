"""The failing points of a request in the decision card (issue 15): every requirement check
and toetsingspunt judged "Voldoet niet", each with the basis (maatwerkafspraak / voorwaarde) and
the reason why an approval accepts it. record_decision refuses an approval that leaves one of
them unexplained (desktop.services.decisions)."""

from __future__ import annotations

from typing import Any

from desktop.services import decisions
from desktop.ui.qt import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget


class AcceptancePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[str, QComboBox, QLineEdit]] = []
        self.empty = QLabel("Geen punten die niet voldoen.")
        self.empty.setObjectName("muted")
        self.grid.addWidget(self.empty, 0, 0, 1, 3)

    def show_points(self, detail: Any) -> None:
        """detail: requests.RequestDetail. Requirement checks from the plan assessment and the
        toetsingspunten judged "Voldoet niet", pre-filled with what the decision recorded."""
        self._drop_rows()
        points = [
            p for p in (detail.check.failing if detail.check else ()) if p.kind == "REQUIREMENT"
        ]
        points += [
            decisions.Point(
                c.code, "CRITERION", f"toetsingspunt {c.number}", c.text_nl, c.reasoning
            )
            for c in detail.criteria
            if c.judgement == decisions.FAILING
        ]
        stored = detail.accepted_points or {}
        self.empty.setVisible(not points)
        for i, p in enumerate(points, start=1):
            label = QLabel(f"<b>{p.label}</b> – {p.text}")
            label.setWordWrap(True)
            basis = QComboBox()
            basis.addItem("— niet geaccepteerd —", "")
            for code, name in decisions.BASES.items():
                basis.addItem(name[0].upper() + name[1:], code)
            basis.setAccessibleName(f"Grondslag {p.label}")
            text = QLineEdit()
            text.setPlaceholderText("Waarom wordt dit punt toch geaccepteerd?")
            text.setAccessibleName(f"Toelichting {p.label}")
            acc = decisions.parse_acceptance(p.code, stored.get(p.code))
            if acc is not None:
                basis.setCurrentIndex(max(0, basis.findData(acc.basis)))
                text.setText(acc.text)
            self.grid.addWidget(label, 2 * i - 1, 0, 1, 3)
            self.grid.addWidget(basis, 2 * i, 0)
            self.grid.addWidget(text, 2 * i, 1, 1, 2)
            self.rows.append((p.code, basis, text))
        self.grid.setColumnStretch(1, 1)

    def clear_points(self) -> None:
        """No request: no rows (a new request must not show the last one's points)."""
        self._drop_rows()
        self.empty.setVisible(True)

    def _drop_rows(self) -> None:
        """Keep self.empty (item 0), drop the rows of the last request."""
        while self.grid.count() > 1:
            item = self.grid.takeAt(1)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.empty:
                widget.deleteLater()
        self.rows = []

    def values(self) -> dict[str, dict[str, str]]:
        return {
            code: {"basis": basis.currentData() or "", "text": text.text()}
            for code, basis, text in self.rows
        }
