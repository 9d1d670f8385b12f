"""UI verbs for follow-up actions (vervolgacties), shared by "Mijn acties" and the location
tab "Bezoeken": each one service call on the database worker. The lists refresh on what the
service wrote (`ctx.entities_changed` carries "follow_up_action")."""

from __future__ import annotations

from typing import Any

from desktop.services import formatting
from desktop.ui.qt import QMessageBox, Qt, QTreeWidgetItem, QWidget


def action_item(a: Any, *, where: bool = False, due_colour: bool = False) -> QTreeWidgetItem:
    """One row of a list of actions (an ActionInfo): status, termijn, actie, [locatie,]
    eigenaar, [verantwoordelijk,] afgehandeld; `where` adds the columns in brackets."""
    middle = (
        [f"{a.location_name} ({a.provider_name})", a.owner_label, a.responsible_name]
        if where
        else [a.owner_label]
    )
    done = f"{formatting.short_date(a.done_at.date())} {a.done_by_name}" if a.done_at else ""
    item = QTreeWidgetItem(
        [
            a.state_label,
            formatting.short_date(a.due_date) if a.due_date else "—",
            a.description,
            *middle,
            done,
        ]
    )
    item.setData(0, Qt.ItemDataRole.UserRole, a.id)
    item.setData(1, Qt.ItemDataRole.UserRole, a.state)
    item.setToolTip(2, a.description)
    if a.state == "overdue":
        item.setForeground(0, Qt.GlobalColor.red)
    elif a.state == "due" and due_colour:
        item.setForeground(0, Qt.GlobalColor.darkYellow)
    return item


def mark_done(ctx: Any, parent: QWidget, action_id: str) -> None:
    """Afgehandeld: records who and when."""
    from desktop.services import actions

    _run(ctx, parent, actions.mark_done, action_id)


def reopen(ctx: Any, parent: QWidget, action_id: str) -> None:
    from desktop.services import actions

    _run(ctx, parent, actions.reopen, action_id)


def _run(ctx: Any, parent: QWidget, verb: Any, action_id: str) -> None:
    if ctx.user is None:
        return
    ctx.run(
        verb,
        ctx.db,
        action_id,
        actor_id=ctx.user.id,
        on_error=lambda e: QMessageBox.warning(parent, "Actie", str(e)),
    )
