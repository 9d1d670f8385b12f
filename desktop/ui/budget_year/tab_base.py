"""What the Begrotingsjaar tabs share: the tab scaffolding (status, buttons, banner, table),
right-aligned amount columns and the vier-ogen action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget
from desktop.ui.requests.common import Banner, make_table


def align_right(table: Any, columns: Any) -> None:
    """Amount columns read right-aligned, like in a spreadsheet."""
    for r in range(table.rowCount()):
        for c in columns:
            item = table.item(r, c)
            if item is not None:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class YearTab(QWidget):
    """A tab of the Begrotingsjaar section: status line with buttons, banner, table; the
    vier-ogen action shared by its subjects. `query(db, year, care_office_id=…)` is what
    `load` runs off the GUI thread (its result goes to `_show`), `loading` the label it shows."""

    query: Callable[..., Any]
    loading = ""

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

    def load(self, year: int, office: str | None) -> None:
        self.year, self.office = year, office
        self.ctx.run(
            self.query,
            self.ctx.db,
            year,
            care_office_id=office,
            on_done=self._show,
            label=self.loading,
        )

    def _show(self, result: Any) -> None:
        raise NotImplementedError

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
            ),
            on_error=self.fail,
            label="Vier-ogen",
        )

    def fail(self, exc: BaseException) -> None:
        from desktop.ui.errors import UNEXPECTED, route_error

        route_error(exc, {}, self.banner.error, self, unexpected=UNEXPECTED)
