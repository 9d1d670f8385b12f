"""The *Stukken* panel: the documents of one record (a location, provider, quality plan,
budget request, ...), with drag and drop and *Bijlage toevoegen…*, preview of PDFs and images
in the app and the system's application for everything else.

Reusable: `DocumentsPanel(ctx)` + `set_target(kind, id)`; `LocationDocumentsTab` is the
location page tab (LOCATION_TABS); `add_documents_card(layout, ctx, kind)` puts a panel in a
card into an existing page with one line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.documents.dialogs import if_alive
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import Banner, section_card

COLUMNS = ["Titel", "Soort", "Ontvangen", "Toegevoegd door", "Grootte", "Beschikbaar"]
HINT = (
    "Sleep bestanden hierheen of kies ‘Bijlage toevoegen…’ (PDF, Word, Excel of afbeelding, "
    "maximaal 50 MB per bestand)."
)
HINT_SHORT = "Sleep bestanden hierheen of kies ‘Bijlage toevoegen…’"
FILE_FILTER = (
    "Stukken (*.pdf *.docx *.xlsx *.doc *.xls *.png *.jpg *.jpeg *.tif *.tiff "
    "*.gif *.bmp);;Alle bestanden (*)"
)


# -- work on the database worker (no Qt) ------------------------------------------------------
def _list(db: Any, kind: str, target_id: str) -> list[Any]:
    from desktop.services.documents import service

    return service.list_documents(db, kind, target_id)


def _add_many(
    db: Any,
    actor: str | None,
    kind: str,
    target_id: str,
    paths: list[str],
    doc_type: str,
    received: date | None,
) -> tuple[int, list[str]]:
    from db.errors import UserFacingError
    from desktop.services.documents import service

    added, errors = 0, []
    for p in paths:
        try:
            service.add_file(db, actor, kind, target_id, p, doc_type=doc_type, received_on=received)
            added += 1
        except UserFacingError as exc:
            errors.append(exc.message)
    return added, errors


def _fetch_and_read(db: Any, sha: str, progress: Any = None) -> bytes:
    from desktop.services.documents import transport

    return transport.fetch_and_read(db, sha, progress)


def background_upload_and_extract(db: Any) -> None:
    """After adding and after each sync: extract text, upload the queued blobs."""
    from desktop.services.documents import extract, transport

    extract.extract_pending(db)
    transport.upload_quietly(db)


class DocumentsPanel(QWidget):
    """The documents of one record."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        kind: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.target_id: str | None = None
        self.documents: list[Any] = []
        self.setAcceptDrops(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.heading = QLabel("Stukken")
        self.heading.setObjectName("sectionTitle")
        head.addWidget(self.heading, 1)
        self.add_button = QPushButton("Bijlage toevoegen…")
        self.add_button.setAccessibleName("Bijlage toevoegen")
        head.addWidget(self.add_button)
        lay.addLayout(head)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Stukken")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        lay.addWidget(self.table, 1)
        self.hint = QLabel(HINT)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        self.detail = QLabel()
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.detail)
        self.banner = Banner()
        lay.addWidget(self.banner)
        self.open_button = QPushButton("Openen")
        self.download_button = QPushButton("Downloaden")
        self.save_button = QPushButton("Opslaan als…")
        self.remove_button = QPushButton("Verwijderen")
        if compact:  # beside a checklist: title and type; buttons in two rows
            for c in (2, 3, 4, 5):
                self.table.setColumnHidden(c, True)
            grid = QGridLayout()
            for i, b in enumerate(
                (self.open_button, self.download_button, self.save_button, self.remove_button)
            ):
                grid.addWidget(b, i // 2, i % 2)
            lay.addLayout(grid)
            self.hint.setText(HINT_SHORT)
        else:
            row = QHBoxLayout()
            for b in (self.open_button, self.download_button, self.save_button):
                row.addWidget(b)
            row.addStretch(1)
            row.addWidget(self.remove_button)
            lay.addLayout(row)
        self.compact = compact
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.download_button.clicked.connect(self.download_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        ctx.changed.connect(self._changed)
        self._selection_changed()
        self._set_enabled(False)

    # -- target ------------------------------------------------------------------------------
    def set_target(self, kind_or_id: str | None, target_id: str | None = None) -> None:
        """`set_target(kind, id)`, or `set_target(id)` when the kind was given at creation;
        None: no record yet (a new, unsaved one)."""
        if target_id is None and self.kind is not None:
            target_id = kind_or_id
        elif kind_or_id is not None:
            self.kind = kind_or_id
        self.target_id = target_id
        self._set_enabled(target_id is not None)
        self.banner.clear_message()
        if target_id is None:
            self.documents = []
            self.table.setRowCount(0)
            self.hint.setText("Sla eerst op; daarna kunt u stukken toevoegen.")
            return
        self.refresh()

    def _set_enabled(self, on: bool) -> None:
        self.add_button.setEnabled(on)
        self.setAcceptDrops(on)

    def _changed(self, entity: str) -> None:
        if self.target_id is not None and entity in ("document", "*"):
            self.refresh()

    def refresh(self) -> None:
        if self.target_id is None or self.kind is None:
            return
        wanted = (self.kind, self.target_id)
        self.ctx.run(
            _list,
            self.ctx.db,
            *wanted,
            on_done=lambda docs: self._show(wanted, docs),
            label="Stukken laden",
        )

    @if_alive
    def _show(self, wanted: tuple[str, str], docs: list[Any]) -> None:
        if wanted != (self.kind, self.target_id):
            return  # an answer for a record the user already left
        from desktop.services import formatting

        selected = self.selected()
        self.documents = docs
        t = self.table
        t.setRowCount(len(docs))
        for r, d in enumerate(docs):
            title = (
                d.title
                if d.state == "local" or not self.compact
                else f"{d.title} ({d.state_label.lower()})"
            )
            values = [
                title,
                d.type_label,
                formatting.short_date(d.received_on),
                d.added_by,
                d.size_label,
                d.state_label,
            ]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                if c == 0:
                    item.setToolTip(f"{d.title}\nSHA-256 {d.sha256}")
                if c == 5 and d.state != "local":
                    item.setToolTip(
                        d.problem
                        or "Nog niet naar deze computer gedownload; kies Downloaden of Openen."
                    )
                t.setItem(r, c, item)
        self.heading.setText(f"Stukken ({len(docs)})" if docs else "Stukken")
        self.hint.setText(HINT_SHORT if self.compact else HINT)
        if selected is not None:
            for r, d in enumerate(docs):
                if d.id == selected.id:
                    t.selectRow(r)
        self._selection_changed()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.documents):
            return None
        return self.documents[rows[0].row()]

    def _selection_changed(self) -> None:
        d = self.selected()
        for b in (self.open_button, self.save_button, self.remove_button):
            b.setEnabled(d is not None)
        self.download_button.setEnabled(d is not None and d.state != "local")
        if d is None:
            self.detail.setText("")
            return
        from desktop.services import formatting

        pages = f" · {d.pages} pagina's" if d.pages else ""
        self.detail.setText(
            f"{d.title} · {d.type_label} · ontvangen "
            f"{formatting.long_date(d.received_on)} · toegevoegd door "
            f"{d.added_by or 'onbekend'}{pages}\nSHA-256 {d.sha256}"
        )

    # -- adding ------------------------------------------------------------------------------
    def choose_files(self) -> None:
        paths, _ = files.open_file_names(self, "Bijlage toevoegen", FILE_FILTER)
        if paths:
            self.ask_and_add(paths)

    def ask_and_add(self, paths: list[str]) -> None:
        from desktop.ui.documents.dialogs import AddDocumentsDialog

        dialog = AddDocumentsDialog(paths, self)
        if dialog.exec():
            self.add_files(paths, dialog.doc_type(), dialog.received_on())

    def add_files(
        self, paths: list[str], doc_type: str = "OTHER", received: date | None = None
    ) -> None:
        if self.target_id is None or self.kind is None:
            return
        actor = self.ctx.user.id if self.ctx.user is not None else None
        self.banner.clear_message()
        self.ctx.run(
            _add_many,
            self.ctx.db,
            actor,
            self.kind,
            self.target_id,
            list(paths),
            doc_type,
            received,
            on_done=self._added,
            on_error=self._failed,
            label="Stukken toevoegen",
        )

    @if_alive
    def _added(self, result: tuple[int, list[str]]) -> None:
        added, errors = result
        if errors:
            self.banner.error(" ".join(errors))
        if added:
            self.ctx.changed.emit("document")
            self.ctx.status_message(f"{added} stuk(ken) toegevoegd.")
            self.ctx.run(
                background_upload_and_extract,
                self.ctx.db,
                on_done=lambda _r: self.refresh(),
                on_error=lambda _e: None,
                label="Tekst uit stukken halen",
            )

    @if_alive
    def _failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import route_error

        route_error(exc, {}, self.banner.error, self)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if (
            self.target_id is not None
            and event.mimeData().hasUrls()
            and all(u.isLocalFile() for u in event.mimeData().urls())
        ):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.ask_and_add(paths)

    # -- opening -----------------------------------------------------------------------------
    def open_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        self.ctx.run(
            _fetch_and_read,
            self.ctx.db,
            d.sha256,
            on_done=lambda data: self._open(d, data),
            on_error=self._failed,
            label=f"{d.title} openen",
            cancellable=True,
        )

    @if_alive
    def _open(self, d: Any, data: bytes, page: int = 1) -> None:
        if d.state != "local":
            self.refresh()
        if d.previewable:
            from desktop.ui.documents.dialogs import PreviewDialog

            PreviewDialog(self.ctx, d, data, page=page, parent=self).show()
        else:
            from desktop.ui.documents.dialogs import open_with_system

            open_with_system(d.title, d.sha256, data)

    def download_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        self.ctx.run(
            _fetch_and_read,
            self.ctx.db,
            d.sha256,
            on_done=lambda _data: (self.refresh(), self.ctx.changed.emit("document")),
            on_error=self._failed,
            label=f"{d.title} downloaden",
            cancellable=True,
        )

    def save_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        target, _ = files.save_file_name(self, "Stuk opslaan als", d.title, kind="stukken")
        if target:
            self.ctx.run(
                lambda: Path(target).write_bytes(_fetch_and_read(self.ctx.db, d.sha256)),
                on_done=lambda _n: self.ctx.offer_open(target),
                on_error=self._failed,
                label="Stuk opslaan",
            )

    def remove_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        if ask(
            self,
            "Stuk verwijderen",
            f"'{d.title}' verwijderen bij dit record? Het blijft in de geschiedenis bewaard.",
            yes="Verwijderen",
            no="Annuleren",
        ):
            self.remove(d.id)

    def remove(self, document_id: str) -> None:
        from desktop.services.documents import service

        actor = self.ctx.user.id if self.ctx.user is not None else None
        self.ctx.run(
            service.remove_document,
            self.ctx.db,
            actor,
            document_id,
            on_done=lambda _r: self.ctx.changed.emit("document"),
            on_error=self._failed,
            label="Stuk verwijderen",
        )


class LocationDocumentsTab(DocumentsPanel):
    """Registered in LOCATION_TABS as "stukken"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, kind="location")
        self.layout().setContentsMargins(12, 10, 12, 10)

    def set_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.set_target("location", location_id)


def add_documents_card(layout: Any, ctx: AppContext, kind: str) -> DocumentsPanel:
    """Put a Stukken panel in a card at the end of `layout`; tell it the record with
    `panel.set_target(record_id)` (None for a new, unsaved record)."""
    card, lay = section_card("Stukken")
    panel = DocumentsPanel(ctx, card, kind=kind)
    panel.heading.hide()  # the card carries the title
    lay.addWidget(panel)
    layout.addWidget(card)
    return panel
