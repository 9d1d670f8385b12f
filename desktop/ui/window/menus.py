"""The main window's menu bar: Bestand, Bewerken, Beeld, Extra, Help, plus what the areas
register in sections.MENU_ACTIONS (handler called as function(ctx, window))."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from desktop.ui.qt import QAction, QKeySequence, QMenu, Qt
from desktop.ui.sections import MENU_ACTIONS, load
from desktop.ui.window.placement import SIDE_BAR_SHORTCUT

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

Shortcut = str | QKeySequence.StandardKey | None


def add_action(
    window: MainWindow, menu: QMenu, text: str, slot: Callable[..., Any], shortcut: Shortcut = None
) -> QAction:
    act = QAction(text, window)
    if shortcut is not None:
        act.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
    act.triggered.connect(slot)
    menu.addAction(act)
    return act


def build_menus(window: MainWindow) -> dict[str, QMenu]:
    """The menus, wired to the window's slots; sets window.act_demo and window.act_side_bar."""
    bar = window.menuBar()
    menus = {
        name: bar.addMenu(f"&{name}") for name in ("Bestand", "Bewerken", "Beeld", "Extra", "Help")
    }
    m = menus["Bestand"]
    window.act_demo = add_action(window, m, "Voorbeeldgegevens laden…", window.load_demo_data)
    add_action(window, m, "Gebruiker wisselen…", window.switch_user)
    m.addSeparator()
    add_action(window, m, "Afsluiten", window.close, QKeySequence.StandardKey.Quit)
    m = menus["Bewerken"]
    add_action(window, m, "Zoeken…", window.focus_search, QKeySequence.StandardKey.Find)
    if "zoeken" in window._sections:
        add_action(
            window, m, "In alle teksten zoeken…", window.focus_full_text_search, "Ctrl+Shift+F"
        )
    m = menus["Beeld"]
    for row in range(window.section_bar.count()):
        item = window.section_bar.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        # triggered(bool) must not land in `k` (it used to pass False as the section key)
        add_action(
            window,
            m,
            item.text(),
            lambda _checked=False, k=key: window.show_section(k),
            window._section_shortcuts.get(key) or None,
        )
    m.addSeparator()
    # A small screen (1024×600) gets ~190 px more room without the left bar; the sections
    # stay on Ctrl+1…9 and in this menu. Remembered between sessions.
    window.act_side_bar = add_action(
        window, m, "Onderdelenbalk tonen", window.set_side_bar_visible, SIDE_BAR_SHORTCUT
    )
    window.act_side_bar.setCheckable(True)
    window.act_side_bar.setChecked(True)
    add_action(window, m, "Vernieuwen", window.refresh_all, QKeySequence.StandardKey.Refresh)
    m = menus["Extra"]
    add_action(window, m, "Mijn profiel…", window.edit_profile)
    m = menus["Help"]
    add_action(window, m, "Logbestanden openen", window.open_logs)
    add_action(window, m, "Over Kwaliteitsdialoog", window.show_about)
    for spec in MENU_ACTIONS:
        menu = menus.get(spec.menu) or bar.addMenu(spec.menu)
        menus.setdefault(spec.menu, menu)

        def run(_checked: bool = False, ref: str = spec.handler) -> None:
            load(ref)(window.ctx, window)

        add_action(window, menu, spec.label, run, spec.shortcut or None)
    return menus
