"""The visit window: one locatiebezoek in its own window, rendered from its own form version.

Never lose a word: while editing, the answers are autosaved every few seconds and on every
section change (through ctx.run, on the database worker); closing the window with unsaved
changes saves the draft first. A completed visit opens read-only; "Corrigeren" makes a new
revision (with a reason) and opens that.
"""

from __future__ import annotations

import logging
from typing import Any

from desktop.services import formatting
from desktop.ui import files
from desktop.ui.documents.panel import DocumentsPanel
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QEvent,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMessageBox,
    QObject,
    QPushButton,
    QShortcut,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
    shiboken_is_valid,
)
from desktop.ui.visits.form_view import FormView
from desktop.ui.widgets import title_label

log = logging.getLogger(__name__)

AUTOSAVE_MS = 3000  # local crash buffer while typing
SYNC_MS = 60000  # at least this often into the synced visit record

_OPEN: dict[str, VisitWindow] = {}


def _load(db: Any, visit_id: str):  # type: ignore[no-untyped-def]
    """Worker: the visit and its form definition (its own version)."""
    from desktop.services.visits import get_visit
    from forms import load_form

    visit = get_visit(db, visit_id)
    return visit, load_form(visit.form_id, visit.form_version)


class VisitWindow(QWidget):
    saved = Signal(object)  # autosave time
    completed = Signal(str)

    def __init__(self, ctx: Any, visit: Any, form: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.visit = visit
        self.form = form
        self.dirty = False  # changed since the last save of any kind
        self.unsynced = False  # changed since the last save into the synced record
        self._ticks = 0
        self._saving = False
        self._save_again = False
        self._save_again_sync = False
        self.last_error: str = ""
        self._closed = False  # worker callbacks may arrive after the window is gone
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.resize(1366, 768)
        self.setMinimumSize(1000, 600)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        head = QWidget()
        head.setObjectName("visitHeader")
        head.setStyleSheet(
            "QWidget#visitHeader { background: #ffffff; border-bottom: 1px solid #d5dde5; }"
        )
        hl = QHBoxLayout(head)
        hl.setContentsMargins(18, 10, 18, 10)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.title = title_label("")
        self.subtitle = title_label("", "pageSubtitle")
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        hl.addLayout(text, 1)
        self.save_label = QLabel("")
        self.save_label.setObjectName("muted")
        self.save_label.setAccessibleName("Opslagstatus")
        self.save_label.setWordWrap(True)
        self.save_label.setMaximumWidth(340)
        self.save_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hl.addWidget(self.save_label)
        hl.addSpacing(12)
        # Issue 20: the visit's Stukken (photos, the provider's papers) beside the form.
        self.documents_button = QPushButton("Stukken")
        self.documents_button.setCheckable(True)
        self.documents_button.setToolTip("Stukken bij dit bezoek tonen of verbergen")
        self.documents_button.setAccessibleName("Stukken bij dit bezoek")
        self.report_button = QPushButton("Verslag (PDF)…")
        self.correct_button = QPushButton("Corrigeren…")
        self.complete_button = QPushButton("Afronden")
        self.complete_button.setProperty("primary", True)
        self.complete_button.setToolTip("Controleer en rond het bezoek af (Ctrl+Shift+Enter)")
        self.close_button = QPushButton("Sluiten")
        for b in (
            self.documents_button,
            self.report_button,
            self.correct_button,
            self.complete_button,
            self.close_button,
        ):
            b.setAutoDefault(False)
            b.setDefault(False)
            hl.addWidget(b)
        lay.addWidget(head)

        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background:#fff4e0; color:#3d2b00; padding:6px 18px;border-bottom:1px solid #f0c987;"
        )
        self.banner.hide()
        lay.addWidget(self.banner)

        self.view = FormView(form, visit.answers, read_only=not visit.is_draft)
        self.body = QSplitter(Qt.Orientation.Horizontal)
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.view)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(8, 10, 12, 10)
        self.documents = DocumentsPanel(ctx, side, kind="site_visit", compact=True)
        side_lay.addWidget(self.documents)
        self.body.addWidget(side)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 1)
        self.documents_side = side
        side.hide()
        lay.addWidget(self.body, 1)
        model = self.documents.table.model()
        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            sig.connect(lambda *_a: self._count_documents())
        self.documents_button.toggled.connect(self.show_documents)

        self.view.changed.connect(self._on_changed)
        self.view.section_changed.connect(lambda _row: self.save_now(sync=True))
        self.report_button.clicked.connect(self.export_report)
        self.correct_button.clicked.connect(self.ask_correction)
        self.complete_button.clicked.connect(self.complete)
        self.close_button.clicked.connect(self.close)
        sc = QShortcut(QKeySequence("Ctrl+S"), self)
        sc.activated.connect(lambda: self.save_now(sync=True))
        sc2 = QShortcut(QKeySequence("Ctrl+Shift+Return"), self)
        sc2.activated.connect(self.complete)

        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self._tick)
        self._show_visit(visit)

    # -- display ---------------------------------------------------------------------------
    def show_documents(self, on: bool = True) -> None:
        """Show or hide the Stukken panel beside the form."""
        if self.documents_button.isChecked() != on:
            self.documents_button.setChecked(on)  # comes back here through `toggled`
            return
        self.documents_side.setVisible(on)
        if on:
            width = max(self.body.width(), 1)
            self.body.setSizes([width - width // 3, width // 3])

    def _count_documents(self) -> None:
        table = self.documents.table
        if (
            self._closed
            or not shiboken_is_valid(table)
            or not shiboken_is_valid(self.documents_button)
        ):
            return  # the model empties itself while the window is torn down
        n = table.rowCount()
        self.documents_button.setText(f"Stukken ({n})" if n else "Stukken")

    def _show_visit(self, visit: Any) -> None:
        self.visit = visit
        if self.documents.target_id != visit.id:
            self.documents.set_target(visit.id)
        draft = visit.is_draft
        when = formatting.long_date(visit.visit_date) if visit.visit_date else "datum nog onbekend"
        self.title.setText(f"{self.form.title} · {visit.location_name}")
        self.setWindowTitle(f"{self.form.title} {visit.location_name} – Kwaliteitsdialoog")
        self.subtitle.setText(
            f"{visit.provider_name} · {when} · {visit.status_label} · "
            f"formulierversie {visit.form_version}"
        )
        if visit.revision_of_id:
            self.banner.setText(
                f"Correctie van een eerder afgerond bezoek. Reden: {visit.revision_reason}"
            )
            self.banner.show()
        else:
            self.banner.hide()
        self.complete_button.setVisible(draft)
        self.correct_button.setVisible(visit.is_completed and not visit.revised_by_id)
        if draft:
            self.timer.start()
            self.save_label.setText(self._saved_text(visit.autosaved_at))
        else:
            self.timer.stop()
            when = (
                visit.completed_at.astimezone().strftime("%d-%m-%Y %H:%M")
                if visit.completed_at
                else ""
            )
            self.save_label.setText(f"Afgerond op {when} · alleen lezen")
            self.save_label.setToolTip(f"Afgerond door {visit.completed_by_name}")

    @staticmethod
    def _saved_text(at: Any) -> str:
        if at is None:
            return "Nog niet opgeslagen"
        return f"Automatisch opgeslagen om {at.astimezone().strftime('%H:%M:%S')}"

    # -- autosave --------------------------------------------------------------------------
    # dirty: changed since the last save of any kind; unsynced: changed since the last save
    # into the synced visit record (services.visits: buffer_answers vs autosave).
    def _on_changed(self) -> None:
        if self.visit.is_draft:
            self.dirty = True
            self.unsynced = True
            self.save_label.setText("Wijzigingen worden opgeslagen…")

    def _tick(self) -> None:
        self._ticks += 1
        if self.unsynced and self._ticks * AUTOSAVE_MS >= SYNC_MS:
            self.save_now(sync=True)
        elif self.dirty:
            self.save_now(sync=False)

    def save_now(self, sync: bool = True) -> None:
        """Save on the database worker: into the local crash buffer (sync=False, every few
        seconds) or into the synced visit record (sync=True: section change, close, Ctrl+S,
        at least every minute). A no-op when there is nothing to save."""
        if not self.visit.is_draft or self.ctx.user is None:
            return
        if not (self.dirty or (sync and self.unsynced)):
            return
        if self._saving:
            self._save_again = True
            self._save_again_sync = self._save_again_sync or sync
            return
        from desktop.services.visits import autosave, buffer_answers

        self._saving = True
        self.dirty = False
        if sync:
            self.unsynced = False
            self._ticks = 0
        answers = _snapshot(self.view.answers)
        self.ctx.run(
            autosave if sync else buffer_answers,
            self.ctx.db,
            self.visit.id,
            answers,
            actor_id=self.ctx.user.id,
            on_done=self._saved,
            on_error=lambda exc, synced=sync: self._save_failed(exc, synced),
        )

    def _saved(self, at: Any) -> None:
        self._saving = False
        if self._closed:
            return
        self.save_label.setText(self._saved_text(at))
        self.saved.emit(at)
        if self._save_again:
            self._save_again = False
            sync, self._save_again_sync = self._save_again_sync, False
            self.save_now(sync=sync)

    def _save_failed(self, exc: BaseException, synced: bool = True) -> None:
        from db.errors import NotFound, RuleViolation

        self._saving = False
        self.dirty = True
        if synced:
            self.unsynced = True
        self.last_error = str(exc)
        log.warning("autosave failed: %s", exc)
        if self._closed:
            return
        if isinstance(exc, RuleViolation | NotFound):
            # completed or removed elsewhere (e.g. after a sync): retrying cannot help; the
            # text stays in this window so nothing typed is lost
            self.timer.stop()
            self.save_label.setText("Niet opgeslagen: dit bezoek is elders afgerond of verwijderd")
            QMessageBox.warning(
                self,
                "Niet opgeslagen",
                f"{exc}\n\nUw tekst staat nog in dit venster; kopieer wat u wilt bewaren.",
            )
        else:
            self.save_label.setText("Opslaan mislukt – wordt opnieuw geprobeerd")

    def flush(self, timeout: float = 10.0) -> bool:
        """Save pending changes and wait for the worker (used on close)."""
        self.save_now(sync=True)
        ok = self.ctx.executor.wait_idle(timeout)
        from desktop.ui.qt import QCoreApplication

        QCoreApplication.processEvents()
        if self._save_again:  # a save was running: the queued synced save follows
            ok = self.ctx.executor.wait_idle(timeout) and ok
            QCoreApplication.processEvents()
        return ok and not self.dirty and not self.unsynced

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        if self.visit.is_draft and (self.dirty or self.unsynced or self._saving):
            self.timer.stop()
            if not self.flush():
                if not ask(
                    self,
                    "Niet opgeslagen",
                    "De laatste wijzigingen konden niet worden opgeslagen. Toch sluiten?",
                    yes="Toch sluiten",
                    no="Open laten",
                ):
                    event.ignore()
                    self.timer.start()
                    return
            self.ctx.changed.emit("site_visit")
        self.timer.stop()
        self._closed = True
        _OPEN.pop(self.visit.id, None)
        super().closeEvent(event)

    # -- completing / correcting ------------------------------------------------------------
    def complete(self) -> None:
        if not self.visit.is_draft:
            return
        from db.errors import ValidationErrors
        from desktop.services.visits import complete_visit

        first = self.view.show_errors()
        if first is not None:
            n = len(self.view.state.issues) if self.view.state else 0
            self.save_label.setText(f"Nog {n} punt(en) na te kijken voordat u kunt afronden")
            self.save_now()
            return
        answers = _snapshot(self.view.answers)

        def failed(exc: BaseException) -> None:
            self.dirty = self.unsynced = True  # still a draft: keep saving it
            if isinstance(exc, ValidationErrors):
                self.view.show_errors()
                self.save_label.setText("Controleer de gemarkeerde velden")
            else:
                self.last_error = str(exc)
                QMessageBox.warning(self, "Afronden niet gelukt", str(exc))

        self.dirty = self.unsynced = False
        self.ctx.run(
            complete_visit,
            self.ctx.db,
            self.visit.id,
            answers,
            actor_id=self.ctx.user.id,
            on_done=self._completed,
            on_error=failed,
            label="Bezoek afronden",
        )

    def _completed(self, visit: Any) -> None:
        self.ctx.changed.emit("site_visit")
        self.ctx.changed.emit("follow_up_action")
        if self._closed:
            return
        self.view.set_answers(visit.answers)
        self.view.set_read_only(True)
        self._show_visit(visit)
        self.ctx.status_message("Bezoek afgerond.")
        self.completed.emit(visit.id)

    def ask_correction(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Bezoek corrigeren",
            "Waarom corrigeert u dit afgeronde bezoek? Er komt een nieuwe versie; de "
            "oorspronkelijke blijft bewaard.",
            QLineEdit.EchoMode.Normal,
            "",
        )
        if ok:
            self.start_correction(reason)

    def start_correction(self, reason: str) -> None:
        from desktop.services.visits import start_correction

        def done(rev: Any) -> None:
            self.ctx.changed.emit("site_visit")
            self.close()
            open_visit(self.ctx, rev.id)

        self.ctx.run(
            start_correction,
            self.ctx.db,
            self.visit.id,
            reason,
            actor_id=self.ctx.user.id,
            on_done=done,
            on_error=lambda e: QMessageBox.warning(self, "Corrigeren", str(e)),
        )

    def export_report(self, path: str | None = None) -> None:
        from desktop.services.visit_report import write_visit_report

        if not path:
            name = f"Verslag locatiebezoek {self.visit.location_name} {self.visit.visit_date or ''}.pdf"
            path, _ = files.save_file_name(
                self, "Verslag opslaan", name, "PDF (*.pdf)", "verslagen"
            )
            if not path:
                return
        self.save_now()
        self.ctx.run(
            write_visit_report,
            self.ctx.db,
            self.visit.id,
            path,
            on_done=lambda p: self.ctx.offer_open(p, "Verslag opgeslagen"),
            on_error=lambda e: QMessageBox.warning(self, "Verslag", str(e)),
            label="Verslag maken",
        )


def _snapshot(answers: dict) -> dict:
    import copy

    return copy.deepcopy(answers)


class _CloseWithMainWindow(QObject):
    """Closing the main window first closes (and so saves) every open visit window; if one
    of them refuses (its draft could not be saved), the main window stays open."""

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802
        if event.type() == QEvent.Type.Close:
            for win in list(_OPEN.values()):
                if not win.close():
                    event.ignore()
                    return True
        return False


def close_all_visits() -> bool:
    """Close every open visit window (drafts are saved). False when one refused."""
    return all(win.close() for win in list(_OPEN.values()))


def _watch_main_window(ctx: Any) -> None:
    main = getattr(ctx, "window", None)
    if main is not None and not getattr(main, "_visits_close_filter", None):
        filt = _CloseWithMainWindow(main)
        main.installEventFilter(filt)
        main._visits_close_filter = filt


def open_visit(ctx: Any, visit_id: str, on_open=None) -> None:  # type: ignore[no-untyped-def]
    """Open (or raise) the window of a visit; loads on the worker."""
    _watch_main_window(ctx)
    win = _OPEN.get(visit_id)
    if win is not None:
        win.raise_()
        win.activateWindow()
        if on_open:
            on_open(win)
        return

    def show(result: Any) -> None:
        visit, form = result
        w = VisitWindow(ctx, visit, form)
        _OPEN[visit.id] = w
        w.show()
        w.view.go_to_section(0)
        if on_open:
            on_open(w)

    ctx.run(_load, ctx.db, visit_id, on_done=show, label="Bezoek openen")


def new_visit(ctx: Any, location_id: str, on_open=None) -> None:  # type: ignore[no-untyped-def]
    from desktop.services.visits import create_visit

    if ctx.user is None:
        QMessageBox.information(None, "Nieuw bezoek", "Stel eerst uw profiel in (menu Bestand).")
        return

    def created(visit: Any) -> None:
        ctx.changed.emit("site_visit")
        open_visit(ctx, visit.id, on_open)

    ctx.run(
        create_visit,
        ctx.db,
        location_id,
        actor_id=ctx.user.id,
        on_done=created,
        label="Nieuw bezoek",
    )
