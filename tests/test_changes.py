"""The typed change set (issue 19): UnitOfWork collects what it committed, the executor
announces it, and the letters view reacts to an approval no view announced by name."""

from __future__ import annotations

from pathlib import Path

from tests.letters_helpers import _template_db, db, decided, make_world, users  # noqa: F401 (fixtures)


def test_a_unit_of_work_reports_what_it_committed_and_nothing_it_rolled_back(db, users) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from db.errors import RuleViolation
    from desktop.services import requests as rq
    from desktop.services.changes import collect_changes

    rid = decided(db, users, make_world(db, users["purchaser"].id), approve=False)
    with collect_changes() as changed:
        rq.submit(db, rid, users["purchaser"].id)
    assert "review_event" in changed
    with collect_changes() as refused, pytest.raises(RuleViolation):
        rq.approve(db, rid, users["purchaser"].id)  # the maker may not approve: rolled back
    assert not refused
    with collect_changes() as outer:
        with collect_changes() as inner:
            rq.approve(db, rid, users["lead"].id)
    assert "review_event" in inner and inner <= outer


def test_letters_view_lists_a_decision_approved_elsewhere(qtbot, db, users) -> None:  # type: ignore[no-untyped-def]
    from desktop.services import requests as rq
    from desktop.ui.context import AppContext
    from desktop.ui.letters.letters_view import LettersSection

    rid = decided(db, users, make_world(db, users["purchaser"].id), approve=False)
    rq.submit(db, rid, users["purchaser"].id)
    ctx = AppContext(Path(db.path))
    ctx.set_db(db)
    ctx.set_user(users["purchaser"])
    view = LettersSection(ctx)
    qtbot.addWidget(view)
    view.show()

    def settle() -> None:
        for _ in range(3):
            ctx.executor.wait_idle(30)
            qtbot.wait(30)

    settle()
    assert [r.kind for r in view.rows] == []
    announced: list[frozenset[str]] = []
    ctx.entities_changed.connect(announced.append)
    # Approving through the executor, as the review queue does; nobody emits a string.
    ctx.run(rq.approve, db, rid, users["lead"].id)
    settle()
    assert any("review_event" in names for names in announced)
    assert not hasattr(ctx, "changed")  # the hand-typed string seam is gone (issue 19)
    assert [r.kind for r in view.rows] == ["pending"]
