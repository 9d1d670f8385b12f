"""The main window: section bar, navigator + pages, menus, status bar with progress."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from desktop.services import directory as directory_service
from desktop.services.directory import Directory
from desktop.ui import a11y
from desktop.ui.context import AppContext
from desktop.ui.dutch import ask
from desktop.ui.executor import Job
from desktop.ui.location_page import LocationPage
from desktop.ui.navigator import Navigator
from desktop.ui.qt import (
    QAbstractItemView,
    QAction,
    QDesktopServices,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.sections import MENU_ACTIONS, SECTIONS, SectionSpec, load
from desktop.ui.widgets import EmptyState, title_label

if TYPE_CHECKING:
    from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500
SIDE_BAR_KEY = "venster/onderdelenbalk"
SIDE_BAR_SHORTCUT = "Ctrl+Shift+B"


class GroupPage(QWidget):
    """Provider or region page: identifiers and its locations (from the loaded directory)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 12, 16, 12)
        self.title = title_label("")
        self.subtitle = title_label("", "pageSubtitle")
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Locatie", "Plaats", "AGB-code", "Capaciteit"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        lay.addWidget(self.table, 1)
        self._ids: list[str] = []
        self.provider_panel: ProviderDiagnosisPanel | None = (
            None  # built on the first provider shown
        )

    def show_group(
        self,
        title: str,
        subtitle: str,
        rows: list,  # type: ignore[type-arg]
        provider_id: str | None = None,
    ) -> None:
        """A region: its locations. A provider: its kwaliteitsdiagnose (locations × themes,
        top three, provider-wide notes) once the database is open."""
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        diagnose = provider_id is not None and self.ctx.db_ready
        if diagnose and self.provider_panel is None:
            from desktop.ui.diagnosis.provider import ProviderDiagnosisPanel

            self.provider_panel = ProviderDiagnosisPanel(self.ctx)
            self.layout().addWidget(self.provider_panel, 1)
        self.table.setVisible(not diagnose)
        if self.provider_panel is not None:
            self.provider_panel.setVisible(diagnose)
            if diagnose:
                self.provider_panel.load(provider_id)  # type: ignore[arg-type]
        self.table.setRowCount(len(rows))
        self._ids = [r.id for r in rows]
        for i, r in enumerate(rows):
            for j, v in enumerate((r.name, r.place, r.agb_code, str(r.capacity or ""))):
                self.table.setItem(i, j, QTableWidgetItem(v))

    def _open(self, index) -> None:  # type: ignore[no-untyped-def]
        self.ctx.open_location(self._ids[index.row()])


class ProgressArea(QWidget):
    """Status-bar progress for work that takes longer than half a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("Annuleren")
        self.cancel.setFlat(True)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel)
        self.job: Job | None = None
        self.cancel.clicked.connect(self._cancel)
        self.hide()

    def show_job(self, job: Job) -> None:
        self.job = job
        self.label.setText(job.label or "Bezig…")
        self.bar.setRange(0, 0)
        self.cancel.setVisible(job.cancellable)
        self.cancel.setEnabled(True)
        self.show()

    def update(self, job: Job, done: int, total: int, text: str) -> None:  # type: ignore[override]
        if job is not self.job:
            return
        if total:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        if text:
            self.label.setText(text)

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.label.setText("Annuleren…")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, directory: Directory) -> None:
        super().__init__()
        a11y.install()  # keyboard and screen-reader rules for every widget polished from now on
        ctx.window = self
        self.ctx = ctx
        self.directory = directory
        self.setWindowTitle("Kwaliteitsdialoog")
        self._fit_to_screen()
        self.setMinimumSize(960, 540)  # 1920×1080 at 200 % scaling (issue 21)

        # Sections: the left bar switches the central stack.
        self.section_bar = QListWidget()
        self.section_bar.setObjectName("sectionBar")
        self.section_bar.setAccessibleName("Onderdelen")
        self.stack = QStackedWidget()
        self._sections: dict[str, int] = {}
        self._section_specs: dict[str, SectionSpec] = {}
        self._section_widgets: dict[str, QWidget] = {}
        self._section_shortcuts: dict[str, str] = {}

        # The built-in "Locaties" section: navigator + pages.
        self.navigator = Navigator()
        self.pages = QStackedWidget()
        self.empty = EmptyState(
            "Nog geen locaties",
            "Deze database bevat nog geen zorgaanbieders en locaties. Laad voorbeeldgegevens om "
            "het programma te verkennen, of importeer uw eigen gegevens via "
            "Bestand › Importeren….",
            "Voorbeeldgegevens laden",
        )
        assert self.empty.button is not None
        self.empty.button.clicked.connect(self.load_demo_data)
        self.pick = EmptyState(
            "Kies een locatie",
            "Kies links een locatie, of typ een deel van de naam, plaats, "
            "KvK-nummer of AGB-code in het zoekveld (Ctrl+F).",
        )
        self.location_page = LocationPage(ctx)
        self.group_page = GroupPage(ctx)
        for w in (self.empty, self.pick, self.location_page, self.group_page):
            self.pages.addWidget(w)
        split = QSplitter()
        split.addWidget(self.navigator)
        split.addWidget(self.pages)
        # The list stays readable however wide a page wants to be.
        self.navigator.setMinimumWidth(250)
        split.setCollapsible(0, False)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 1000])
        self._add_section("locaties", "Locaties", split, "Ctrl+1")
        for n, spec in enumerate(SECTIONS, start=2):
            self._section_specs[spec.key] = spec
            placeholder = QWidget()
            self._add_section(
                spec.key,
                spec.label,
                placeholder,
                spec.shortcut or (f"Ctrl+{n}" if n <= 9 else ""),
                spec.tooltip,
            )

        side = QWidget()
        self.side_panel = side  # Beeld › Onderdelenbalk tonen hides it (small screens)
        side.setObjectName("sidePanel")
        side.setFixedWidth(self._side_width())
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.setSpacing(0)
        brand = QLabel("Kwaliteits<b>dialoog</b>")
        brand.setObjectName("brand")
        side_lay.addWidget(brand)
        side_lay.addWidget(self.section_bar, 1)
        self.side_user = QLabel("")
        self.side_user.setObjectName("sideUser")
        self.side_user.setWordWrap(True)
        side_lay.addWidget(self.side_user)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.section_bar.currentRowChanged.connect(self._on_section_row)
        self.section_bar.setCurrentRow(0)

        self.navigator.location_selected.connect(self._show_location)
        self.navigator.provider_selected.connect(self._show_provider)
        self.navigator.region_selected.connect(self._show_region)
        self.navigator.search_requested.connect(self._full_text_search)

        self._build_menus()
        self._build_status_bar()
        ctx.changed.connect(self._on_changed)
        ctx.user_changed.connect(self._show_user)
        self.set_directory(directory)
        self._restore_side_bar()

    def _restore_side_bar(self) -> None:
        from desktop.ui.files import app_settings

        visible = app_settings().value(SIDE_BAR_KEY, True)
        visible = visible not in (False, "false", "0", 0)  # an ini file keeps it as text
        self.side_panel.setVisible(visible)
        self.act_side_bar.setChecked(visible)

    def _fit_to_screen(self) -> None:
        """Open at most 1366×768 and never larger than the screen's free area (task bar and
        title bar included); a saved size and position win (restore_geometry)."""
        from desktop.ui.qt import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        free = screen.availableGeometry() if screen is not None else None
        width, height = 1366, 768
        if free is not None:
            title = self.style().pixelMetric(self.style().PixelMetric.PM_TitleBarHeight) or 30
            width = min(width, free.width())
            height = min(height, free.height() - title)
            self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
            frame = self.frameGeometry()
            frame.moveCenter(free.center())
            self.move(max(free.left(), frame.left()), max(free.top(), frame.top()))
        else:
            self.resize(width, height)

    def set_side_bar_visible(self, visible: bool) -> None:
        """Show or fold away the left bar of sections; the choice is saved at once."""
        from desktop.ui.files import app_settings

        if not visible and self.side_panel.isAncestorOf(self.focusWidget()):
            self.stack.setFocus(Qt.FocusReason.OtherFocusReason)  # never leave the focus hidden
        self.side_panel.setVisible(visible)
        self.act_side_bar.blockSignals(True)
        self.act_side_bar.setChecked(visible)
        self.act_side_bar.blockSignals(False)
        s = app_settings()
        s.setValue(SIDE_BAR_KEY, visible)
        s.sync()

    def side_bar_visible(self) -> bool:
        return not self.side_panel.isHidden()

    def restore_geometry(self) -> bool:
        """Size, position and state of the last session (QSettings), if it still fits."""
        from desktop.ui.files import app_settings

        s = app_settings()
        geometry = s.value("venster/geometrie")
        ok = bool(geometry) and self.restoreGeometry(geometry)
        state = s.value("venster/toestand")
        if state:
            self.restoreState(state)
        return ok

    def save_geometry(self) -> None:
        from desktop.ui.files import app_settings

        s = app_settings()
        s.setValue("venster/geometrie", self.saveGeometry())
        s.setValue("venster/toestand", self.saveState())
        s.sync()

    def _side_width(self) -> int:
        """Wide enough for the brand and the longest section name at the current font."""
        from desktop.ui.qt import QFont, QFontMetrics

        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 13 / 9)  # the brand's size in the stylesheet
        big.setBold(True)
        widest = max(
            [QFontMetrics(big).horizontalAdvance("Kwaliteitsdialoog") + 36]
            + [
                QFontMetrics(self.font()).horizontalAdvance(self.section_bar.item(r).text())
                * 10.5
                / 9
                + 40
                for r in range(self.section_bar.count())
            ]
        )
        return max(184, int(widest))

    # -- sections ---------------------------------------------------------------------------
    def _add_section(
        self, key: str, label: str, widget: QWidget, shortcut: str, tooltip: str = ""
    ) -> None:
        self._sections[key] = self.stack.addWidget(widget)
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(f"{tooltip or label}  ({shortcut})" if shortcut else (tooltip or label))
        self.section_bar.addItem(item)
        self._section_shortcuts[key] = shortcut  # set on the Beeld menu's action

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

    def _ensure_section(self, key: str) -> QWidget:
        if key in self._section_widgets or key == "locaties":
            return self._section_widgets.get(key) or self.stack.widget(self._sections[key])
        spec = self._section_specs[key]
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
        current = self.location_page.location_id
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

    def _on_changed(self, entity: str) -> None:
        if entity in ("*", "location", "provider", "region"):
            self.reload_directory()

    def _full_text_search(self, text: str) -> None:
        if "zoeken" in self._sections and text.strip():
            widget = self.show_section("zoeken")
            setter = getattr(widget, "set_query", None)
            if setter is not None:
                setter(text)

    # -- menus -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus = {
            name: bar.addMenu(f"&{name}")
            for name in ("Bestand", "Bewerken", "Beeld", "Extra", "Help")
        }
        m = self.menus["Bestand"]
        self.act_demo = self._action(m, "Voorbeeldgegevens laden…", self.load_demo_data)
        self._action(m, "Gebruiker wisselen…", self.switch_user)
        m.addSeparator()
        self._action(m, "Afsluiten", self.close, QKeySequence.StandardKey.Quit)
        m = self.menus["Bewerken"]
        self._action(m, "Zoeken…", self.focus_search, QKeySequence.StandardKey.Find)
        if "zoeken" in self._sections:
            self._action(m, "In alle teksten zoeken…", self.focus_full_text_search, "Ctrl+Shift+F")
        m = self.menus["Beeld"]
        for row in range(self.section_bar.count()):
            item = self.section_bar.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            # triggered(bool) must not land in `k` (it used to pass False as the section key)
            self._action(
                m,
                item.text(),
                lambda _checked=False, k=key: self.show_section(k),
                self._section_shortcuts.get(key) or None,
            )
        m.addSeparator()
        # A small screen (1024×600) gets ~190 px more room without the left bar; the sections
        # stay on Ctrl+1…9 and in this menu. Remembered between sessions.
        self.act_side_bar = self._action(
            m, "Onderdelenbalk tonen", self.set_side_bar_visible, SIDE_BAR_SHORTCUT
        )
        self.act_side_bar.setCheckable(True)
        self.act_side_bar.setChecked(True)
        self._action(
            m, "Vernieuwen", lambda: self.ctx.changed.emit("*"), QKeySequence.StandardKey.Refresh
        )
        m = self.menus["Extra"]
        self._action(m, "Mijn profiel…", self.edit_profile)
        m = self.menus["Help"]
        self._action(m, "Logbestanden openen", self._open_logs)
        self._action(m, "Over Kwaliteitsdialoog", self.show_about)
        for spec in MENU_ACTIONS:
            menu = self.menus.get(spec.menu) or self.menuBar().addMenu(spec.menu)
            self.menus.setdefault(spec.menu, menu)

            def run(_checked: bool = False, ref: str = spec.handler) -> None:
                load(ref)(self.ctx, self)

            self._action(menu, spec.label, run, spec.shortcut or None)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut) if isinstance(shortcut, str) else shortcut)
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    def focus_search(self) -> None:
        self.show_section("locaties")
        self.navigator.focus_filter()

    def focus_full_text_search(self) -> None:
        widget = self.show_section("zoeken")
        edit = getattr(widget, "query", None)
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    # -- status bar ----------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.progress = ProgressArea()
        sb.addWidget(self.progress)
        self.user_label = QLabel("")
        self.db_label = QLabel(f"Database: {self.ctx.db_path}")
        self.db_label.setToolTip(str(self.ctx.db_path))
        sb.addPermanentWidget(self.user_label)
        sb.addPermanentWidget(self.db_label)
        self._pending: dict[int, float] = {}
        ex = self.ctx.executor
        ex.job_started.connect(self._job_started)
        ex.job_progress.connect(self.progress.update)
        ex.job_finished.connect(self._job_finished)

    def _job_started(self, job: Job) -> None:
        self._pending[job.id] = time.monotonic()
        QTimer.singleShot(PROGRESS_DELAY_MS, lambda j=job: self._maybe_show_progress(j))

    def _maybe_show_progress(self, job: Job) -> None:
        if not job.finished:
            self.progress.show_job(job)

    def _job_finished(self, job: Job) -> None:
        self._pending.pop(job.id, None)
        if self.progress.job is job:
            self.progress.hide()
            self.progress.job = None

    def _show_user(self, user) -> None:  # type: ignore[no-untyped-def]
        self.setWindowTitle(f"Kwaliteitsdialoog – {user.name}" if user else "Kwaliteitsdialoog")
        self.user_label.setText(f"{user.name} ({user.roles_label})" if user else "Geen profiel")
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
        """Bestand › Gebruiker wisselen (issue 13); views follow ctx.user_changed / changed."""
        from desktop.ui.team.switch_user_dialog import open_switch_user_dialog

        open_switch_user_dialog(self.ctx, self)

    def show_about(self) -> None:
        from desktop.ui.dialogs import AboutDialog

        AboutDialog(str(self.ctx.db_path), self).exec()

    def _open_logs(self) -> None:
        from desktop.services.paths import log_dir

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        # Unsaved work on a page with one save (the aanvraag page): Opslaan / Niet opslaan / Annuleren.
        for widget in self._section_widgets.values():
            ask = getattr(widget, "ask_leave", None)
            if ask is None:
                continue
            answer = ask()
            if answer == "cancel":
                event.ignore()
                return
            if answer == "save":
                event.ignore()
                widget.editor.save(after=self.close)
                return
            if answer == "discard":
                widget.editor._snapshot = {}
        # Views with unsaved work (e.g. a visit form) save drafts when asked.
        for widget in [*self._section_widgets.values(), *self.location_page._built.values()]:
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
