"""Section "Kwaliteitsplannen": plans per provider and year, the verbeterparagraaf per location,
and the plan assessment on the declarative form (forms/plan_assessment, rendered by the
visits FormView)."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services import formatting, plans
from desktop.services import requests as rq
from desktop.ui.context import AppContext
from desktop.ui.documents.panel import DocumentsPanel
from desktop.ui.master_detail import MasterDetail
from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import (
    Banner,
    Field,
    YearFilter,
    fill_table,
    form_layout,
    line,
    make_table,
    section_card,
    show_errors,
)
from desktop.ui.requests.plan_items import ImprovementItemsPanel
from desktop.ui.steering.summary_panel import DiagnosisSummaryPanel
from desktop.ui.widgets import title_label


class PlansSection(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plans: list[plans.PlanRow] = []
        self.plan: plans.PlanInfo | None = None
        self.form_view: Any = None
        self.assessment_id: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.master_detail = md = MasterDetail(
            "Kwaliteitsplannen",
            placeholder=(
                "Kies een kwaliteitsplan",
                "Kies links een plan, of registreer een nieuw plan.",
            ),
        )
        md.master_layout.addWidget(title_label("Kwaliteitsplannen"))
        self.year = YearFilter("Kwaliteitsplannen")
        md.master_layout.addWidget(self.year, 0, Qt.AlignmentFlag.AlignLeft)  # as in Aanvragen
        self.table = make_table(
            ["Zorgaanbieder", "Jaar", "Ontvangen", "Tijdig", "Items", "Beoordeling"],
            "Kwaliteitsplannen",
        )
        md.set_list(self.table)
        card, nl = section_card("Nieuw kwaliteitsplan")
        form = form_layout()
        self.provider = QComboBox()
        self.provider.setAccessibleName("Zorgaanbieder")
        # Not as wide as the longest provider name: the list pane stays narrow on 1024×600.
        self.provider.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.provider.setMinimumContentsLength(8)
        self.new_fields: dict[str, Field] = {
            "provider_id": Field(self.provider),
            "year": line("2027", "Jaar"),
            "received_date": line("dd-mm-jjjj", "Ontvangen op"),
        }
        self.consent = QCheckBox("(V)VAR heeft ingestemd")
        self.consent.setMinimumWidth(self.consent.sizeHint().width())  # never cut at a large font
        form.addRow("Zorgaanbieder", self.new_fields["provider_id"])
        form.addRow("Jaar", self.new_fields["year"])
        form.addRow("Ontvangen op", self.new_fields["received_date"])
        form.addRow(self.consent)  # the whole row, so the list pane can be narrow
        nl.addLayout(form)
        self.create_button = QPushButton("Plan registreren")
        nl.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignRight)
        self.create_feedback = Banner()  # beside the button: the plan pane may not be open yet
        nl.addWidget(self.create_feedback)
        md.master_layout.addWidget(card)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 12, 12, 12)
        self.title = title_label("Kies een kwaliteitsplan")
        rl.addWidget(self.title)
        self.banner = Banner()
        rl.addWidget(self.banner)
        self.paragraph = ImprovementItemsPanel()
        self.items = self.paragraph.items  # the names the tests and the keyboard guide know
        self.location = self.paragraph.location
        self.item_fields = self.paragraph.fields
        self.item_button = self.paragraph.button
        self.tabs = QTabWidget()
        self.tabs.addTab(self.paragraph, "Verbeterparagraaf")
        assess = QWidget()
        al = QVBoxLayout(assess)
        al.setContentsMargins(0, 6, 0, 0)
        self.tabs.addTab(assess, "Beoordeling")
        # Issue 17: the provider's kwaliteitsdiagnose beside the plan (same panel as the aanvraag).
        self.diagnosis = DiagnosisSummaryPanel(ctx, title="Kwaliteitsdiagnose van de zorgaanbieder")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.diagnosis)
        scroll.setAccessibleName("Kwaliteitsdiagnose van de zorgaanbieder")
        stack = QSplitter(Qt.Orientation.Vertical)
        stack.addWidget(self.tabs)
        stack.addWidget(scroll)
        stack.setStretchFactor(0, 3)
        stack.setStretchFactor(1, 2)
        stack.setChildrenCollapsible(False)
        rl.addWidget(stack, 1)
        head = QHBoxLayout()
        t = QLabel(
            "Checks KP, MB, PS, OI en TS (Inkoopkader §4.2.2–4.2.6), hoogstens drie verbeterpunten"
        )
        t.setObjectName("muted")
        t.setWordWrap(True)  # a 1024-pixel screen: the line wraps instead of widening the page
        head.addWidget(t, 1)
        self.save_draft = QPushButton("Concept opslaan")
        self.complete = QPushButton("Afronden")
        self.complete.setProperty("primary", True)
        head.addWidget(self.save_draft)
        head.addWidget(self.complete)
        al.addLayout(head)
        beside = QSplitter(Qt.Orientation.Horizontal)  # the checklist with the plan's Stukken
        self.beside = beside  # under the checklist on a narrow screen (resizeEvent)
        host = QWidget()
        self.form_host = QVBoxLayout(host)
        self.form_host.setContentsMargins(0, 0, 0, 0)
        beside.addWidget(host)
        self.documents = DocumentsPanel(ctx, beside, kind="quality_plan", compact=True)
        beside.addWidget(self.documents)
        beside.setStretchFactor(0, 3)
        beside.setStretchFactor(1, 1)
        al.addWidget(beside, 1)
        md.set_detail(right)
        # On resizing the list keeps its width, the plan follows.
        md.set_sizes([480, 920], stretch=(0, 1))
        self.split = md.splitter
        self._mode: tuple[bool, bool] | None = None  # (Stukken under the checklist, list at min)
        lay.addWidget(md)
        self._enable(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.year.currentIndexChanged.connect(lambda _i: self.refresh())
        self.create_button.clicked.connect(self.register_plan)
        self.item_button.clicked.connect(self.add_item)
        self.save_draft.clicked.connect(lambda: self.save(False))
        self.complete.clicked.connect(lambda: self.save(True))
        self.new_fields["year"].set_text(str(date.today().year + 1))
        self.refresh()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Side by side the list, the checklist and the Stukken need ~1100 px: on a 1024-pixel
        # screen the Stukken go under the checklist instead of pushing the page sideways, and
        # the plan list gives up width (down to its minimum) before the checklist's questions do.
        # Only a change of the window's size resets the splitter; a drag by hand stays.
        super().resizeEvent(event)
        width = event.size().width()
        narrow = width < 1100
        self._mode = (narrow, width < 1300)
        self.beside.setOrientation(Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal)
        # The splitter fills this widget: its new width is ours (it may not be laid out yet).
        least = self.master_detail.master.minimumSizeHint().width()
        left = max(least, min(480, width - (700 if narrow else 900)))
        self.split.setSizes([left, max(1, width - left - self.split.handleWidth())])
        self._fit_form_index()

    def _fit_form_index(self) -> None:
        """Narrow: the checklist's index of parts at its minimum, the questions get the rest."""
        inner = self.form_view.findChild(QSplitter) if self.form_view is not None else None
        index = inner.widget(0) if inner is not None else None
        if inner is not None and index is not None and self._mode is not None and self._mode[1]:
            least = index.minimumSizeHint().width()
            inner.setSizes([least, max(1, sum(inner.sizes()) - least)])

    def _enable(self, on: bool) -> None:
        for w in (self.item_button, self.save_draft, self.complete):
            w.setEnabled(on)

    def refresh(self, select: str | None = None) -> None:
        db, year, first = self.ctx.db, self.year.year(), not self.year.is_open()

        def load():  # type: ignore[no-untyped-def]
            years = plans.plan_years(db)
            shown = rq.working_year(years) if first else year
            return plans.list_plan_rows(db, shown), rq.providers(db), years, shown

        self.ctx.run(load, on_done=lambda r: self._show(r, select), label="Plannen laden")

    def _show(self, result, select: str | None) -> None:  # type: ignore[no-untyped-def]
        self.plans, providers, years, shown = result
        self.year.set_years(years, shown)
        if self.provider.count() == 0:
            self.provider.addItem("— kies een zorgaanbieder —", "")
            for p in providers:
                self.provider.addItem(p.name, p.id)
        rows = []
        for p in self.plans:
            rows.append(
                [
                    p.provider_name,
                    p.year,
                    formatting.short_date(p.received_date),
                    {True: "ja", False: "te laat", None: "–"}[p.on_time],
                    p.item_count,
                    {"DRAFT": "Concept", "COMPLETED": "Afgerond"}.get(p.last_status, "–"),
                ]
            )
        fill_table(self.table, rows, [p.id for p in self.plans])
        target = select or (self.plan.id if self.plan else None)
        if self.master_detail.select_id(target):
            self._load(next(p for p in self.plans if p.id == target))

    def _selected(self) -> None:
        row = self.master_detail.selected_row()
        if row is not None:
            self._load(self.plans[row])

    def _load(self, plan: plans.PlanRow | plans.PlanInfo) -> None:
        self.ctx.run(
            lambda: (
                plans.get_plan(self.ctx.db, plan.id),
                plans.provider_locations(self.ctx.db, plan.provider_id),
            ),
            on_done=self._show_plan,
            label="Plan laden",
        )

    def _show_plan(self, result) -> None:  # type: ignore[no-untyped-def]
        from desktop.ui.visits.form_view import FormView

        plan, locations = result
        changed = self.plan is None or self.plan.id != plan.id
        self.master_detail.show_detail()
        self.documents.set_target(plan.id)
        if changed:
            self.diagnosis.show_provider(plan.provider_id)
        self.plan = plan
        self.title.setText(f"{plan.provider_name} – {plan.title}")
        self.paragraph.show_plan(plan, locations)
        last = plan.assessments[-1] if plan.assessments else None
        rebuild = (
            last is not None
            and last.status == "COMPLETED"
            and not getattr(self.form_view, "read_only", False)
        )
        if changed or rebuild or self.form_view is None:
            if self.form_view is not None:
                self.form_view.setParent(None)
                self.form_view.deleteLater()
            form = plans.assessment_form(last.form_version if last else None)
            self.form_view = FormView(
                form,
                last.answers if last else {},
                read_only=bool(last and last.status == "COMPLETED"),
            )
            self.form_host.addWidget(self.form_view)
            self._fit_form_index()
        self.assessment_id = last.id if last else None
        self._enable(True)
        done = bool(last and last.status == "COMPLETED")
        self.save_draft.setEnabled(not done)
        self.complete.setEnabled(not done)

    def _by(self, banner: Banner | None = None) -> str | None:
        if self.ctx.user is None:
            (banner or self.banner).error("Kies eerst uw profiel (menu Bestand).")
            return None
        return self.ctx.user.id

    def register_plan(self) -> None:
        """Plan registreren: the new plan opens beside the list."""
        self.create_feedback.clear_message()
        by = self._by(self.create_feedback)
        if by is None:
            return
        f = self.new_fields
        if not self.provider.currentData():
            f["provider_id"].error.show_error("Kies een zorgaanbieder.")
            return
        self.ctx.run(
            plans.create_plan,
            self.ctx.db,
            by=by,
            provider_id=self.provider.currentData(),
            year=f["year"].text(),
            received_date=f["received_date"].text(),
            consent_nursing_council=self.consent.isChecked(),
            on_done=self._registered,
            on_error=lambda e: show_errors(e, f, self.create_feedback, self),
            label="Opslaan",
        )

    def _registered(self, plan: plans.PlanInfo) -> None:
        self.create_feedback.ok("Kwaliteitsplan geregistreerd.")
        self.year.show_year(plan.year)  # a plan of another year: the list shows its year
        self.refresh(plan.id)

    def add_item(self) -> None:
        by = self._by()
        if by is None or self.plan is None:
            return
        self.ctx.run(
            plans.add_improvement_item,
            self.ctx.db,
            self.plan.id,
            by,
            **self.paragraph.values(),
            on_done=lambda _p: self._item_added(),
            on_error=lambda e: show_errors(e, self.item_fields, self.banner, self),
            label="Opslaan",
        )

    def _item_added(self) -> None:
        self.banner.ok("Item toegevoegd.")
        self.paragraph.clear_input()
        if self.plan is not None:
            self._load(self.plan)

    def save(self, complete: bool) -> None:
        by = self._by()
        if by is None or self.plan is None or self.form_view is None:
            return
        answers = dict(self.form_view.answers)

        def done(a: plans.AssessmentInfo) -> None:
            self.assessment_id = a.id
            self.banner.ok("Beoordeling afgerond." if complete else "Concept opgeslagen.")
            if complete:  # the completed version is shown read-only when the plan reloads
                self.save_draft.setEnabled(False)
                self.complete.setEnabled(False)
            self.refresh(self.plan.id if self.plan else None)

        def failed(e: BaseException) -> None:
            show_errors(e, {}, self.banner, self)
            if complete:
                self.form_view.show_errors()
                self.banner.error("Nog niet compleet: vul de gemarkeerde velden in.")

        self.ctx.run(
            plans.save_assessment,
            self.ctx.db,
            self.plan.id,
            by,
            answers,
            complete=complete,
            assessment_id=self.assessment_id,
            on_done=done,
            on_error=failed,
            label="Opslaan",
        )
