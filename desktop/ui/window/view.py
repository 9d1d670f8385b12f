"""The main window's widgets (TagStudio style: this view builds, `desktop.ui.main_window`
behaves): the side panel with the section bar, the central stack of sections, and the built-in
"Locaties" section (navigator + pages: empty database, pick a location, location, group)."""

from __future__ import annotations

from desktop.services.directory import Directory
from desktop.ui.context import AppContext
from desktop.ui.location_page import LocationPage
from desktop.ui.navigator import Navigator
from desktop.ui.qt import (
    QAction,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.sections import SECTIONS, SectionSpec
from desktop.ui.widgets import EmptyState
from desktop.ui.window.group_page import GroupPage


class MainWindowView(QMainWindow):
    act_demo: QAction  # set by window.menus.build_menus
    act_side_bar: QAction

    def __init__(self, ctx: AppContext, directory: Directory) -> None:
        super().__init__()
        ctx.window = self  # views reach the window through ctx (open_location, show_section)
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

        self._build_locations_section()
        for n, spec in enumerate(SECTIONS, start=2):
            self._section_specs[spec.key] = spec
            placeholder = QWidget()  # the section is built when first shown (start-up speed)
            self._add_section(
                spec.key,
                spec.label,
                placeholder,
                spec.shortcut or (f"Ctrl+{n}" if n <= 9 else ""),
                spec.tooltip,
            )
        self._build_side_panel()

    def _build_locations_section(self) -> None:
        """The built-in "Locaties" section: navigator + pages."""
        self.navigator = Navigator()
        self.pages = QStackedWidget()
        self.empty = EmptyState(
            "Nog geen locaties",
            "Deze database bevat nog geen zorgaanbieders en locaties. Laad voorbeeldgegevens om "
            "het programma te verkennen, of importeer uw eigen gegevens via "
            "Bestand › Importeren….",
            "Voorbeeldgegevens laden",
        )
        self.pick = EmptyState(
            "Kies een locatie",
            "Kies links een locatie, of typ een deel van de naam, plaats, "
            "KvK-nummer of AGB-code in het zoekveld (Ctrl+F).",
        )
        # The location and group pages are built when first needed, or right after the
        # database is usable (`build_pages`): not before the window is shown (issue 18: ~50 ms
        # of the 0.8 s start-up budget).
        self._location_page: LocationPage | None = None
        self._group_page: GroupPage | None = None
        for w in (self.empty, self.pick):
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

    @property
    def location_page(self) -> LocationPage:
        if self._location_page is None:
            self._location_page = LocationPage(self.ctx)
            self.pages.addWidget(self._location_page)
        return self._location_page

    @property
    def group_page(self) -> GroupPage:
        if self._group_page is None:
            self._group_page = GroupPage(self.ctx)
            self.pages.addWidget(self._group_page)
        return self._group_page

    def build_pages(self) -> None:
        """Build the pages a click on the list shows, before the first click."""
        self.location_page  # noqa: B018
        self.group_page  # noqa: B018

    def _build_side_panel(self) -> None:
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

    def _add_section(
        self, key: str, label: str, widget: QWidget, shortcut: str, tooltip: str = ""
    ) -> None:
        self._sections[key] = self.stack.addWidget(widget)
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(f"{tooltip or label}  ({shortcut})" if shortcut else (tooltip or label))
        self.section_bar.addItem(item)
        self._section_shortcuts[key] = shortcut  # set on the Beeld menu's action

    def _fit_to_screen(self) -> None:
        """Open at most 1366×768 and never larger than the screen's free area (task bar and
        title bar included); a saved size and position win (restore_geometry)."""
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

    def _side_width(self) -> int:
        """Wide enough for the brand and the longest section name at the current font."""
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
