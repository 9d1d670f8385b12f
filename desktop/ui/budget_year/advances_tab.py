"""Tab "Voorschotten" of the Begrotingsjaar section: the schedule per provider and month, the
export for the payment department, and an adjustment with reason (vier-ogen)."""

from __future__ import annotations

from decimal import Decimal

from desktop.services import exports, formatting
from desktop.services.budget_year import advances as adv
from desktop.services.budget_year.monitoring import MONTHS_SHORT
from desktop.ui import files
from desktop.ui.budget_year.tab_base import YearTab, align_right
from desktop.ui.context import AppContext
from desktop.ui.qt import QHBoxLayout, QInputDialog, QLabel, QPushButton, Qt, QWidget
from desktop.ui.requests.common import fill_table, make_table

_MONTHS = list(MONTHS_SHORT)


class AdvancesTab(YearTab):
    query = staticmethod(adv.advance_schedule)
    loading = "Voorschotten laden"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            ["Zorgaanbieder", "Afgesproken", "Terugwerkend", *_MONTHS, "Totaal"],
            ["Voorschot aanpassen…", "Exporteren…"],
            parent,
        )
        self.schedule: adv.AdvanceSchedule | None = None
        self.adjustments: list[adv.AdjustmentRow] = []
        self.buttons["Voorschot aanpassen…"].clicked.connect(self._adjust)
        self.buttons["Exporteren…"].clicked.connect(self._export)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Aanpassingen</b> (tellen mee na vier-ogen)"), 1)
        self.submit_btn = QPushButton("Ter vier-ogen aanbieden")
        self.approve_btn = QPushButton("Goedkeuren (teamleider)")
        row.addWidget(self.submit_btn)
        row.addWidget(self.approve_btn)
        self.layout().addLayout(row)  # type: ignore[union-attr]
        self.adj_table = make_table(["Zorgaanbieder", "Vanaf", "Per maand", "Reden", "Vier-ogen"])
        self.adj_table.setAccessibleName("Voorschotaanpassingen")
        self.adj_table.setMaximumHeight(150)
        self.layout().addWidget(self.adj_table)  # type: ignore[union-attr]
        self.submit_btn.clicked.connect(lambda: self._review_adjustment("submit"))
        self.approve_btn.clicked.connect(lambda: self._review_adjustment("approve"))

    def load(self, year: int, office: str | None) -> None:
        super().load(year, office)
        self.ctx.run(
            adv.adjustments,
            self.ctx.db,
            year,
            office,
            on_done=self._show_adjustments,
            label="Aanpassingen laden",
        )

    def _show_adjustments(self, rows: list[adv.AdjustmentRow]) -> None:
        self.adjustments = rows
        fill_table(
            self.adj_table,
            [
                [
                    a.provider_name,
                    adv.MONTHS_NL[a.from_month - 1],
                    formatting.money(a.monthly_amount),
                    a.reason,
                    a.review_label,
                ]
                for a in rows
            ],
            data=[a.id for a in rows],
        )

    def _review_adjustment(self, verb: str) -> None:
        items = self.adj_table.selectedItems()
        if not items:
            self.banner.error("Kies eerst een aanpassing in de tabel.")
            return
        aid = self.adj_table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        self.review_action(verb, adv.SUBJECT, aid)

    def _show(self, sch: adv.AdvanceSchedule) -> None:
        self.schedule = sch
        total = sum((r.total for r in sch.rows), Decimal(0))
        self.status.setText(
            f"<b>Voorschotten {sch.year}</b>: 75% van het afgesproken maandbedrag · "
            f"{len(sch.rows)} zorgaanbieders · totaal {formatting.money(total)}"
        )
        fill_table(
            self.table,
            [
                [
                    r.provider_name,
                    formatting.money(r.agreed_total),
                    "ja" if r.retroactive else "nee",
                    *[formatting.money(m) for m in r.months],
                    formatting.money(r.total),
                ]
                for r in sch.rows
            ],
            data=list(range(len(sch.rows))),
        )
        align_right(self.table, [1, *range(3, 16)])

    def _adjust(self) -> None:
        i = self.selected_index()
        if i is None or self.schedule is None or self.ctx.user is None:
            self.banner.error("Kies een zorgaanbieder (en log in) om het voorschot aan te passen.")
            return
        r = self.schedule.rows[i]
        month, ok = QInputDialog.getInt(self, "Voorschot aanpassen", "Vanaf maand (1-12)", 1, 1, 12)
        if not ok:
            return
        amount, ok = QInputDialog.getText(self, "Voorschot aanpassen", "Nieuw maandvoorschot (€)")
        if not ok:
            return
        reason, ok = QInputDialog.getText(
            self, "Voorschot aanpassen", "Reden (overleg met de zorgaanbieder)"
        )
        if ok:
            self.adjust(r.request_id, month, amount, reason)

    def adjust(self, request_id: str, month: int, amount: str, reason: str) -> None:
        self.ctx.run(
            adv.propose_adjustment,
            self.ctx.db,
            request_id,
            self.ctx.user.id,
            from_month=month,
            monthly_amount=amount,
            reason=reason,
            on_done=lambda _: (
                self.banner.ok(
                    "Aanpassing vastgelegd; zij telt mee na "
                    "goedkeuring door een teamleider (vier-ogen)."
                ),
                self.load(self.year, self.office),
            ),
            on_error=self.fail,
            label="Voorschot aanpassen",
        )

    def _export(self) -> None:
        if self.schedule is None:
            return
        path, _ = files.save_file_name(
            self,
            "Voorschotten exporteren",
            f"voorschotten-{self.schedule.year}.xlsx",
            "Excel-werkmap (*.xlsx);;CSV (*.csv)",
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        rows = adv.schedule_rows(self.schedule)  # type: ignore[arg-type]
        if path.lower().endswith(".csv"):
            exports.rows_to_csv(rows, path)
        else:
            exports.rows_to_xlsx(
                [("Voorschotten", f"Voorschotten kwaliteitsbudget {self.year}", rows)], path
            )
        self.banner.ok(f"Voorschotten opgeslagen in {path}.")
        self.ctx.offer_open(path)
