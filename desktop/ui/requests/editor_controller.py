"""The aanvraag editor's behaviour (issue 19, TagStudio style: the controller subclasses the
view): loading a request, the one save, the card actions (vier-ogen, toelichting, status) and
the question about unsaved work. Every read and write goes through desktop.services on the
database worker (ctx.run); the views refresh on the change set the executor announces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from desktop.services import requests as rq
from desktop.services import review
from desktop.ui.context import AppContext
from desktop.ui.qt import QLineEdit, QMessageBox, QTimer, QWidget, Signal
from desktop.ui.requests import editor_fill as fill
from desktop.ui.requests.common import Banner, Field, load_bundle, show_errors
from desktop.ui.requests.editor_save import SaveOutcome, run_steps, save_steps, section_values
from desktop.ui.requests.editor_view import AMOUNT_FIELDS, APPROVED_AMOUNTS, RequestEditorView

Work = Callable[[Any, str, str], Any]  # (db, by, request or clarification id) -> result


class RequestEditor(RequestEditorView):
    """Receipt, amounts (85/15 live), criteria, clarifications, decision, review, history."""

    #: a request was shown, with its budget year (the list follows it to that year)
    loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.request_id: str | None = None
        self.bundle: rq.RequestBundle | None = None
        self._snapshot: dict[str, Any] = {}
        for name in AMOUNT_FIELDS:
            cast(QLineEdit, self.fields[name].editor).textChanged.connect(self._live_amounts)
        for name in APPROVED_AMOUNTS:
            editor = cast(QLineEdit, self.decision_fields[name].editor)
            editor.textChanged.connect(self._live_approved)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        self._dirty_timer = QTimer(self)
        self._dirty_timer.setInterval(300)
        self._dirty_timer.timeout.connect(self._show_dirty)
        self._dirty_timer.start()
        self.save_button.clicked.connect(lambda: self.save())
        self.discard_button.clicked.connect(self._discard)
        self.submit_button.clicked.connect(self.submit)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.ask_button.clicked.connect(self.ask)
        self.answer_button.clicked.connect(self.answer)
        self.transition_button.clicked.connect(self.change_state)

    def _by(self, banner: Banner | None = None) -> str | None:
        if self.ctx.user is None:
            (banner or self.save_feedback).error(
                "Kies eerst uw profiel (Extra › Mijn profiel) voordat u iets vastlegt."
            )
            return None
        return self.ctx.user.id

    # -- unsaved changes ----------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        return section_values(self, self.request_id is None)

    def _take_snapshot(self) -> None:
        self._snapshot = self._values()
        self._show_dirty()

    def dirty_sections(self) -> list[str]:
        now = self._values()
        return [k for k, v in now.items() if self._snapshot.get(k) != v]

    def has_unsaved_changes(self) -> bool:
        return bool(self._snapshot) and bool(self.dirty_sections())

    def _show_dirty(self) -> None:
        dirty = self.dirty_sections() if self._snapshot else []
        self.dirty_label.setText(
            "Niet-opgeslagen wijzigingen: " + ", ".join(dirty) if dirty else ""
        )
        self.discard_button.setEnabled(bool(dirty))

    def ask_leave(self) -> str:
        """ "clean", "save", "discard" or "cancel": the question when leaving unsaved work."""
        if not self.has_unsaved_changes():
            return "clean"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Niet-opgeslagen wijzigingen",
            "U heeft wijzigingen in deze aanvraag die nog niet zijn opgeslagen ("
            + ", ".join(self.dirty_sections())
            + "). Wilt u ze opslaan?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        save = box.addButton("Opslaan", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Niet opslaan", QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def confirm_leave(
        self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None
    ) -> None:
        """Run `then` once the unsaved work is saved or knowingly dropped."""
        answer = self.ask_leave()
        if answer in ("clean", "discard"):
            if answer == "discard":
                self._snapshot = {}
            then()
        elif answer == "save":
            self.save(after=then)
        elif on_cancel is not None:
            on_cancel()

    def _discard(self) -> None:
        self.save_feedback.clear_message()
        if self.request_id is None:
            self.new_request()
        else:
            self.load(self.request_id)

    # -- loading ------------------------------------------------------------------------------
    def set_providers(self, providers: list[rq.ProviderChoice]) -> None:
        current = self.provider.currentData()
        self.provider.clear()
        self.provider.addItem("— kies een zorgaanbieder —", "")
        for p in providers:
            self.provider.addItem(p.name, p.id)
        if current:
            self.provider.setCurrentIndex(max(0, self.provider.findData(current)))

    def new_request(self) -> None:
        self.request_id = None
        self.documents.set_target(None)
        self.bundle = None
        fill.clear(self)
        self._live_amounts()
        self._take_snapshot()

    def load(self, request_id: str) -> None:
        if request_id != self.request_id:
            for b in fill.feedback_banners(self):
                b.clear_message()
        self.request_id = request_id
        load_bundle(self.ctx, request_id, self.show_bundle, self.banner, self, "Aanvraag laden")

    def show_bundle(self, bundle: rq.RequestBundle) -> None:
        self.bundle = bundle
        self.request_id = bundle.detail.id
        fill.fill(self, bundle)
        self.loaded.emit(bundle.detail.budget_year)
        self._live_amounts()
        self._take_snapshot()

    # -- live feedback ------------------------------------------------------------------------
    def _live_amounts(self) -> None:
        fill.live_amounts(self)

    def _live_approved(self) -> None:
        fill.live_approved(self)

    def _decision_changed(self) -> None:
        fill.decision_changed(self, self.bundle)

    # -- actions ------------------------------------------------------------------------------
    def _after_write(self, result: Any, message: str, banner: Banner) -> None:
        banner.ok(message)  # the executor announces what was written (ctx.entities_changed)
        rid = getattr(result, "id", None) or self.request_id
        if rid:
            self.load(rid)

    def _act(
        self,
        banner: Banner,
        ok: str,
        target: str | None,
        work: Work,
        fields: dict[str, Field] | None = None,
    ) -> None:
        """An action button of one card (submit, ask, state change): `work(db, by, target)` on
        the worker (`target`: the request, or the clarification answered). Unsaved edits are
        saved or dropped first (the reload after the action would lose them), and the feedback
        appears in that card, next to the button."""
        by = self._by(banner)
        if by is None or not target:
            return
        fields = fields or {}

        def go() -> None:
            banner.clear_message()
            for f in fields.values():
                f.error.clear_error()
            self.ctx.run(
                work,
                self.ctx.db,
                by,
                target,
                on_done=lambda r: self._after_write(r, ok, banner),
                on_error=lambda e: show_errors(e, fields, banner, self),
                label="Opslaan",
            )

        self.confirm_leave(go)

    def save(self, after: Callable[[], None] | None = None) -> None:
        """The one save of the page: every changed section through its service, in order.
        The first refusal stops the rest; its message goes to the field, the sections saved
        before it stay saved (each is its own transaction) and the input is kept."""
        by = self._by()
        if by is None:
            return
        self.save_feedback.clear_message()
        if self.request_id is None and not self.provider.currentData():
            self.provider_field.error.show_error("Kies een zorgaanbieder.")
            self.save_feedback.error("Niet opgeslagen: verbeter de gemarkeerde velden.")
            return
        steps = save_steps(self, self.ctx.db, self.request_id, by, set(self.dirty_sections()))
        if not steps:
            self.save_feedback.ok("Er was niets gewijzigd.")
            if after is not None:
                after()
            return
        for step in steps:
            for fld in step.fields.values():
                fld.error.clear_error()

        def finished(outcome: SaveOutcome) -> None:
            done, result, failed, exc = outcome
            if failed is None:
                self.save_feedback.ok("Opgeslagen: " + ", ".join(done) + ".")
                rid = getattr(result, "id", None) if self.request_id is None else self.request_id
                self.request_id = rid or self.request_id
                if self.request_id:
                    self.load(self.request_id)
                if after is not None:
                    after()
                return
            # Keep what the user typed; what was saved is no longer "unsaved".
            now = self._values()
            for key in done:
                self._snapshot[key] = now[key]
            if done and self.request_id is None and result is not None:
                self.request_id = result.id
            fields = next(s.fields for s in steps if s.section == failed)
            assert exc is not None
            show_errors(exc, fields, self.save_feedback, self)
            prefix = "Opgeslagen: " + ", ".join(done) + ". " if done else ""
            reason = self.save_feedback.text().removeprefix("⚠ ").removeprefix("Niet opgeslagen: ")
            self.save_feedback.error(f"{prefix}Niet opgeslagen ({failed}): {reason}")

        self.ctx.run(
            run_steps,
            steps,
            on_done=finished,
            on_error=lambda e: show_errors(e, {}, self.save_feedback, self),
            label="Opslaan",
        )

    def submit(self) -> None:
        self._act(
            self.review_feedback,
            "Ter vier-ogen aangeboden; de aanvraag staat nu bij 'Te beoordelen'.",
            self.request_id,
            lambda db, by, rid: rq.submit(db, rid, by),
        )

    def withdraw(self) -> None:
        self._act(
            self.review_feedback,
            "Aanbieding teruggetrokken.",
            self.request_id,
            lambda db, by, rid: review.withdraw(db, rq.SUBJECT, rid, by),
        )

    def ask(self) -> None:
        question = self.clar_fields["question"].text()
        asked_on = self.clar_fields["asked_on"].text()
        self._act(
            self.clar_feedback,
            "Vraag vastgelegd.",
            self.request_id,
            lambda db, by, rid: rq.add_clarification(db, rid, by, question, asked_on),
            self.clar_fields,
        )

    def answer(self) -> None:
        text = self.answer_fields["answer"].text()
        answered_on = self.answer_fields["answered_on"].text()
        self._act(
            self.clar_feedback,
            "Antwoord vastgelegd.",
            self.answer_pick.currentData(),
            lambda db, by, cid: rq.answer_clarification(db, cid, by, text, answered_on),
            self.answer_fields,
        )

    def change_state(self) -> None:
        target = self.transition_pick.currentData()
        on, note = self.transition_date.text(), self.transition_note.text()
        self._act(
            self.state_feedback,
            "Status gewijzigd.",
            self.request_id if target else None,
            lambda db, by, rid: rq.transition(db, rid, by, target, on=on, note=note),
            {"on": self.transition_date},
        )
