"""Extra › Niet gedeelde wijzigingen… (issue 13): this laptop's changes the team would refuse
(held back by the sync's own outbox check), with why and what to do; the author withdraws a
held review step after confirming."""

from __future__ import annotations

from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import ToolDialog, error_and_close
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)
from desktop.ui.requests.common import make_table
from desktop.ui.widgets import button_row


def _load(db: Any) -> list[Any]:
    from desktop.services import sync

    return sync.held_overview(db)


def _withdraw(db: Any, op_id: str, by: str) -> None:
    from desktop.services import sync

    sync.withdraw_held(db, op_id, by)


class HeldChangesDialog(ToolDialog):
    rows_of = staticmethod(_load)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Niet gedeelde wijzigingen",
            (900, 520),
            parent,
            heading="Niet gedeelde wijzigingen",
            intro="Deze wijzigingen zou het team weigeren. Ze blijven op deze laptop en "
            "houden niets anders tegen: uw andere wijzigingen gaan gewoon mee.",
        )
        lay = self.lay
        self.table = make_table(
            ["Wat", "Waarom tegengehouden", "Sinds"], "Niet gedeelde wijzigingen"
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.itemSelectionChanged.connect(self._select)
        lay.addWidget(self.table, 1)
        self.advice = QLabel("")
        self.advice.setWordWrap(True)
        lay.addWidget(self.advice)
        self.withdraw_button = QPushButton("Intrekken…")
        self.withdraw_button.clicked.connect(self.withdraw)
        lay.addWidget(button_row([self.withdraw_button]))
        self.error = error_and_close(self, lay)
        self.items: list[Any] = []
        self.confirm = self._confirm  # tests replace the question
        self.reload()

    def _show(self, items: list[Any]) -> None:
        self.items = items
        self.table.setRowCount(len(items))
        for i, h in enumerate(items):
            for col, text in enumerate((h.what, h.reason, h.since)):
                self.table.setItem(i, col, QTableWidgetItem(text))
        if items:
            self.table.selectRow(0)
        self._select()

    def current(self) -> Any:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _select(self) -> None:
        h = self.current()
        if h is None:
            self.advice.setText(
                "Er zijn geen wijzigingen die op deze laptop blijven." if not self.items else ""
            )
        else:
            self.advice.setText(f"Wat nu: {h.advice}")
        self.withdraw_button.setEnabled(h is not None and h.can_withdraw)

    def _confirm(self, h: Any) -> bool:
        return ask(
            self,
            "Wijziging intrekken",
            f"{h.what} intrekken? De stap wordt nooit gedeeld en telt nergens mee; hij "
            "blijft in de geschiedenis staan als ingetrokken.",
            yes="Intrekken",
            no="Annuleren",
        )

    def withdraw(self) -> None:
        self.error.clear_error()
        h = self.current()
        if h is None or self.ctx.user is None:
            self.error.show_error("Kies eerst een wijziging.")
            return
        if not self.confirm(h):
            return
        self.ctx.run(
            _withdraw,
            self.ctx.db,
            h.op_id,
            self.ctx.user.id,
            on_done=lambda _r: self._withdrawn(),
            on_error=self._failed,
            label="Intrekken…",
        )

    def _withdrawn(self) -> None:
        # recorded in sync_segment, not through a UnitOfWork; the review step no longer counts
        self.ctx.announce("review_event")
        self.ctx.status_message("De wijziging is ingetrokken.")
        self.reload()


def open_held_dialog(ctx: AppContext, window: QWidget) -> None:
    HeldChangesDialog(ctx, window).exec()
