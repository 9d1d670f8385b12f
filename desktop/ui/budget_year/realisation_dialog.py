"""Dialog "Realisatie invoeren": one realisation report of a provider by hand (the same checks
as the sheet import; every message at its field)."""

from __future__ import annotations

from desktop.services.budget_year import realisation as rz
from desktop.ui.context import AppContext
from desktop.ui.documents.panel import DocumentsPanel
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import Banner, Field, form_layout, line, show_errors, text_box
from desktop.ui.widgets import WrappingLabel, dialog_buttons

_PLACEHOLDERS = {
    "date": "23-11-2027",
    "money": "1.234.567,89",
    "signed": "-12.500,00",
    "fte": "12,5",
    "int": "120",
}


class RealisationDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        provider_id: str,
        provider_name: str,
        year: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.provider_id, self.year = ctx, provider_id, year
        self.setWindowTitle(f"Realisatie {year} – {provider_name}")
        lay = QVBoxLayout(self)
        lay.addWidget(
            WrappingLabel(
                f"<b>{provider_name}</b> · realisatie kwaliteitsbudget {year}. Bedragen "
                "cumulatief vanaf 1 januari; bij het hele jaar ook de rondrekening."
            )
        )
        body = QWidget()
        form = form_layout()
        body.setLayout(form)
        self.period = QComboBox()
        self.period.setAccessibleName("Periode")
        for p in rz.Period:
            self.period.addItem(p.label, p.value)
        form.addRow("Periode", self.period)
        self.fields: dict[str, Field] = {}
        for name, (label, kind, _required) in rz.FIELDS.items():
            f = text_box(48, label) if kind == "text" else line(_PLACEHOLDERS.get(kind, ""), label)
            self.fields[name] = f
            form.addRow(label, f)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        lay.addWidget(scroll, 1)
        # Issue 20: the provider's own realisation report (verslag) kept with this period's record.
        self.reports: dict[str, str] = {}  # period -> report id
        self.documents = DocumentsPanel(ctx, self, kind="realisation_report", compact=True)
        self.documents.setMaximumHeight(230)
        lay.addWidget(self.documents)
        self.banner = Banner()
        lay.addWidget(self.banner)
        lay.addWidget(dialog_buttons(self, "Opslaan", on_ok=self.save))  # closes itself once saved
        self.resize(560, 640)
        self.period.currentIndexChanged.connect(lambda _i: self._show_documents())
        self._show_documents()
        ctx.run(
            rz.reports, ctx.db, provider_id, year, on_done=self._reports, label="Realisaties laden"
        )

    def _reports(self, reports: list[rz.Report]) -> None:
        self.reports = {r.period: r.id for r in reports}
        self._show_documents()

    def _show_documents(self) -> None:
        """The Stukken of the chosen period's report; none yet: save first."""
        self.documents.set_target(self.reports.get(self.period.currentData()))

    def save(self) -> None:
        if self.ctx.user is None:
            self.banner.error("Log eerst in met uw profiel.")
            return
        values = {name: f.text() for name, f in self.fields.items()}
        self.ctx.run(
            rz.record_report,
            self.ctx.db,
            self.ctx.user.id,
            provider_id=self.provider_id,
            year=self.year,
            period=self.period.currentData(),
            on_done=self._saved,
            on_error=lambda exc: show_errors(exc, self.fields, self.banner, self),
            label="Realisatie opslaan",
            **values,
        )

    def _saved(self, _report: rz.Report) -> None:
        self.accept()  # the executor announces the realisation_report it wrote
