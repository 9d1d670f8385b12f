"""Section "Sturing": the diagnosis beside the money for a region, and the effect per provider
(agreements, interventions, kwaliteitsmonitor). Registered in SECTIONS as "sturing"."""

from __future__ import annotations

from desktop.ui.context import AppContext
from desktop.ui.qt import QTabWidget, QVBoxLayout, QWidget
from desktop.ui.steering.allocation_view import AllocationView
from desktop.ui.steering.effect_view import EffectView
from desktop.ui.steering.register_view import RegisterView
from desktop.ui.widgets import title_label


class SteeringSection(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        outer.addWidget(title_label("Sturen op uitkomsten"))
        sub = title_label(
            "Waar moet het geld heen, wat is afgesproken, wat heeft het gekost en is de zorg "
            "beter geworden op de thema's waarop het geld was gericht?",
            "pageSubtitle",
        )
        sub.setWordWrap(True)
        outer.addWidget(sub)
        self.tabs = QTabWidget()
        self.allocation = AllocationView(ctx)
        self.effect = EffectView(ctx)
        self.tabs.addTab(self.allocation, "Geld × urgentie per regio")
        self.register = RegisterView(ctx)
        self.tabs.addTab(self.effect, "Effect per zorgaanbieder")
        self.tabs.addTab(self.register, "Interventies en signalen")
        outer.addWidget(self.tabs, 1)
        self.allocation.provider_chosen.connect(self.open_provider)
        self.register.provider_chosen.connect(self.open_provider)

    def open_provider(self, provider_id: str) -> None:
        self.effect.show_provider(provider_id)
        self.tabs.setCurrentWidget(self.effect)
