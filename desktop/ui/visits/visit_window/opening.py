"""Opening visit windows: one window per visit (raised when it is open already), loaded on
the database worker; a new visit; closing them all with the main window (drafts are saved
first, and a window whose draft could not be saved keeps the main window open)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.qt import QEvent, QMessageBox, QObject
from desktop.ui.visits.visit_window.controller import VisitWindow

OnOpen = Callable[[VisitWindow], None] | None

#: the open visit windows by visit id
_OPEN: dict[str, VisitWindow] = {}


def _load(db: Any, visit_id: str) -> tuple[Any, Any]:
    """Worker: the visit and its form definition (its own version)."""
    from desktop.services.visits import get_visit
    from forms import load_form

    visit = get_visit(db, visit_id)
    return visit, load_form(visit.form_id, visit.form_version)


def open_windows() -> dict[str, VisitWindow]:
    """The open visit windows by visit id."""
    return _OPEN


class _CloseWithMainWindow(QObject):
    """Closing the main window first closes (and so saves) every open visit window; if one
    of them refuses (its draft could not be saved), the main window stays open."""

    def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]  # noqa: N802
        if event.type() == QEvent.Type.Close:
            for win in list(_OPEN.values()):
                if not win.close():
                    event.ignore()
                    return True
        return False


def close_all_visits() -> bool:
    """Close every open visit window (drafts are saved). False when one refused."""
    return all(win.close() for win in list(_OPEN.values()))


def _watch_main_window(ctx: Any) -> None:
    main = getattr(ctx, "window", None)
    if main is not None and not getattr(main, "_visits_close_filter", None):
        filt = _CloseWithMainWindow(main)
        main.installEventFilter(filt)
        main._visits_close_filter = filt


def open_visit(ctx: Any, visit_id: str, on_open: OnOpen = None) -> None:
    """Open (or raise) the window of a visit; loads on the worker."""
    _watch_main_window(ctx)
    win = _OPEN.get(visit_id)
    if win is not None:
        win.raise_()
        win.activateWindow()
        if on_open:
            on_open(win)
        return

    def show(result: Any) -> None:
        visit, form = result
        w = VisitWindow(ctx, visit, form)
        _OPEN[visit.id] = w
        w.closing.connect(lambda vid: _OPEN.pop(vid, None))
        w.correction_started.connect(lambda rev_id: open_visit(ctx, rev_id))
        w.show()
        w.view.go_to_section(0)
        if on_open:
            on_open(w)

    ctx.run(_load, ctx.db, visit_id, on_done=show, label="Bezoek openen")


def new_visit(ctx: Any, location_id: str, on_open: OnOpen = None) -> None:
    from desktop.services.visits import create_visit

    if ctx.user is None:
        QMessageBox.information(None, "Nieuw bezoek", "Stel eerst uw profiel in (menu Bestand).")
        return

    def created(visit: Any) -> None:
        open_visit(ctx, visit.id, on_open)

    ctx.run(
        create_visit,
        ctx.db,
        location_id,
        actor_id=ctx.user.id,
        on_done=created,
        label="Nieuw bezoek",
    )
