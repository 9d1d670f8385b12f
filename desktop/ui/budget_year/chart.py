"""Agreed vs realised over the year for one provider (QPainter). Each series has its own line
style and a legend in words, so the chart reads without colour."""

from __future__ import annotations

from decimal import Decimal

from desktop.services import formatting
from desktop.services.budget_year.monitoring import MONTHS_SHORT, ProviderMonitor
from desktop.ui.qt import (
    QColor,
    QFont,
    QPainter,
    QPen,
    QPointF,
    QRectF,
    QSize,
    QSizePolicy,
    Qt,
    QWidget,
)
from desktop.ui.style import ACCENT, BORDER, MUTED, TEXT


class BudgetYearChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._row: ProviderMonitor | None = None
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Grafiek afgesproken en gerealiseerd")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(520, 240)

    def set_row(self, row: ProviderMonitor | None) -> None:
        self._row = row
        if row is None:
            self.setAccessibleDescription("Geen zorgaanbieder gekozen.")
        else:
            pts = (
                "; ".join(
                    f"t/m {MONTHS_SHORT[m - 1]}: {formatting.money(v)}"
                    for m, v in row.realised_points
                )
                or "nog geen realisatie"
            )
            self.setAccessibleDescription(
                f"{row.provider_name}: afgesproken {formatting.money(row.agreed_total)}; "
                f"gerealiseerd {pts}; prognose "
                f"{formatting.money(row.projected) if row.projected is not None else 'geen'}."
            )
        self.update()

    def paintEvent(self, _event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self._row
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1))
        p.setFont(small)
        fm = p.fontMetrics()
        if r is None:
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                "Kies een zorgaanbieder in de tabel om het verloop te zien.",
            )
            p.end()
            return
        legend_h = fm.height() + 8
        left = fm.horizontalAdvance("€ 99,9 mln") + 10
        plot = QRectF(
            left, 8, self.width() - left - 12, self.height() - 8 - fm.height() - 6 - legend_h
        )
        top_value = max(
            [
                r.agreed_total,
                r.projected or Decimal(0),
                r.requested_total,
                *[v for _, v in r.realised_points],
            ]
        ) or Decimal(1)
        top_value = top_value * Decimal("1.08")

        def pt(month: float, value: Decimal) -> QPointF:
            x = plot.left() + plot.width() * month / 12
            y = plot.bottom() - plot.height() * float(value / top_value)
            return QPointF(x, y)

        # grid and axes
        p.setPen(QPen(QColor(BORDER), 1))
        for i in range(5):
            v = top_value * i / 4
            y = pt(0, v).y()
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(QColor(MUTED))
            p.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _short_money(v),
            )
            p.setPen(QPen(QColor(BORDER), 1))
        p.setPen(QColor(MUTED))
        for m in range(12):
            x = plot.left() + plot.width() * (m + 0.5) / 12
            p.drawText(
                QRectF(x - 20, plot.bottom() + 3, 40, fm.height()),
                Qt.AlignmentFlag.AlignCenter,
                MONTHS_SHORT[m],
            )
        # agreed: dashed straight line to the agreed total in December
        pen = QPen(QColor(ACCENT), 2, Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawLine(pt(0, Decimal(0)), pt(12, r.agreed_total))
        # advances: thin stepped line of the cumulative schedule
        p.setPen(QPen(QColor(MUTED), 1.5, Qt.PenStyle.DotLine))
        acc, prev = Decimal(0), pt(0, Decimal(0))
        for m, amount in enumerate(r.advances_by_month, start=1):
            acc += amount
            nxt = pt(m, acc)
            p.drawLine(prev, QPointF(nxt.x(), prev.y()))
            p.drawLine(QPointF(nxt.x(), prev.y()), nxt)
            prev = nxt
        # realised: solid line with square markers; projection: dash-dot to December
        p.setPen(QPen(QColor(TEXT), 2.5))
        last = pt(0, Decimal(0))
        for month, value in r.realised_points:
            cur = pt(month, value)
            p.drawLine(last, cur)
            last = cur
        for month, value in r.realised_points:
            c = pt(month, value)
            p.fillRect(QRectF(c.x() - 3.5, c.y() - 3.5, 7, 7), QColor(TEXT))
        if r.projected is not None and r.realised_months < 12:
            p.setPen(QPen(QColor(TEXT), 1.5, Qt.PenStyle.DashDotLine))
            p.drawLine(last, pt(12, r.projected))
        # legend in words with the line styles
        y = self.height() - legend_h / 2
        x = plot.left()
        for label, pen_ in (
            ("Afgesproken", QPen(QColor(ACCENT), 2, Qt.PenStyle.DashLine)),
            ("Voorschot", QPen(QColor(MUTED), 1.5, Qt.PenStyle.DotLine)),
            ("Gerealiseerd", QPen(QColor(TEXT), 2.5)),
            ("Prognose", QPen(QColor(TEXT), 1.5, Qt.PenStyle.DashDotLine)),
        ):
            p.setPen(pen_)
            p.drawLine(QPointF(x, y), QPointF(x + 22, y))
            p.setPen(QColor(TEXT))
            p.drawText(QPointF(x + 26, y + fm.ascent() / 2 - 1), label)
            x += 36 + fm.horizontalAdvance(label)
        p.end()


def _short_money(v: Decimal) -> str:
    if v >= 1_000_000:
        return f"€ {formatting.number(v / 1_000_000, 1)} mln"
    if v >= 1_000:
        return f"€ {formatting.number(v / 1_000, 0)} k"
    return f"€ {formatting.number(v, 0)}"
