"""Menu "Extra › Eigen toetspunten…" (issue 15): a teamleider adds toetspunten beside the ten
of §4.2.7 for the whole care office or one region, each with a text and a valid-from date, and
retires one from a date on. Requests judge them like the ten; letters print them."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services import budget, toetspunten
from desktop.services.formatting import long_date
from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import close_buttons
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import (
    Banner,
    fill_table,
    form_layout,
    line,
    make_table,
    show_errors,
    text_box,
)
from desktop.ui.widgets import WrappingLabel


class ToetspuntenDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[toetspunten.ToetspuntInfo] = []
        self.setWindowTitle("Eigen toetspunten")
        lay = QVBoxLayout(self)
        lay.addWidget(
            WrappingLabel(
                "Het Inkoopkader noemt tien toetsingspunten als minimum (§4.2.7: \u201cin ieder "
                "geval\u201d). Hier legt een teamleider aanvullende toetspunten vast voor het "
                "zorgkantoor of voor één regio. Ze gelden voor aanvragen die op of na de "
                "begindatum zijn ontvangen en staan in de brief na de tien."
            )
        )
        top = QHBoxLayout()
        self.office = QComboBox()
        self.office.setAccessibleName("Zorgkantoor")
        top.addWidget(QLabel("Zorgkantoor"))
        top.addWidget(self.office, 1)
        lay.addLayout(top)
        self.table = make_table(["Nr.", "Toetspunt", "Geldt voor", "Vanaf", "Tot en met"])
        self.table.setAccessibleName("Eigen toetspunten")
        self.table.setMinimumHeight(140)
        lay.addWidget(self.table, 1)
        form = form_layout()
        self.region = QComboBox()
        self.region.setAccessibleName("Geldt voor")
        self.short = line("bijv. Wonen met dementie in de wijk", "Korte naam")
        self.text = text_box(64, "Tekst van het toetspunt")
        self.valid_from = line("bijv. 1-9-2026", "Geldig vanaf")
        form.addRow("Geldt voor", self.region)
        form.addRow("Korte naam", self.short)
        form.addRow("Tekst", self.text)
        form.addRow("Geldig vanaf", self.valid_from)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.add_button = QPushButton("Toetspunt toevoegen")
        self.add_button.setProperty("primary", True)
        self.retire_until = line("bijv. 31-12-2027", "Intrekken na")
        self.retire_button = QPushButton("Gekozen toetspunt intrekken na deze datum")
        row.addWidget(self.add_button)
        row.addStretch(1)
        row.addWidget(self.retire_until)
        row.addWidget(self.retire_button)
        lay.addLayout(row)
        self.banner = Banner()
        lay.addWidget(self.banner)
        lay.addWidget(close_buttons(self))
        self.resize(860, 600)
        self.fields = {
            "short": self.short,
            "text": self.text,
            "valid_from": self.valid_from,
            "valid_to": self.retire_until,
        }
        for o_id, name in budget.care_offices(ctx.db):
            self.office.addItem(name, o_id)
        self.office.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_button.clicked.connect(self.add)
        self.retire_button.clicked.connect(self.retire)
        self.refresh()

    # -- reading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        office = self.office.currentData()
        if not office:
            return
        self.ctx.run(
            lambda: (
                toetspunten.regions_of(self.ctx.db, office),
                toetspunten.list_toetspunten(self.ctx.db, office),
            ),
            on_done=self._show,
            on_error=self._error,
            label="Toetspunten laden",
        )

    def _show(self, result: tuple[list[tuple[str, str]], list[toetspunten.ToetspuntInfo]]) -> None:
        regions, rows = result
        current = self.region.currentData()
        self.region.clear()
        self.region.addItem("Heel het zorgkantoor", None)
        for r_id, name in regions:
            self.region.addItem(f"Regio {name}", r_id)
        if current:
            self.region.setCurrentIndex(max(0, self.region.findData(current)))
        self.rows = rows
        fill_table(
            self.table,
            [
                [
                    str(toetspunten.FIRST_NUMBER + i),
                    f"{r.short_nl}: {r.text_nl}" if r.short_nl != r.text_nl else r.text_nl,
                    r.scope_label,
                    long_date(r.valid_from),
                    long_date(r.valid_to) if r.valid_to else "–",
                ]
                for i, r in enumerate(rows)
            ],
            rows,
        )

    # -- writing ---------------------------------------------------------------------------------
    def _by(self) -> str | None:
        if self.ctx.user is None:
            self.banner.error("Kies eerst uw profiel.")
            return None
        return self.ctx.user.id

    def add(self) -> None:
        by = self._by()
        if by is None:
            return
        self.ctx.run(
            toetspunten.add_toetspunt,
            self.ctx.db,
            by,
            care_office_id=self.office.currentData(),
            text=self.text.text(),
            short=self.short.text(),
            valid_from=self.valid_from.text(),
            region_id=self.region.currentData(),
            on_done=lambda info: self._done(f"Toetspunt '{info.short_nl}' vastgelegd."),
            on_error=self._error,
            label="Toetspunt vastleggen",
        )

    def retire(self) -> None:
        by = self._by()
        picked = self.table.currentRow()
        if by is None:
            return
        if picked < 0 or picked >= len(self.rows):
            self.banner.error("Kies eerst het toetspunt dat u wilt intrekken.")
            return
        self.ctx.run(
            toetspunten.retire_toetspunt,
            self.ctx.db,
            by,
            self.rows[picked].id,
            self.retire_until.text() or date.today(),
            on_done=lambda info: self._done(
                f"Toetspunt '{info.short_nl}' geldt tot en met {long_date(info.valid_to)}."
            ),
            on_error=self._error,
            label="Toetspunt intrekken",
        )

    def _done(self, message: str) -> None:
        for f in self.fields.values():
            f.error.clear_error()
        self.text.set_text("")
        self.short.set_text("")
        self.banner.ok(message)  # the executor announces "custom_criterion"
        self.refresh()

    def _error(self, exc: BaseException) -> None:
        show_errors(exc, self.fields, self.banner, self)


def open_toetspunten_dialog(ctx: AppContext, window: Any) -> None:
    ToetspuntenDialog(ctx, window).exec()
