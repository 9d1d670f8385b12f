"""Location tab "Kwaliteitsdiagnose": the eight themes with rating, trend, rationale and notes;
top three verbeterpunten; what changed since the last visit; add/edit; print or save as PDF.

The controller (TagStudio style): `tab_view.DiagnosisTabView` builds the widgets, `tab_text`
writes what they say; `ThemeRow` stays importable from here."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from desktop.services import diagnosis as diag_service
from desktop.services.changes import ChangeSet, touches
from desktop.services.reference import themes
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.diagnosis import tab_text
from desktop.ui.diagnosis.dialogs import AssessmentDialog, NoteDialog, TopThreeDialog
from desktop.ui.diagnosis.tab_view import DiagnosisTabView, ThemeRow
from desktop.ui.dutch import ask
from desktop.ui.qt import QDialog, QWidget

__all__ = ["DiagnosisTab", "ThemeRow"]

D = TypeVar("D", bound=QDialog)


class DiagnosisTab(DiagnosisTabView):
    """Registered in LOCATION_TABS as "kwaliteitsdiagnose"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(themes(), parent)
        self.ctx = ctx
        self.location_id: str | None = None
        self.selected_theme = "T1"
        self.diagnosis: diag_service.LocationDiagnosis | None = None
        for row in self.rows.values():
            row.clicked.connect(self.select_theme)
        self.detail.linkActivated.connect(self._detail_link)
        self.btn_assess.clicked.connect(lambda: self.add_assessment())
        self.btn_note.clicked.connect(lambda: self.add_note())
        self.btn_top.clicked.connect(self.choose_top_three)
        self.btn_pdf.clicked.connect(self.save_pdf)
        self.btn_print.clicked.connect(self.print_pdf)
        # The dialogs and delete_note write through services in ctx.run: the executor announces
        # what they wrote, and this tab reloads from there.
        ctx.entities_changed.connect(self._entities_changed)
        self._set_enabled(False)

    # -- loading ---------------------------------------------------------------------------------
    def set_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.location_id = location_id
        if theme_code:
            self.selected_theme = theme_code
        self.reload()

    def reload(self) -> None:
        if not self.location_id:
            return
        self.ctx.run(
            diag_service.location_diagnosis,
            self.ctx.db_path,
            self.location_id,
            on_done=self.show_diagnosis,
            label="Kwaliteitsdiagnose laden",
        )

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "theme_assessment", "diagnosis_note", "site_visit"):
            self.reload()

    def _set_enabled(self, on: bool) -> None:
        for b in self.buttons():
            b.setEnabled(on)

    def show_diagnosis(self, d: diag_service.LocationDiagnosis) -> None:
        if d.location_id != self.location_id:
            return
        self.diagnosis = d
        self._set_enabled(True)
        self.summary.setText(tab_text.summary_text(d))
        for td in d.themes:
            self.rows[td.code].show_theme(td, td.code == self.selected_theme)
        self.top_text.setText(tab_text.top_three_html(d))
        self.changes_title.setText(tab_text.changes_title(d))
        self.changes_text.setText(tab_text.changes_html(d))
        self._show_detail()

    def select_theme(self, code: str) -> None:
        self.selected_theme = code
        if self.diagnosis:
            for td in self.diagnosis.themes:
                self.rows[td.code].show_theme(td, td.code == code)
            self._show_detail()

    def theme(self, code: str) -> diag_service.ThemeDiagnosis | None:
        if not self.diagnosis:
            return None
        return next((t for t in self.diagnosis.themes if t.code == code), None)

    def _show_detail(self) -> None:
        td = self.theme(self.selected_theme)
        if td is not None:
            self.detail.setText(tab_text.theme_detail_html(td, self.diagnosis))

    def _detail_link(self, link: str) -> None:
        kind, _, ref = link.partition(":")
        if kind == "assess":
            self.add_assessment(ref)
        elif kind == "note":
            self.add_note(ref)
        elif kind == "edit":
            self.edit_note(ref)
        elif kind == "delete":
            self.delete_note(ref)

    # -- actions ---------------------------------------------------------------------------------
    def _offer(self, dlg: D, message: str, exec_: bool) -> D:
        """Open a dialog that saves through ctx.run; the status bar confirms when it did."""
        dlg.accepted.connect(lambda: self.ctx.status_message(message))
        if exec_:
            dlg.open()
        return dlg

    def add_assessment(
        self, theme_code: str | None = None, *, exec_: bool = True
    ) -> AssessmentDialog | None:
        if not self.location_id:
            return None
        visits = diag_service.visits_for(self.ctx.db_path, self.location_id)
        dlg = AssessmentDialog(
            self.ctx,
            self.location_id,
            theme_code or self.selected_theme,
            visits=visits,
            parent=self,
        )
        return self._offer(dlg, "Oordeel vastgelegd.", exec_)

    def _note_owner(self) -> tuple[str, str | None]:
        assert self.diagnosis is not None
        return self.diagnosis.provider_id, self.location_id

    def add_note(self, theme_code: str | None = None, *, exec_: bool = True) -> NoteDialog | None:
        if not self.diagnosis:
            return None
        provider_id, location_id = self._note_owner()
        dlg = NoteDialog(
            self.ctx,
            provider_id=provider_id,
            location_id=location_id,
            theme_code=theme_code or self.selected_theme,
            parent=self,
        )
        return self._offer(dlg, "Notitie opgeslagen.", exec_)

    def _find_note(self, note_id: str) -> diag_service.NoteInfo | None:
        if not self.diagnosis:
            return None
        for td in self.diagnosis.themes:
            for n in td.notes:
                if n.id == note_id:
                    return n
        return next((n for n in self.diagnosis.general_notes if n.id == note_id), None)

    def edit_note(self, note_id: str, *, exec_: bool = True) -> NoteDialog | None:
        note = self._find_note(note_id)
        if note is None or not self.diagnosis:
            return None
        dlg = NoteDialog(
            self.ctx,
            provider_id=note.provider_id,
            location_id=note.location_id,
            note=note,
            parent=self,
        )
        return self._offer(dlg, "Notitie gewijzigd.", exec_)

    def delete_note(self, note_id: str, *, confirm: bool = True) -> None:
        if self.ctx.user is None:
            return
        if confirm and not ask(
            self,
            "Notitie verwijderen",
            "Deze notitie verwijderen? Ze blijft zichtbaar in de geschiedenis.",
            yes="Verwijderen",
            no="Annuleren",
        ):
            return
        from desktop.ui.errors import report_exception

        self.ctx.run(
            diag_service.delete_note,
            self.ctx.db,
            note_id,
            actor_id=self.ctx.user.id,
            on_done=lambda _r: self.ctx.status_message("Notitie verwijderd."),
            on_error=lambda e: report_exception(e, self),
        )

    def choose_top_three(self, *, exec_: bool = True) -> TopThreeDialog | None:
        if not self.diagnosis or not self.location_id:
            return None
        candidates = [
            n
            for n in diag_service.notes_for(
                self.ctx.db_path, location_id=self.location_id, include_deleted=False
            )
            if n.kind == "IMPROVEMENT_POINT"
        ]
        dlg = TopThreeDialog(
            self.ctx,
            self.location_id,
            candidates,
            [n.id for n in self.diagnosis.top_three],
            parent=self,
        )
        return self._offer(dlg, "Top drie opgeslagen.", exec_)

    def _pdf_bytes(self) -> bytes:
        from desktop.services.diagnosis_report import location_diagnosis_pdf

        assert self.diagnosis is not None
        author = self.ctx.user.name if self.ctx.user else ""
        return location_diagnosis_pdf(self.diagnosis, as_of=date.today(), author=author)

    def save_pdf(self, path: str | None = None) -> None:
        if not self.diagnosis:
            return
        if path is None:
            safe = "".join(
                c for c in self.diagnosis.location_name if c.isalnum() or c in " -_"
            ).strip()
            path, _ = files.save_file_name(
                self, "Kwaliteitsdiagnose opslaan", f"Kwaliteitsdiagnose {safe}.pdf", "PDF (*.pdf)"
            )
            if not path:
                return
        target = path

        def write() -> str:
            from pathlib import Path

            Path(target).write_bytes(self._pdf_bytes())
            return target

        self.ctx.run(write, on_done=lambda p: self.ctx.offer_open(p), label="PDF maken")

    def print_pdf(self) -> None:
        """Print through the system: the PDF is opened in the default viewer."""
        if not self.diagnosis:
            return
        import tempfile

        from desktop.ui.qt import QDesktopServices, QUrl

        tmp = tempfile.NamedTemporaryFile(prefix="kwaliteitsdiagnose-", suffix=".pdf", delete=False)
        tmp.close()

        def write() -> str:
            from pathlib import Path

            Path(tmp.name).write_bytes(self._pdf_bytes())
            return tmp.name

        def show(path: str) -> None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

        self.ctx.run(write, on_done=show, label="PDF maken")

    def state(self) -> dict[str, Any]:
        """What the tab shows (for tests)."""
        return {
            "summary": self.summary.text(),
            "selected": self.selected_theme,
            "detail": self.detail.text(),
            "top": self.top_text.text(),
        }
