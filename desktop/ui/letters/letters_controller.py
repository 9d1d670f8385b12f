"""Section "Brieven" (issue 6), the controller: loads the list and the preview through ctx.run,
keeps the selection, enables what the user may do and runs the actions (TagStudio style: it
subclasses LettersView, which builds the widgets). Refreshes on the typed change set: whatever
job wrote a letter, a request, an approval, a letterhead or a provider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.services import letters
from desktop.services.changes import ChangeSet, touches
from desktop.ui.context import AppContext
from desktop.ui.errors import route_error
from desktop.ui.letters import addendum_actions, batch_actions
from desktop.ui.letters.letters_view import PREVIEW_DPI, LettersView
from desktop.ui.letters.pdf_pages import PageImage, print_pdfs, render_pages
from desktop.ui.qt import QKeySequence, QShortcut, Qt, QWidget

# What the list shows: a change to any of these (or "*") reloads it.
SHOWN = ("letter", "budget_request", "review_event", "care_office", "provider")


class LettersSection(LettersView):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._selected_request: str | None = None
        self.last_batch: letters.BatchResult | None = None
        self.table.itemSelectionChanged.connect(self._selected)
        self.split.splitterMoved.connect(lambda *_: setattr(self, "_split_placed", True))
        self.region.currentIndexChanged.connect(lambda _i: self.refresh())
        self.make_button.clicked.connect(self.make_letter)
        self.definitive_button.clicked.connect(self.make_definitive)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_letter)
        self.sent_button.clicked.connect(self.mark_sent)
        self.addendum_button.clicked.connect(lambda: addendum_actions.save_addendum(self))
        self.signed_button.clicked.connect(lambda: addendum_actions.record_signed(self))
        self.batch_save_button.clicked.connect(lambda: batch_actions.batch_save(self))
        self.letterhead_button.clicked.connect(self.open_letterhead)
        self.batch_print_button.clicked.connect(lambda: batch_actions.batch_print(self))
        shortcut = QShortcut(QKeySequence.StandardKey.Print, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.print_letter)
        ctx.user_changed.connect(lambda _u: self._update_buttons())
        ctx.entities_changed.connect(self._entities_changed)
        self._update_buttons()
        self.ctx.run(letters.region_names, ctx.db, on_done=self._set_regions, label="Regio's laden")
        self.refresh()

    def open_letterhead(self) -> QWidget:
        from desktop.ui.letters.letterhead_dialog import LetterheadDialog

        code = (
            self.current.letter.care_office_code if self.current and self.current.letter else None
        )
        self.letterhead_dialog = LetterheadDialog(self.ctx, code, self)
        self.letterhead_dialog.open()
        return self.letterhead_dialog

    # -- loading ---------------------------------------------------------------------------------
    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, *SHOWN):
            self.refresh()

    def refresh(self) -> None:
        db, region = self.ctx.db, self._region()
        self.ctx.run(
            lambda: (
                letters.list_letters(db, region=region),
                letters.pending_decisions(db, region=region),
            ),
            on_done=self._show,
            on_error=self._error,
            label="Brieven laden",
        )

    def _show(self, result: tuple[list[letters.LetterInfo], list[letters.PendingDecision]]) -> None:
        self._fill_table(*result)
        # keep the selection on the same request
        target = self._selected_request
        for i, row in enumerate(self.rows):
            if target and row.request_id == target:
                self.table.selectRow(i)
                self.current = row
                break
        else:
            self.current = None
        self._update_buttons()
        self._update_info()
        if self.current is not None:
            self._load_preview()

    def select_request(self, request_id: str) -> bool:
        for i, row in enumerate(self.rows):
            if row.request_id == request_id:
                self.table.selectRow(i)
                return True
        return False

    def _selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        row = self.rows[items[0].data(Qt.ItemDataRole.UserRole)]
        self.current = row
        self._selected_request = row.request_id
        self._hide_message()
        self._update_buttons()
        self._update_info()
        self._load_preview()

    def _update_buttons(self) -> None:
        row = self.current
        letter = row.letter if row else None
        self.make_button.setVisible(bool(row and row.kind == "pending"))
        self.make_button.setEnabled(bool(row and row.kind == "pending" and self.ctx.user))
        self.definitive_button.setEnabled(
            bool(letter and letter.status == "DRAFT" and self.ctx.user)
        )
        self.definitive_button.setToolTip("")
        self.definitive_reason.hide()
        if letter is not None and letter.status == "DRAFT":
            user = self.ctx.user.id if self.ctx.user else None
            self.ctx.run(
                letters.definitive_refusal,
                self.ctx.db,
                letter.request_id,
                user,
                on_done=lambda why, lid=letter.id: self._show_refusal(lid, why),
                label="Brief controleren",
            )
        self.save_button.setEnabled(bool(letter))
        self.print_button.setEnabled(bool(letter))
        self.sent_button.setEnabled(
            bool(letter and letter.status == "DEFINITIVE" and self.ctx.user)
        )
        self.addendum_button.setEnabled(addendum_actions.can_addendum(letter))
        self.signed_button.setEnabled(addendum_actions.can_sign(letter) and bool(self.ctx.user))

    def _show_refusal(self, letter_id: str, why: str | None) -> None:
        letter = self.current.letter if self.current else None
        if letter is None or letter.id != letter_id or not why:
            return
        self.definitive_button.setEnabled(False)
        self.definitive_button.setToolTip(why)
        self.definitive_reason.setText(f"Definitief maken kan niet: {why}")
        self.definitive_reason.show()

    # -- preview ------------------------------------------------------------------------------------
    def _load_preview(self) -> None:
        row = self.current
        self.pdf = None
        if row is None or row.letter is None:
            self.preview.set_pages([])
            return
        db, letter_id = self.ctx.db, row.letter.id

        def work() -> tuple[bytes, list[PageImage]]:
            pdf = letters.letter_pdf(db, letter_id)
            return pdf, render_pages(pdf, PREVIEW_DPI)

        def done(result: tuple[bytes, list[PageImage]]) -> None:
            if (
                self.current is None
                or self.current.letter is None
                or self.current.letter.id != letter_id
            ):
                return
            self.pdf, pages = result
            self.preview.set_pages(pages)

        self.ctx.run(work, on_done=done, on_error=self._error, label="Voorbeeld maken")

    # -- actions -----------------------------------------------------------------------------------
    def _error(self, exc: BaseException) -> None:
        route_error(exc, {}, self._show_message, self)

    def _after_write(self, info: Any, text: str) -> None:
        self._hide_message()
        self.ctx.status_message(text)

    def make_letter(self) -> None:
        row = self.current
        if row is None or row.kind != "pending" or self.ctx.user is None:
            return
        db, by, rid = self.ctx.db, self.ctx.user.id, row.request_id
        self._selected_request = rid
        self.ctx.run(
            letters.create_letter,
            db,
            rid,
            by,
            on_done=lambda info: self._after_write(info, "Conceptbrief gemaakt."),
            on_error=self._error,
            label="Brief maken",
        )

    def make_definitive(self) -> None:
        letter = self._letter_to_change()
        if letter is None:
            return
        warning = letters.date_warning(letters.today_nl())
        if not self.confirm(
            "Definitief maken",
            f"De brief aan {letter.provider_name} krijgt een kenmerk en wordt "
            "definitief opgeslagen. Daarna verandert hij niet meer. Doorgaan?"
            + (f"\n\n{warning}" if warning else ""),
        ):
            return
        self._change_letter(
            letters.make_definitive,
            letter,
            lambda info: f"Brief {info.kenmerk} is definitief (SHA-256 {info.sha256[:12]}…).",
            "Brief definitief maken",
        )

    def mark_sent(self) -> None:
        letter = self._letter_to_change()
        if letter is not None:
            self._change_letter(
                letters.mark_sent,
                letter,
                lambda info: f"Brief {info.kenmerk} is verzonden.",
                "Markeren als verzonden",
            )

    def _letter_to_change(self) -> Any:
        """The chosen row's letter, when there is one and a user to act on it."""
        row = self.current
        return None if row is None or self.ctx.user is None else row.letter

    def _change_letter(self, verb: Any, letter: Any, done: Any, label: str) -> None:
        """`verb(db, letter id, user id)` off the GUI thread; `done(info)` says what happened."""
        db, by, lid = self.ctx.db, self.ctx.user.id, letter.id  # type: ignore[union-attr]
        self.ctx.run(
            verb,
            db,
            lid,
            by,
            on_done=lambda info: self._after_write(info, done(info)),
            on_error=self._error,
            label=label,
        )

    def save_pdf(self) -> None:
        row = self.current
        if row is None or row.letter is None:
            return
        path = self.ask_save_path(letters.file_name(row.letter))
        if not path:
            return
        db, lid = self.ctx.db, row.letter.id

        def work() -> str:
            Path(path).write_bytes(letters.letter_pdf(db, lid))
            return path

        self.ctx.run(
            work,
            on_done=lambda p: self.ctx.offer_open(p),
            on_error=self._error,
            label="PDF opslaan",
        )

    def print_letter(self) -> None:
        row = self.current
        if row is None or row.letter is None:
            return
        printer = self.make_printer()
        if printer is None:
            return
        db, lid = self.ctx.db, row.letter.id
        self._printer = printer  # keep it alive while the worker prints

        def work() -> int:
            return print_pdfs(printer, [letters.letter_pdf(db, lid)])

        self.ctx.run(
            work,
            on_done=lambda n: self.ctx.status_message(f"{n} pagina's afgedrukt."),
            on_error=self._error,
            label="Afdrukken",
        )
