"""Check maatwerkafspraken from a locatiebezoek: a button for the visits tab (one insertion line:
`bar.addWidget(visit_checks_button(self))`) that opens, for the selected completed visit, the
provider's open agreements covering that location, each with met / partly / missed."""

from __future__ import annotations

from typing import Any

from desktop.services.steering.agreements import (
    STATUS_LABELS,
    agreements_for_visit,
    check_agreement,
)
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.widgets import FieldError

CHOICES = ("", "MET", "PARTLY", "MISSED")


def _save(db: Any, visit_id: str, actor_id: str | None, chosen: list[tuple[str, str, str]]) -> int:
    for agreement_id, outcome, note in chosen:
        check_agreement(
            db, agreement_id, outcome=outcome, actor_id=actor_id, visit_id=visit_id, note=note
        )
    return len(chosen)


class VisitChecksDialog(QDialog):
    def __init__(
        self, ctx: AppContext, visit_id: str, agreements: list[Any], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.visit_id = ctx, visit_id
        self.setWindowTitle("Afspraken toetsen bij dit bezoek")
        self.setMinimumWidth(720)
        lay = QVBoxLayout(self)
        intro = QLabel(
            "Per afspraak: is het beoogde resultaat bij dit bezoek gezien? "
            "'Niet getoetst' laat de afspraak ongewijzigd."
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        if not agreements:
            lay.addWidget(QLabel("Er lopen geen maatwerkafspraken voor deze locatie."))
        grid = QGridLayout()
        self.rows: list[tuple[Any, QComboBox, QLineEdit]] = []
        for i, a in enumerate(agreements):
            text = QLabel(
                f"<b>{a.scope_text}</b><br>{a.result_text} (termijn {a.due_date.strftime('%d-%m-%Y')})"
            )
            text.setWordWrap(True)
            pick = QComboBox()
            for code in CHOICES:
                pick.addItem(STATUS_LABELS.get(code, "Niet getoetst"), code)
            pick.setAccessibleName(f"Uitkomst {a.scope_text}")
            note = QLineEdit()
            note.setPlaceholderText("Toelichting")
            note.setAccessibleName(f"Toelichting {a.scope_text}")
            grid.addWidget(text, i, 0)
            grid.addWidget(pick, i, 1)
            grid.addWidget(note, i, 2)
            self.rows.append((a, pick, note))
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        lay.addLayout(grid)
        self.error = FieldError()
        lay.addWidget(self.error)
        lay.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Opslaan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def submit(self) -> None:
        chosen = [
            (a.id, pick.currentData(), note.text())
            for a, pick, note in self.rows
            if pick.currentData()
        ]
        if not chosen:
            self.reject()
            return
        self.buttons.setEnabled(False)
        self.ctx.run(
            _save,
            self.ctx.db,
            self.visit_id,
            self.ctx.user.id if self.ctx.user else None,
            chosen,
            on_done=self._saved,
            on_error=self._failed,
            label="Toetsen opslaan",
        )

    def _saved(self, _n: int) -> None:
        self.accept()  # the executor announces the agreement checks it wrote

    def _failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import route_error

        self.buttons.setEnabled(True)
        route_error(exc, {}, self.error.show_error, self)


def visit_checks_button(tab: Any) -> QPushButton:
    """`tab` is the visits tab: it has `ctx` and `selected_visit_id()`."""
    button = QPushButton("Afspraken toetsen…")
    button.setAutoDefault(False)
    button.setToolTip("Maatwerkafspraken van deze zorgaanbieder toetsen bij het gekozen bezoek")

    def open_dialog(*, exec_: bool = True) -> None:
        vid = tab.selected_visit_id()
        visit = next((v for v in getattr(tab, "visits", ()) if v.id == vid), None)
        if not vid or (visit is not None and not visit.is_completed):
            tab.ctx.status_message("Kies een afgerond bezoek om afspraken te toetsen.")
            return

        def show(agreements: list[Any]) -> None:
            dialog = VisitChecksDialog(tab.ctx, vid, agreements, parent=tab)
            button.last_dialog = dialog  # type: ignore[attr-defined]  # for tests
            if exec_:
                dialog.exec()

        tab.ctx.run(agreements_for_visit, tab.ctx.db, vid, on_done=show, label="Afspraken laden")

    button.clicked.connect(lambda: open_dialog())
    button.open_dialog = open_dialog  # type: ignore[attr-defined]  # for tests
    return button
