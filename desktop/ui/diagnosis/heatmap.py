"""The heatmap of the Regio-overzicht: a table model (locations × the eight themes, sortable,
the "Aandacht" column last) and the delegate that paints each cell with colour AND symbol and
word, a trend arrow and a flag where the last visit disagrees."""

from __future__ import annotations

from typing import Any

from desktop.services import regional
from desktop.services.formatting import short_date
from desktop.ui.diagnosis.widgets import paint_badge
from desktop.ui.qt import (
    QAbstractTableModel,
    QColor,
    QModelIndex,
    QPainter,
    QPen,
    QPersistentModelIndex,
    QRectF,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from desktop.ui.style import ACCENT, ERROR, FOCUS, MUTED, SURFACE, TEXT, rating_style

Index = QModelIndex | QPersistentModelIndex

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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
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
        code = self.theme_at(column)
        if code and self.hm is not None:
            i = self.hm.theme_codes.index(code)
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

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
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
            p.setPen(QPen(QColor(SURFACE), 1))
            p.setBrush(QColor(ERROR))
            p.drawEllipse(QRectF(r.right() - 9, r.top() - 2, 11, 11))
            p.setPen(QColor(SURFACE))
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
    def _focus(p: QPainter, option: QStyleOptionViewItem, r: QRectF) -> None:
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

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        return QSize(
            max(118, option.fontMetrics.horizontalAdvance("◐ Voldoende") + 30),
            max(28, option.fontMetrics.height() + 12),
        )


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
