"""Location tab "Bezoeken" (controller): history of visits (drafts, completed, corrections),
new visit, observations of the selected visit -> kwaliteitsdiagnose, and the location's
actions. Widgets: `VisitsTabView` (view.py). It refreshes on what was written
(`ctx.entities_changed`: visits, follow-up actions, diagnosis notes), from any view."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.services.changes import ChangeSet, touches
from desktop.ui import files
from desktop.ui.dutch import ask
from desktop.ui.qt import QMessageBox, Qt, QTreeWidgetItem, QWidget
from desktop.ui.visits import follow_up
from desktop.ui.visits.visit_window import new_visit, open_visit, open_windows
from desktop.ui.visits.visits_tab.view import VisitsTabView

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


class VisitsTab(VisitsTabView):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.location_id: str | None = None
        self.visits: list[Any] = []
        self.new_button.clicked.connect(self.new_visit)
        self.open_button.clicked.connect(self.open_selected)
        self.report_button.clicked.connect(lambda: self.report_selected())
        self.discard_button.clicked.connect(lambda: self.discard_selected())
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._selection_changed())
        self.done_button.clicked.connect(self.mark_selected_done)
        self.action_tree.currentItemChanged.connect(lambda *_: self._action_buttons())
        ctx.entities_changed.connect(self._entities_changed)
        self._selection_changed()

    # -- data ------------------------------------------------------------------------------
    def set_location(self, location_id: str) -> None:
        self.location_id = location_id
        self.reload()

    def reload(self) -> None:
        if self.location_id:
            self.ctx.run(_load, self.ctx.db, self.location_id, on_done=self._show)

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "site_visit", "follow_up_action", "diagnosis_note"):
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
        first = self.tree.topLevelItem(0)
        if self.tree.currentItem() is None and first is not None:
            self.tree.setCurrentItem(first)
        drafts = sum(1 for v in visits if v.is_draft)
        self.count_label.setText(
            f"{len(visits)} bezoek(en)" + (f", waarvan {drafts} concept" if drafts else "")
        )
        self.action_tree.clear()
        for a in actions:
            self.action_tree.addTopLevelItem(follow_up.action_item(a))
        self._action_buttons()
        self._selection_changed()

    def selected_visit_id(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _selection_changed(self) -> None:
        vid = self.selected_visit_id()
        self.open_button.setEnabled(vid is not None)
        self.report_button.setEnabled(vid is not None)
        self.observations.clear()
        visit = next((v for v in self.visits if v.id == vid), None)
        self.discard_button.setEnabled(visit is not None and visit.is_draft)
        if visit is None:
            self.observations.message("Kies een bezoek om de waarnemingen te zien.")
        elif not visit.is_completed:
            self.observations.message(
                "Dit bezoek is nog een concept. Na afronden kunt u waarnemingen "
                "overnemen in de kwaliteitsdiagnose."
            )
        else:
            self.ctx.run(_observations, self.ctx.db, visit.id, on_done=self._show_observations)

    # -- observations -> diagnosis ---------------------------------------------------------
    def _show_observations(self, result: Any) -> None:
        visit_id, obs = result
        if visit_id == self.selected_visit_id():
            self.observations.show_observations(obs, self.to_diagnosis)

    def to_diagnosis(self, theme_code: str) -> None:
        from desktop.services.visits import observation_to_note

        vid = self.selected_visit_id()
        if vid is None or self.ctx.user is None:
            return

        def done(_note_id: str) -> None:
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
        win = open_windows().get(visit.id)
        if win is not None:
            win.dirty = False
            win.close()
        self.ctx.run(
            discard_draft,
            self.ctx.db,
            visit.id,
            actor_id=self.ctx.user.id,
            on_error=lambda e: QMessageBox.warning(self, "Concept", str(e)),
        )

    def _action_buttons(self) -> None:
        item = self.action_tree.currentItem()
        state = item.data(1, Qt.ItemDataRole.UserRole) if item is not None else None
        self.done_button.setEnabled(state is not None and state != "done")

    def mark_selected_done(self) -> None:
        item = self.action_tree.currentItem()
        if item is not None:
            follow_up.mark_done(self.ctx, self, item.data(0, Qt.ItemDataRole.UserRole))
