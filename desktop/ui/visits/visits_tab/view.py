"""The widgets of the location tab "Bezoeken" (view): the buttons, the visits of the location,
the observations of the selected visit and the location's follow-up actions. Behaviour lives in
`VisitsTab` (controller.py), which wires the callbacks declared here."""

from __future__ import annotations

from desktop.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.steering.visit_checks import visit_checks_button
from desktop.ui.visits.visits_tab.observations import ObservationsPanel
from desktop.ui.widgets import button_row

TREE_STYLE = "QTreeWidget::item { padding: 3px 2px; }"


def tree(name: str, headers: list[str], stretch: int) -> QTreeWidget:
    """A flat list of rows with alternating colours; column `stretch` takes the rest."""
    t = QTreeWidget()
    t.setAccessibleName(name)
    t.setHeaderLabels(headers)
    t.setRootIsDecorated(False)
    t.setAlternatingRowColors(True)
    t.setStyleSheet(TREE_STYLE)
    t.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.header().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


class VisitsTabView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        bar = QHBoxLayout()
        self.new_button = QPushButton("Nieuw bezoek")
        self.new_button.setProperty("primary", True)
        self.open_button = QPushButton("Openen")
        self.report_button = QPushButton("Verslag (PDF)…")
        self.discard_button = QPushButton("Concept verwijderen…")
        for b in (self.new_button, self.open_button, self.report_button, self.discard_button):
            b.setAutoDefault(False)
        bar.addWidget(
            button_row(
                [
                    self.new_button,
                    self.open_button,
                    self.report_button,
                    self.discard_button,
                    visit_checks_button(self),
                ]
            ),
            1,
        )
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.count_label.setWordWrap(True)
        bar.addWidget(self.count_label)
        lay.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        top = QSplitter()
        self.top_split = top  # observations under the list on a narrow page (resizeEvent)
        self.tree = tree("Bezoeken van deze locatie", ["Datum", "Soort", "Status", "Door"], 3)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setStretchLastSection(True)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        top.addWidget(self.tree)
        self.observations = ObservationsPanel()
        top.addWidget(self.observations)
        top.setSizes([460, 540])
        split.addWidget(top)
        split.addWidget(self._actions_pane())
        split.setSizes([380, 200])
        lay.addWidget(split, 1)

    def _actions_pane(self) -> QWidget:
        acts = QWidget()
        al = QVBoxLayout(acts)
        al.setContentsMargins(0, 6, 0, 0)
        head = QHBoxLayout()
        t = QLabel("Vervolgacties")
        t.setObjectName("sectionTitle")
        head.addWidget(t)
        head.addStretch(1)
        self.done_button = QPushButton("Afgehandeld")
        self.done_button.setAutoDefault(False)
        head.addWidget(self.done_button)
        al.addLayout(head)
        # not `self.actions`: that would hide QWidget.actions()
        self.action_tree = tree(
            "Vervolgacties van deze locatie",
            ["Status", "Termijn", "Actie", "Eigenaar", "Afgehandeld"],
            2,
        )
        al.addWidget(self.action_tree)
        return acts

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        # Beside each other the list and the observations need ~760 px; on a 1024-pixel
        # screen with the navigator open the observations go under the list instead.
        super().resizeEvent(event)
        narrow = event.size().width() < 760
        self.top_split.setOrientation(
            Qt.Orientation.Vertical if narrow else Qt.Orientation.Horizontal
        )
