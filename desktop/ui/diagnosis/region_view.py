"""The widgets of the Regio-overzicht (TagStudio style: this view builds and sizes them,
`desktop.ui.diagnosis.region.RegionOverview` holds the behaviour): filters, legend, the
heatmap table and the distribution charts per theme."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.ui.diagnosis.heatmap import FIXED, HeatCellDelegate, HeatmapModel
from desktop.ui.diagnosis.widgets import PATTERN_LEGEND, DistributionChart
from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QResizeEvent,
    QScrollArea,
    QSplitter,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import ERROR, rating_style
from desktop.ui.widgets import EmptyState, muted_label, title_label, titled_pane

if TYPE_CHECKING:
    from desktop.services.reference import ThemeInfo

SORT_CHOICES = (
    ("urgency", "Urgentie"),
    ("name", "Naam"),
    ("provider", "Zorgaanbieder"),
    ("oldest", "Oudste oordeel eerst"),
)


class RegionOverviewView(QWidget):
    def __init__(self, themes: Sequence[ThemeInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 12)
        head = QHBoxLayout()
        self.title = title_label("Regio-overzicht")
        head.addWidget(self.title, 1)
        self.btn_xlsx = QPushButton("Naar Excel…")
        self.btn_csv = QPushButton("Naar CSV…")
        head.addWidget(self.btn_xlsx)
        head.addWidget(self.btn_csv)
        outer.addLayout(head)
        self.subtitle = title_label("", "pageSubtitle")
        outer.addWidget(self.subtitle)
        self._build_filters(outer, themes)
        outer.addWidget(_legend())

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self._build_table())
        split.addWidget(self._build_distribution(themes))
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)
        self.empty = EmptyState(
            "Geen locaties in dit gebied",
            "Kies een andere regio, of laad voorbeeldgegevens via het menu Bestand.",
        )
        self.empty.hide()
        outer.addWidget(self.empty)

    def _build_filters(self, outer: QVBoxLayout, themes: Sequence[ThemeInfo]) -> None:
        bar = QHBoxLayout()
        self.scope = _narrow_combo()
        self.scope.setAccessibleName("Regio of zorgkantoor")
        self.provider = _narrow_combo()
        self.provider.setAccessibleName("Zorgaanbieder")
        self.theme = _narrow_combo()
        self.theme.addItem("Alle thema's", None)
        for t in themes:
            self.theme.addItem(f"{t.code} {t.name_nl}", t.code)
        self.theme.setAccessibleName("Thema")
        self.only_concerns = QCheckBox("Alleen matig of onvoldoende")
        self.sort = QComboBox()
        for key, text in SORT_CHOICES:
            self.sort.addItem(text, key)
        self.sort.setAccessibleName("Volgorde")
        # Two rows, so the filters keep their labels at a large font or a narrow window.
        for text, w in (
            ("&Gebied", self.scope),
            ("&Zorgaanbieder", self.provider),
            ("T&hema", self.theme),
        ):
            label = QLabel(text)
            label.setBuddy(w)
            bar.addWidget(label)
            bar.addWidget(w, 1)
        outer.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.only_concerns)
        bar2.addStretch(1)
        sort_label = QLabel("&Volgorde")
        sort_label.setBuddy(self.sort)
        bar2.addWidget(sort_label)
        bar2.addWidget(self.sort)
        outer.addLayout(bar2)

    def _build_table(self) -> QTableView:
        self.model = HeatmapModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(HeatCellDelegate(self.table))
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        fm = self.fontMetrics()  # sizes follow the system font (issue 21)
        header.setMinimumHeight(max(44, 2 * fm.height() + 12))
        header.setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(max(38, 2 * fm.height() + 8))
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.setAlternatingRowColors(True)
        self.table.setAccessibleName("Regio-overzicht: locaties en thema's")
        self.table.setAccessibleDescription(
            "Eén rij per locatie, één kolom per thema met het laatste oordeel. Enter opent de "
            "locatie bij dat thema. Pijltjestoetsen bewegen binnen de tabel, Tab gaat verder."
        )
        return self.table

    def _build_distribution(self, themes: Sequence[ThemeInfo]) -> QScrollArea:
        dist, dl = titled_pane("Verdeling per thema per jaar (aandeel matig of onvoldoende)", top=6)
        dl.addWidget(muted_label(PATTERN_LEGEND))
        grid = QGridLayout()
        self.charts: dict[str, DistributionChart] = {}
        for i, t in enumerate(themes):
            chart = DistributionChart(f"{t.code} {t.name_nl}")
            self.charts[t.code] = chart
            grid.addWidget(chart, 0, i)
        dl.addLayout(grid)
        dist_scroll = QScrollArea()  # at a large font the charts scroll instead of being squeezed
        dist_scroll.setWidgetResizable(True)
        dist_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dist_scroll.setWidget(dist)
        dist_scroll.setAccessibleName("Verdeling per thema per jaar")
        dist_scroll.setAccessibleDescription(PATTERN_LEGEND)
        return dist_scroll

    # -- sizing ----------------------------------------------------------------------------------
    def _fit_columns(self) -> None:
        """Location column fixed; the theme columns share the rest (no horizontal scrolling)."""
        hm = self.model.hm
        if hm is None:
            return
        n = max(1, len(hm.theme_codes))
        fm = self.fontMetrics()
        header = self.table.horizontalHeader()  # the stretched last column is never below its hint
        tail_w = max(
            84, fm.horizontalAdvance("5 · ▼3 · ⚑2") + 12, header.sectionSizeHint(n + len(FIXED))
        )
        words = max(96, fm.horizontalAdvance("◐ Voldoende ▲") + 24)  # a word, never "Go…"
        symbols = fm.horizontalAdvance("◐ ▲") + 28  # narrow screens: the symbol (legend) only
        loc_full = max(250, fm.horizontalAdvance(FIXED[0]) + 40)
        loc_least = fm.horizontalAdvance("Woonzorgcentrum") + 24  # names elide, tooltip in full
        bar = self.table.verticalScrollBar()
        space = (
            self.table.viewport().width()
            - tail_w
            - 4
            - (0 if bar.isVisible() else bar.sizeHint().width())
        )
        compact = space - loc_least < n * words
        if not compact:  # words in every cell; the names get what the themes leave
            loc_w = max(loc_least, min(loc_full, space - n * words))
            theme_w = min(max(150, words), (space - loc_w) // n)
        else:  # symbols only (the legend explains them): readable names first
            theme_w = max(symbols, min(words - 1, (space - loc_full) // n))
            loc_w = max(loc_least, min(loc_full, space - n * theme_w))
        if compact != self.model.compact:
            self.model.compact = compact
            self.model.headerDataChanged.emit(
                Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
            )
            self.table.viewport().update()
        self.table.setColumnWidth(0, loc_w)
        for c in range(len(FIXED), len(FIXED) + n):
            self.table.setColumnWidth(c, theme_w)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()


def _legend() -> QLabel:
    legend = muted_label(
        "  ".join(
            f"<span style='background:{rating_style(c).background}; color:{rating_style(c).foreground}'>"
            f"&nbsp;{rating_style(c).symbol} {rating_style(c).label}&nbsp;</span>"
            for c in ("GOOD", "SUFFICIENT", "MODERATE", "INSUFFICIENT", None)
        )
        + f" &nbsp; ▼ slechter dan vorig oordeel &nbsp; <span style='color:{ERROR}'>●!</span> "
        "wijkt af van het laatste bezoek"
    )
    legend.setTextFormat(Qt.TextFormat.RichText)
    return legend


def _narrow_combo() -> QComboBox:
    """A filter combo that may be narrower than its longest entry, so the filter row fits
    a 1024-pixel screen."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo
