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

from desktop.services.changes import ChangeSet, touches
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.documents.dialogs import if_alive
from desktop.ui.documents.jobs import (
    add_many,
    background_upload_and_extract,
    fetch_and_read,
    list_for,
)
from desktop.ui.documents.panel_view import COLUMNS, HINT, HINT_SHORT, DocumentsPanelView
from desktop.ui.dutch import ask
from desktop.ui.qt import QTableWidgetItem, QWidget
from desktop.ui.requests.common import section_card

FILE_FILTER = (
    "Stukken (*.pdf *.docx *.xlsx *.doc *.xls *.png *.jpg *.jpeg *.tif *.tiff "
    "*.gif *.bmp);;Alle bestanden (*)"
)


class DocumentsPanel(DocumentsPanelView):
    """The documents of one record. It refreshes on what was written (`ctx.entities_changed`
    with "document"), whichever panel or sync wrote it."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        kind: str | None = None,
        compact: bool = False,
    ) -> None:
        super().__init__(parent, compact)
        self.ctx = ctx
        self.kind = kind
        self.target_id: str | None = None
        self.documents: list[Any] = []
        self.setAcceptDrops(True)
        ctx.entities_changed.connect(self._entities_changed)
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

    def _entities_changed(self, changes: ChangeSet) -> None:
        if self.target_id is not None and touches(changes, "document"):
            self.refresh()

    def refresh(self) -> None:
        if self.target_id is None or self.kind is None:
            return
        wanted = (self.kind, self.target_id)
        self.ctx.run(
            list_for,
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
            add_many,
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
    def _fetch(self, verb: str, on_done: Any) -> None:
        """Fetch the selected document's bytes (downloading them first when needed)."""
        d = self.selected()
        if d is None:
            return
        self.ctx.run(
            fetch_and_read,
            self.ctx.db,
            d.sha256,
            on_done=lambda data: on_done(d, data),
            on_error=self._failed,
            label=f"{d.title} {verb}",
            cancellable=True,
        )

    def open_selected(self) -> None:
        self._fetch("openen", self._open)

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
        # the bytes arrive on this laptop: no unit of work records that, so say it here
        self._fetch("downloaden", lambda _d, _data: self.ctx.announce("document"))

    def save_selected(self) -> None:
        d = self.selected()
        if d is None:
            return
        target, _ = files.save_file_name(self, "Stuk opslaan als", d.title, kind="stukken")
        if target:
            self.ctx.run(
                lambda: Path(target).write_bytes(fetch_and_read(self.ctx.db, d.sha256)),
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
            on_error=self._failed,
            label="Stuk verwijderen",
        )


class LocationDocumentsTab(DocumentsPanel):
    """Registered in LOCATION_TABS as "stukken"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent, kind="location")
        lay = self.layout()
        if lay is not None:
            lay.setContentsMargins(12, 10, 12, 10)

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


__all__ = [
    "COLUMNS",
    "FILE_FILTER",
    "HINT",
    "HINT_SHORT",
    "DocumentsPanel",
    "LocationDocumentsTab",
    "add_documents_card",
    "background_upload_and_extract",
]
