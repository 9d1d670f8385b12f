"""Kwaliteitsdiagnose of a whole provider (zorgaanbieder page of the navigator).

What a kwaliteitsadviseur asks before a conversation with the board: how do all locations stand
on the eight themes (one row per location, the current rating per theme, with symbol and
colour as in the heatmap), how are the ratings spread per theme, and what are the organisation's
top three verbeterpunten and its provider-wide notes (DOMAIN.md §3.4 kwaliteitsdiagnose).
Reads through desktop.services.diagnosis.provider_diagnosis (plain sqlite3, read-only).
"""

from __future__ import annotations

from html import escape
from typing import Any

from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import MUTED
from desktop.ui.widgets import muted_label, splitter

FIXED_COLUMNS = ["Locatie", "Plaats"]
NOTES_SHOWN = 12


class ProviderDiagnosisPanel(QWidget):
    """Locations × themes matrix, distribution per theme, top three and provider-wide notes."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.diagnosis: Any = None
        self._pending: str | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.matrix = QTableWidget(0, len(FIXED_COLUMNS))
        self.matrix.setAccessibleName("Oordelen per locatie en thema")
        self.matrix.verticalHeader().hide()
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.doubleClicked.connect(self._open)
        lower = QWidget()
        ll = QHBoxLayout(lower)
        ll.setContentsMargins(0, 8, 0, 0)
        self.top_three = self._box("Top 3 verbeterpunten van de organisatie")
        self.notes = self._box("Notities over de hele organisatie")
        ll.addWidget(self.top_three[0], 1)
        ll.addWidget(self.notes[0], 2)
        self.documents = _documents_box(ctx, ll)  # Stukken of the provider (issue 20)
        self.split = splitter([(self.matrix, 3), (lower, 2)])
        lay.addWidget(self.split, 1)
        self.hint = muted_label()
        lay.addWidget(self.hint)

    @staticmethod
    def _box(title: str) -> tuple[QFrame, QLabel]:
        box = QFrame()
        box.setObjectName("card")
        bl = QVBoxLayout(box)
        heading = QLabel(title)
        heading.setObjectName("sectionTitle")
        body = QLabel()
        body.setWordWrap(True)
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()  # many notes scroll inside the card
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QLabel { background: transparent; }"
        )
        scroll.viewport().setAutoFillBackground(False)
        bl.addWidget(heading)
        bl.addWidget(scroll, 1)
        return box, body

    # -- loading ---------------------------------------------------------------------------------
    def load(self, provider_id: str) -> None:
        from desktop.services.diagnosis import provider_diagnosis

        self._pending = provider_id
        self.documents.set_target(provider_id)
        self.ctx.run(
            provider_diagnosis,
            self.ctx.db,
            provider_id,
            on_done=self.show_diagnosis,
            label="Diagnose zorgaanbieder laden",
        )

    def show_diagnosis(self, diag: Any) -> None:
        if self._pending is not None and diag.provider_id != self._pending:
            return  # an answer for a provider the user already left
        from desktop.services.themes import rating_info

        self.diagnosis = diag
        themes = diag.themes
        headers = FIXED_COLUMNS + [t.code for t in themes]
        m = self.matrix
        m.clear()
        m.setColumnCount(len(headers))
        m.setHorizontalHeaderLabels(headers)
        for i, t in enumerate(themes, len(FIXED_COLUMNS)):
            head = m.horizontalHeaderItem(i)
            if head is not None:
                head.setToolTip(f"{t.code} {t.name}\n{_distribution(t)}")
        m.setRowCount(len(diag.locations))
        for r, row in enumerate(diag.locations):
            m.setItem(r, 0, QTableWidgetItem(row.name))
            m.setItem(r, 1, QTableWidgetItem(row.place))
            for c, (theme, code) in enumerate(
                zip(themes, row.ratings, strict=True), len(FIXED_COLUMNS)
            ):
                info = rating_info(code)
                item = QTableWidgetItem(info.symbol if info else "–")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(
                    f"{row.name}\n{theme.code} {theme.name}: "
                    + (info.label if info else "nog niet beoordeeld")
                )
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole, info.label if info else "niet beoordeeld"
                )
                if info:
                    item.setBackground(QBrush(QColor(info.colour)))
                    item.setForeground(QBrush(QColor(info.text_colour)))
                m.setItem(r, c, item)
        header = m.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for c in range(len(FIXED_COLUMNS), len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            m.setColumnWidth(c, 44)
        self._fit_matrix()
        self.hint.setText(
            _legend() + ". Wijs een kolomkop aan voor het thema en de verdeling; "
            "dubbelklik op een cel om die locatie bij dat thema te openen."
        )
        self.top_three[1].setText(_top_three_html(diag.top_three))
        self.notes[1].setText(_notes_html(diag.notes))

    def _fit_matrix(self) -> None:
        """The matrix as tall as its rows (at most 60%), the notes get the rest."""
        m = self.matrix
        rows = sum(m.rowHeight(r) for r in range(m.rowCount()))
        wanted = m.horizontalHeader().height() + rows + 2 * m.frameWidth() + 4
        total = sum(self.split.sizes()) or self.height()
        top = max(120, min(wanted, int(total * 0.6)))
        self.split.setSizes([top, max(0, total - top)])

    @property
    def _location_ids(self) -> list[str]:
        return (
            [] if self.diagnosis is None else [row.location_id for row in self.diagnosis.locations]
        )

    def _open(self, index: Any) -> None:
        ids = self._location_ids
        if 0 <= index.row() < len(ids):
            column = index.column() - len(FIXED_COLUMNS)
            theme = self.diagnosis.themes[column].code if column >= 0 else None
            self.ctx.open_location(ids[index.row()], theme)


def _legend() -> str:
    from desktop.services.themes import ratings

    return (
        " · ".join(f"{r.symbol} {r.label.lower()}" for r in ratings()) + " · – nog niet beoordeeld"
    )


def _distribution(theme: Any) -> str:
    from desktop.services.themes import rating_info

    parts = [
        f"{n} {info.label.lower()}"
        for code, n in theme.distribution
        if n and (info := rating_info(code)) is not None
    ]
    if theme.not_assessed:
        parts.append(f"{theme.not_assessed} niet beoordeeld")
    return ", ".join(parts) or "geen locaties"


def _when(note: Any) -> str:
    from desktop.services.formatting import short_date

    who = f" · {escape(note.author_name)}" if note.author_name else ""
    return f"<span style='color:{MUTED}'>{short_date(note.noted_on)}{who}</span>"


def _top_three_html(notes: tuple[Any, ...]) -> str:
    if not notes:
        return (
            "<i>Nog geen top 3 vastgelegd. Markeer bij de notities van de organisatie de drie "
            "belangrijkste verbeterpunten.</i>"
        )
    items = "".join(f"<li><b>{escape(n.text)}</b><br/>{_when(n)}</li>" for n in notes)
    return f"<ol style='margin-left:-20px'>{items}</ol>"


def _notes_html(notes: tuple[Any, ...]) -> str:
    if not notes:
        return "<i>Nog geen notities over de organisatie als geheel.</i>"
    shown = notes[:NOTES_SHOWN]
    rows = "".join(
        f"<p style='margin:0 0 6px 0'>{_when(n)} · <b>{escape(n.kind_label)}</b>"
        + (f" ({', '.join(n.theme_codes)})" if n.theme_codes else "")
        + f"<br/>{escape(n.text)}</p>"
        for n in shown
    )
    more = len(notes) - len(shown)
    if more > 0:
        rows += f"<p><i>… en nog {more} oudere notities (zoek ze op met Ctrl+F).</i></p>"
    return rows


def _documents_box(ctx: AppContext, layout: QHBoxLayout) -> Any:
    from desktop.ui.documents.panel import DocumentsPanel

    box = QFrame()
    box.setObjectName("card")
    QVBoxLayout(box).addWidget(panel := DocumentsPanel(ctx, box, kind="provider", compact=True))
    layout.addWidget(box, 2)
    return panel
