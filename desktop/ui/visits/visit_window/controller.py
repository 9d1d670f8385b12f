"""The visit window's behaviour (controller): one locatiebezoek, rendered from its own form
version, in its own window (widgets: `VisitWindowView`, view.py).

Never lose a word: while editing, the answers are autosaved every few seconds and on every
section change (through ctx.run, on the database worker); closing the window with unsaved
changes saves the draft first. A completed visit opens read-only; "Corrigeren" makes a new
revision (with a reason) and opens that.

Lists elsewhere refresh on what the services wrote (`ctx.entities_changed`: "site_visit",
"follow_up_action"); this window announces nothing by hand.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from desktop.services import formatting
from desktop.ui import files
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QCoreApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTimer,
    QWidget,
    Signal,
)
from desktop.ui.visits.visit_window.view import VisitWindowView

log = logging.getLogger(__name__)

AUTOSAVE_MS = 3000  # local crash buffer while typing
SYNC_MS = 60000  # at least this often into the synced visit record


def _snapshot(answers: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(answers)


class VisitWindow(VisitWindowView):
    saved = Signal(object)  # autosave time
    completed = Signal(str)
    closing = Signal(str)  # the visit id, when the window really closes
    correction_started = Signal(str)  # the id of the new revision, to open in its place

    def __init__(self, ctx: Any, visit: Any, form: Any, parent: QWidget | None = None) -> None:
        super().__init__(ctx, visit, form, parent)
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
        self.timer = QTimer(self)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self._tick)
        self._show_visit(visit)

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
        self.timer.stop()
        self._closed = True
        self.closing.emit(self.visit.id)
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
            self.close()
            self.correction_started.emit(rev.id)

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
