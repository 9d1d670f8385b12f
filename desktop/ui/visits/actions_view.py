"""Section "Mijn acties": follow-up actions across locations (te laat / binnenkort / open /
afgehandeld), filterable; marking done records who and when. Also lists unfinished visit
drafts so work interrupted by a crash is one click away."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.services.changes import ChangeSet, touches
from desktop.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    Qt,
    QTimer,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import NOTE_BACKGROUND, NOTE_BORDER
from desktop.ui.visits import follow_up
from desktop.ui.visits.visit_window import open_visit
from desktop.ui.widgets import title_label

STATE_FILTERS = [
    ("Alles wat openstaat", ("overdue", "due", "open")),
    ("Te laat", ("overdue",)),
    ("Binnenkort (14 dagen)", ("due",)),
    ("Afgehandeld", ("done",)),
    ("Alle acties", None),
]
OWNER_FILTERS = [
    ("Alle eigenaren", None),
    ("Zorgaanbieder", "PROVIDER"),
    ("Zorgkantoor", "CARE_OFFICE"),
]


def _load(ctx: Any, user_id: str | None, states, owner, search: str):  # type: ignore[no-untyped-def]
    """Worker: the actions shown, counts over all of the user's actions, open drafts."""
    from desktop.services.actions import count_by_state, filter_actions, list_actions
    from desktop.services.visits import list_drafts

    db = ctx.db  # on the worker: may wait for the database at start-up, never the GUI

    everything = list_actions(db, responsible_user_id=user_id)
    shown = filter_actions(everything, states=states, owner=owner, search=search)
    return shown, count_by_state(everything), list_drafts(db, user_id)


class ActionsView(QWidget):
    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.drafts: list[Any] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 12)
        lay.addWidget(title_label("Mijn acties"))
        self.summary = title_label("", "pageSubtitle")
        lay.addWidget(self.summary)

        self.draft_bar = QFrame()
        self.draft_bar.setObjectName("draftBar")
        dl = QHBoxLayout(self.draft_bar)
        dl.setContentsMargins(10, 6, 10, 6)
        self.draft_bar.setStyleSheet(
            f"QFrame#draftBar {{ background:{NOTE_BACKGROUND}; border:1px solid {NOTE_BORDER};"
            " border-radius:4px; }"
        )
        self.draft_label = QLabel("")
        self.draft_label.setWordWrap(True)
        dl.addWidget(self.draft_label, 1)
        self.draft_button = QPushButton("Verder gaan")
        self.draft_button.setAutoDefault(False)
        dl.addWidget(self.draft_button)
        self.draft_bar.hide()
        lay.addWidget(self.draft_bar)

        bar = QHBoxLayout()
        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName("Status")
        for label, _ in STATE_FILTERS:
            self.state_filter.addItem(label)
        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName("Eigenaar")
        for label, _ in OWNER_FILTERS:
            self.owner_filter.addItem(label)
        self.mine = QCheckBox("Alleen mijn acties")
        self.mine.setChecked(True)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Zoek in acties en locaties…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Zoeken")
        for w in (self.state_filter, self.owner_filter, self.mine):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        lay.addLayout(bar)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Vervolgacties")
        self.tree.setHeaderLabels(
            ["Status", "Termijn", "Actie", "Locatie", "Eigenaar", "Verantwoordelijk", "Afgehandeld"]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        h = self.tree.header()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.tree, 1)

        buttons = QHBoxLayout()
        self.done_button = QPushButton("Afgehandeld")
        self.reopen_button = QPushButton("Heropenen")
        self.location_button = QPushButton("Locatie openen")
        for b in (self.done_button, self.reopen_button, self.location_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.reload)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.owner_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.mine.toggled.connect(lambda _c: self.reload())
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.tree.currentItemChanged.connect(lambda *_: self._buttons())
        self.tree.itemActivated.connect(lambda *_: self.open_location())
        self.done_button.clicked.connect(self.mark_done)
        self.reopen_button.clicked.connect(self.reopen)
        self.location_button.clicked.connect(self.open_location)
        self.draft_button.clicked.connect(self.open_draft)
        ctx.entities_changed.connect(self._entities_changed)
        ctx.user_changed.connect(lambda _u: self.reload())
        self.rows: list[Any] = []
        self._buttons()
        self.reload()

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "follow_up_action", "site_visit"):
            self.reload()

    def reload(self) -> None:
        user = self.ctx.user
        user_id = user.id if (user is not None and self.mine.isChecked()) else None
        states = STATE_FILTERS[self.state_filter.currentIndex()][1]
        owner = OWNER_FILTERS[self.owner_filter.currentIndex()][1]
        self.ctx.run(
            _load, self.ctx, user_id, states, owner, self.search.text(), on_done=self._show
        )

    def _show(self, result: Any) -> None:
        rows, counts, drafts = result
        self.rows = rows
        self.tree.clear()
        for a in rows:
            self.tree.addTopLevelItem(follow_up.action_item(a, where=True, due_colour=True))
        self.summary.setText(
            f"{counts['overdue']} te laat · {counts['due']} binnenkort · {counts['open']} open · "
            f"{counts['done']} afgehandeld"
        )
        self.drafts = drafts
        if drafts:
            d = drafts[0]
            more = f" (en nog {len(drafts) - 1})" if len(drafts) > 1 else ""
            when = formatting.short_date(d.visit_date) if d.visit_date else ""
            self.draft_label.setText(
                f"Niet-afgerond bezoek: <b>{d.location_name}</b> {when}{more}. "
                "Alles tot de laatste automatische opslag is bewaard."
            )
            self.draft_bar.show()
        else:
            self.draft_bar.hide()
        self._buttons()

    def _current(self) -> Any:
        item = self.tree.currentItem()
        if item is None:
            return None
        aid = item.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.rows if a.id == aid), None)

    def _buttons(self) -> None:
        a = self._current()
        self.done_button.setEnabled(a is not None and a.state != "done")
        self.reopen_button.setEnabled(a is not None and a.state == "done")
        self.location_button.setEnabled(a is not None)

    def mark_done(self) -> None:
        a = self._current()
        if a is not None:
            follow_up.mark_done(self.ctx, self, a.id)

    def reopen(self) -> None:
        a = self._current()
        if a is not None:
            follow_up.reopen(self.ctx, self, a.id)

    def open_location(self) -> None:
        a = self._current()
        if a is not None:
            self.ctx.open_location(a.location_id)

    def open_draft(self) -> None:
        if self.drafts:
            open_visit(self.ctx, self.drafts[0].id)


_OFFERS: list[Any] = []


def offer_drafts(ctx: Any, window: Any) -> None:
    """Startup hook: after a crash, offer the drafts (everything up to the last autosave)."""
    from desktop.services.visits import list_drafts

    if ctx.user is None:
        return

    def show(drafts: list[Any]) -> None:
        if not drafts:
            return
        d = drafts[0]
        box = QMessageBox(window)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Niet-afgerond bezoek")
        box.setText(
            f"Er {'is' if len(drafts) == 1 else 'zijn'} {len(drafts)} niet-afgeronde "
            f"bezoek{'en' if len(drafts) > 1 else ''}. Het laatste: {d.location_name}"
            f"{', ' + formatting.short_date(d.visit_date) if d.visit_date else ''}."
        )
        box.setInformativeText(
            "Alles tot de laatste automatische opslag is bewaard. Nu verder gaan?"
        )
        go = box.addButton("Verder gaan", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        box.buttonClicked.connect(lambda b: open_visit(ctx, d.id) if b is go else None)
        _OFFERS.append(box)  # keep it alive: it may have no parent
        box.destroyed.connect(lambda *_: _OFFERS.clear())
        box.show()
        ctx.status_message(f"{len(drafts)} niet-afgerond(e) bezoek(en) – zie Mijn acties", 15000)

    ctx.run(list_drafts, ctx.db, ctx.user.id, on_done=show)
