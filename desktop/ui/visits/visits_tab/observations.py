"""The observations of one completed visit, a card per theme, each with "Overnemen in
diagnose" until it is in the kwaliteitsdiagnose (view; the tab does the taking over)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import ERROR, MUTED, SUCCESS_TEXT, WARNING_TEXT

SIGNAL_TEXT = {
    "POSITIEF": ("Positief", SUCCESS_TEXT),
    "AANDACHTSPUNT": (
        "Aandachtspunt",
        WARNING_TEXT,
    ),  # the lighter amber before was 4.24:1 on white
    "ZORG": ("Zorg", ERROR),
}


class ObservationsPanel(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Waarnemingen van het gekozen bezoek")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.box = QWidget()
        self.lay = QVBoxLayout(self.box)
        self.lay.setContentsMargins(10, 0, 4, 0)
        self.setWidget(self.box)

    def clear(self) -> None:
        while self.lay.count():
            item = self.lay.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def message(self, text: str) -> None:
        lab = QLabel(text)
        lab.setObjectName("muted")
        lab.setWordWrap(True)
        self.lay.addWidget(lab)
        self.lay.addStretch(1)

    def show_observations(self, obs: list[Any], take: Callable[[str], None]) -> None:
        """A card per observation; `take(theme_code)` takes one over into the diagnosis."""
        self.clear()
        title = QLabel("Waarnemingen")
        title.setObjectName("sectionTitle")
        self.lay.addWidget(title)
        if not obs:
            self.message("Bij dit bezoek zijn geen waarnemingen per thema vastgelegd.")
            return
        for o in obs:
            self.lay.addWidget(self._card(o, take))
        self.lay.addStretch(1)

    def _card(self, o: Any, take: Callable[[str], None]) -> QFrame:
        card = QFrame()
        card.setObjectName("card")
        cl = QVBoxLayout(card)
        cl.setContentsMargins(10, 6, 10, 6)
        sig, colour = SIGNAL_TEXT.get(o.signal or "", ("", MUTED))
        cl.addWidget(
            QLabel(f"<b>{o.theme_label}</b> &nbsp;<span style='color:{colour}'>{sig}</span>")
        )
        body = QLabel(o.text)
        body.setWordWrap(True)
        body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cl.addWidget(body)
        row = QHBoxLayout()
        row.addStretch(1)
        if o.note_id:
            done = QLabel("✓ In de kwaliteitsdiagnose")
            done.setObjectName("muted")
            row.addWidget(done)
        else:
            b = QPushButton("Overnemen in diagnose")
            b.setAutoDefault(False)
            b.setAccessibleName(f"{o.theme_code} overnemen in de kwaliteitsdiagnose")
            b.clicked.connect(lambda _=False, code=o.theme_code: take(code))
            row.addWidget(b)
        cl.addLayout(row)
        return card
