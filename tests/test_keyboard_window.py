"""Keyboard and window fit on the real MainWindow (issue 14 items 3, 4 and 8): the Beeld menu
and Ctrl+1…9, Ctrl+F + Enter opens the found location, Down moves into the tree, full-text
search on Ctrl+Shift+F; the window fits the screen and remembers its geometry."""

from __future__ import annotations

from pathlib import Path

import pytest
from gui_helpers import main_window
from sqlmodel import select

from db.models import Location, Provider, Region
from db.repo import UnitOfWork


@pytest.fixture
def populated(db, users):  # type: ignore[no-untyped-def]
    with UnitOfWork(db, users["purchaser"].id) as uow:
        regions = {r.name: r for r in uow.exec(select(Region))}
        p1 = uow.add(Provider(name="Stichting De Linde", kvk_number="41234567", place="Utrecht"))
        for name, place in (
            ("Zorgcentrum De Linde", "Utrecht"),
            ("Huize Beukenrode", "Zeist"),
            ("Ühlenbeck Oost", "Amsterdam"),
        ):
            uow.add(
                Location(
                    provider_id=p1.id,
                    region_id=regions["Utrecht"].id,
                    name=name,
                    place=place,
                    capacity=40,
                )
            )
    return db


def _window(qtbot, db_path: Path):  # type: ignore[no-untyped-def]
    ctx, window = main_window(qtbot, db_path)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return ctx, window


def _current_key(window) -> str:  # type: ignore[no-untyped-def]
    from desktop.ui.qt import Qt

    return window.section_bar.currentItem().data(Qt.ItemDataRole.UserRole)


def test_beeld_menu_opens_each_section_and_shows_its_shortcut(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    ctx, window = _window(qtbot, db_path)
    actions = [a for a in window.menus["Beeld"].actions() if not a.isSeparator()][:-1]
    assert len(actions) >= 5
    for n, act in enumerate(actions[:9], start=1):
        assert act.shortcut().toString() == f"Ctrl+{n}", act.text()
    actions[2].trigger()  # used to pass False as the section key: nothing happened
    third = window.section_bar.item(2)
    assert window.section_bar.currentItem() is third
    actions[0].trigger()
    assert _current_key(window) == "locaties"
    ctx.executor.wait_idle(10)


def test_ctrl_number_switches_section(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    from desktop.ui.qt import QApplication, Qt

    ctx, window = _window(qtbot, db_path)
    window.section_bar.setFocus()
    QTest.keyClick(window.section_bar, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.section_bar.currentRow() == 1
    QTest.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier
    )
    assert _current_key(window) == "locaties"
    ctx.executor.wait_idle(10)


def test_ctrl_f_enter_opens_the_found_location_and_clears_the_filter(
    qtbot, populated, db_path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    from desktop.ui.qt import QApplication, Qt

    ctx, window = _window(qtbot, db_path)
    window.section_bar.setFocus()
    QTest.keyClick(window.section_bar, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    nav = window.navigator
    assert QApplication.focusWidget() is nav.filter_edit
    QTest.keyClicks(nav.filter_edit, "zeist")
    QTest.keyClick(nav.filter_edit, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.location_page
    assert _current_key(window) == "locaties"  # not the full-text search
    assert nav.filter_edit.text() == ""
    assert nav.tree.currentIndex().data() == "Huize Beukenrode — Zeist"
    assert QApplication.focusWidget() is nav.tree
    ctx.executor.wait_idle(10)


def test_down_in_the_filter_moves_into_the_tree(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    from desktop.ui.qt import QApplication, Qt

    ctx, window = _window(qtbot, db_path)
    nav = window.navigator
    window.focus_search()
    QTest.keyClicks(nav.filter_edit, "zorgcentrum")
    QTest.keyClick(nav.filter_edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is nav.tree
    assert nav.tree.currentIndex().data() == "Zorgcentrum De Linde — Utrecht"
    ctx.executor.wait_idle(10)


def test_full_text_search_has_its_own_shortcut(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    from desktop.ui.qt import QApplication, Qt

    ctx, window = _window(qtbot, db_path)
    window.section_bar.setFocus()
    QTest.keyClick(
        window.section_bar,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert _current_key(window) == "zoeken"
    assert QApplication.focusWidget() is window._section_widgets["zoeken"].query
    ctx.executor.wait_idle(10)


def test_window_fits_the_screen_and_remembers_its_geometry(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    ctx, window = _window(qtbot, db_path)
    free = window.screen().availableGeometry()
    assert window.frameGeometry().height() <= free.height() or window.height() < 768
    assert window.minimumWidth() <= 1024 and window.minimumHeight() <= 600
    window.resize(1100, 650)
    window.move(free.left() + 10, free.top() + 10)
    window.close()  # saves geometry
    ctx2, again = _window(qtbot, db_path)
    assert again.restore_geometry()
    # the offscreen screen is 800 px wide, so the width is clamped; the height is the saved one
    assert again.height() == 650
    ctx.executor.wait_idle(10)
    ctx2.executor.wait_idle(10)


def test_section_bar_folds_away_with_a_shortcut_and_stays_folded(qtbot, populated, db_path) -> None:  # type: ignore[no-untyped-def]
    """Beeld › Onderdelenbalk tonen (Ctrl+Shift+B): a small screen gets the room of the left
    bar; the sections stay on Ctrl+1…9; the choice survives a restart."""
    from desktop.ui.main_window import SIDE_BAR_SHORTCUT
    from desktop.ui.qt import QApplication, QKeySequence, Qt

    ctx, window = _window(qtbot, db_path)
    window.resize(1024, 600)
    act = window.act_side_bar
    assert act in window.menus["Beeld"].actions() and act.isCheckable() and act.isChecked()
    assert act.shortcut() == QKeySequence(SIDE_BAR_SHORTCUT) == QKeySequence("Ctrl+Shift+B")
    window.section_bar.setFocus()
    width_before = window.stack.width()
    qtbot.keyClick(
        window.section_bar,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.stack.width() > width_before)
    assert (
        not window.side_bar_visible() and not window.section_bar.isVisible() and not act.isChecked()
    )
    assert window.stack.width() >= width_before + 150  # the bar's room goes to the page
    focus = QApplication.focusWidget()
    assert focus is None or not window.side_panel.isAncestorOf(focus)  # no focus left hidden
    qtbot.keyClick(
        window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier
    )  # sections still reachable
    assert _current_key(window) == window.section_bar.item(3).data(Qt.ItemDataRole.UserRole)
    window.close()

    ctx2, again = _window(qtbot, db_path)  # the next start: still folded
    assert not again.side_bar_visible() and not again.act_side_bar.isChecked()
    again.act_side_bar.trigger()  # the menu item brings it back, and that is remembered too
    assert again.side_bar_visible() and again.section_bar.isVisible()
    again.close()
    ctx3, third = _window(qtbot, db_path)
    assert third.side_bar_visible()
    for c in (ctx, ctx2, ctx3):
        c.executor.wait_idle(10)
