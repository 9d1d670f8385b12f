"""Section "Regio-overzicht": heatmap of locations x the eight themes (colour AND symbol and
word per cell), sortable and filterable; click a cell to open that location at that theme;
export to Excel/CSV; distribution per theme per year."""

from __future__ import annotations

from typing import Any

from desktop.services import regional
from desktop.services.formatting import short_date
from desktop.ui import files
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.widgets import PATTERN_LEGEND, DistributionChart, paint_badge
from desktop.ui.qt import (
    QAbstractTableModel,
    QCheckBox,
    QColor,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QModelIndex,
    QPainter,
    QPen,
    QPushButton,
    QRectF,
    QScrollArea,
    QSize,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import ACCENT, ERROR, FOCUS, MUTED, SURFACE, TEXT, rating_style
from desktop.ui.widgets import EmptyState, title_label

FIXED = ("Locatie · zorgaanbieder",)
TAIL = ("Aandacht",)
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RATING_ROLE = Qt.ItemDataRole.UserRole + 2
CELL_ROLE = Qt.ItemDataRole.UserRole + 3
LOC_ROLE = Qt.ItemDataRole.UserRole + 4


class HeatmapModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.hm: regional.Heatmap | None = None
        self.rows: list[regional.HeatRow] = []
        self.compact = False  # symbols and theme codes only (a narrow window, see _fit_columns)

    def set_heatmap(self, hm: regional.Heatmap) -> None:
        self.beginResetModel()
        self.hm = hm
        self.rows = list(hm.rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or self.hm is None:
            return 0
        return len(FIXED) + len(self.hm.theme_codes) + len(TAIL)

    def theme_at(self, column: int) -> str | None:
        i = column - len(FIXED)
        if self.hm and 0 <= i < len(self.hm.theme_codes):
            return self.hm.theme_codes[i]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or self.hm is None:
            return None
        code = self.theme_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(FIXED):
                return FIXED[section]
            if code:
                if self.compact:  # narrow columns: the code, the name is in the tooltip
                    return code
                name = self.hm.theme_names[self.hm.theme_codes.index(code)]
                short = _short_theme(name)
                return f"{code}\n{short}"
            return TAIL[0]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            if code:  # read out in full, never the narrow "Persoonsger…"
                return f"{code} {self.hm.theme_names[self.hm.theme_codes.index(code)]}"
            if section >= len(FIXED) and role == Qt.ItemDataRole.AccessibleTextRole:
                return "Aandacht: thema's matig of onvoldoende, verslechterd, afwijkend van bezoek"
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.hm is None:
            return None
        row = self.rows[index.row()]
        col = index.column()
        code = self.theme_at(col)
        if code:
            cell = row.cells[self.hm.theme_codes.index(code)]
            if role == Qt.ItemDataRole.DisplayRole:
                return rating_style(cell.rating).label
            if role == CELL_ROLE:
                return cell
            if role == SORT_ROLE:
                s = cell.severity
                return -1 if s is None else s
            if role == Qt.ItemDataRole.ToolTipRole:
                st = rating_style(cell.rating)
                lines = [f"{row.location_name} · {code}", f"Oordeel: {st.label}"]
                if cell.assessed_on:
                    lines.append(f"Beoordeeld: {short_date(cell.assessed_on)}")
                if cell.previous_rating:
                    lines.append(f"Vorig oordeel: {rating_style(cell.previous_rating).label}")
                if cell.disagreement:
                    lines.append(f"⚑ {cell.disagreement}")
                lines.append("Klik om de kwaliteitsdiagnose te openen.")
                return "\n".join(lines)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{code}: {rating_style(cell.rating).label}" + (
                    " (wijkt af van bezoek)" if cell.disagreement else ""
                )
            return None
        if col == 0:
            title = f"{row.location_name}, {row.place}" if row.place else row.location_name
            if role == Qt.ItemDataRole.DisplayRole:
                return title
            if role == LOC_ROLE:
                return title, row.provider_name
            if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return f"{title} ({row.provider_name})"
            if role == SORT_ROLE:
                return row.location_name.casefold()
        else:
            if role == Qt.ItemDataRole.DisplayRole:
                extra = f" · ⚑{row.disagreements}" if row.disagreements else ""
                down = f" · ▼{row.worsened}" if row.worsened else ""
                return f"{row.concerns}{down}{extra}"
            if role == SORT_ROLE:
                return row.urgency_key()
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    f"{row.concerns} thema's matig of onvoldoende, {row.worsened} verslechterd, "
                    f"{row.disagreements} afwijkend van het laatste bezoek"
                )
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return attention_words(row.concerns, row.worsened, row.disagreements)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.rows:
            return
        self.layoutAboutToBeChanged.emit()
        reverse = order == Qt.SortOrder.DescendingOrder
        if self.theme_at(column):
            i = self.hm.theme_codes.index(self.theme_at(column))  # type: ignore[union-attr]
            # worst first when descending; ties by urgency
            self.rows.sort(
                key=lambda r: (
                    -1 if r.cells[i].severity is None else r.cells[i].severity,
                    [-x if isinstance(x, int) else 0 for x in r.urgency_key()[:3]],
                ),
                reverse=reverse,
            )
        elif column == 0:
            self.rows.sort(key=lambda r: r.location_name.casefold(), reverse=reverse)
        else:
            self.rows.sort(key=regional.HeatRow.urgency_key, reverse=reverse)
        self.layoutChanged.emit()


class HeatCellDelegate(QStyledItemDelegate):
    """Colour + symbol + word, a trend arrow, and a flag when the visit disagrees."""

    def paint(self, p: QPainter, option, index: QModelIndex) -> None:  # type: ignore[no-untyped-def]
        loc = index.data(LOC_ROLE)
        if loc is not None:  # location (bold) over provider (muted)
            if option.state & QStyle.StateFlag.State_Selected:
                p.fillRect(option.rect, option.palette.highlight())
            r = QRectF(option.rect).adjusted(6, 2, -4, -2)
            half = r.height() / 2
            p.save()
            f = p.font()
            f.setBold(True)
            p.setFont(f)
            p.setPen(QColor(TEXT))
            fm = p.fontMetrics()
            p.drawText(
                QRectF(r.left(), r.top(), r.width(), half),
                Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(loc[0], Qt.TextElideMode.ElideRight, int(r.width())),
            )
            f.setBold(False)
            p.setFont(f)
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(r.left(), r.top() + half, r.width(), half),
                Qt.AlignmentFlag.AlignVCenter,
                p.fontMetrics().elidedText(loc[1], Qt.TextElideMode.ElideRight, int(r.width())),
            )
            p.restore()
            if option.state & QStyle.StateFlag.State_HasFocus:  # the keyboard's place, here too
                self._focus(p, option, QRectF(option.rect).adjusted(2, 2, -2, -2))
            return
        cell = index.data(CELL_ROLE)
        if cell is None:
            super().paint(p, option, index)
            return
        r = QRectF(option.rect).adjusted(2, 2, -2, -2)
        if cell.rating is None:  # quiet: only the assessed cells should draw the eye
            p.save()
            p.setPen(QColor(MUTED))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "–")
            p.restore()
            self._focus(p, option, r)
            return
        compact = bool(getattr(index.model(), "compact", False))
        paint_badge(p, r, cell.rating, reserve_right=11 if cell.direction else 0, compact=compact)
        if cell.direction:  # trend against the previous assessment, as a shape
            p.save()
            p.setPen(QColor(rating_style(cell.rating).foreground))
            p.drawText(
                QRectF(r.right() - 16, r.top(), 14, r.height()),
                Qt.AlignmentFlag.AlignCenter,
                "▼" if cell.direction < 0 else "▲",
            )
            p.restore()
        if cell.disagreement:
            p.save()
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setPen(QPen(QColor("#ffffff"), 1))
            p.setBrush(QColor(ERROR))
            p.drawEllipse(QRectF(r.right() - 9, r.top() - 2, 11, 11))
            p.setPen(QColor("#ffffff"))
            f = p.font()
            f.setBold(True)
            f.setPointSizeF(max(6.0, f.pointSizeF() - 2.5))
            p.setFont(f)
            p.drawText(
                QRectF(r.right() - 9, r.top() - 2, 11, 11), Qt.AlignmentFlag.AlignCenter, "!"
            )
            p.restore()
        self._focus(p, option, r)

    @staticmethod
    def _focus(p: QPainter, option, r: QRectF) -> None:  # type: ignore[no-untyped-def]
        if (
            option.state & QStyle.StateFlag.State_HasFocus
        ):  # keyboard focus: the focus colour, thicker,
            p.save()  # with a white inner line so it stands out on dark fills too
            p.setPen(QPen(QColor(FOCUS), 3))
            p.drawRect(r.adjusted(-1, -1, 1, 1))
            p.setPen(QPen(QColor(SURFACE), 1))
            p.drawRect(r.adjusted(1, 1, -1, -1))
            p.restore()
        elif option.state & QStyle.StateFlag.State_Selected:
            p.save()
            p.setPen(QPen(QColor(ACCENT), 2))
            p.drawRect(r.adjusted(-1, -1, 1, 1))
            p.restore()

    def sizeHint(self, option, index: QModelIndex) -> QSize:  # type: ignore[no-untyped-def]  # noqa: N802
        return QSize(
            max(118, option.fontMetrics.horizontalAdvance("◐ Voldoende") + 30),
            max(28, option.fontMetrics.height() + 12),
        )


class RegionOverview(QWidget):
    """Registered in SECTIONS as "regio"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.heatmap: regional.Heatmap | None = None
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

        bar = QHBoxLayout()
        self.scope = _narrow_combo()
        self.scope.setAccessibleName("Regio of zorgkantoor")
        self.provider = _narrow_combo()
        self.provider.setAccessibleName("Zorgaanbieder")
        self.theme = _narrow_combo()
        self.theme.addItem("Alle thema's", None)
        from desktop.services.reference import themes

        for t in themes():
            self.theme.addItem(f"{t.code} {t.name_nl}", t.code)
        self.theme.setAccessibleName("Thema")
        self.only_concerns = QCheckBox("Alleen matig of onvoldoende")
        self.sort = QComboBox()
        for key, label in (
            ("urgency", "Urgentie"),
            ("name", "Naam"),
            ("provider", "Zorgaanbieder"),
            ("oldest", "Oudste oordeel eerst"),
        ):
            self.sort.addItem(label, key)
        self.sort.setAccessibleName("Volgorde")
        # Two rows, so the filters keep their labels at a large font or a narrow window.
        for lbl, w in (
            ("&Gebied", self.scope),
            ("&Zorgaanbieder", self.provider),
            ("T&hema", self.theme),
        ):
            label = QLabel(lbl)
            label.setBuddy(w)
            bar.addWidget(label)
            bar.addWidget(w, 1)
        outer.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.addWidget(self.only_concerns)
        bar2.addStretch(1)
        sl = QLabel("&Volgorde")
        sl.setBuddy(self.sort)
        bar2.addWidget(sl)
        bar2.addWidget(self.sort)
        outer.addLayout(bar2)

        legend = QLabel(
            "  ".join(
                f"<span style='background:{rating_style(c).background}; color:{rating_style(c).foreground}'>"
                f"&nbsp;{rating_style(c).symbol} {rating_style(c).label}&nbsp;</span>"
                for c in ("GOOD", "SUFFICIENT", "MODERATE", "INSUFFICIENT", None)
            )
            + f" &nbsp; ▼ slechter dan vorig oordeel &nbsp; <span style='color:{ERROR}'>●!</span> "
            "wijkt af van het laatste bezoek"
        )
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        legend.setObjectName("muted")
        outer.addWidget(legend)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = HeatmapModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegate(HeatCellDelegate(self.table))
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        fm = self.fontMetrics()  # sizes follow the system font (issue 21)
        self.table.horizontalHeader().setMinimumHeight(max(44, 2 * fm.height() + 12))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by_column)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(max(38, 2 * fm.height() + 8))
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.table.setAlternatingRowColors(True)
        self.table.clicked.connect(self._open_cell)
        self.table.activated.connect(self._open_cell)
        self.table.setAccessibleName("Regio-overzicht: locaties en thema's")
        self.table.setAccessibleDescription(
            "Eén rij per locatie, één kolom per thema met het laatste oordeel. Enter opent de "
            "locatie bij dat thema. Pijltjestoetsen bewegen binnen de tabel, Tab gaat verder."
        )
        split.addWidget(self.table)
        dist = QWidget()
        dl = QVBoxLayout(dist)
        dl.setContentsMargins(0, 6, 0, 0)
        dl.addWidget(
            title_label(
                "Verdeling per thema per jaar (aandeel matig of onvoldoende)", "sectionTitle"
            )
        )
        key = QLabel(PATTERN_LEGEND)
        key.setObjectName("muted")
        key.setWordWrap(True)
        dl.addWidget(key)
        grid = QGridLayout()
        self.charts: dict[str, DistributionChart] = {}
        for i, t in enumerate(themes()):
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
        split.addWidget(dist_scroll)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        outer.addWidget(split, 1)
        self.empty = EmptyState(
            "Geen locaties in dit gebied",
            "Kies een andere regio, of laad voorbeeldgegevens via het menu Bestand.",
        )
        self.empty.hide()
        outer.addWidget(self.empty)

        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.provider.currentIndexChanged.connect(self.refresh)
        self.theme.currentIndexChanged.connect(self.refresh)
        self.only_concerns.toggled.connect(self.refresh)
        self.sort.currentIndexChanged.connect(self.refresh)
        self.btn_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.btn_csv.clicked.connect(lambda: self.export("csv"))
        ctx.changed.connect(self._on_changed)
        self._filling = False
        self.ctx.run(_scopes, self.ctx.db_path, on_done=self._set_scopes, label="Regio's laden")

    # -- data ------------------------------------------------------------------------------------
    def _set_scopes(self, scopes: list[tuple[str, str, dict]]) -> None:
        self._filling = True
        self.scope.clear()
        for label, _key, kwargs in scopes:
            self.scope.addItem(label, kwargs)
        self._filling = False
        if scopes:
            self.scope.setCurrentIndex(0)
            self._scope_changed()

    def _scope_changed(self) -> None:
        if self._filling:
            return
        self._filling = True
        self.provider.clear()
        self.provider.addItem("Alle zorgaanbieders", None)
        self._filling = False
        self.refresh()

    def current_query(self) -> dict[str, Any]:
        kwargs = dict(self.scope.currentData() or {})
        kwargs["provider_id"] = self.provider.currentData()
        theme = self.theme.currentData()
        kwargs["theme_filter"] = [theme] if theme else None
        kwargs["only_rating_at_least"] = 2 if self.only_concerns.isChecked() else None
        kwargs["sort"] = self.sort.currentData() or "urgency"
        kwargs["title"] = f"Regio-overzicht kwaliteitsdiagnose {self.scope_name()}"
        return kwargs

    def scope_name(self) -> str:
        """'Regio Utrecht' without the location count shown in the combo box."""
        return self.scope.currentText().rsplit(" (", 1)[0]

    def refresh(self) -> None:
        if self._filling or self.scope.count() == 0:
            return
        q = self.current_query()
        self.ctx.run(
            _load, self.ctx.db_path, q, on_done=self.show_heatmap, label="Regio-overzicht laden"
        )

    def show_heatmap(self, result: tuple[regional.Heatmap, tuple]) -> None:
        hm, dist = result
        self.heatmap = hm
        self.model.set_heatmap(hm)
        hdr = self.table.horizontalHeader()
        hdr.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self._fit_columns()
        if self.provider.count() <= 1 and not self.provider.currentData():
            self._filling = True
            providers = sorted(
                {(r.provider_name, r.provider_id) for r in hm.rows}, key=lambda x: x[0].casefold()
            )
            for name, pid in providers:
                self.provider.addItem(name, pid)
            self._filling = False
        counts = hm.counts()
        concern_locs = sum(1 for r in hm.rows if r.concerns)
        disagree = sum(1 for r in hm.rows if r.disagreements)
        self.title.setText(f"Regio-overzicht · {self.scope_name()}")
        self.subtitle.setText(
            f"{_n(len(hm.rows), 'locatie', 'locaties')} · {concern_locs} met een thema matig of "
            f"onvoldoende · {counts.get('INSUFFICIENT', 0)} × onvoldoende · "
            f"{_n(disagree, 'locatie', 'locaties')} waar het laatste bezoek afwijkt van het oordeel"
        )
        self.table.setVisible(bool(hm.rows))
        self.empty.setVisible(not hm.rows)
        for d in dist:
            self.charts[d.theme_code].set_years(d.years)

    def _fit_columns(self) -> None:
        """Location column fixed; the theme columns share the rest (no horizontal scrolling)."""
        if self.heatmap is None:
            return
        n = max(1, len(self.heatmap.theme_codes))
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

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def _sort_by_column(self, column: int) -> None:
        hdr = self.table.horizontalHeader()
        order = (
            Qt.SortOrder.DescendingOrder
            if hdr.sortIndicatorSection() != column
            or hdr.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
            else Qt.SortOrder.AscendingOrder
        )
        if column < len(FIXED) and hdr.sortIndicatorSection() != column:
            order = Qt.SortOrder.AscendingOrder
        hdr.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _open_cell(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.rows[index.row()]
        self.ctx.open_location(row.location_id, self.model.theme_at(index.column()))

    def _on_changed(self, entity: str) -> None:
        if entity in ("*", "theme_assessment", "site_visit", "location"):
            self.refresh()

    def export(self, kind: str, path: str | None = None) -> None:
        if self.heatmap is None:
            return
        if path is None:
            name = f"Regio-overzicht {self.scope_name()}.{kind}"
            flt = "Excel-werkmap (*.xlsx)" if kind == "xlsx" else "CSV-bestand (*.csv)"
            path, _ = files.save_file_name(self, "Regio-overzicht exporteren", name, flt)
            if not path:
                return
        from desktop.services import exports

        hm = regional.Heatmap(
            self.heatmap.title,
            self.heatmap.theme_codes,
            self.heatmap.theme_names,
            tuple(self.model.rows),
        )  # in the order the user sees
        fn = exports.heatmap_to_xlsx if kind == "xlsx" else exports.heatmap_to_csv
        self.ctx.run(
            fn,
            hm,
            path,
            on_done=lambda p: self.ctx.offer_open(p, "Geëxporteerd"),
            label="Exporteren",
        )

    def select_scope(self, label_part: str) -> bool:
        for i in range(self.scope.count()):
            if label_part.casefold() in self.scope.itemText(i).casefold():
                self.scope.setCurrentIndex(i)
                return True
        return False


def _narrow_combo() -> QComboBox:
    """A filter combo that may be narrower than its longest entry, so the filter row fits
    a 1024-pixel screen."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    return combo


def attention_words(concerns: int, worsened: int, disagreements: int) -> str:
    """The Aandacht column for a screen reader: '5 thema's aandacht, 2 slechter, 1 afwijking'
    instead of the symbols '5 · ▼2 · ⚑1'."""
    themes_word = "thema" if concerns == 1 else "thema's"
    parts = [f"{concerns} {themes_word} aandacht"]
    if worsened:
        parts.append(f"{worsened} slechter")
    if disagreements:
        parts.append(f"{disagreements} {'afwijking' if disagreements == 1 else 'afwijkingen'}")
    return ", ".join(parts)


def _short_theme(name: str) -> str:
    """'Gebruik van hulpbronnen' -> 'Hulpbronnen': one telling word for a narrow header."""
    words = [w.strip(",") for w in name.split() if w.lower() not in ("gebruik", "van", "en")]
    word = (words[0] if words else name).capitalize()
    return word if len(word) <= 12 else word[:11] + "…"


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _scopes(db_path: Any) -> list[tuple[str, str, dict]]:
    """Care offices (whole office) first, then regions with locations."""
    from desktop.services.themes import connect_ro

    conn = connect_ro(db_path)
    try:
        offices = conn.execute(
            """SELECT co.id, co.short_name, count(l.id) FROM care_office co
               JOIN region_assignment ra ON ra.care_office_id = co.id AND ra.deleted_at IS NULL
                    AND ra.valid_from <= date('now') AND (ra.valid_to IS NULL OR ra.valid_to >= date('now'))
               JOIN location l ON l.region_id = ra.region_id AND l.deleted_at IS NULL
               GROUP BY co.id ORDER BY 3 DESC"""
        ).fetchall()
        regions = conn.execute(
            """SELECT r.id, r.name, count(l.id) FROM region r
               JOIN location l ON l.region_id = r.id AND l.deleted_at IS NULL
               GROUP BY r.id ORDER BY r.name"""
        ).fetchall()
    finally:
        conn.close()
    out = [(f"Regio {name} ({n})", rid, {"region_id": rid}) for rid, name, n in regions]
    out += [(f"Heel {name} ({n})", cid, {"care_office_id": cid}) for cid, name, n in offices]
    return out


def _load(db_path: Any, q: dict[str, Any]) -> tuple[regional.Heatmap, tuple]:
    hm = regional.heatmap(db_path, **q)
    dist = regional.distribution(
        db_path,
        region_id=q.get("region_id"),
        care_office_id=q.get("care_office_id"),
        provider_id=q.get("provider_id"),
    )
    return hm, dist
