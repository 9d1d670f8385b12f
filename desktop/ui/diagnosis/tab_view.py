"""The widgets of the Kwaliteitsdiagnose tab (TagStudio style: this view builds them,
`desktop.ui.diagnosis.tab.DiagnosisTab` holds the behaviour): the button bar, the top-three and
since-the-visit cards, one ThemeRow per theme and the detail pane beside (or under) them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.services.formatting import short_date
from desktop.ui.diagnosis.widgets import RatingBadge, TrendChart
from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMouseEvent,
    QPushButton,
    QResizeEvent,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.ui.style import (
    ACCENT,
    ACCENT_LIGHT,
    BORDER,
    CONTROL_BORDER,
    ERROR,
    FOCUS,
    MUTED,
    SUCCESS_TEXT,
    SURFACE,
)
from desktop.ui.widgets import Card, button_row, muted_label, title_label

if TYPE_CHECKING:
    from desktop.services.diagnosis import ThemeDiagnosis
    from desktop.services.reference import ThemeInfo

_ARROWS = {1: ("▲ beter", SUCCESS_TEXT), -1: ("▼ slechter", ERROR), 0: ("", MUTED)}


class ThemeRow(QFrame):
    """One theme: badge, name + short rationale, trend chart, notes count, visit marker."""

    clicked = Signal(str)

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 6)
        lay.setSpacing(12)
        self.badge = RatingBadge()
        lay.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self.name = QLabel()
        self.name.setStyleSheet("font-weight: 600;")
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.rationale = QLabel()
        self.rationale.setWordWrap(True)
        self.rationale.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.name.setWordWrap(True)
        self.meta.setWordWrap(True)
        for w in (self.name, self.meta):
            w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for w in (self.name, self.meta, self.rationale):
            text.addWidget(w)
        lay.addLayout(text, 1)
        self.trend = TrendChart()
        self.trend.setFixedWidth(150)
        lay.addWidget(self.trend, 0, Qt.AlignmentFlag.AlignTop)
        self.setMinimumHeight(78)

    def show_theme(self, td: ThemeDiagnosis, selected: bool) -> None:
        cur = td.current
        self.badge.set_rating(cur.rating if cur else None)
        self.name.setText(f"{td.code}  {td.name}")
        bits = []
        if cur:
            bits.append(f"{cur.period_year} · {short_date(cur.assessed_on)} · {cur.author_name}")
            arrow, colour = _ARROWS[td.direction]
            if arrow:
                bits.append(f"<span style='color:{colour}'>{arrow}</span>")
        else:
            bits.append("nog niet beoordeeld")
        if td.notes:
            bits.append(f"{len(td.notes)} notitie{'s' if len(td.notes) != 1 else ''}")
        if td.disagreement:
            bits.append(f"<span style='color:{ERROR}'>⚑ wijkt af van bezoek</span>")
        self.meta.setText(" · ".join(bits))
        text = cur.rationale if cur else ""
        self.rationale.setText(text if len(text) <= 220 else text[:219] + "…")
        self.rationale.setVisible(bool(text))
        self.trend.set_trend(td.trend)
        # Selected: accent edge on a tint; keyboard focus: a thicker ring in the focus colour.
        self.setStyleSheet(
            (
                f"QFrame#card {{ border: 2px solid {ACCENT}; background: {ACCENT_LIGHT}; }}"
                if selected
                else f"QFrame#card {{ border: 1px solid {CONTROL_BORDER}; margin: 1px; }}"
            )
            + f"QFrame#card:focus {{ border: 3px solid {FOCUS}; margin: 0px; }}"
        )
        self.setAccessibleName(
            f"{td.code} {td.name}: {cur.rating_label if cur else 'nog niet beoordeeld'}"
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.clicked.emit(self.code)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit(self.code)
        else:
            super().keyPressEvent(event)


class DiagnosisTabView(QWidget):
    def __init__(self, themes: Sequence[ThemeInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        bar = QHBoxLayout()
        self.summary = muted_label()
        bar.addWidget(self.summary, 1)
        self.btn_assess = QPushButton("Oordeel vastleggen…")
        self.btn_assess.setProperty("primary", True)
        self.btn_note = QPushButton("Notitie toevoegen…")
        self.btn_top = QPushButton("Top drie kiezen…")
        self.btn_pdf = QPushButton("PDF opslaan…")
        self.btn_print = QPushButton("Afdrukken…")
        bar.addWidget(button_row(self.buttons(), align_right=True), 2)
        outer.addLayout(bar)

        split = QSplitter()
        split.addWidget(self._build_themes(themes))
        split.addWidget(self._build_detail())
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 3)
        outer.addWidget(split, 1)
        self.split = split

    def buttons(self) -> list[QPushButton]:
        return [self.btn_assess, self.btn_note, self.btn_top, self.btn_pdf, self.btn_print]

    def _build_themes(self, themes: Sequence[ThemeInfo]) -> QWidget:
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.top_card, self.top_text = _text_card(
            title_label("Top drie verbeterpunten", "sectionTitle")
        )
        self.changes_title = title_label("Sinds het laatste bezoek", "sectionTitle")
        self.changes_title.setWordWrap(True)
        self.changes_card, self.changes_text = _text_card(self.changes_title)
        for card in (self.top_card, self.changes_card):
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
            top.addWidget(card, 1)
        self.rows: dict[str, ThemeRow] = {}
        rows_box = QWidget()
        rl = QVBoxLayout(rows_box)
        rl.setContentsMargins(0, 4, 0, 0)
        rl.setSpacing(6)
        rl.addLayout(top)  # the cards scroll with the themes: never squeezed at a large font
        for t in themes:
            row = ThemeRow(t.code)
            self.rows[t.code] = row
            rl.addWidget(row)
        rl.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(rows_box)
        # Rows wrap their text instead of pushing the trend chart out of sight.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ll.addWidget(scroll, 1)
        return left

    def _build_detail(self) -> QScrollArea:
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.detail.setContentsMargins(12, 10, 12, 10)
        self.detail.setStyleSheet(
            f"QLabel {{ background: {SURFACE}; border: 1px solid {BORDER}; border-radius: 6px; }}"
            f"QLabel:focus {{ border: 2px solid {FOCUS}; }}"
        )
        self.detail.setAccessibleName("Toelichting bij het gekozen thema")
        dscroll = QScrollArea()
        dscroll.setWidgetResizable(True)
        dscroll.setWidget(self.detail)
        dscroll.setMinimumWidth(240)
        return dscroll

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Side by side when there is room, the detail under the themes when narrow (a small
        window, 200 % scaling or a large font): the theme rows never get cut off."""
        super().resizeEvent(event)
        need = 2 * (self.fontMetrics().averageCharWidth() * 48) + 240
        wanted = Qt.Orientation.Horizontal if self.width() >= need else Qt.Orientation.Vertical
        if self.split.orientation() != wanted:
            self.split.setOrientation(wanted)


def _text_card(heading: QLabel) -> tuple[Card, QLabel]:
    """A card with a heading and a rich-text body that wraps."""
    card = Card()
    lay = QVBoxLayout(card)
    lay.addWidget(heading)
    body = QLabel()
    body.setWordWrap(True)
    body.setTextFormat(Qt.TextFormat.RichText)
    lay.addWidget(body)
    lay.addStretch(1)
    return card, body
