"""The main window: section bar, navigator + pages, menus, status bar with progress.

The controller (TagStudio style): `desktop.ui.window.view.MainWindowView` builds the widgets,
this class wires them and holds the behaviour (switching sections, showing locations, the menu
verbs, closing). Menus, status bar, window placement and the provider/region page live in
`desktop.ui.window`; their public names stay importable from here."""

from __future__ import annotations

import logging
from typing import Any

from desktop.services import directory as directory_service
from desktop.services.changes import ChangeSet, touches
from desktop.services.directory import Directory
from desktop.ui import a11y
from desktop.ui.context import AppContext
from desktop.ui.dutch import ask
from desktop.ui.qt import QCloseEvent, QDesktopServices, Qt, QUrl, QWidget
from desktop.ui.sections import load
from desktop.ui.widgets import EmptyState
from desktop.ui.window.group_page import GroupPage
from desktop.ui.window.menus import build_menus
from desktop.ui.window.placement import SIDE_BAR_KEY, SIDE_BAR_SHORTCUT, WindowPlacement
from desktop.ui.window.status_bar import PROGRESS_DELAY_MS, ProgressArea, StatusBar
from desktop.ui.window.view import MainWindowView

log = logging.getLogger(__name__)

__all__ = [
    "PROGRESS_DELAY_MS",
    "SIDE_BAR_KEY",
    "SIDE_BAR_SHORTCUT",
    "GroupPage",
    "MainWindow",
    "ProgressArea",
]


class MainWindow(MainWindowView, WindowPlacement):
    def __init__(self, ctx: AppContext, directory: Directory) -> None:
        a11y.install()  # keyboard and screen-reader rules for every widget polished from now on
        super().__init__(ctx, directory)
        assert self.empty.button is not None
        self.empty.button.clicked.connect(self.load_demo_data)
        self.section_bar.currentRowChanged.connect(self._on_section_row)
        self.section_bar.setCurrentRow(0)

        self.navigator.location_selected.connect(self._show_location)
        self.navigator.provider_selected.connect(self._show_provider)
        self.navigator.region_selected.connect(self._show_region)
        self.navigator.search_requested.connect(self._full_text_search)

        self.menus = build_menus(self)
        self.status = StatusBar(ctx, self.statusBar())
        self.progress = self.status.progress
        self.user_label = self.status.user_label
        self.db_label = self.status.db_label
        ctx.entities_changed.connect(self._entities_changed)
        ctx.user_changed.connect(self._show_user)
        self.set_directory(directory)
        self._restore_side_bar()

    # -- sections ---------------------------------------------------------------------------
    def _on_section_row(self, row: int) -> None:
        item = self.section_bar.item(row)
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        # A section with unsaved work (the aanvraag page) is asked first (issue 14).
        prev = getattr(self, "_current_key", None)
        guard = getattr(self._section_widgets.get(prev or ""), "confirm_leave", None)
        if guard is not None and prev != key:
            self._select_row_quietly(prev)
            guard(lambda: self._switch_section(key))
            return
        self._switch_section(key)

    def _select_row_quietly(self, key: str | None) -> None:
        for r in range(self.section_bar.count()):
            if self.section_bar.item(r).data(Qt.ItemDataRole.UserRole) == key:
                self.section_bar.blockSignals(True)
                self.section_bar.setCurrentRow(r)
                self.section_bar.blockSignals(False)

    def _switch_section(self, key: str) -> None:
        self._current_key = key
        self._select_row_quietly(key)
        self._ensure_section(key)
        self.stack.setCurrentIndex(self._sections[key])

    def _ensure_section(self, key: str) -> QWidget | None:
        if key in self._section_widgets or key == "locaties":
            return self._section_widgets.get(key) or self.stack.widget(self._sections[key])
        spec = self._section_specs[key]
        widget: QWidget
        try:
            widget = load(spec.factory)(self.ctx)
        except Exception:
            log.exception("cannot build section %s", key)
            widget = EmptyState(
                "Dit onderdeel kan niet worden geopend",
                "Er ging iets mis bij het openen. De details staan in het logbestand.",
            )
        index = self._sections[key]
        old = self.stack.widget(index)
        if old is not None:
            self.stack.removeWidget(old)
            old.deleteLater()
        self.stack.insertWidget(index, a11y.scrollable(widget))  # scrolls, never squeezes, at 200 %
        self._section_widgets[key] = widget
        return widget

    def show_section(self, key: str) -> QWidget | None:
        if key not in self._sections:
            return None
        for row in range(self.section_bar.count()):
            if self.section_bar.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.section_bar.setCurrentRow(row)
        return self._ensure_section(key)

    # -- locations ---------------------------------------------------------------------------
    def set_directory(self, directory: Directory) -> None:
        self.directory = directory
        current = self._location_page.location_id if self._location_page else None
        self.navigator.set_directory(directory)
        if not directory.locations:
            self.pages.setCurrentWidget(self.empty)
        elif current and self.navigator.select_location(current):
            pass
        else:
            self.pages.setCurrentWidget(self.pick)

    def open_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.show_section("locaties")
        if self.navigator.select_location(location_id) and theme_code is None:
            return
        self._show_location(location_id, theme_code)

    def _show_location(self, location_id: str, theme_code: str | None = None) -> None:
        self.pages.setCurrentWidget(self.location_page)
        self.location_page.set_location(location_id, theme_code)

    def _show_provider(self, provider_id: str) -> None:
        rows = [r for r in self.directory.locations if r.provider_id == provider_id]
        if not rows:
            return
        r0 = rows[0]
        kvk = f"KvK {r0.provider_kvk}" if r0.provider_kvk else "KvK onbekend"
        agb = f"AGB {r0.provider_agb}" if r0.provider_agb else "AGB onbekend"
        self.group_page.show_group(
            r0.provider_name,
            f"Zorgaanbieder · {kvk} · {agb} · {len(rows)} locatie(s)",
            rows,
            provider_id=provider_id,
        )
        self.pages.setCurrentWidget(self.group_page)

    def _show_region(self, region_id: str) -> None:
        rows = [r for r in self.directory.locations if r.region_id == region_id]
        if not rows:
            return
        providers = len({r.provider_id for r in rows})
        self.group_page.show_group(
            f"Regio {rows[0].region_name}",
            f"{rows[0].care_office_name or 'Zonder zorgkantoor'} · {providers} zorgaanbieders · "
            f"{len(rows)} locaties",
            rows,
        )
        self.pages.setCurrentWidget(self.group_page)

    def reload_directory(self) -> None:
        self.ctx.run(
            directory_service.load_directory,
            self.ctx.db_path,
            on_done=self.set_directory,
            label="Locaties laden",
        )

    def _entities_changed(self, changes: ChangeSet) -> None:
        if touches(changes, "location", "provider", "region"):
            self.reload_directory()

    def refresh_all(self) -> None:
        """Beeld › Vernieuwen (F5): every view reloads what it shows."""
        self.ctx.announce("*")

    def _full_text_search(self, text: str) -> None:
        if "zoeken" in self._sections and text.strip():
            widget = self.show_section("zoeken")
            setter = getattr(widget, "set_query", None)
            if setter is not None:
                setter(text)

    def focus_search(self) -> None:
        self.show_section("locaties")
        self.navigator.focus_filter()

    def focus_full_text_search(self) -> None:
        widget = self.show_section("zoeken")
        edit = getattr(widget, "query", None)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def _show_user(self, user: Any) -> None:
        self.setWindowTitle(f"Kwaliteitsdialoog – {user.name}" if user else "Kwaliteitsdialoog")
        self.status.show_user(user)
        self.side_user.setText(
            f"<b>{user.name}</b><br>{user.roles_label}"
            if user
            else "Nog geen profiel<br><i>Extra › Mijn profiel</i>"
        )

    # -- actions -----------------------------------------------------------------------------------
    def load_demo_data(self) -> None:
        if self.directory.locations:
            if not ask(
                self,
                "Voorbeeldgegevens laden",
                "Deze database bevat al gegevens. Voorbeeldgegevens worden toegevoegd, er "
                "wordt niets verwijderd. Doorgaan?",
                yes="Toevoegen",
                no="Annuleren",
            ):
                return
        from desktop.ui.app import load_demo

        load_demo(self.ctx, self)

    def edit_profile(self) -> None:
        from desktop.ui.app import ask_profile

        ask_profile(self.ctx, self, first_start=self.ctx.user is None)

    def switch_user(self) -> None:
        """Bestand › Gebruiker wisselen (issue 13); views follow ctx.user_changed / changes."""
        from desktop.ui.team.switch_user_dialog import open_switch_user_dialog

        open_switch_user_dialog(self.ctx, self)

    def show_about(self) -> None:
        from desktop.ui.dialogs import AboutDialog

        AboutDialog(str(self.ctx.db_path), self).exec()

    def open_logs(self) -> None:
        from desktop.services.paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Unsaved work on a page with one save (the aanvraag page): Opslaan / Niet opslaan / Annuleren.
        for widget in self._section_widgets.values():
            ask_leave = getattr(widget, "ask_leave", None)
            if ask_leave is None:
                continue
            answer = ask_leave()
            editor: Any = getattr(widget, "editor", None)
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                event.ignore()
                editor.save(after=self.close)
                return
            if answer == "discard":
                editor._snapshot = {}
        # Views with unsaved work (e.g. a visit form) save drafts when asked.
        built_tabs = self._location_page._built.values() if self._location_page else ()
        for widget in [*self._section_widgets.values(), *built_tabs]:
            hook = getattr(widget, "save_before_close", None)
            if hook is not None:
                try:
                    hook()
                except Exception:
                    log.exception("save_before_close failed")
        self.ctx.executor.wait_idle(timeout=15)
        try:
            self.save_geometry()
        except Exception:
            log.exception("cannot save the window geometry")
        super().closeEvent(event)
