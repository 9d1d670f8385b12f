"""The aanvraag editor's widgets (issue 19, TagStudio style): RequestEditorView builds the
cards of the page and the save bar and nothing else; the behaviour (loading, the one save,
the card actions, unsaved work) is the controller's, desktop.ui.requests.editor_controller.
"""

from __future__ import annotations

from db.models.enums import Decision, Judgement
from desktop.services import requests as rq
from desktop.ui.context import AppContext
from desktop.ui.documents.panel import add_documents_card
from desktop.ui.master_detail import detail_page
from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.acceptance_panel import AcceptancePanel
from desktop.ui.requests.common import Banner, Field, form_layout, line, section_card, text_box
from desktop.ui.requests.panels import CeilingPanel, HistoryTable
from desktop.ui.steering.summary_panel import attach as attach_diagnosis_panel
from desktop.ui.style import ERROR, ERROR_BG, ERROR_DARK
from desktop.ui.widgets import title_label

AMOUNT_FIELDS = (
    "initial_reserved_amount",
    "requested_total",
    "requested_staff_amount",
    "requested_other_amount",
)
APPROVED_AMOUNTS = ("approved_total", "approved_staff_amount", "approved_other_amount")


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
        self.reasoning = text_box(
            52, f"Onderbouwing criterium {criterion.number}", placeholder="Onderbouwing"
        )
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


class RequestEditorView(QScrollArea):
    """Receipt, amounts (85/15 live), criteria, clarifications, decision, review, history:
    the widgets, built once; RequestEditor (the controller) fills and reads them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        _area, lay = detail_page(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
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
        self._build_review(lay)
        self._build_request(lay)
        self.ceiling = CeilingPanel()
        lay.addWidget(self.ceiling)
        lay.addWidget(attach_diagnosis_panel(self))  # issue 17: the diagnosis beside the money
        self._build_criteria(lay)
        self.documents = add_documents_card(lay, ctx, "budget_request")  # Stukken (issue 20)
        self._build_deviation(lay)
        self._build_clarifications(lay)
        self._build_decision(lay)
        self._build_state(lay)
        self.history = HistoryTable()
        lay.addWidget(self.history)
        lay.addStretch(1)
        self._build_save_bar()

    def _build_review(self, lay: QVBoxLayout) -> None:
        """Vier-ogen: the review state and the rejection comment shown to the author."""
        card, rl = section_card("Vier-ogen")
        self.review_label = QLabel("Nog niet ter beoordeling aangeboden.")
        self.review_label.setWordWrap(True)
        self.rejection = QLabel()
        self.rejection.setWordWrap(True)
        self.rejection.setStyleSheet(
            f"background:{ERROR_BG}; color:{ERROR_DARK}; border:1px solid {ERROR};"
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

    def _build_request(self, lay: QVBoxLayout) -> None:
        """Aanvraag: the data of the request and the live 85/15 split."""
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

    def _build_criteria(self, lay: QVBoxLayout) -> None:
        """Criteria C1..C10 and the own toetspunten of the request."""
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

    def _build_deviation(self, lay: QVBoxLayout) -> None:
        """The provider's case for a deviation (afwijkingsverzoek)."""
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

    def _build_clarifications(self, lay: QVBoxLayout) -> None:
        """Toelichtingen: questions to the provider and their answers."""
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

    def _build_decision(self, lay: QVBoxLayout) -> None:
        """Besluit: decision, approved amounts, agreements, accepted points."""
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

    def _build_state(self, lay: QVBoxLayout) -> None:
        """Status: a state change by hand (with date and note)."""
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

    def _build_save_bar(self) -> None:
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
