"""Tabs "Voorschotten" (schedule per provider and month, export for the payment department,
an adjustment with reason) and "Nacalculatie" (per provider: reimbursable, reclaim, §4.2.13;
statement PDF and the NZa summary) of the Begrotingsjaar section."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from desktop.services import exports, formatting
from desktop.services.budget_year import advances as adv
from desktop.services.budget_year import nacalculatie as nc
from desktop.services.budget_year.monitoring import MONTHS_SHORT
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import Banner, fill_table, make_table

_MONTHS = list(MONTHS_SHORT)


def align_right(table: Any, columns: Any) -> None:
    """Amount columns read right-aligned, like in a spreadsheet."""
    for r in range(table.rowCount()):
        for c in columns:
            item = table.item(r, c)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class _Tab(QWidget):
    def __init__(
        self, ctx: AppContext, headers: list[str], buttons: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year, self.office = 0, None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 0)
        top = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        top.addWidget(self.status, 1)
        self.buttons = {b: QPushButton(b) for b in buttons}
        for b in self.buttons.values():
            top.addWidget(b)
        lay.addLayout(top)
        self.banner = Banner()
        lay.addWidget(self.banner)
        self.table = make_table(headers)
        lay.addWidget(self.table, 1)

    def selected_index(self) -> int | None:
        items = self.table.selectedItems()
        return (
            None if not items else self.table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        )

    def review_action(self, verb: str, subject: str, subject_id: str) -> None:
        """Vier-ogen from the tab: offer (the author) or approve (another teamleider)."""
        from desktop.services import review

        if self.ctx.user is None:
            self.banner.error("Log eerst in met uw profiel.")
            return
        fn = review.submit if verb == "submit" else review.approve
        done = "Ter vier-ogen aangeboden." if verb == "submit" else "Goedgekeurd (vier-ogen)."
        self.ctx.run(
            fn,
            self.ctx.db,
            subject,
            subject_id,
            self.ctx.user.id,
            on_done=lambda _: (
                self.banner.ok(done),
                self.load(self.year, self.office),
                self.ctx.changed.emit(subject),
            ),
            on_error=self.fail,
            label="Vier-ogen",
        )

    def fail(self, exc: BaseException) -> None:
        from desktop.ui.errors import UNEXPECTED, route_error

        route_error(exc, {}, self.banner.error, self, unexpected=UNEXPECTED)


class AdvancesTab(_Tab):
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
        self.year, self.office = year, office
        self.ctx.run(
            adv.advance_schedule,
            self.ctx.db,
            year,
            care_office_id=office,
            on_done=self._show,
            label="Voorschotten laden",
        )
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


class SettlementTab(_Tab):
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

    def load(self, year: int, office: str | None) -> None:
        self.year, self.office = year, office
        self.ctx.run(
            nc.settlements,
            self.ctx.db,
            year,
            care_office_id=office,
            on_done=self._show,
            label="Nacalculatie laden",
        )

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
