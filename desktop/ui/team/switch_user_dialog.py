"""Bestand › Gebruiker wisselen… (issue 13): who is the current user of this laptop's database.

The list shows the team's users with the roles the team grants them. Switching changes who the
app works as and tells every view (`ctx.user_changed`, then `ctx.announce("*")`); it never grants
a role. Once the database is pinned to a shared store, everything recorded in it is signed with
one person's key, so only that person can be chosen (desktop.services.users.switch_user); the
others are listed with the reason.
"""

from __future__ import annotations

from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import ToolDialog
from desktop.ui.qt import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QWidget,
)
from desktop.ui.requests.common import make_table
from desktop.ui.widgets import FieldError


def _choices(db: Any) -> list[Any]:
    from desktop.services import users

    return users.switch_choices(db)


def _switch(db: Any, user_id: str) -> Any:
    from desktop.services import users

    return users.switch_user(db, user_id)


class SwitchUserDialog(ToolDialog):
    rows_of = staticmethod(_choices)
    fallback = "Wisselen lukte niet."

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Gebruiker wisselen",
            (760, 460),
            parent,
            heading="Gebruiker wisselen",
            intro="Kies wie er nu met dit programma werkt. De rollen zijn die welke het team "
            "heeft toegekend; wisselen geeft geen rollen. Met een gedeelde opslag "
            "ondertekent deze database alles met één persoonlijke sleutel: alleen "
            "die persoon kan hier werken.",
        )
        lay = self.lay
        self.table = make_table(["Naam", "Rollen (toegekend)", "Hier werken"], "Gebruikers")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._select)
        self.table.doubleClicked.connect(lambda _i: self._accept())
        lay.addWidget(self.table, 1)
        self.reason = QLabel("")
        self.reason.setWordWrap(True)
        lay.addWidget(self.reason)
        self.error = FieldError()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Wisselen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.choices: list[Any] = []
        self.switched: Any = None
        self.reload()

    def _show(self, choices: list[Any]) -> None:
        self.choices = choices
        self.table.setRowCount(len(choices))
        for i, c in enumerate(choices):
            name = c.user.name + (" (huidige gebruiker)" if c.current else "")
            where = "Ja" if c.allowed else "Nee: eigen sleutel nodig"
            for col, text in enumerate((name, c.user.roles_label or "geen rol toegekend", where)):
                item = QTableWidgetItem(text)
                item.setToolTip(c.why_not or text)
                self.table.setItem(i, col, item)
        current = [i for i, c in enumerate(choices) if c.current]
        if choices:
            self.table.selectRow(current[0] if current else 0)
        self._select()

    def current(self) -> Any:
        row = self.table.currentRow()
        return self.choices[row] if 0 <= row < len(self.choices) else None

    def select_user(self, user_id: str) -> None:
        for i, c in enumerate(self.choices):
            if c.user.id == user_id:
                self.table.selectRow(i)

    def _select(self) -> None:
        self.error.clear_error()
        c = self.current()
        self.reason.setText(c.why_not if c is not None else "")
        self.ok_button.setEnabled(c is not None and c.allowed and not c.current)

    def _accept(self) -> None:
        c = self.current()
        if c is None:
            self.error.show_error("Kies eerst een gebruiker.")
            return
        if c.current:
            self.accept()
            return
        self.ctx.run(
            _switch,
            self.ctx.db,
            c.user.id,
            on_done=self._done,
            on_error=self._failed,
            label="Gebruiker wisselen…",
        )

    def _done(self, user: Any) -> None:
        self.switched = user
        # Every view reloads for the new user: the user first (views that show "my" work),
        # then a full refresh of everything on screen.
        self.ctx.set_user(user)
        self.ctx.announce("*")
        self.ctx.status_message(f"U werkt nu als {user.name}.")
        self.accept()


def open_switch_user_dialog(ctx: AppContext, window: QWidget) -> Any:
    dialog = SwitchUserDialog(ctx, window)
    dialog.exec()
    return dialog.switched
