"""Location tab "Bezoeken": history of visits (drafts, completed, corrections), new visit,
observations of the selected visit -> kwaliteitsdiagnose, and the location's actions."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.ui import files
from desktop.ui.dutch import ask
from desktop.ui.qt import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    Qt,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.steering.visit_checks import visit_checks_button
from desktop.ui.style import ERROR, SUCCESS_TEXT, WARNING_TEXT
from desktop.ui.visits.visit_window import new_visit, open_visit
from desktop.ui.widgets import button_row

_SIGNAL_TEXT = {
    "POSITIEF": ("Positief", SUCCESS_TEXT),
    "AANDACHTSPUNT": ("Aandachtspunt", WARNING_TEXT),  # was #b26a00, 4.24:1 on white
    "ZORG": ("Zorg", ERROR),
}
_VISIT_TYPES = {
    "ON_SITE_DIALOGUE": "Kwaliteitsgesprek",
    "SITE_VISIT": "Locatiebezoek",
    "FOLLOW_UP_VISIT": "Vervolgbezoek",
    "THEMATIC": "Thematisch",
}


def _load(db: Any, location_id: str):  # type: ignore[no-untyped-def]
    from desktop.services.actions import list_actions
    from desktop.services.visits import list_visits

    return location_id, list_visits(db, location_id), list_actions(db, location_id=location_id)


def _observations(db: Any, visit_id: str):  # type: ignore[no-untyped-def]
    from desktop.services.visits import observations

    return visit_id, observations(db, visit_id)


class VisitsTab(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.location_id: str | None = None
        self.visits: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        self.new_button = QPushButton("Nieuw bezoek")
        self.new_button.setProperty("primary", True)
        self.open_button = QPushButton("Openen")
        self.report_button = QPushButton("Verslag (PDF)…")
        self.discard_button = QPushButton("Concept verwijderen…")
        for b in (self.new_button, self.open_button, self.report_button, self.discard_button):
            b.setAutoDefault(False)
        bar.addWidget(
            button_row(
                [
                    self.new_button,
                    self.open_button,
                    self.report_button,
                    self.discard_button,
                    visit_checks_button(self),
                ]
            ),
            1,
        )
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.count_label.setWordWrap(True)
        bar.addWidget(self.count_label)
        lay.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter()
        self.top_split = top  # observations under the list on a narrow page (resizeEvent)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Bezoeken van deze locatie")
        self.tree.setHeaderLabels(["Datum", "Soort", "Status", "Door"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top.addWidget(self.tree)
        self.obs_scroll = QScrollArea()
        self.obs_scroll.setWidgetResizable(True)
        self.obs_scroll.setAccessibleName("Waarnemingen van het gekozen bezoek")
        self.obs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.obs_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.obs_box = QWidget()
        self.obs_lay = QVBoxLayout(self.obs_box)
        self.obs_lay.setContentsMargins(10, 0, 4, 0)
        self.obs_scroll.setWidget(self.obs_box)
        top.addWidget(self.obs_scroll)
        top.setSizes([460, 540])
        split.addWidget(top)

        acts = QWidget()
        al = QVBoxLayout(acts)
        al.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        t = QLabel("Vervolgacties")
        t.setObjectName("sectionTitle")
        head.addWidget(t)
        head.addStretch(1)
        self.done_button = QPushButton("Afgehandeld")
        self.done_button.setAutoDefault(False)
        head.addWidget(self.done_button)
        al.addLayout(head)
        self.actions = QTreeWidget()
        self.actions.setAccessibleName("Vervolgacties van deze locatie")
        self.actions.setHeaderLabels(["Status", "Termijn", "Actie", "Eigenaar", "Afgehandeld"])
        self.actions.setRootIsDecorated(False)
        self.actions.setAlternatingRowColors(True)
        self.actions.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        self.actions.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.actions.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        al.addWidget(self.actions)
        split.addWidget(acts)
        split.setSizes([380, 200])
        lay.addWidget(split, 1)

        self.new_button.clicked.connect(self.new_visit)
        self.open_button.clicked.connect(self.open_selected)
        self.report_button.clicked.connect(self.report_selected)
        self.discard_button.clicked.connect(lambda: self.discard_selected())
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.done_button.clicked.connect(self.mark_selected_done)
        self.actions.currentItemChanged.connect(lambda *_: self._action_buttons())
        ctx.changed.connect(self._on_changed)
        self._selection_changed()

    # -- data ------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Beside each other the list and the observations need ~760 px; on a 1024-pixel
        # screen with the navigator open the observations go under the list instead.
        super().resizeEvent(event)
        narrow = event.size().width() < 760
        self.top_split.setOrientation(
            Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        )

    def set_location(self, location_id: str) -> None:
        self.location_id = location_id
        self.reload()

    def reload(self) -> None:
        if self.location_id:
            self.ctx.run(_load, self.ctx.db, self.location_id, on_done=self._show)

    def _on_changed(self, entity: str) -> None:
        if entity in ("*", "site_visit", "follow_up_action", "diagnosis_note"):
            self.reload()

    def _show(self, result: Any) -> None:
        location_id, visits, actions = result
        if location_id != self.location_id:
            return
        keep = self.selected_visit_id()
        self.visits = visits
        self.tree.clear()
        for v in visits:
            status = v.status_label + (" (correctie)" if v.revision_of_id else "")
            item = QTreeWidgetItem(
                [
                    formatting.short_date(v.visit_date) if v.visit_date else "—",
                    _VISIT_TYPES.get(v.visit_type, "Bezoek"),
                    status,
                    v.author_name,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, v.id)
            tip = f"Formulierversie {v.form_version}"
            if v.revision_of_id:
                tip += f"\nCorrectie, reden: {v.revision_reason}"
            for col in range(4):
                item.setToolTip(col, tip)
            if v.is_draft:
                item.setForeground(2, Qt.GlobalColor.darkYellow)
            self.tree.addTopLevelItem(item)
            if v.id == keep:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        drafts = sum(1 for v in visits if v.is_draft)
        self.count_label.setText(
            f"{len(visits)} bezoek(en)" + (f", waarvan {drafts} concept" if drafts else "")
        )
        self.actions.clear()
        for a in actions:
            item = QTreeWidgetItem(
                [
                    a.state_label,
                    formatting.short_date(a.due_date) if a.due_date else "—",
                    a.description,
                    a.owner_label,
                    f"{formatting.short_date(a.done_at.date())} {a.done_by_name}"
                    if a.done_at
                    else "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setData(1, Qt.ItemDataRole.UserRole, a.state)
            item.setToolTip(2, a.description)
            if a.state == "overdue":
                item.setForeground(0, Qt.GlobalColor.red)
            self.actions.addTopLevelItem(item)
        self._action_buttons()
        self._selection_changed()

    def selected_visit_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _selection_changed(self) -> None:
        vid = self.selected_visit_id()
        self.open_button.setEnabled(vid is not None)
        self.report_button.setEnabled(vid is not None)
        self._clear_observations()
        visit = next((v for v in self.visits if v.id == vid), None)
        self.discard_button.setEnabled(visit is not None and visit.is_draft)
        if visit is None:
            self._obs_message("Kies een bezoek om de waarnemingen te zien.")
        elif not visit.is_completed:
            self._obs_message(
                "Dit bezoek is nog een concept. Na afronden kunt u waarnemingen "
                "overnemen in de kwaliteitsdiagnose."
            )
        else:
            self.ctx.run(_observations, self.ctx.db, visit.id, on_done=self._show_observations)

    # -- observations -> diagnosis ---------------------------------------------------------
    def _clear_observations(self) -> None:
        while self.obs_lay.count():
            item = self.obs_lay.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def _obs_message(self, text: str) -> None:
        lab = QLabel(text)
        lab.setObjectName("muted")
        lab.setWordWrap(True)
        self.obs_lay.addWidget(lab)
        self.obs_lay.addStretch(1)

    def _show_observations(self, result: Any) -> None:
        visit_id, obs = result
        if visit_id != self.selected_visit_id():
            return
        self._clear_observations()
        title = QLabel("Waarnemingen")
        title.setObjectName("sectionTitle")
        self.obs_lay.addWidget(title)
        if not obs:
            self._obs_message("Bij dit bezoek zijn geen waarnemingen per thema vastgelegd.")
            return
        for o in obs:
            card = QFrame()
            card.setObjectName("card")
            cl = QVBoxLayout(card)
            cl.setContentsMargins(10, 6, 10, 6)
            sig, colour = _SIGNAL_TEXT.get(o.signal or "", ("", "#5b6b7b"))
            head = QLabel(f"<b>{o.theme_label}</b> &nbsp;<span style='color:{colour}'>{sig}</span>")
            cl.addWidget(head)
            body = QLabel(o.text)
            body.setWordWrap(True)
            body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            cl.addWidget(body)
            row = QHBoxLayout()
            row.addStretch(1)
            if o.note_id:
                done = QLabel("✓ In de kwaliteitsdiagnose")
                done.setObjectName("muted")
                row.addWidget(done)
            else:
                b = QPushButton("Overnemen in diagnose")
                b.setAutoDefault(False)
                b.setAccessibleName(f"{o.theme_code} overnemen in de kwaliteitsdiagnose")
                b.clicked.connect(lambda _=False, code=o.theme_code: self.to_diagnosis(code))
                row.addWidget(b)
            cl.addLayout(row)
            self.obs_lay.addWidget(card)
        self.obs_lay.addStretch(1)

    def to_diagnosis(self, theme_code: str) -> None:
        from desktop.services.visits import observation_to_note

        vid = self.selected_visit_id()
        if vid is None or self.ctx.user is None:
            return

        def done(_note_id: str) -> None:
            self.ctx.changed.emit("diagnosis_note")
            self.ctx.status_message("Waarneming overgenomen in de kwaliteitsdiagnose.")

        self.ctx.run(
            observation_to_note,
            self.ctx.db,
            vid,
            theme_code,
            actor_id=self.ctx.user.id,
            on_done=done,
            on_error=lambda e: QMessageBox.warning(self, "Diagnose", str(e)),
        )

    # -- actions ---------------------------------------------------------------------------
    def new_visit(self) -> None:
        if self.location_id:
            new_visit(self.ctx, self.location_id)

    def open_selected(self) -> None:
        vid = self.selected_visit_id()
        if vid:
            open_visit(self.ctx, vid)

    def report_selected(self, path: str | None = None) -> None:
        from desktop.services.visit_report import write_visit_report

        vid = self.selected_visit_id()
        if not vid:
            return
        if not path:
            path, _ = files.save_file_name(
                self, "Verslag opslaan", "Verslag locatiebezoek.pdf", "PDF (*.pdf)", "verslagen"
            )
            if not path:
                return
        self.ctx.run(
            write_visit_report,
            self.ctx.db,
            vid,
            path,
            on_done=lambda p: self.ctx.offer_open(p, "Verslag opgeslagen"),
            on_error=lambda e: QMessageBox.warning(self, "Verslag", str(e)),
        )

    def discard_selected(self, confirm: bool = True) -> None:
        from desktop.services.visits import discard_draft

        vid = self.selected_visit_id()
        visit = next((v for v in self.visits if v.id == vid), None)
        if visit is None or not visit.is_draft or self.ctx.user is None:
            return
        if confirm:
            if not ask(
                self,
                "Concept verwijderen",
                "Dit concept-bezoek verwijderen? Wat erin staat is daarna niet meer te zien.",
                yes="Verwijderen",
                no="Annuleren",
            ):
                return
        from desktop.ui.visits.visit_window import _OPEN

        win = _OPEN.get(visit.id)
        if win is not None:
            win.dirty = False
            win.close()
        self.ctx.run(
            discard_draft,
            self.ctx.db,
            visit.id,
            actor_id=self.ctx.user.id,
            on_done=lambda _: self.ctx.changed.emit("site_visit"),
            on_error=lambda e: QMessageBox.warning(self, "Concept", str(e)),
        )

    def _action_buttons(self) -> None:
        item = self.actions.currentItem()
        state = item.data(1, Qt.ItemDataRole.UserRole) if item is not None else None
        self.done_button.setEnabled(state is not None and state != "done")

    def mark_selected_done(self) -> None:
        from desktop.services.actions import mark_done

        item = self.actions.currentItem()
        if item is None or self.ctx.user is None:
            return
        self.ctx.run(
            mark_done,
            self.ctx.db,
            item.data(0, Qt.ItemDataRole.UserRole),
            actor_id=self.ctx.user.id,
            on_done=lambda _: self.ctx.changed.emit("follow_up_action"),
            on_error=lambda e: QMessageBox.warning(self, "Actie", str(e)),
        )
