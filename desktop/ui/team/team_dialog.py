"""Extra › Team…: the team's members and roles; a teamleider grants and revokes roles, with who
granted what and when. Extra › Mijn profiel (editing): name, initials and function of the
current user only, never roles (issue 13)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.dialog_parts import ToolDialog, error_and_close
from desktop.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

ROLE_CHOICES = (
    ("PURCHASER", "Zorginkoper"),
    ("QUALITY_ADVISOR", "Kwaliteitsadviseur"),
    ("TEAM_LEAD", "Teamleider"),
)


def _load(db: Any) -> list[Any]:
    from desktop.services import team

    return team.members(db)


def _change(db: Any, verb: str, actor: str, member: str, role: str) -> Any:
    from desktop.services import team

    return (team.grant if verb == "grant" else team.revoke)(db, actor, member, role)


def _step_text(g: Any) -> str:
    from desktop.services.team import when

    verb = "toegekend" if g.action == "grant" else "ingetrokken"
    text = f"{when(g.at)}: {g.role_label} {verb} door {g.by_name}"
    return text + (f" (telt niet: {g.refused})" if g.refused else "")


class TeamDialog(ToolDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            "Team",
            (860, 560),
            parent,
            heading="Team en rollen",
            intro="Rollen worden toegekend door een teamleider, niet in het eigen profiel. "
            "Met een gedeelde opslag is elke toekenning ondertekend met de sleutel "
            "van de teamleider; collega's nemen haar over bij hun volgende "
            "synchronisatie.",
        )
        lay = self.lay
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Naam", "Initialen", "Rollen"])
        self.table.setAccessibleName("Teamleden")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._select)
        lay.addWidget(self.table, 2)
        lay.addWidget(QLabel("Toekenningen van de gekozen collega:"))
        self.history = QListWidget()
        self.history.setAccessibleName("Wie kende wat toe, en wanneer")
        lay.addWidget(self.history, 1)
        row = QHBoxLayout()
        row.addWidget(QLabel("Rol:"))
        self.role = QComboBox()
        self.role.setAccessibleName("Rol")
        for key, label in ROLE_CHOICES:
            self.role.addItem(label, key)
        row.addWidget(self.role)
        self.grant_button = QPushButton("Rol toekennen")
        self.revoke_button = QPushButton("Rol intrekken")
        self.grant_button.clicked.connect(lambda: self._change("grant"))
        self.revoke_button.clicked.connect(lambda: self._change("revoke"))
        row.addWidget(self.grant_button)
        row.addWidget(self.revoke_button)
        row.addStretch(1)
        self.invite_button = QPushButton("Collega uitnodigen…")
        self.invite_button.setToolTip(
            "Uitnodigen voor de gedeelde opslag (Extra › Gedeelde "
            "opslag…); de rollen uit het profiel worden toegekend."
        )
        self.invite_button.clicked.connect(self._invite)
        row.addWidget(self.invite_button)
        lay.addLayout(row)
        self.error = error_and_close(self, lay)
        self.members: list[Any] = []
        lead = self.ctx.user is not None and "TEAM_LEAD" in self.ctx.user.roles
        for b in (self.grant_button, self.revoke_button, self.role, self.invite_button):
            b.setEnabled(lead)
        if not lead:
            self.error.show_error("Alleen een teamleider kan rollen toekennen of intrekken.")
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.ctx.run(
            _load, self.ctx.db, on_done=lambda m: self._show(m, select), on_error=self._failed
        )

    def _show(self, members: list[Any], select: str | None = None) -> None:
        self.members = members
        self.table.setRowCount(len(members))
        for i, m in enumerate(members):
            name = m.name + (" (eigenaar opslag)" if m.owner else "")
            for col, text in enumerate((name, m.initials, m.roles_label)):
                self.table.setItem(i, col, QTableWidgetItem(text))
        rows = [i for i, m in enumerate(members) if m.user_id == select]
        if rows or members:
            self.table.selectRow(rows[0] if rows else 0)
        self._select()

    def current(self) -> Any:
        row = self.table.currentRow()
        return self.members[row] if 0 <= row < len(self.members) else None

    def _select(self) -> None:
        self.history.clear()
        m = self.current()
        if m is None:
            return
        steps = [_step_text(g) for g in m.history] or [
            "Nog geen ondertekende toekenningen "
            "(rollen uit het eigen profiel, vóór "
            "de gedeelde opslag)."
        ]
        self.history.addItems(steps)

    def _change(self, verb: str) -> None:
        self.error.clear_error()
        m = self.current()
        if m is None or self.ctx.user is None:
            self.error.show_error("Kies eerst een collega.")
            return
        self.ctx.run(
            _change,
            self.ctx.db,
            verb,
            self.ctx.user.id,
            m.user_id,
            self.role.currentData(),
            on_done=lambda _r: self._changed(m.user_id),
            on_error=self._failed,
            label="Rol vastleggen…",
        )

    def _invite(self) -> None:
        from desktop.ui.sync.store_dialog import StoreDialog

        StoreDialog(self.ctx, self).exec()
        self.reload()

    def _changed(self, member_id: str) -> None:
        # a signed grant goes to the shared store, not through a UnitOfWork: say so by hand
        self.ctx.announce("app_user")
        self.reload(member_id)


def open_team_dialog(ctx: AppContext, window: QWidget) -> None:
    TeamDialog(ctx, window).exec()


def edit_own_profile(ctx: AppContext, window: QWidget) -> None:
    """Extra › Mijn profiel for an existing user: name, initials, function; no roles."""
    from desktop.services import users

    user_id = ctx.user.id  # type: ignore[union-attr]
    profile_dialog(
        ctx,
        window,
        lambda db, v: users.update_profile(db, user_id, **own_details(v)),
        first_start=False,
        current=ctx.user,
    )


def own_details(values: dict[str, Any]) -> dict[str, Any]:
    """What a user may set in their own profile (roles are granted by a teamleider)."""
    return {k: values[k] for k in ("name", "initials", "function_title")}


def profile_dialog(
    ctx: AppContext,
    window: QWidget,
    write: Callable[[Any, dict[str, Any]], Any],
    *,
    first_start: bool,
    current: Any = None,
) -> None:
    """The profile dialog; Opslaan runs `write(db, values)` on the database worker (never on
    the GUI thread) and the user it returns becomes the current one."""
    from desktop.ui.dialogs import ProfileDialog

    def save(v, done, failed):  # type: ignore[no-untyped-def]
        ctx.run(write, ctx.db, v, on_done=done, on_error=failed, label="Profiel opslaan")

    dialog = ProfileDialog(window, first_start=first_start, current=current, save=save)
    if dialog.exec() and dialog.saved is not None:
        ctx.set_user(dialog.saved)
