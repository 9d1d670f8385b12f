"""The three colleagues most tests work with: one place for their names, initials and roles."""

from __future__ import annotations

from typing import Any


def make_colleagues(db: Any, advisor: bool = True) -> dict[str, Any]:
    """A zorginkoper (the current user), a kwaliteitsadviseur and a teamleider, created in `db`
    by the zorginkoper; keyed "purchaser", "advisor", "lead" (without the kwaliteitsadviseur
    when `advisor` is False)."""
    from desktop.services.users import create_user

    people: dict[str, Any] = {}
    purchaser = people["purchaser"] = create_user(
        db, name="Anna de Vries", initials="AdV", roles=["PURCHASER"]
    )
    if advisor:
        people["advisor"] = create_user(
            db, name="Bram Jansen", initials="BJ", roles=["QUALITY_ADVISOR"], actor_id=purchaser.id
        )
    people["lead"] = create_user(
        db,
        name="Carla Bakker",
        initials="CB",
        roles=["TEAM_LEAD"],
        function_title="Teamleider zorginkoop",
        actor_id=purchaser.id,
    )
    return people
