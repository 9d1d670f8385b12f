"""Tab "Nacalculatie" of the Begrotingsjaar section: per provider reimbursable, reclaim and
§4.2.13; record, vier-ogen, the statement PDF and the NZa summary."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.services.budget_year import nacalculatie as nc
from desktop.ui import files
from desktop.ui.budget_year.tab_base import YearTab, align_right
from desktop.ui.context import AppContext
from desktop.ui.qt import QWidget
from desktop.ui.requests.common import fill_table


class SettlementTab(YearTab):
    query = staticmethod(nc.settlements)
    loading = "Nacalculatie laden"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            [
                "Zorgaanbieder",
                "Afgesproken",
                "Gerealiseerd",
                "Vergoedbaar",
                "Voorschot",
                "Saldo",
                "Verhouding",
                "Vier-ogen",
            ],
            [
                "Vastleggen",
                "Ter vier-ogen aanbieden",
                "Goedkeuren (teamleider)",
                "Opstelling (PDF)…",
                "Samenvatting NZa…",
            ],
            parent,
        )
        self.items: list[nc.ProviderSettlement] = []
        self.buttons["Vastleggen"].clicked.connect(self.record)
        self.buttons["Ter vier-ogen aanbieden"].clicked.connect(lambda: self._review("submit"))
        self.buttons["Goedkeuren (teamleider)"].clicked.connect(lambda: self._review("approve"))
        self.buttons["Opstelling (PDF)…"].clicked.connect(self._pdf)
        self.buttons["Samenvatting NZa…"].clicked.connect(self._nza)

    def _show(self, items: list[nc.ProviderSettlement]) -> None:
        self.items = items
        done = sum(1 for p in items if p.review_state == "APPROVED")
        self.status.setText(
            f"<b>Nacalculatie {self.year}</b> · {done} van {len(items)} goedgekeurd · "
            "vergoedbaar per deel tot het afgesproken maximum (§4.2.12)"
        )

        def row(p: nc.ProviderSettlement) -> list[Any]:
            st = p.settlement
            if st is None:
                return [
                    p.agreement.provider_name,
                    formatting.money(p.agreement.agreed_total),
                    "jaarrealisatie ontbreekt",
                    "–",
                    "–",
                    "–",
                    "–",
                    "–",
                ]
            saldo = (
                "terug " if st.balance > 0 else "bij " if st.balance < 0 else ""
            ) + formatting.money(abs(st.balance))
            return [
                p.agreement.provider_name,
                formatting.money(p.agreement.agreed_total),
                formatting.money(st.realised_staff + st.realised_other),
                formatting.money(st.reimbursable),
                formatting.money(st.advanced),
                saldo,
                st.realised_split,
                {"APPROVED": "✓ goedgekeurd", "NONE": "–"}.get(
                    p.review_state, p.review_state.lower()
                ),
            ]

        fill_table(self.table, [row(p) for p in items], data=list(range(len(items))))
        align_right(self.table, range(1, 6))

    def _current(self) -> nc.ProviderSettlement | None:
        i = self.selected_index()
        if i is None:
            self.banner.error("Kies eerst een zorgaanbieder in de tabel.")
            return None
        return self.items[i]

    def record(self) -> None:
        p = self._current()
        if p is None or self.ctx.user is None:
            return
        self.ctx.run(
            nc.record,
            self.ctx.db,
            self.ctx.user.id,
            self.year,
            p.agreement.provider_id,
            on_done=lambda _: (
                self.banner.ok("Nacalculatie vastgelegd; bied haar aan ter vier-ogen."),
                self.load(self.year, self.office),
            ),
            on_error=self.fail,
            label="Vastleggen",
        )

    def _review(self, verb: str) -> None:
        p = self._current()
        if p is None:
            return
        if p.recorded_id is None:
            self.banner.error("Leg de nacalculatie eerst vast.")
            return
        self.review_action(verb, nc.SUBJECT, p.recorded_id)

    def _pdf(self) -> None:
        p = self._current()
        if p is None:
            return
        path, _ = files.save_file_name(
            self, "Opstelling opslaan", f"nacalculatie-{self.year}.pdf", "PDF (*.pdf)"
        )
        if path:
            self.pdf_to(p.agreement.provider_id, path)

    def pdf_to(self, provider_id: str, path: str) -> None:
        from pathlib import Path

        from desktop.services.budget_year.nacalculatie_docs import statement_pdf

        self.ctx.run(
            lambda: Path(path).write_bytes(statement_pdf(self.ctx.db, self.year, provider_id)),
            on_done=lambda _: (
                self.banner.ok(f"Opstelling opgeslagen in {path}."),
                self.ctx.offer_open(path),
            ),
            on_error=self.fail,
            label="Opstelling maken",
        )

    def _nza(self) -> None:
        from desktop.services.budget_year.nacalculatie_docs import nza_summary_xlsx

        path, _ = files.save_file_name(
            self, "Samenvatting NZa", f"nacalculatie-nza-{self.year}.xlsx", "Excel-werkmap (*.xlsx)"
        )
        if path:
            self.ctx.run(
                nza_summary_xlsx,
                self.ctx.db,
                self.year,
                path,
                care_office_id=self.office,
                on_done=lambda _: (
                    self.banner.ok(f"Samenvatting opgeslagen in {path}."),
                    self.ctx.offer_open(path),
                ),
                on_error=self.fail,
                label="Samenvatting maken",
            )
