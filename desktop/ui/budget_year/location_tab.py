"""Location-page tab "Kwaliteitsbudget": the provider's budget years at a glance (agreed,
advanced, realised, projection, signals), with a link to the Begrotingsjaar section."""

from __future__ import annotations

from datetime import date

from desktop.services import formatting
from desktop.services.budget_year.monitoring import MONTHS_SHORT, ProviderMonitor, provider_glance
from desktop.ui.context import AppContext
from desktop.ui.qt import QLabel, QPushButton, Qt, QVBoxLayout, QWidget


class BudgetYearTab(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.years: tuple[int, ...] | None = None  # default: this year and last year
        lay = QVBoxLayout(self)
        self.text = QLabel("Kies een locatie.")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.text, 1)
        more = QPushButton("Naar Begrotingsjaar")
        more.clicked.connect(lambda: self.ctx.show_section("begrotingsjaar"))
        lay.addWidget(more, 0, Qt.AlignmentFlag.AlignLeft)

    def set_location(self, location_id: str) -> None:
        y = date.today().year
        self.ctx.run(
            provider_glance,
            self.ctx.db,
            location_id,
            self.years or (y, y - 1),
            on_done=self._show,
            label="Kwaliteitsbudget laden",
        )

    def _show(self, result: tuple[str, list[tuple[int, ProviderMonitor]]]) -> None:
        name, rows = result
        if not rows:
            self.text.setText(
                f"<b>{name}</b><br>Geen afgesproken kwaliteitsbudget in dit of vorig jaar."
            )
            return
        parts = [f"<b>Kwaliteitsbudget {name}</b>"]
        for year, r in rows:
            months = (
                f"t/m {MONTHS_SHORT[r.realised_months - 1]}" if r.realised_months else "nog niets"
            )
            proj = formatting.money(r.projected) if r.projected is not None else "–"
            signals = ", ".join(s.text for s in r.signals) or "✓ geen signalen"
            parts.append(
                f"<p><b>{year}</b>: afgesproken {formatting.money(r.agreed_total)} · voorschot betaald "
                f"{formatting.money(r.advanced)} · gerealiseerd {formatting.money(r.realised)} ({months}) · "
                f"prognose {proj}<br>{signals}</p>"
            )
        self.text.setText("".join(parts))
