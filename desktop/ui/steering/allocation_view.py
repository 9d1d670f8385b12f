"""Tab "Geld × urgentie": per location in a region the urgency from the diagnosis against the
kwaliteitsbudget per client, with the quadrant that matters marked by a star, bold text and a
word (not by colour alone); and the regional effect ("of the € X invested in year t, on which
themes did care measurably improve?")."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.services.changes import ChangeSet, touches
from desktop.services.steering import allocation as al
from desktop.services.steering.effect import RegionalEffect, regional_effect
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QColor,
    QComboBox,
    QFont,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.ui.requests.common import fill_table, make_table
from desktop.ui.style import ACCENT, ACCENT_LIGHT, BORDER, SURFACE
from desktop.ui.widgets import splitter, titled_pane

MARK = "★ "
COLUMNS = [
    "Kwadrant",
    "Locatie",
    "Zorgaanbieder",
    "Urgentie",
    "Matig/onv.",
    "Doelthema's",
    "€ per cliënt",
    "Toegekend",
]


def _load(db: Any, region_id: str, year: int | None) -> tuple[al.Allocation, RegionalEffect]:
    a = al.allocation(db, region_id=region_id, year=year)
    return a, regional_effect(db, region_id, a.year)


class QuadrantBox(QFrame):
    def __init__(self, quadrant: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quadrant = quadrant
        highlighted = quadrant in al.HIGHLIGHTED
        self.setObjectName("quadrant")
        border = f"3px solid {ACCENT}" if highlighted else f"1px solid {BORDER}"
        self.setStyleSheet(
            f"#quadrant {{ border:{border}; border-radius:6px; background:"
            f"{ACCENT_LIGHT if highlighted else SURFACE}; }}"
        )
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        self.title = QLabel((MARK if highlighted else "") + al.QUADRANT_LABELS[quadrant])
        self.title.setStyleSheet("font-weight:600;")
        self.title.setWordWrap(True)
        self.count = QLabel("–")
        self.count.setStyleSheet("font-size:14pt; font-weight:700;")
        lay.addWidget(self.title, 1)
        lay.addWidget(self.count)
        self.setToolTip(al.QUADRANT_ADVICE[quadrant])
        self.setAccessibleName(al.QUADRANT_LABELS[quadrant])

    def set_count(self, n: int) -> None:
        self.count.setText(str(n))
        self.setAccessibleDescription(f"{n} locaties. {al.QUADRANT_ADVICE[self.quadrant]}")


class AllocationView(QWidget):
    provider_chosen = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.allocation: al.Allocation | None = None
        self.effect: RegionalEffect | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 8, 0, 0)
        bar = QHBoxLayout()
        self.region = QComboBox()
        self.region.setMinimumWidth(200)
        self.region.setAccessibleName("Regio")
        self.year = QSpinBox()
        self.year.setRange(0, 2100)
        self.year.setSpecialValueText("laatste")
        self.year.setAccessibleName("Budgetjaar")
        for text, w in (("Regio", self.region), ("Budgetjaar", self.year)):
            lbl = QLabel(text)
            lbl.setBuddy(w)
            bar.addWidget(lbl)
            bar.addWidget(w)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        outer.addWidget(self.headline)
        quads = QHBoxLayout()
        self.boxes = {q: QuadrantBox(q) for q in al.QUADRANTS[:4]}
        for q in al.QUADRANTS[:4]:
            quads.addWidget(self.boxes[q], 1)
        outer.addLayout(quads)
        self.table = make_table(COLUMNS)
        self.table.setAccessibleName("Locaties: urgentie naast geld per cliënt")
        self.table.setSortingEnabled(False)
        hdr = self.table.horizontalHeader()
        hdr.setStretchLastSection(False)
        hdr.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        hdr.resizeSection(2, 170)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.cellActivated.connect(self._open)
        self.table.cellDoubleClicked.connect(self._open)
        low, ll = titled_pane("Regio-effect: op welke thema's verbeterde de zorg na het geld?")
        self.effect_headline = QLabel()
        self.effect_headline.setWordWrap(True)
        ll.addWidget(self.effect_headline)
        self.effect_table = make_table(
            [
                "Thema",
                "Aanbieders met dit doel",
                "Beter",
                "Gelijk",
                "Slechter",
                "Niet te vergelijken",
            ]
        )
        self.effect_table.setAccessibleName("Regio-effect per thema")
        ll.addWidget(self.effect_table)
        outer.addWidget(splitter([(self.table, 3), (low, 2)]), 1)
        self.region.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        ctx.entities_changed.connect(self._on_changes)
        self._filling = True
        ctx.run(al.regions_with_locations, ctx.db, on_done=self._set_regions, label="Regio's laden")

    def _on_changes(self, changes: ChangeSet) -> None:
        if touches(changes, "decision_target", "theme_assessment", "budget_request"):
            self.refresh()

    def _set_regions(self, regions: list[Any]) -> None:
        self.region.clear()
        for r in regions:
            self.region.addItem(r.name, r.id)
        self._filling = False
        self.refresh()

    def select_region(self, name: str) -> None:
        i = self.region.findText(name)
        if i >= 0:
            self.region.setCurrentIndex(i)

    def refresh(self) -> None:
        if self._filling or self.region.count() == 0:
            return
        self.ctx.run(
            _load,
            self.ctx.db,
            self.region.currentData(),
            self.year.value() or None,
            on_done=self.show_allocation,
            label="Geld en urgentie laden",
        )

    def show_allocation(self, result: tuple[al.Allocation, RegionalEffect]) -> None:
        a, eff = result
        self.allocation, self.effect = a, eff
        money = formatting.money
        real = (
            ""
            if a.realisation_available
            else " Realisatie nog niet beschikbaar: bedragen zijn toegekend."
        )
        self.headline.setText(
            f"Regio {a.region_name}, budgetjaar {a.year}: {money(a.total_approved)} toegekend; "
            f"mediaan {money(a.threshold) or '–'} per cliënt (boven de mediaan telt als veel geïnvesteerd)."
            f"{real} {MARK}= het kwadrant dat ertoe doet; de uitleg staat bij elk kwadrant (muis erop)."
        )
        for q, box in self.boxes.items():
            box.set_count(a.count(q))
        rows, data = [], []
        for r in a.rows:
            rows.append(
                [
                    (MARK if r.highlighted else "") + al.QUADRANT_SHORT[r.quadrant],
                    f"{r.location_name}, {r.place}",
                    r.provider_name,
                    str(r.urgency),
                    ", ".join(r.weak_themes) or "–",
                    ", ".join(r.targeted_themes) or "–",
                    money(r.per_client) or "–",
                    money(r.approved) or "–",
                ]
            )
            data.append(r)
        bold = QFont()
        bold.setBold(True)

        def paint(row: int, col: int, item: Any) -> None:
            if data[row].highlighted:
                item.setFont(bold)
                item.setBackground(QColor(ACCENT_LIGHT))
            if col in (3, 6, 7):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(f"{data[row].quadrant_label}: {al.QUADRANT_ADVICE[data[row].quadrant]}")

        fill_table(self.table, rows, data, paint)
        self.effect_headline.setText(
            f"Van de {money(eff.invested)} die in {eff.year} aan {eff.providers} zorgaanbieders in regio "
            f"{eff.region_name} is toegekend: per doelthema het laatste oordeel vóór {eff.year} "
            f"tegen het nieuwste oordeel sinds {eff.year}, per locatie. Geen vergelijkingsgroep: "
            "een verbetering is niet zonder meer aan het geld toe te schrijven."
        )
        erows = [
            [
                f"{t.code} {t.name}",
                str(t.providers),
                str(t.improved),
                str(t.same),
                str(t.worsened),
                str(t.unknown),
            ]
            for t in (*eff.themes, eff.untargeted)
        ]
        fill_table(self.effect_table, erows)

    def _open(self, row: int, _col: int) -> None:
        item = self.table.item(row, 0)
        r = item.data(Qt.ItemDataRole.UserRole) if item else None
        if r is not None:
            self.provider_chosen.emit(r.provider_id)
