"""Section "Te beoordelen": the teamleider's vier-ogen queue (approve / reject with comment).

The rules (role, own work, version) are enforced in desktop.services.review; this view only
shows them early (buttons off for own work) and reports the service's refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from desktop.services import formatting, review
from desktop.services import requests as rq
from desktop.services.changes import ChangeSet, touches
from desktop.ui.context import AppContext
from desktop.ui.master_detail import MasterDetail, detail_page
from desktop.ui.qt import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import (
    Banner,
    fill_table,
    load_bundle,
    make_table,
    section_card,
    show_errors,
    text_box,
)
from desktop.ui.requests.panels import CeilingPanel, HistoryTable
from desktop.ui.requests.review_summary import summary_html, what_is_signed
from desktop.ui.style import ERROR_DARK
from desktop.ui.widgets import title_label

#: what the detail pane says while no dossier is chosen, and when the queue is empty
CHOOSE = ("Kies een dossier", "Kies links een dossier om het te beoordelen.")
EMPTY = ("Niets te beoordelen", "Er staan geen aanvragen ter vier-ogen.")


# Subject types in the teamleider's queue (budget requests and the budget year, issue 16).
QUEUE_SUBJECTS = {
    "budget_request": "Aanvraag",
    "advance_adjustment": "Voorschotaanpassing",
    "reallocation_round": "Herschikking",
    "final_settlement": "Nacalculatie",
}


class ReviewQueueSection(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[review.QueueItem] = []
        self.current: review.QueueItem | None = None
        self.bundle: rq.RequestBundle | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.master_detail = md = MasterDetail("Te beoordelen", placeholder=CHOOSE)
        md.master_layout.addWidget(title_label("Te beoordelen"))
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        md.master_layout.addWidget(self.hint)
        self.table = make_table(
            ["Dossier", "Aangeboden door", "Op", "Let op"], "Te beoordelen dossiers"
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().resizeSection(0, 260)
        self.table.setWordWrap(True)
        md.set_list(self.table)

        right, rl = detail_page()
        self.title = title_label("Kies een dossier")
        rl.addWidget(self.title)
        self.banner = Banner()
        rl.addWidget(self.banner)
        card, cl = section_card("Samenvatting")
        self.summary = QLabel("Kies links een aanvraag om te beoordelen.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cl.addWidget(self.summary)
        rl.addWidget(card)
        self.ceiling = CeilingPanel()
        rl.addWidget(self.ceiling)
        card, dl = section_card("Uw beoordeling")
        self.own_work = QLabel()
        self.own_work.setWordWrap(True)
        self.own_work.setStyleSheet(f"color:{ERROR_DARK};")
        self.own_work.hide()
        dl.addWidget(self.own_work)
        self.comment = text_box(
            70,
            "Opmerking bij de beoordeling",
            placeholder="Opmerking (verplicht bij afkeuren; de opsteller ziet deze)",
        )
        dl.addWidget(self.comment)
        row = QHBoxLayout()
        self.approve_button = QPushButton("Goedkeuren")
        self.approve_button.setProperty("primary", True)
        self.reject_button = QPushButton("Afkeuren")
        row.addStretch(1)
        row.addWidget(self.reject_button)
        row.addWidget(self.approve_button)
        dl.addLayout(row)
        rl.addWidget(card)
        self.history = HistoryTable()
        rl.addWidget(self.history)
        rl.addStretch(1)
        md.set_detail(right)
        md.set_sizes([520, 780], stretch=(2, 3))
        lay.addWidget(md)
        self._buttons(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        ctx.entities_changed.connect(self._entities_changed)
        ctx.user_changed.connect(self._user_changed)
        self.refresh()

    def _user_changed(self, _user: object) -> None:
        """Another person at the keyboard: nothing of the previous user's review may stay."""
        self.comment.set_text("")
        self.comment.error.clear_error()
        self.banner.clear_message()
        self.refresh()
        if self.current is not None:
            self._selected(force=True)

    def _entities_changed(self, changes: ChangeSet) -> None:
        # review_event: a dossier offered, withdrawn or judged, in whichever view.
        if touches(changes, "review_event", *QUEUE_SUBJECTS):
            self.refresh()

    def _buttons(self, on: bool) -> None:
        self.approve_button.setEnabled(on)
        self.reject_button.setEnabled(on)

    def refresh(self) -> None:
        user = self.ctx.user
        if user is None or not user.has_role("TEAM_LEAD"):
            self.hint.setText(
                "Alleen een teamleider kan goedkeuren of afkeuren. U ziet wel wat er klaarstaat."
            )
        else:
            self.hint.setText("Beoordeel als tweede persoon. Eigen werk kunt u niet beoordelen.")
        viewer = user.id if user else None
        self.ctx.run(
            review.queue,
            self.ctx.db,
            viewer,
            QUEUE_SUBJECTS,
            on_done=self._show,
            label="Wachtrij laden",
        )

    def _show(self, items: list[review.QueueItem]) -> None:
        self.items = items
        current = self.current.subject_id if self.current is not None else None
        notes = []
        for i in items:
            n = []
            if i.own_work:
                n.append("eigen werk")
            if i.stale:
                n.append("gewijzigd na aanbieden")
            notes.append(", ".join(n))
        fill_table(
            self.table,
            [
                [i.title, i.submitted_by, formatting.timestamp(i.submitted_at), notes[k]]
                for k, i in enumerate(items)
            ],
            [i.subject_id for i in items],
        )
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.master_detail.select_id(current)
        if self.current is None:
            self.master_detail.show_placeholder(*(CHOOSE if items else EMPTY))
            self._buttons(False)

    def _selected(self, force: bool = False) -> None:
        row = self.master_detail.selected_row()
        if row is None:
            if force and self.current is not None and self.current.subject_type == "budget_request":
                self._load(self.current.subject_id)
            return
        item = self.items[row]
        if not force:
            self.banner.clear_message()
        self.current = item
        if item.subject_type != "budget_request":
            self._show_other(item)
            return
        self._load(item.subject_id)

    def _load(self, request_id: str) -> None:
        load_bundle(self.ctx, request_id, self._show_bundle, self.banner, self, "Dossier laden")

    def _show_bundle(self, bundle: rq.RequestBundle) -> None:
        self.bundle = bundle
        d = bundle.detail
        self.master_detail.show_detail()
        self.title.setText(f"{d.provider_name} – aanvraag {d.budget_year}")
        self.summary.setText(summary_html(d))
        self.ceiling.show()
        self.ceiling.show_summary(bundle.ceiling, bundle.region_ceiling)
        self.history.show_history(bundle.history)
        user = self.ctx.user
        own = user is not None and user.id in bundle.editors
        lead = user is not None and user.has_role("TEAM_LEAD")
        if own:
            self.own_work.setText(
                "U heeft deze aanvraag opgesteld of gewijzigd. Volgens het "
                "vier-ogenprincipe beoordeelt een andere teamleider haar."
            )
            self.own_work.show()
        else:
            self.own_work.hide()
        waiting = bundle.review.state == "SUBMITTED"
        if not d.decision and waiting:
            # Also refused by the service (requests._before); said here before the click.
            self.own_work.setText(
                "Er is nog geen besluit vastgelegd. Goedkeuren kan pas met een "
                "besluit; keur af met een toelichting voor de opsteller."
            )
            self.own_work.show()
        self._buttons(lead and not own and waiting)
        self.approve_button.setEnabled(lead and not own and waiting and bool(d.decision))
        self.approve_button.setToolTip("" if d.decision else "Er is nog geen besluit vastgelegd.")

    def _show_other(self, item: review.QueueItem) -> None:
        """Budget-year subjects (voorschot adjustment, herschikking, nacalculatie): the title,
        the history, and the same approve/reject through the review service."""
        self.master_detail.show_detail()
        self.title.setText(item.title)
        self.summary.setText(
            f"{escape(QUEUE_SUBJECTS[item.subject_type])}: {escape(item.title)}<br>"
            f"Aangeboden door {escape(item.submitted_by)}. De bedragen staan in "
            "<b>Begrotingsjaar</b>."
        )
        self.ceiling.hide()
        self.ctx.run(
            review.history,
            self.ctx.db,
            item.subject_type,
            item.subject_id,
            on_done=self.history.show_history,
            label="Geschiedenis laden",
        )
        user = self.ctx.user
        self.own_work.setVisible(item.own_work)
        if item.own_work:
            self.own_work.setText(
                "U heeft dit dossier opgesteld of gewijzigd. Volgens het "
                "vier-ogenprincipe beoordeelt een andere teamleider het."
            )
        self._buttons(user is not None and user.has_role("TEAM_LEAD") and not item.own_work)

    def _done(self, message: str) -> None:
        """The dossier stays in view with the outcome; the list no longer offers it."""
        self.banner.ok(message)
        self.comment.set_text("")
        self._buttons(False)  # the executor announces the judgement: the list refreshes

    def _what(self) -> str:
        """What the teamleider is about to sign, in words: provider, request, amount."""
        item = self.current
        b = self.bundle
        if item is None:
            return ""
        if item.subject_type != "budget_request" or b is None or b.detail.id != item.subject_id:
            return f"{QUEUE_SUBJECTS.get(item.subject_type, 'Dossier')}: {item.title}"
        return what_is_signed(b.detail)

    def _confirm(self, title: str, text: str, yes: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self
        )
        ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton("Annuleren", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is ok

    def approve(self) -> None:
        if self.current is None or self.ctx.user is None:
            return
        if not self._confirm(
            "Goedkeuren",
            "U keurt goed (vier-ogen):\n\n"
            + self._what()
            + "\n\nNa uw goedkeuring is het besluit definitief en kan de brief "
            "worden gemaakt.",
            "Goedkeuren",
        ):
            return
        self._judge(
            True,
            lambda a: f"Goedgekeurd door {a.approver_name}: " + self._what().replace("\n", " "),
        )

    def reject(self) -> None:
        if self.current is None or self.ctx.user is None:
            return
        # Without a comment the service names the missing field; no question first.
        if self.comment.text().strip() and not self._confirm(
            "Afkeuren",
            "U keurt af en stuurt terug naar de opsteller:\n\n"
            + self._what()
            + "\n\nUw toelichting: "
            + self.comment.text().strip(),
            "Afkeuren",
        ):
            return
        self._judge(False, lambda _s: "Afgekeurd; de opsteller ziet uw toelichting.")

    def _judge(self, approve: bool, outcome: Callable[[Any], str]) -> None:
        """Approve or reject the current dossier through its service (a budget request through
        requests, so its state follows; the budget-year subjects through review)."""
        if self.current is None or self.ctx.user is None:
            return
        stype = self.current.subject_type
        fn: Callable[..., Any]
        if stype == "budget_request":
            fn = rq.approve if approve else rq.reject
        else:
            judge = review.approve if approve else review.reject
            fn = lambda db, sid, by, c: judge(db, stype, sid, by, c)  # noqa: E731
        self.ctx.run(
            fn,
            self.ctx.db,
            self.current.subject_id,
            self.ctx.user.id,
            self.comment.text(),
            on_done=lambda r: self._done(outcome(r)),
            on_error=lambda e: show_errors(e, {"comment": self.comment}, self.banner, self),
            label="Goedkeuren" if approve else "Afkeuren",
        )
