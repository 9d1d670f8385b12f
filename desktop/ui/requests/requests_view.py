"""Section "Aanvragen": the list of budget requests and the request editor.

Layout (RequestsSection) and behaviour (RequestEditor) are kept apart; all work goes through
desktop.services.requests on the database worker (ctx.run).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from db.errors import ValidationErrors
from db.models.enums import Decision, Judgement, RequestState
from desktop.services import formatting, review
from desktop.services import requests as rq
from desktop.services.budget import split
from desktop.ui.context import AppContext
from desktop.ui.documents.panel import add_documents_card
from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.acceptance_panel import AcceptancePanel
from desktop.ui.requests.common import (
    DEADLINE_COLOURS,
    Banner,
    Field,
    badge,
    fill_table,
    form_layout,
    line,
    make_table,
    money_text,
    section_card,
    show_errors,
    text_box,
)
from desktop.ui.requests.panels import CeilingPanel, HistoryTable
from desktop.ui.steering.summary_panel import attach as attach_diagnosis_panel
from desktop.ui.widgets import title_label

AMOUNT_FIELDS = (
    "initial_reserved_amount",
    "requested_total",
    "requested_staff_amount",
    "requested_other_amount",
)


class CriterionRow(QWidget):
    def __init__(self, criterion: rq.Criterion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = criterion.code
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 4, 0, 4)
        number = f"C{criterion.number}" if criterion.number <= 10 else str(criterion.number)
        title = QLabel(f"<b>{number}</b> {criterion.short_nl}")
        text = QLabel(criterion.text_nl)
        text.setObjectName("muted")
        text.setWordWrap(True)
        self.judgement = QComboBox()
        self.judgement.addItem("— kies een oordeel —", "")
        for code, label in Judgement.choices():
            self.judgement.addItem(label, code)
        self.judgement.setAccessibleName(f"Oordeel criterium {criterion.number}")
        self.reasoning = text_box(52, f"Onderbouwing criterium {criterion.number}")
        self.reasoning.editor.setPlaceholderText("Onderbouwing")
        lay.addWidget(title, 0, 0, 1, 2)
        lay.addWidget(text, 1, 0, 1, 2)
        lay.addWidget(self.judgement, 2, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.reasoning, 2, 1)
        lay.setColumnStretch(1, 1)

    def set_value(self, judgement: str | None, reasoning: str) -> None:
        self.judgement.setCurrentIndex(max(0, self.judgement.findData(judgement or "")))
        self.reasoning.set_text(reasoning)
        self.reasoning.error.clear_error()

    def value(self) -> tuple[str, str]:
        return (self.judgement.currentData() or "", self.reasoning.text())


class RequestEditor(QScrollArea):
    """Receipt, amounts (85/15 live), criteria, clarifications, decision, review, history."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.request_id: str | None = None
        self.bundle: rq.RequestBundle | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.setSpacing(12)

        self.title = title_label("Nieuwe aanvraag")
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        head = QHBoxLayout()
        self.state_badge = QLabel()
        self.deadline_badge = QLabel()
        head.addWidget(self.state_badge)
        head.addWidget(self.deadline_badge)
        head.addStretch(1)
        lay.addLayout(head)
        self.banner = Banner()
        lay.addWidget(self.banner)

        # -- review state (rejection comment shown to the author) -----------------------------
        card, rl = section_card("Vier-ogen")
        self.review_label = QLabel("Nog niet ter beoordeling aangeboden.")
        self.review_label.setWordWrap(True)
        self.rejection = QLabel()
        self.rejection.setWordWrap(True)
        self.rejection.setStyleSheet(
            "background:#fff6f5; color:#7a1a14; border:1px solid #b3261e;"
            "border-radius:4px; padding:6px;"
        )
        self.rejection.hide()
        rl.addWidget(self.review_label)
        rl.addWidget(self.rejection)
        row = QHBoxLayout()
        self.submit_button = QPushButton("Ter vier-ogen aanbieden")
        self.submit_button.setProperty("primary", True)
        self.withdraw_button = QPushButton("Aanbieding terugtrekken")
        row.addWidget(self.submit_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        rl.addLayout(row)
        self.review_feedback = Banner()  # feedback next to the buttons pressed (issue 14)
        rl.addWidget(self.review_feedback)
        self.review_card = card
        lay.addWidget(card)

        # -- request data ---------------------------------------------------------------------
        card, cl = section_card("Aanvraag")
        form = form_layout()
        self.provider = QComboBox()
        self.provider.setAccessibleName("Zorgaanbieder")
        self.provider_field = Field(self.provider)
        self.fields: dict[str, Field] = {
            "budget_year": line("2027", "Budgetjaar"),
            "received_date": line("dd-mm-jjjj", "Ontvangstdatum"),
            "letter_date": line("dd-mm-jjjj", "Datum brief aanbieder"),
            "external_reference": line("kenmerk van de aanbieder", "Uw kenmerk"),
            "initial_reserved_amount": line("0,00", "Initieel gereserveerd budget"),
            "requested_total": line("0,00", "Aangevraagd totaal"),
            "requested_staff_amount": line("0,00", "Deel extra zorgpersoneel (85%)"),
            "requested_other_amount": line("0,00", "Deel overige investeringen (15%)"),
            "justification": text_box(70, "Onderbouwing van de aanbieder"),
        }
        self.fields["provider_id"] = self.provider_field
        self.special = QCheckBox("Er spelen bijzonderheden (termijn drie maanden)")
        form.addRow("Zorgaanbieder", self.provider_field)
        form.addRow("Budgetjaar", self.fields["budget_year"])
        form.addRow("Ontvangen op", self.fields["received_date"])
        form.addRow("Uw brief van", self.fields["letter_date"])
        form.addRow("Uw kenmerk", self.fields["external_reference"])
        form.addRow("Initieel gereserveerd (€)", self.fields["initial_reserved_amount"])
        form.addRow("Aangevraagd totaal (€)", self.fields["requested_total"])
        form.addRow("Extra zorgpersoneel (€)", self.fields["requested_staff_amount"])
        form.addRow("Overige investeringen (€)", self.fields["requested_other_amount"])
        self.split_label = QLabel("–")
        self.split_label.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.split_label.setAccessibleName("Verhouding personeel/overig")
        self.split_hint = QLabel()
        self.split_hint.setObjectName("muted")
        self.split_hint.setWordWrap(True)
        split_box = QVBoxLayout()
        split_box.addWidget(self.split_label)
        split_box.addWidget(self.split_hint)
        form.addRow("Verhouding", split_box)
        form.addRow(self.special)  # the whole row: a long text on a narrow pane
        form.addRow("Onderbouwing", self.fields["justification"])
        cl.addLayout(form)
        lay.addWidget(card)

        self.ceiling = CeilingPanel()
        lay.addWidget(self.ceiling)
        lay.addWidget(attach_diagnosis_panel(self))  # issue 17: the diagnosis beside the money

        # -- criteria C1..C10 -----------------------------------------------------------------
        card, kl = section_card("Criteria afwijkingsverzoek (Inkoopkader §4.2.7)")
        self.criteria_hint = QLabel()
        self.criteria_hint.setObjectName("muted")
        self.criteria_hint.setWordWrap(True)
        kl.addWidget(self.criteria_hint)
        self.criteria_rows = [CriterionRow(c) for c in rq.criteria()]
        for r in self.criteria_rows:
            kl.addWidget(r)
        # Issue 15: the care office's own toetspunten for this request (rebuilt per request).
        self.own_rows: list[CriterionRow] = []
        self.own_rows_box = QVBoxLayout()
        kl.addLayout(self.own_rows_box)
        self.criteria_error = Field(QLabel())
        kl.addWidget(self.criteria_error)
        self.criteria_card = card
        lay.addWidget(card)
        self.documents = add_documents_card(lay, ctx, "budget_request")  # Stukken (issue 20)

        # -- deviation details (what the provider brought forward) ----------------------------
        card, vl = section_card("Afwijkingsverzoek: onderbouwing van de aanbieder")
        form = form_layout()
        self.dev_fields: dict[str, Field] = {
            "client_group_profile": text_box(52, "Cliëntgroep: zorgvraag, doelgroep, omvang"),
            "innovation_description": text_box(52, "Innovatie en technologie"),
            "scaling_vision": text_box(52, "Visie op opschaling en voortzetting"),
            "business_case_reference": line("bijv. Businesscase 2027.pdf", "Business case"),
        }
        form.addRow("Cliëntgroep (C2)", self.dev_fields["client_group_profile"])
        form.addRow("Innovatie (C7)", self.dev_fields["innovation_description"])
        form.addRow("Opschaling (C9)", self.dev_fields["scaling_vision"])
        form.addRow("Business case (C10)", self.dev_fields["business_case_reference"])
        self.shares = QCheckBox("Bereid het leer- en verbetereffect te delen in de regio (C6)")
        form.addRow(self.shares)  # the whole row: a long text on a narrow pane
        self.support: dict[str, QCheckBox] = {}
        for key, label in rq.SUPPORT_PARTIES.items():
            self.support[key] = QCheckBox(label)
        # One under the other: a row of four did not fit a 1024-pixel screen, and a wrapping
        # (height-for-width) row confuses QFormLayout's heights.
        support = QVBoxLayout()
        support.setSpacing(2)
        for box in self.support.values():
            support.addWidget(box)
        form.addRow("Draagvlak (C8)", support)
        vl.addLayout(form)
        self.dev_card = card
        lay.addWidget(card)

        # -- clarifications -------------------------------------------------------------------
        card, tl = section_card("Toelichtingen (overleg)")
        self.clar_list = QLabel("Nog geen toelichting gevraagd.")
        self.clar_list.setWordWrap(True)
        self.clar_list.setTextFormat(Qt.TextFormat.RichText)
        tl.addWidget(self.clar_list)
        form = form_layout()
        self.clar_fields = {
            "question": line("Vraag aan de zorgaanbieder", "Vraag"),
            "asked_on": line("dd-mm-jjjj", "Datum vraag"),
        }
        form.addRow("Vraag", self.clar_fields["question"])
        form.addRow("Gevraagd op", self.clar_fields["asked_on"])
        self.ask_button = QPushButton("Toelichting vragen")
        form.addRow("", self.ask_button)
        self.answer_pick = QComboBox()
        self.answer_pick.setAccessibleName("Open vraag")
        self.answer_fields = {
            "answer": line("Antwoord van de zorgaanbieder", "Antwoord"),
            "answered_on": line("dd-mm-jjjj", "Datum antwoord"),
        }
        form.addRow("Open vraag", self.answer_pick)
        form.addRow("Antwoord", self.answer_fields["answer"])
        form.addRow("Beantwoord op", self.answer_fields["answered_on"])
        self.answer_button = QPushButton("Antwoord vastleggen")
        form.addRow("", self.answer_button)
        tl.addLayout(form)
        self.clar_feedback = Banner()
        tl.addWidget(self.clar_feedback)
        lay.addWidget(card)

        # -- decision -------------------------------------------------------------------------
        card, dl = section_card("Besluit")
        form = form_layout()
        self.decision = QComboBox()
        self.decision.addItem("— kies een besluit —", "")
        for code, label in Decision.choices():
            self.decision.addItem(label, code)
        self.decision.setAccessibleName("Besluit")
        self.decision_fields: dict[str, Field] = {
            "decision": Field(self.decision),
            "approved_total": line("0,00", "Toegekend totaal"),
            "approved_staff_amount": line("0,00", "Toegekend zorgpersoneel"),
            "approved_other_amount": line("0,00", "Toegekend overige investeringen"),
            "decision_rationale": text_box(70, "Motivering"),
            "custom_agreements": text_box(52, "Maatwerkafspraken"),
            "criteria": self.criteria_error,
            "justification": self.fields["justification"],
        }
        self.points = [line(f"Verbeterpunt {i}", f"Verbeterpunt {i}") for i in (1, 2, 3)]
        self.decision_fields["improvement_points"] = self.points[0]
        form.addRow("Besluit", self.decision_fields["decision"])
        form.addRow("Toegekend totaal (€)", self.decision_fields["approved_total"])
        form.addRow("Zorgpersoneel (€)", self.decision_fields["approved_staff_amount"])
        form.addRow("Overige investeringen (€)", self.decision_fields["approved_other_amount"])
        self.approved_split = QLabel("–")
        form.addRow("Toegekende verhouding", self.approved_split)
        form.addRow("Motivering", self.decision_fields["decision_rationale"])
        form.addRow("Maatwerkafspraken", self.decision_fields["custom_agreements"])
        for i, p in enumerate(self.points, start=1):
            form.addRow(f"Verbeterpunt {i}", p)
        self.acceptance = AcceptancePanel()
        self.decision_fields["accepted_points"] = Field(self.acceptance)
        form.addRow("Voldoet niet", self.decision_fields["accepted_points"])
        dl.addLayout(form)
        self.decision_card = card
        lay.addWidget(card)

        # -- state changes --------------------------------------------------------------------
        card, sl = section_card("Status")
        row = QHBoxLayout()
        row2 = QHBoxLayout()
        self.transition_pick = QComboBox()
        self.transition_pick.setAccessibleName("Nieuwe status")
        self.transition_pick.setMinimumWidth(200)
        self.transition_date = line("dd-mm-jjjj", "Datum")
        self.transition_note = QLineEdit()
        self.transition_note.setPlaceholderText("Toelichting (bijv. mediator, uitkomst)")
        self.transition_note.setAccessibleName("Toelichting bij de statuswijziging")
        self.transition_button = QPushButton("Status wijzigen")
        row.addWidget(self.transition_pick)
        row.addWidget(self.transition_date)
        row.addStretch(1)
        row2.addWidget(self.transition_note, 1)
        row2.addWidget(self.transition_button)
        sl.addLayout(row)
        sl.addLayout(row2)
        self.state_feedback = Banner()
        sl.addWidget(self.state_feedback)
        lay.addWidget(card)

        self.history = HistoryTable()
        lay.addWidget(self.history)
        lay.addStretch(1)

        for name in AMOUNT_FIELDS:
            self.fields[name].editor.textChanged.connect(self._live_amounts)
        for name in ("approved_total", "approved_staff_amount", "approved_other_amount"):
            self.decision_fields[name].editor.textChanged.connect(self._live_approved)
        self.decision.currentIndexChanged.connect(self._decision_changed)
        # One save for the whole page (issue 14): a bar under the editor, always in sight,
        # with its feedback right beside the button. RequestsSection places it.
        self.save_bar = QFrame()
        self.save_bar.setObjectName("saveBar")
        bar = QHBoxLayout(self.save_bar)
        bar.setContentsMargins(12, 6, 12, 6)
        self.save_feedback = Banner()
        self.save_feedback.setAccessibleName("Melding bij opslaan")
        self.dirty_label = QLabel("")
        self.dirty_label.setObjectName("muted")
        self.discard_button = QPushButton("Wijzigingen ongedaan maken")
        self.save_button = QPushButton("Opslaan")
        self.save_button.setProperty("primary", True)
        self.save_button.setShortcut("Ctrl+S")
        self.save_button.setToolTip("Slaat gegevens, criteria, onderbouwing en besluit op (Ctrl+S)")
        bar.addWidget(self.save_feedback, 1)
        bar.addWidget(self.dirty_label)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)
        self._snapshot: dict[str, Any] = {}
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

    # -- loading ------------------------------------------------------------------------------
    def _by(self, banner: Banner | None = None) -> str | None:
        if self.ctx.user is None:
            (banner or self.save_feedback).error(
                "Kies eerst uw profiel (Extra › Mijn profiel) voordat u iets vastlegt."
            )
            return None
        return self.ctx.user.id

    # -- unsaved changes ----------------------------------------------------------------------
    def _values(self) -> dict[str, Any]:
        """What the user can change per section, compared with the values last loaded."""
        return {
            "gegevens": (
                (self.provider.currentData() or "") if self.request_id is None else None,
                tuple(f.text() for n, f in self.fields.items() if n != "provider_id"),
                self.special.isChecked(),
            ),
            "criteria": tuple(r.value() for r in self.criteria_rows + self.own_rows),
            "onderbouwing": (
                tuple(f.text() for f in self.dev_fields.values()),
                self.shares.isChecked(),
                tuple(b.isChecked() for b in self.support.values()),
            ),
            "besluit": (
                self.decision.currentData() or "",
                tuple(
                    self.decision_fields[n].text()
                    for n in (
                        "approved_total",
                        "approved_staff_amount",
                        "approved_other_amount",
                        "decision_rationale",
                        "custom_agreements",
                    )
                ),
                tuple(p.text() for p in self.points),
                tuple(
                    sorted((k, v["basis"], v["text"]) for k, v in self.acceptance.values().items())
                ),
            ),
        }

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
        self.title.setText("Nieuwe aanvraag")
        # Nothing of the previous request may linger (issue 14: stale vier-ogen state).
        self.review_label.setText("Nog niet ter beoordeling aangeboden. Sla de aanvraag eerst op.")
        self.rejection.clear()
        self.rejection.hide()
        for b in (
            self.review_feedback,
            self.clar_feedback,
            self.state_feedback,
            self.save_feedback,
        ):
            b.clear_message()
        for row in self.criteria_rows:
            row.set_value(None, "")
        self._own_rows(())
        for f in self.dev_fields.values():
            f.set_text("")
            f.error.clear_error()
        self.shares.setChecked(False)
        for box in self.support.values():
            box.setChecked(False)
        self.decision.setCurrentIndex(0)
        for f in self.decision_fields.values():
            if f is not self.decision_fields["decision"] and isinstance(
                f.editor, (QLineEdit, QPlainTextEdit)
            ):
                f.set_text("")
            f.error.clear_error()
        for p in self.points:
            p.set_text("")
        self.acceptance.clear_points()
        self.clar_list.setText("Nog geen toelichting gevraagd.")
        self.answer_pick.clear()
        self.transition_pick.clear()
        self.history.show_history([])
        self.provider.setEnabled(True)
        self.fields["budget_year"].editor.setEnabled(True)
        for name, f in self.fields.items():
            if name != "provider_id":
                f.set_text("")
            f.error.clear_error()
        self.fields["budget_year"].set_text(str(date.today().year + 1))
        self.fields["received_date"].set_text(formatting.short_date(date.today()))
        self.special.setChecked(False)
        self.banner.clear_message()
        for w in (self.review_card, self.criteria_card, self.dev_card):
            w.setEnabled(False)
        self.state_badge.clear()
        self.deadline_badge.clear()
        self._set_enabled_for_existing(False)
        self._live_amounts()
        self._take_snapshot()

    def _set_enabled_for_existing(self, on: bool) -> None:
        for w in (
            self.ask_button,
            self.answer_button,
            self.transition_button,
            self.submit_button,
            self.withdraw_button,
        ):
            w.setEnabled(on)
        self.decision_card.setEnabled(on)

    def load(self, request_id: str) -> None:
        if request_id != self.request_id:
            for b in (
                self.review_feedback,
                self.clar_feedback,
                self.state_feedback,
                self.save_feedback,
            ):
                b.clear_message()
        self.request_id = request_id
        self.ctx.run(
            rq.request_bundle,
            self.ctx.db,
            request_id,
            on_done=self.show_bundle,
            on_error=lambda e: show_errors(e, {}, self.banner, self),
            label="Aanvraag laden",
        )

    def show_bundle(self, bundle: rq.RequestBundle) -> None:
        self.bundle = bundle
        d = bundle.detail
        self.request_id = d.id
        self.documents.set_target(d.id)
        self.title.setText(f"{d.provider_name} – aanvraag {d.budget_year}")
        badge(self.state_badge, d.state_label, ("#e8f1f8", "#174a6d"))
        badge(
            self.deadline_badge,
            f"{d.deadline_label} · {formatting.long_date(d.deadline)}",
            DEADLINE_COLOURS[d.deadline_status],
        )
        self.provider.setCurrentIndex(max(0, self.provider.findData(d.provider_id)))
        if self.provider.currentData() != d.provider_id:
            self.provider.addItem(d.provider_name, d.provider_id)
            self.provider.setCurrentIndex(self.provider.count() - 1)
        self.provider.setEnabled(False)
        self.fields["budget_year"].editor.setEnabled(False)
        values = {
            "budget_year": str(d.budget_year),
            "received_date": formatting.short_date(d.received_date),
            "letter_date": formatting.short_date(d.letter_date),
            "external_reference": d.external_reference,
            "initial_reserved_amount": money_text(d.initial_reserved_amount),
            "requested_total": money_text(d.requested_total),
            "requested_staff_amount": money_text(d.requested_staff_amount),
            "requested_other_amount": money_text(d.requested_other_amount),
            "justification": d.justification,
        }
        for name, value in values.items():
            self.fields[name].set_text(value)
            self.fields[name].error.clear_error()
        self.special.setChecked(d.has_special_circumstances)
        self._own_rows(d.criteria[len(self.criteria_rows) :])
        for row, c in zip(self.criteria_rows + self.own_rows, d.criteria, strict=True):
            row.set_value(c.judgement, c.reasoning)
        self.criteria_error.error.clear_error()
        dev = d.deviation
        for name, f in self.dev_fields.items():
            f.set_text(str(dev.get(name) or ""))
            f.error.clear_error()
        self.shares.setChecked(bool(dev.get("shares_learning_in_region")))
        for key, box in self.support.items():
            box.setChecked(bool((dev.get("support_evidence") or {}).get(key)))
        self.decision.setCurrentIndex(max(0, self.decision.findData(d.decision or "")))
        self.decision_fields["approved_total"].set_text(money_text(d.approved_total))
        self.decision_fields["approved_staff_amount"].set_text(money_text(d.approved_staff_amount))
        self.decision_fields["approved_other_amount"].set_text(money_text(d.approved_other_amount))
        self.decision_fields["decision_rationale"].set_text(d.decision_rationale)
        self.decision_fields["custom_agreements"].set_text(d.custom_agreements)
        for i, p in enumerate(self.points):
            p.set_text(d.improvement_points[i] if i < len(d.improvement_points) else "")
        self.acceptance.show_points(d)
        for f in self.decision_fields.values():
            f.error.clear_error()
        self._show_clarifications(d)
        self.ceiling.show_summary(bundle.ceiling, bundle.region_ceiling)
        self.history.show_history(bundle.history)
        self.transition_pick.clear()
        for target in rq.allowed_transitions(d.state):
            self.transition_pick.addItem(RequestState(target).label, target)
        self.transition_date.set_text(formatting.short_date(date.today()))
        for w in (self.review_card, self.criteria_card, self.dev_card):
            w.setEnabled(True)
        self._set_enabled_for_existing(True)
        self.transition_button.setEnabled(self.transition_pick.count() > 0)
        self._show_review(bundle)
        self._live_amounts()
        self._take_snapshot()

    def _show_review(self, bundle: rq.RequestBundle) -> None:
        st = bundle.review
        text = st.label
        if st.approval is not None:
            text = (
                f"Goedgekeurd door {st.approval.approver_name} op "
                f"{formatting.timestamp(st.approval.approved_at)}."
            )
        elif st.state == "SUBMITTED" and st.last_step is not None:
            text = (
                f"Ter vier-ogen aangeboden door {st.last_step.actor_name} op "
                f"{formatting.timestamp(st.last_step.at)}; wacht op een teamleider."
            )
        elif st.state == "VOID":
            text = "De goedkeuring is vervallen omdat de aanvraag daarna is gewijzigd. Bied haar opnieuw aan."
        self.review_label.setText(text)
        last_reject = next((s for s in reversed(st.steps) if s.kind == "REJECTED"), None)
        if st.rejection_comment and last_reject is not None:
            self.rejection.setText(
                f"Afgekeurd door {last_reject.actor_name} "
                f"({formatting.timestamp(last_reject.at)}): {st.rejection_comment}"
            )
            self.rejection.show()
        else:
            self.rejection.hide()
        self.submit_button.setEnabled(
            bool(bundle.detail.decision)
            and (st.state in ("NONE", "WITHDRAWN", "VOID") or (st.state == "REJECTED" and st.stale))
        )
        if not bundle.detail.decision and st.state == "NONE":
            self.review_label.setText(
                "Nog niet ter beoordeling aangeboden. Leg eerst een besluit vast."
            )
        self.withdraw_button.setEnabled(st.state == "SUBMITTED")

    def _show_clarifications(self, d: rq.RequestDetail) -> None:
        if not d.clarifications:
            self.clar_list.setText(
                "Nog geen toelichting gevraagd. Een vraag zet de termijn niet stil."
            )
        else:
            parts = []
            for c in d.clarifications:
                ans = (
                    f"<br>&nbsp;&nbsp;Antwoord ({formatting.long_date(c.answered_on)}): {c.answer}"
                    if c.answered_on
                    else "<br>&nbsp;&nbsp;<i>Nog geen antwoord</i>"
                )
                parts.append(f"<b>{formatting.long_date(c.asked_on)}</b>: {c.question}{ans}")
            self.clar_list.setText("<br>".join(parts))
        self.answer_pick.clear()
        for c in d.clarifications:
            if c.answered_on is None:
                self.answer_pick.addItem(
                    f"{formatting.short_date(c.asked_on)}: {c.question[:60]}", c.id
                )
        for f in (*self.clar_fields.values(), *self.answer_fields.values()):
            f.set_text("")
            f.error.clear_error()

    # -- live feedback ------------------------------------------------------------------------
    def _live_amounts(self) -> None:
        values = {n: self.fields[n].text() for n in AMOUNT_FIELDS}
        for n in AMOUNT_FIELDS:
            self.fields[n].error.clear_error()
        if not any(v.strip() for v in values.values()):
            self.split_label.setText("–")
            self.split_hint.setText("Vul de bedragen in; personeel + overig moet het totaal zijn.")
            return
        try:
            parsed = rq.validate_amounts(values)
        except ValidationErrors as exc:
            for e in exc.errors:
                if e.field in self.fields and values.get(e.field, "").strip():
                    self.fields[e.field].error.show_error(e.message)
            self.split_label.setText("–")
            return
        sp = split(parsed["requested_staff_amount"], parsed["requested_other_amount"])
        self.split_label.setText(sp.label)
        if sp.is_deviation:
            self.split_hint.setText(
                "Afwijkingsverzoek: meer dan 15% overige investeringen. Alle tien "
                "criteria hieronder hebben een oordeel met onderbouwing nodig."
            )
            self.criteria_hint.setText("Verplicht: dit is een afwijkingsverzoek.")
        elif sp.kind == "MORE_STAFF":
            self.split_hint.setText(
                "Minder dan 15% overige investeringen: leg de onderbouwing vast."
            )
            self.criteria_hint.setText("Niet verplicht (minder dan 15% overige investeringen).")
        else:
            self.split_hint.setText("Volgens de richtlijn 85/15.")
            self.criteria_hint.setText("Niet verplicht (richtlijn 85/15).")

    def _live_approved(self) -> None:
        try:
            staff = rq.parse_amount(self.decision_fields["approved_staff_amount"].text(), "s")
            other = rq.parse_amount(self.decision_fields["approved_other_amount"].text(), "o")
            self.approved_split.setText(split(staff, other).label)
        except Exception:  # noqa: BLE001 - partial input while typing; the save shows the message
            self.approved_split.setText("–")

    def _own_rows(self, own: Any) -> None:
        """Rows for the own toetspunten of this request (numbers 11, ...)."""
        for r in self.own_rows:
            r.deleteLater()
        self.own_rows = [
            CriterionRow(rq.Criterion(c.code, c.number, c.short_nl, c.text_nl)) for c in own
        ]
        for r in self.own_rows:
            self.own_rows_box.addWidget(r)

    def _decision_changed(self) -> None:
        if self.decision.currentData() == Decision.REJECTED:
            for n in ("approved_total", "approved_staff_amount", "approved_other_amount"):
                self.decision_fields[n].set_text("")  # a rejection carries no amounts
        adjusted = self.decision.currentData() in (
            Decision.APPROVED_ADJUSTED,
            Decision.APPROVED_UP_TO_RESERVED,
        )
        if self.decision.currentData() == Decision.APPROVED and self.bundle is not None:
            d = self.bundle.detail
            self.decision_fields["approved_total"].set_text(money_text(d.requested_total))
            self.decision_fields["approved_staff_amount"].set_text(
                money_text(d.requested_staff_amount)
            )
            self.decision_fields["approved_other_amount"].set_text(
                money_text(d.requested_other_amount)
            )
        for n in ("approved_total", "approved_staff_amount", "approved_other_amount"):
            self.decision_fields[n].editor.setReadOnly(not adjusted)

    # -- actions ------------------------------------------------------------------------------
    def _after_write(self, result: Any, message: str, banner: Banner) -> None:
        banner.ok(message)
        self.ctx.changed.emit("budget_request")
        rid = getattr(result, "id", None) or self.request_id
        if rid:
            self.load(rid)

    def _run(
        self,
        fn,
        *args: Any,
        fields: dict[str, Field],
        ok: str,
        banner: Banner,  # type: ignore[no-untyped-def]
        **kwargs: Any,
    ) -> None:
        """An action button of one card (submit, ask, state change): unsaved edits are saved
        or dropped first (the reload after the action would lose them), and the feedback
        appears in that card, next to the button."""

        def go() -> None:
            banner.clear_message()
            for f in fields.values():
                f.error.clear_error()
            self.ctx.run(
                fn,
                *args,
                on_done=lambda r: self._after_write(r, ok, banner),
                on_error=lambda e: show_errors(e, fields, banner, self),
                label="Opslaan",
                **kwargs,
            )

        self.confirm_leave(go)

    def _save_steps(
        self, by: str
    ) -> list[tuple[str, Any, tuple[Any, ...], dict[str, Any], dict[str, Field]]]:
        """(section, service function, args, kwargs, fields) for every changed section, in the
        order the rules need them: data, criteria, the provider's case, the decision."""
        dirty = set(self.dirty_sections())
        steps: list[tuple[str, Any, tuple[Any, ...], dict[str, Any], dict[str, Field]]] = []
        db = self.ctx.db
        if "gegevens" in dirty or self.request_id is None:
            values: dict[str, Any] = {
                n: self.fields[n].text() for n in self.fields if n != "provider_id"
            }
            values["has_special_circumstances"] = self.special.isChecked()
            if self.request_id is None:
                steps.append(
                    (
                        "gegevens",
                        rq.create_request,
                        (db,),
                        {"by": by, "provider_id": self.provider.currentData(), **values},
                        self.fields,
                    )
                )
                return steps  # the other cards open once the request exists
            values.pop("budget_year")
            steps.append(
                ("gegevens", rq.update_request, (db, self.request_id, by), values, self.fields)
            )
        rid = self.request_id
        if "criteria" in dirty:
            rows = self.criteria_rows + self.own_rows
            steps.append(
                (
                    "criteria",
                    rq.judge_criteria,
                    (db, rid, by, {r.code: r.value() for r in rows}),
                    {},
                    {f"criterion:{r.code}": r.reasoning for r in rows}
                    | {"criteria": self.criteria_error},
                )
            )
        if "onderbouwing" in dirty:
            values = {n: f.text() for n, f in self.dev_fields.items()}
            steps.append(
                (
                    "onderbouwing",
                    rq.update_deviation,
                    (db, rid, by),
                    {
                        "shares_learning_in_region": self.shares.isChecked(),
                        "support_evidence": {k: b.isChecked() for k, b in self.support.items()},
                        **values,
                    },
                    self.dev_fields,
                )
            )
        if "besluit" in dirty:
            f = self.decision_fields
            steps.append(
                (
                    "besluit",
                    rq.record_decision,
                    (db, rid, by),
                    {
                        "decision": self.decision.currentData() or "",
                        "approved_total": f["approved_total"].text(),
                        "approved_staff_amount": f["approved_staff_amount"].text(),
                        "approved_other_amount": f["approved_other_amount"].text(),
                        "rationale": f["decision_rationale"].text(),
                        "custom_agreements": f["custom_agreements"].text(),
                        "improvement_points": [p.text() for p in self.points],
                        "accepted_points": self.acceptance.values(),
                    },
                    f,
                )
            )
        return steps

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
        steps = self._save_steps(by)
        if not steps:
            self.save_feedback.ok("Er was niets gewijzigd.")
            if after is not None:
                after()
            return
        for *_rest, fields in steps:
            for fld in fields.values():
                fld.error.clear_error()

        def work() -> tuple[list[str], Any, str | None, BaseException | None]:
            done: list[str] = []
            result: Any = None
            for key, fn, args, kwargs, _fields in steps:
                try:
                    result = fn(*args, **kwargs)
                except Exception as exc:  # noqa: BLE001 - routed to the field or the log below
                    return done, result, key, exc
                done.append(key)
            return done, result, None, None

        def finished(outcome: tuple[list[str], Any, str | None, BaseException | None]) -> None:
            done, result, failed, exc = outcome
            if done:
                self.ctx.changed.emit("budget_request")
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
            fields = next(s[4] for s in steps if s[0] == failed)
            assert exc is not None
            show_errors(exc, fields, self.save_feedback, self)
            prefix = "Opgeslagen: " + ", ".join(done) + ". " if done else ""
            reason = self.save_feedback.text().removeprefix("⚠ ").removeprefix("Niet opgeslagen: ")
            self.save_feedback.error(f"{prefix}Niet opgeslagen ({failed}): {reason}")

        self.ctx.run(
            work,
            on_done=finished,
            on_error=lambda e: show_errors(e, {}, self.save_feedback, self),
            label="Opslaan",
        )

    def submit(self) -> None:
        by = self._by(self.review_feedback)
        if by is None or self.request_id is None:
            return
        self._run(
            rq.submit,
            self.ctx.db,
            self.request_id,
            by,
            fields={},
            banner=self.review_feedback,
            ok="Ter vier-ogen aangeboden; de aanvraag staat nu bij 'Te beoordelen'.",
        )

    def withdraw(self) -> None:
        by = self._by(self.review_feedback)
        if by is None or self.request_id is None:
            return
        self._run(
            review.withdraw,
            self.ctx.db,
            rq.SUBJECT,
            self.request_id,
            by,
            fields={},
            banner=self.review_feedback,
            ok="Aanbieding teruggetrokken.",
        )

    def ask(self) -> None:
        by = self._by(self.clar_feedback)
        if by is None or self.request_id is None:
            return
        self._run(
            rq.add_clarification,
            self.ctx.db,
            self.request_id,
            by,
            self.clar_fields["question"].text(),
            self.clar_fields["asked_on"].text(),
            fields=self.clar_fields,
            banner=self.clar_feedback,
            ok="Vraag vastgelegd.",
        )

    def answer(self) -> None:
        by = self._by(self.clar_feedback)
        cid = self.answer_pick.currentData()
        if by is None or not cid:
            return
        self._run(
            rq.answer_clarification,
            self.ctx.db,
            cid,
            by,
            self.answer_fields["answer"].text(),
            self.answer_fields["answered_on"].text(),
            fields=self.answer_fields,
            banner=self.clar_feedback,
            ok="Antwoord vastgelegd.",
        )

    def change_state(self) -> None:
        by = self._by(self.state_feedback)
        target = self.transition_pick.currentData()
        if by is None or self.request_id is None or not target:
            return
        self._run(
            rq.transition,
            self.ctx.db,
            self.request_id,
            by,
            target,
            fields={"on": self.transition_date},
            on=self.transition_date.text(),
            note=self.transition_note.text(),
            banner=self.state_feedback,
            ok="Status gewijzigd.",
        )


class RequestsSection(QWidget):
    """List of requests (state, deadline, amounts) next to the editor."""

    # The deadline right after the provider: in the narrow list pane (the editor gets the room)
    # these two are what a zorginkoper scans for; the rest is a sideways scroll away.
    HEADERS = ["Zorgaanbieder", "Termijn", "Status", "Jaar", "Aangevraagd", "Verhouding", "Besluit"]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[rq.RequestRow] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        split_ = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(12, 12, 6, 12)
        head = QHBoxLayout()
        head.addWidget(title_label("Aanvragen"), 1)
        self.new_button = QPushButton("Nieuwe aanvraag")
        self.new_button.setProperty("primary", True)
        head.addWidget(self.new_button)
        ll.addLayout(head)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter op aanbieder, status of termijn")
        self.filter.setAccessibleName("Filter aanvragen")
        ll.addWidget(self.filter)
        self.table = make_table(self.HEADERS, "Aanvragen")
        from desktop.ui.qt import QHeaderView

        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 170)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        ll.addWidget(self.table, 1)
        self.count = QLabel()
        self.count.setObjectName("muted")
        ll.addWidget(self.count)
        self.editor = RequestEditor(ctx)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.setSpacing(0)
        rl.addWidget(self.editor, 1)
        rl.addWidget(self.editor.save_bar)  # the one save, always in sight
        split_.addWidget(left)
        split_.addWidget(right)
        # The editor gets the room: its forms and criteria table need ~700 px to read well.
        split_.setStretchFactor(0, 1)
        split_.setStretchFactor(1, 3)
        split_.setSizes([430, 970])
        lay.addWidget(split_)
        self.new_button.clicked.connect(lambda: self.editor.confirm_leave(self.editor.new_request))
        self.table.itemSelectionChanged.connect(self._selected)
        self.filter.textChanged.connect(self._apply_filter)
        ctx.changed.connect(self._changed)
        self.editor.new_request()
        self.refresh()

    def _changed(self, entity: str) -> None:
        if entity in ("budget_request", "budget_ceiling", "provider", "*"):
            self.refresh()

    def refresh(self) -> None:
        db = self.ctx.db
        self.ctx.run(
            lambda: (rq.list_requests(db), rq.providers(db)),
            on_done=self._show,
            label="Aanvragen laden",
        )

    def _show(self, result: tuple[list[rq.RequestRow], list[rq.ProviderChoice]]) -> None:
        rows, providers = result
        self.rows = rows
        self.editor.set_providers(providers)
        selected = self.editor.request_id

        def paint(r: int, c: int, item) -> None:  # type: ignore[no-untyped-def]
            if c == 1:
                from desktop.ui.qt import QBrush, QColor

                bg, fg = DEADLINE_COLOURS[rows[r].deadline_status]
                item.setBackground(QBrush(QColor(bg)))
                item.setForeground(QBrush(QColor(fg)))
            if c == 4:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        fill_table(
            self.table,
            [
                [
                    r.provider_name,
                    f"{r.deadline_label} · {formatting.short_date(r.deadline)}",
                    r.state_label,
                    r.budget_year,
                    formatting.money(r.requested_total),
                    r.split_label,
                    rq._DECISION_LABELS.get(r.decision or "", ""),
                ]
                for r in rows
            ],
            [r.id for r in rows],
            paint,
        )
        self.table.blockSignals(True)
        for i, r in enumerate(rows):
            if r.id == selected:
                self.table.selectRow(i)
        self.table.blockSignals(False)
        self._apply_filter()

    def _apply_filter(self) -> None:
        words = self.filter.text().casefold().split()
        shown = 0
        for i, r in enumerate(self.rows):
            hay = f"{r.provider_name} {r.state_label} {r.deadline_label} {r.budget_year}".casefold()
            hide = any(w not in hay for w in words)
            self.table.setRowHidden(i, hide)
            shown += not hide
        total = len(self.rows)
        noun = "aanvraag" if total == 1 else "aanvragen"
        self.count.setText(f"{total} {noun}" if shown == total else f"{shown} van {total} {noun}")

    def _selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        rid = self.table.item(items[0].row(), 0).data(Qt.ItemDataRole.UserRole)
        if rid and rid != self.editor.request_id or (rid and self.editor.bundle is None):
            self.editor.confirm_leave(lambda: self.editor.load(rid), on_cancel=self._reselect)

    def _reselect(self) -> None:
        """Cancelled leaving: the list shows the request still in the editor."""
        self.table.blockSignals(True)
        self.table.clearSelection()
        for i, r in enumerate(self.rows):
            if r.id == self.editor.request_id:
                self.table.selectRow(i)
        self.table.blockSignals(False)

    # Main window hooks: switching section or closing asks about unsaved work (issue 14).
    def has_unsaved_changes(self) -> bool:
        return self.editor.has_unsaved_changes()

    def ask_leave(self) -> str:
        return self.editor.ask_leave()

    def confirm_leave(
        self, then: Callable[[], None], on_cancel: Callable[[], None] | None = None
    ) -> None:
        self.editor.confirm_leave(then, on_cancel)

    def select_request(self, request_id: str) -> None:
        self.editor.load(request_id)
