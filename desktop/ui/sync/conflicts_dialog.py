"""Extra › Conflicten oplossen…: every sync conflict, the versions side by side; pick one,
or edit a merged text. An edit made while a colleague deleted the record: keep or delete."""

from __future__ import annotations

from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import ToolDialog, error_and_close
from desktop.ui.qt import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
)

FIELD_LABELS = {
    "name": "Naam",
    "text": "Tekst",
    "description": "Omschrijving",
    "rationale": "Onderbouwing",
    "place": "Plaats",
    "comment": "Toelichting",
    "status": "Status",
    "deleted_at": "Verwijderd",
}
KIND_LABELS = {
    "field": "Twee versies",
    "edit_delete": "Gewijzigd terwijl een collega verwijderde",
    "unapplied": "Kon niet worden verwerkt",
}


def _load(db: Any) -> list[Any]:
    from desktop.services import sync as svc

    return svc.list_conflicts(db)


def _when(v: Any) -> str:
    from desktop.services.formatting import timestamp

    return timestamp(v.at) if v.at else ""


class ConflictsDialog(ToolDialog):
    rows_of = staticmethod(_load)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Conflicten oplossen",
            (900, 560),
            parent,
            intro="Na het synchroniseren bleken deze gegevens op twee plaatsen tegelijk "
            "gewijzigd. Er is niets weggegooid: kies per conflict de juiste versie of "
            "voeg de teksten samen.",
            muted=False,
        )
        lay = self.lay
        split = QSplitter(Qt.Orientation.Horizontal)
        self.list = QListWidget()
        self.list.setAccessibleName("Conflicten")
        self.list.currentRowChanged.connect(self._select)
        split.addWidget(self.list)
        self.detail = QWidget()
        self.detail_lay = QVBoxLayout(self.detail)
        split.addWidget(self.detail)
        split.setSizes([260, 640])
        lay.addWidget(split, 1)
        self.error = error_and_close(self, lay)
        self.conflicts: list[Any] = []
        self.reload()

    def _show(self, conflicts: list[Any]) -> None:
        self.conflicts = conflicts
        self.list.clear()
        for c in conflicts:
            field = FIELD_LABELS.get(c.field, c.field)
            item = QListWidgetItem(f"{c.entity_label} · {field or KIND_LABELS[c.kind]}")
            item.setToolTip(f"{KIND_LABELS.get(c.kind, c.kind)} ({c.entity_id[:8]})")
            self.list.addItem(item)
        if conflicts:
            self.list.setCurrentRow(0)
        else:
            self._clear()
            self.detail_lay.addWidget(QLabel("Er zijn geen conflicten."))

    def _clear(self) -> None:
        while self.detail_lay.count():
            w = self.detail_lay.takeAt(0).widget()
            if w is not None:
                w.deleteLater()

    def _select(self, row: int) -> None:
        self._clear()
        self.error.clear_error()
        if row < 0 or row >= len(self.conflicts):
            return
        c = self.conflicts[row]
        title = QLabel(f"<b>{c.entity_label}</b> – {KIND_LABELS.get(c.kind, c.kind)}")
        self.detail_lay.addWidget(title)
        if c.kind == "field":
            sides = QWidget()
            side_lay = QHBoxLayout(sides)
            side_lay.setContentsMargins(0, 0, 0, 0)
            for v in c.versions:
                col = QWidget()
                col_lay = QVBoxLayout(col)
                who = "getoond" if v.shown else "andere versie"
                col_lay.addWidget(QLabel(f"{v.author}, {_when(v)} ({who})"))
                text = QPlainTextEdit(v.text)
                text.setReadOnly(True)
                text.setAccessibleName(f"Versie van {v.author}")
                col_lay.addWidget(text, 1)
                pick = QPushButton("Deze versie kiezen")
                pick.clicked.connect(lambda _c=False, val=v.value: self._resolve(c, val))
                col_lay.addWidget(pick)
                side_lay.addWidget(col, 1)
            self.detail_lay.addWidget(sides, 2)
            if all(isinstance(v.value, str) for v in c.versions):
                self.detail_lay.addWidget(QLabel("Samengevoegde tekst:"))
                self.merged = QPlainTextEdit("\n\n".join(v.text for v in c.versions))
                self.merged.setAccessibleName("Samengevoegde tekst")
                self.detail_lay.addWidget(self.merged, 1)
                save = QPushButton("Samengevoegde tekst opslaan")
                save.clicked.connect(lambda: self._resolve(c, self.merged.toPlainText()))
                self.detail_lay.addWidget(save)
        elif c.kind == "edit_delete":
            self.detail_lay.addWidget(
                QLabel(
                    "Een collega verwijderde dit terwijl het elders werd "
                    "gewijzigd. Het is voorlopig bewaard."
                )
            )
            keep = QPushButton("Bewaren")
            keep.clicked.connect(lambda: self._keep(c, True))
            drop = QPushButton("Toch verwijderen")
            drop.clicked.connect(lambda: self._keep(c, False))
            self.detail_lay.addWidget(keep)
            self.detail_lay.addWidget(drop)
        else:
            label = QLabel(
                "Deze wijziging botst met een regel van de database (bijvoorbeeld een "
                "dubbel kenmerk) en wordt bij elke synchronisatie opnieuw geprobeerd. "
                f"Details: {c.detail}"
            )
            label.setWordWrap(True)
            self.detail_lay.addWidget(label)
        self.detail_lay.addStretch(1)

    def _done(self, _result: Any) -> None:
        # the resolution is recorded with record_op, which the UnitOfWork does not collect
        self.ctx.announce(self.current_entity)
        self.reload()

    def _resolve(self, c: Any, value: Any) -> None:
        self._settle(c, "resolve_field", c.field, value)

    def _keep(self, c: Any, keep: bool) -> None:
        self._settle(c, "resolve_edit_delete", keep)

    def _settle(self, c: Any, verb: str, *choice: Any) -> None:
        """Record the user's choice for conflict `c` with the sync service's `verb`."""
        from desktop.services import sync as svc

        self.current_entity = c.entity
        user = self.ctx.user.id if self.ctx.user else None
        self.ctx.run(
            getattr(svc, verb),
            self.ctx.db,
            user,
            c.entity,
            c.entity_id,
            *choice,
            on_done=self._done,
            on_error=self._failed,
        )
