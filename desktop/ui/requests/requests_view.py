"""Section "Aanvragen": the list of budget requests beside the request editor.

Issue 19 split this module TagStudio-style: the editor's widgets are built in
`editor_view.RequestEditorView`, its behaviour is `editor_controller.RequestEditor` (with
`editor_fill` and `editor_save`); this module keeps the section (list + editor in one
`MasterDetail`) and re-exports the editor's names, so `from
desktop.ui.requests.requests_view import RequestEditor` keeps working. All work goes through
desktop.services.requests on the database worker (ctx.run).
"""

from __future__ import annotations

from collections.abc import Callable

from desktop.services import formatting
from desktop.services import requests as rq
from desktop.services.changes import ChangeSet, touches
from desktop.ui.context import AppContext
from desktop.ui.master_detail import MasterDetail
from desktop.ui.qt import (
    QBrush,
    QColor,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import DEADLINE_COLOURS, YearFilter, fill_table, make_table
from desktop.ui.requests.editor_controller import RequestEditor
from desktop.ui.requests.editor_view import AMOUNT_FIELDS, CriterionRow, RequestEditorView
from desktop.ui.widgets import title_label

__all__ = [
    "AMOUNT_FIELDS",
    "CriterionRow",
    "RequestEditor",
    "RequestEditorView",
    "RequestsSection",
]


class RequestsSection(QWidget):
    """List of requests (state, deadline, amounts) next to the editor."""

    # The deadline right after the provider: in the narrow list pane (the editor gets the room)
    # these two are what a zorginkoper scans for; the rest is a sideways scroll away.
    HEADERS = ["Zorgaanbieder", "Termijn", "Status", "Jaar", "Aangevraagd", "Verhouding", "Besluit"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[rq.RequestRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # No placeholder: with nothing chosen the editor is the form for a new request.
        self.master_detail = md = MasterDetail("Aanvragen")
        self.new_button = QPushButton("Nieuwe aanvraag")
        self.new_button.setProperty("primary", True)
        md.add_header(title_label("Aanvragen"), self.new_button)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter op aanbieder, status of termijn")
        self.filter.setAccessibleName("Filter aanvragen")
        self.year = YearFilter("Aanvragen")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.year)
        filters.addWidget(self.filter, 1)
        md.master_layout.addLayout(filters)
        self.table = make_table(self.HEADERS, "Aanvragen")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        md.set_list(self.table)
        self.count = QLabel()
        self.count.setObjectName("muted")
        md.master_layout.addWidget(self.count)
        self.editor = RequestEditor(ctx)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        rl.addWidget(self.editor, 1)
        rl.addWidget(self.editor.save_bar)  # the one save, always in sight
        md.set_detail(right)
        # The editor gets the room: its forms and criteria table need ~700 px to read well.
        md.set_sizes([430, 970], stretch=(1, 3))
        lay.addWidget(md)
        self.new_button.clicked.connect(lambda: self.editor.confirm_leave(self.editor.new_request))
        self.table.itemSelectionChanged.connect(self._selected)
        self.filter.textChanged.connect(self._apply_filter)
        self.year.currentIndexChanged.connect(self.refresh)
        self.editor.loaded.connect(self._follow_editor)
        ctx.entities_changed.connect(self._entities_changed)
        self.editor.new_request()
        self.refresh()

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "budget_request", "budget_ceiling", "provider"):
            self.refresh()

    def refresh(self) -> None:
        db, year, first = self.ctx.db, self.year.year(), not self.year.is_open()

        def load() -> tuple[list[rq.RequestRow], list[rq.ProviderChoice], list[int], int | None]:
            years = rq.budget_years(db)
            shown = rq.working_year(years) if first else year
            return rq.list_requests(db, year=shown), rq.providers(db), years, shown

        self.ctx.run(load, on_done=self._show, label="Aanvragen laden")

    def _follow_editor(self, budget_year: int) -> None:
        """A request of another year in the editor (opened from the queue or the search, or just
        saved for another year): the list shows its year, so the request is in it."""
        if self.year.show_year(budget_year):
            self.refresh()

    def _show(
        self, result: tuple[list[rq.RequestRow], list[rq.ProviderChoice], list[int], int | None]
    ) -> None:
        rows, providers, years, shown = result
        self.year.set_years(years, shown)
        self.rows = rows
        self.editor.set_providers(providers)

        def paint(r: int, c: int, item: QTableWidgetItem) -> None:
            if c == 1:
                bg, fg = DEADLINE_COLOURS[rows[r].deadline_status]
                item.setBackground(QBrush(QColor(bg)))
                item.setForeground(QBrush(QColor(fg)))
            if c == 4:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        fill_table(
            self.table,
            [
                [
                    r.provider_name,
                    f"{r.deadline_label} · {formatting.short_date(r.deadline)}",
                    r.state_label,
                    r.budget_year,
                    formatting.money(r.requested_total),
                    r.split_label,
                    rq._DECISION_LABELS.get(r.decision or "", ""),
                ]
                for r in rows
            ],
            [r.id for r in rows],
            paint,
        )
        self.master_detail.select_id(self.editor.request_id)
        self._apply_filter()

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().split()
        shown = 0
        for i, r in enumerate(self.rows):
            hay = f"{r.provider_name} {r.state_label} {r.deadline_label} {r.budget_year}".casefold()
            hide = any(w not in hay for w in words)
            self.table.setRowHidden(i, hide)
            shown += not hide
        total = len(self.rows)
        noun = "aanvraag" if total == 1 else "aanvragen"
        self.count.setText(f"{total} {noun}" if shown == total else f"{shown} van {total} {noun}")

    def _selected(self) -> None:
        rid = self.master_detail.selected_id()
        if rid and rid != self.editor.request_id or (rid and self.editor.bundle is None):
            self.editor.confirm_leave(lambda: self.editor.load(rid), on_cancel=self._reselect)

    def _reselect(self) -> None:
        """Cancelled leaving: the list shows the request still in the editor."""
        self.master_detail.select_id(self.editor.request_id)

    # Main window hooks: switching section or closing asks about unsaved work (issue 14).
    def has_unsaved_changes(self) -> bool:
        return self.editor.has_unsaved_changes()

    def ask_leave(self) -> str:
        return self.editor.ask_leave()

    def confirm_leave(
        self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None
    ) -> None:
        self.editor.confirm_leave(then, on_cancel)

    def select_request(self, request_id: str) -> None:
        self.editor.load(request_id)
