"""Tab "Interventies en signalen": every open intervention step (owner, termijn, vervolg) over
all providers, and the signals where one could start; double-click opens the provider's effect
view, where the ladder is worked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.services import formatting
from desktop.services.changes import ChangeSet, touches
from desktop.services.steering.interventions import (
    InterventionInfo,
    list_interventions,
)
from desktop.services.steering.signals import Signal, signals
from desktop.ui.context import AppContext
from desktop.ui.qt import QCheckBox, QHeaderView, QLabel, QSplitter, Qt, QVBoxLayout, QWidget
from desktop.ui.qt import Signal as QtSignal
from desktop.ui.requests.common import fill_table, make_table
from desktop.ui.steering.effect_widgets import signal_cells
from desktop.ui.widgets import titled_pane


@dataclass(frozen=True)
class Register:
    interventions: tuple[InterventionInfo, ...]
    signals: tuple[Signal, ...]


def _load(db: Any, open_only: bool) -> Register:
    return Register(tuple(list_interventions(db, open_only=open_only)), tuple(signals(db)))


class RegisterView(QWidget):
    provider_chosen = QtSignal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 8, 0, 0)
        self.open_only = QCheckBox("Alleen lopende interventies")
        self.open_only.setChecked(True)
        lay.addWidget(self.open_only)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        tl.addWidget(self.summary)
        self.table = make_table(
            ["Zorgaanbieder", "Stap", "Sinds", "Eigenaar", "Termijn", "Vervolg", "Status"]
        )
        self.table.setAccessibleName("Interventieregister")
        tl.addWidget(self.table)
        split.addWidget(top)
        low, ll = titled_pane("Signalen: waar een interventie kan beginnen")
        self.signals = make_table(["Zorgaanbieder", "Signaal", "Toelichting", "Voorgestelde stap"])
        self.signals.setAccessibleName("Signalen")
        self.signals.setWordWrap(True)
        hdr = self.signals.horizontalHeader()
        hdr.setStretchLastSection(False)
        hdr.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        ll.addWidget(self.signals)
        split.addWidget(low)
        lay.addWidget(split, 1)
        self.open_only.toggled.connect(self.refresh)
        self.table.cellDoubleClicked.connect(lambda r, _c: self._open(self.table, r))
        self.signals.cellDoubleClicked.connect(lambda r, _c: self._open(self.signals, r))
        ctx.entities_changed.connect(self._on_changes)
        self.refresh()

    def _on_changes(self, changes: ChangeSet) -> None:
        if touches(changes, "intervention", "custom_agreement", "agreement_check"):
            self.refresh()

    def refresh(self) -> None:
        self.ctx.run(
            _load,
            self.ctx.db,
            self.open_only.isChecked(),
            on_done=self.show_register,
            label="Interventies laden",
        )

    def show_register(self, reg: Register) -> None:
        d = formatting.short_date
        n_open = sum(1 for i in reg.interventions if i.is_open)
        igj = sum(1 for i in reg.interventions if i.igj_reported_on)
        self.summary.setText(
            f"{n_open} lopende stappen bij {len({i.provider_id for i in reg.interventions if i.is_open})} "
            f"zorgaanbieders; {igj} met een melding aan de IGJ; {len(reg.signals)} signalen. "
            "Dubbelklik om de zorgaanbieder te openen."
        )
        fill_table(
            self.table,
            [
                [
                    i.provider_name,
                    f"{i.step_number}. {i.step_label}",
                    d(i.started_on),
                    i.owner_name or "–",
                    d(i.deadline) or "–",
                    d(i.follow_up_on) or "–",
                    i.status_label,
                ]
                for i in reg.interventions
            ],
            list(reg.interventions),
        )
        fill_table(
            self.signals,
            [[s.provider_name, *signal_cells(s)] for s in reg.signals],
            list(reg.signals),
        )

    def _open(self, table: Any, row: int) -> None:
        item = table.item(row, 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        if value is not None:
            self.provider_chosen.emit(value.provider_id)
