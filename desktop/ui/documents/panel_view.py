"""The widgets of the Stukken panel (view): the list of documents, the hint about dragging,
the details of the selected one and its buttons. Behaviour lives in `DocumentsPanel`
(panel.py), which wires the callbacks declared here."""

from __future__ import annotations

from desktop.ui.qt import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import Banner, make_table

COLUMNS = ["Titel", "Soort", "Ontvangen", "Toegevoegd door", "Grootte", "Beschikbaar"]
HINT = (
    "Sleep bestanden hierheen of kies ‘Bijlage toevoegen…’ (PDF, Word, Excel of afbeelding, "
    "maximaal 50 MB per bestand)."
)
HINT_SHORT = "Sleep bestanden hierheen of kies ‘Bijlage toevoegen…’"


def _muted(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class DocumentsPanelView(QWidget):
    def __init__(self, parent: QWidget | None = None, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.heading = QLabel("Stukken")
        self.heading.setObjectName("sectionTitle")
        head.addWidget(self.heading, 1)
        self.add_button = QPushButton("Bijlage toevoegen…")
        self.add_button.setAccessibleName("Bijlage toevoegen")
        head.addWidget(self.add_button)
        lay.addLayout(head)
        self.table = self._table()
        lay.addWidget(self.table, 1)
        self.hint = _muted(HINT)
        lay.addWidget(self.hint)
        self.detail = _muted()
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.detail)
        self.banner = Banner()
        lay.addWidget(self.banner)
        self.open_button = QPushButton("Openen")
        self.download_button = QPushButton("Downloaden")
        self.save_button = QPushButton("Opslaan als…")
        self.remove_button = QPushButton("Verwijderen")
        if compact:  # beside a checklist: title and type; buttons in two rows
            for c in (2, 3, 4, 5):
                self.table.setColumnHidden(c, True)
            grid = QGridLayout()
            for i, b in enumerate(
                (self.open_button, self.download_button, self.save_button, self.remove_button)
            ):
                grid.addWidget(b, i // 2, i % 2)
            lay.addLayout(grid)
            self.hint.setText(HINT_SHORT)
        else:
            row = QHBoxLayout()
            for b in (self.open_button, self.download_button, self.save_button):
                row.addWidget(b)
            row.addStretch(1)
            row.addWidget(self.remove_button)
            lay.addLayout(row)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.download_button.clicked.connect(self.download_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())

    @staticmethod
    def _table() -> QTableWidget:
        table = make_table(COLUMNS, "Stukken")
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(110)
        return table

    # -- callbacks the controller implements -------------------------------------------------
    def choose_files(self) -> None:
        raise NotImplementedError

    def open_selected(self) -> None:
        raise NotImplementedError

    def download_selected(self) -> None:
        raise NotImplementedError

    def save_selected(self) -> None:
        raise NotImplementedError

    def remove_selected(self) -> None:
        raise NotImplementedError

    def _selection_changed(self) -> None:
        raise NotImplementedError
