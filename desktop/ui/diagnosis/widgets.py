"""Painted widgets of the kwaliteitsdiagnose: rating badge, trend chart, distribution chart.

Every rating shows its colour AND its symbol and word (readable without colour)."""

from __future__ import annotations

from desktop.ui.qt import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
)
from desktop.ui.style import BORDER, MUTED, SHADOW, TEXT, rating_edge, rating_style

SEVERITY = {"GOOD": 0, "SUFFICIENT": 1, "MODERATE": 2, "INSUFFICIENT": 3}
# A fill pattern per rating on top of its colour, so stacked bars read without colour
# (Goed and Onvoldoende have almost the same lightness): plain, plain, hatched, cross-hatched.
PATTERNS = {"MODERATE": Qt.BrushStyle.BDiagPattern, "INSUFFICIENT": Qt.BrushStyle.DiagCrossPattern}
PATTERN_LEGEND = (
    "Per jaar één staaf, van onder naar boven: ● goed (donkergroen), ◐ voldoende "
    "(lichtgroen), ▲ matig (schuin gearceerd), ✖ onvoldoende (geruit); erboven het "
    "aandeel matig of onvoldoende."
)


def paint_badge(
    p: QPainter,
    rect: QRectF,
    rating: str | None,
    *,
    reserve_right: float = 0,
    compact: bool = False,
) -> None:
    """A rounded badge: colour + symbol + word; `compact` (or too narrow for the word): the
    symbol alone."""
    style = rating_style(rating)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = QPainterPath()
    path.addRoundedRect(rect, 4, 4)
    p.fillPath(path, QColor(style.background))
    if not rating:  # dashed outline: "not assessed" must not look like a colour
        pen = QPen(QColor(BORDER))
        pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawPath(path)
    elif style.edge:  # light fills get an outline that stands out >= 3:1 from white
        p.setPen(QPen(QColor(style.edge), 1))
        p.drawPath(path)
    p.setPen(QColor(style.foreground))
    f = QFont(p.font())
    f.setBold(bool(rating))
    p.setFont(f)
    area = rect.adjusted(5, 0, -3 - reserve_right, 0)
    text = f"{style.symbol} {style.label}"
    if compact or p.fontMetrics().horizontalAdvance(text) > area.width():
        # Too narrow for the word (a 1024-pixel screen): the symbol alone, which the legend
        # explains and the cell's accessible text reads out, never a cut word like "Vo…".
        p.drawText(area, Qt.AlignmentFlag.AlignCenter, style.symbol)
    else:
        p.drawText(area, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    p.restore()


class RatingBadge(QWidget):
    def __init__(self, rating: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rating = rating
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(rating_style(rating).label)

    def set_rating(self, rating: str | None) -> None:
        self._rating = rating
        self.setAccessibleName(rating_style(rating).label)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(132, 26)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        paint_badge(p, QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self._rating)
        p.end()


class TrendChart(QWidget):
    """Rating per year as a small line chart: up is better. Points carry the rating's colour
    and symbol; the y axis has four bands (goed .. onvoldoende)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._points: tuple[tuple[int, str], ...] = ()
        self.setMinimumSize(150, 54)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_trend(self, points: tuple[tuple[int, str], ...]) -> None:
        self._points = tuple(points)
        years = ", ".join(f"{y}: {rating_style(r).label.lower()}" for y, r in self._points)
        self.setToolTip(years or "Nog geen oordelen")
        self.setAccessibleName(f"Verloop: {years}" if years else "Verloop: nog geen oordelen")
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(180, 54)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(self.rect()).adjusted(4, 4, -4, -14)
        band = r.height() / 4
        inner = r.adjusted(14, 0, -14, 0)  # room for the first/last point and year label
        for i in range(4):  # faint bands, best on top
            c = QColor(rating_style(list(SEVERITY)[i]).background)
            c.setAlpha(40)
            p.fillRect(QRectF(r.left(), r.top() + i * band, r.width(), band), c)
        small = QFont(p.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() - 2))
        p.setFont(small)
        if not self._points:
            p.setPen(QColor(MUTED))
            p.drawText(r, Qt.AlignmentFlag.AlignCenter, "nog geen oordelen")
            p.end()
            return
        pts = self._points[-8:]
        n = len(pts)
        step = inner.width() / max(1, n - 1) if n > 1 else 0
        xy = []
        for i, (year, rating) in enumerate(pts):
            x = inner.left() + (i * step if n > 1 else inner.width() / 2)
            y = r.top() + band * (SEVERITY.get(rating, 3) + 0.5)
            xy.append((x, y, year, rating))
        p.setPen(QPen(QColor(MUTED), 1.5))
        for a, b in zip(xy, xy[1:], strict=False):
            p.drawLine(int(a[0]), int(a[1]), int(b[0]), int(b[1]))
        for x, y, year, rating in xy:
            st = rating_style(rating)
            p.setPen(QPen(QColor(SHADOW), 1))
            p.setBrush(QColor(st.background))
            p.drawEllipse(QRectF(x - 6, y - 6, 12, 12))
            p.setPen(QColor(st.foreground))
            p.drawText(QRectF(x - 6, y - 7, 12, 13), Qt.AlignmentFlag.AlignCenter, st.symbol)
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(x - 16, r.bottom() + 1, 32, 12),
                Qt.AlignmentFlag.AlignCenter,
                f"'{year % 100:02d}",
            )
        p.end()


class DistributionChart(QWidget):
    """Stacked bars per year: share of locations per rating for one theme (regional trend)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._years: tuple = ()
        self.setToolTip(title)
        self.setAccessibleName(f"Verdeling {title}")
        self.setMinimumSize(84, 120)

    def set_years(self, years: tuple) -> None:
        self._years = tuple(years)[-6:]
        parts, full = [], []
        for y, counts in self._years:
            total = sum(n for _, n in counts) or 1
            bad = sum(n for r, n in counts if SEVERITY.get(r, 0) >= 2)
            parts.append(f"{y}: {round(100 * bad / total)}% matig of onvoldoende")
            shares = ", ".join(f"{rating_style(r).label.lower()} {n}" for r, n in counts if n)
            full.append(f"{y}: {shares} locaties")
        self.setToolTip("\n".join([self._title, *parts]))
        self.setAccessibleDescription("; ".join(full) if full else "Nog geen oordelen")
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        f = QFont(p.font())
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(TEXT))
        # Elided to the chart's width (the full title is in the tool tip and accessible name).
        title = p.fontMetrics().elidedText(
            self._title, Qt.TextElideMode.ElideRight, self.width() - 8
        )
        head = p.fontMetrics().height() + 2
        p.drawText(QRectF(0, 0, self.width() - 8, head), Qt.AlignmentFlag.AlignLeft, title)
        small = QFont(p.font())
        small.setBold(False)
        small.setPointSizeF(max(6.5, small.pointSizeF() - 2))
        p.setFont(small)
        line = p.fontMetrics().height()
        area = QRectF(2, head + line + 2, self.width() - 12, self.height() - head - 2 * line - 6)
        if not self._years:
            p.setPen(QColor(MUTED))
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "geen oordelen")
            p.end()
            return
        n = len(self._years)
        bw = min(area.width() / n, 34)
        for i, (year, counts) in enumerate(self._years):
            total = sum(c for _, c in counts) or 1
            x = area.left() + i * bw + 3
            y = area.bottom()
            for rating, c in counts:  # best at the bottom
                h = area.height() * c / total
                if h <= 0:
                    continue
                seg = QRectF(x, y - h, bw - 6, h)
                st = rating_style(rating)
                p.fillRect(seg, QColor(st.background))
                if rating in PATTERNS:  # pattern in the rating's text colour: readable without hue
                    p.fillRect(seg, QBrush(QColor(st.foreground), PATTERNS[rating]))
                p.setPen(QPen(QColor(rating_edge(rating)), 1))
                p.drawRect(seg)
                if h >= line:  # room for the symbol too
                    p.setPen(QColor(st.foreground))
                    p.drawText(seg, Qt.AlignmentFlag.AlignCenter, st.symbol)
                y -= h
            bad = sum(c for r, c in counts if SEVERITY.get(r, 0) >= 2)
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(x - 3, area.bottom() + 1, bw, line),
                Qt.AlignmentFlag.AlignCenter,
                f"'{year % 100:02d}",
            )
            p.setPen(QColor(TEXT))
            p.drawText(
                QRectF(x - 3, area.top() - line - 1, bw, line),
                Qt.AlignmentFlag.AlignCenter,
                f"{round(100 * bad / total)}%",
            )
        p.end()
