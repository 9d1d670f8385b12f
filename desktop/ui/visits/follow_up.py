"""UI verbs for follow-up actions (vervolgacties), shared by "Mijn acties" and the location
tab "Bezoeken": each one service call on the database worker. The lists refresh on what the
service wrote (`ctx.entities_changed` carries "follow_up_action")."""

from __future__ import annotations

from typing import Any

from desktop.ui.qt import QMessageBox, QWidget


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
