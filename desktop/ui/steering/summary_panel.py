"""The diagnosis beside the money: a compact, self-contained panel with the provider's and its
locations' diagnosis (ratings per theme with trend arrows, top three, open actions), and, when
a budget request is shown, the themes its decision targets.

Reusable on the aanvraag and plan assessment screens: `DiagnosisSummaryPanel(ctx)` and
`show_provider(provider_id, request_id=None)`. `attach(editor)` wires it into the aanvraag
editor with one line (it follows the editor's loaded request).
"""

from __future__ import annotations

from typing import Any

from desktop.services.changes import ChangeSet, touches
from desktop.services.reference import themes
from desktop.services.steering.summary import DiagnosisSummary, diagnosis_summary
from desktop.services.steering.targets import decision_targets, set_decision_targets
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QCheckBox,
    QColor,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.requests.common import Banner, make_table, section_card
from desktop.ui.style import rating_style
from desktop.ui.widgets import muted_label

_ARROW = {1: " ↑", -1: " ↓", 0: ""}


def _load(
    db: Any, provider_id: str, request_id: str | None
) -> tuple[DiagnosisSummary, tuple[str, ...]]:
    summary = diagnosis_summary(db, provider_id)
    return summary, (decision_targets(db, request_id)[0] if request_id else ())


class DiagnosisSummaryPanel(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        title: str = "Kwaliteitsdiagnose naast het geld",
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.provider_id: str | None = None
        self.request_id: str | None = None
        self.summary: DiagnosisSummary | None = None
        card, lay = section_card(title, self)
        self.headline = QLabel("Kies een zorgaanbieder om de diagnose te zien.")
        self.headline.setWordWrap(True)
        self.headline.setObjectName("muted")
        lay.addWidget(self.headline)
        codes = [t.code for t in themes()]
        self.table: QTableWidget = make_table(["Locatie", *codes])
        self.table.setAccessibleName("Oordelen per locatie en thema")
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        hh.setDefaultSectionSize(46)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for i, t in enumerate(themes(), start=1):
            self.table.horizontalHeaderItem(i).setToolTip(t.name_nl)
        lay.addWidget(self.table)
        lay.addWidget(
            muted_label(
                "● goed · ◐ voldoende · ▲ matig · ✖ onvoldoende · – niet beoordeeld; "
                "↑ beter en ↓ slechter dan het vorige oordeel"
            )
        )
        self.top = QLabel()
        self.top.setWordWrap(True)
        self.top.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.top)
        # -- the themes the decision targets ----------------------------------------------------
        self.target_box = QWidget()
        tl = QVBoxLayout(self.target_box)
        tl.setContentsMargins(0, 4, 0, 0)
        hint = QLabel(
            "Doelthema's van dit besluit: op welke thema's moet het geld de zorg verbeteren?"
        )
        hint.setWordWrap(True)
        tl.addWidget(hint)
        row = QHBoxLayout()
        self.target_checks: dict[str, QCheckBox] = {}
        for t in themes():
            box = QCheckBox(t.code)
            box.setToolTip(t.name_nl)
            box.setAccessibleName(f"Doelthema {t.code} {t.name_nl}")
            self.target_checks[t.code] = box
            row.addWidget(box)
        row.addStretch(1)
        self.save_targets = QPushButton("Doelthema's opslaan")
        row.addWidget(self.save_targets)
        tl.addLayout(row)
        self.banner = Banner()
        tl.addWidget(self.banner)
        lay.addWidget(self.target_box)
        self.target_box.hide()
        self.save_targets.clicked.connect(self.store_targets)
        ctx.entities_changed.connect(self._on_changes)

    # -- data ------------------------------------------------------------------------------------
    def show_provider(self, provider_id: str | None, request_id: str | None = None) -> None:
        self.provider_id, self.request_id = provider_id, request_id
        self.target_box.setVisible(bool(request_id))
        self.banner.clear_message()
        if not provider_id:
            self.summary = None
            self.table.setRowCount(0)
            return
        self.ctx.run(
            _load,
            self.ctx.db,
            provider_id,
            request_id,
            on_done=self.show_summary,
            label="Kwaliteitsdiagnose laden",
        )

    def show_summary(self, result: tuple[DiagnosisSummary, tuple[str, ...]]) -> None:
        s, targets = result
        if s.provider_id != self.provider_id:
            return  # an older answer
        self.summary = s
        concern = sum(1 for loc in s.locations if loc.concerns)
        self.headline.setText(
            f"{s.provider_name}: {len(s.locations)} locatie{'' if len(s.locations) == 1 else 's'}, "
            f"{concern} met een thema matig of "
            f"onvoldoende; {s.worsened} oordelen slechter en {s.improved} beter dan het vorige; "
            f"{s.open_actions} open vervolgacties ({s.overdue_actions} te laat)."
        )
        self.table.setRowCount(len(s.locations))
        for r, loc in enumerate(s.locations):
            self.table.setItem(r, 0, self._item(loc.name))
            for c, (rating, direction) in enumerate(
                zip(loc.ratings, loc.directions, strict=True), start=1
            ):
                st = rating_style(rating)
                item = self._item(f"{st.symbol}{_ARROW[direction]}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setBackground(QColor(st.background))
                item.setForeground(QColor(st.foreground))
                word = {1: ", beter dan vorig oordeel", -1: ", slechter dan vorig oordeel"}.get(
                    direction, ""
                )
                item.setToolTip(f"{s.theme_codes[c - 1]}: {st.label}{word}")
                self.table.setItem(r, c, item)
        rows = min(6, max(1, len(s.locations)))
        self.table.setFixedHeight(
            self.table.horizontalHeader().sizeHint().height()
            + rows * self.table.verticalHeader().defaultSectionSize()
            + 2 * self.table.frameWidth()
            + 2
        )
        if s.top_three:
            items = "".join(
                f"<li>{_esc(n.text)} <span style='color:gray'>({', '.join(n.theme_codes) or 'algemeen'})"
                "</span></li>"
                for n in s.top_three
            )
            self.top.setText(f"<b>Top drie verbeterpunten</b><ol style='margin:0'>{items}</ol>")
        else:
            self.top.setText("<b>Top drie verbeterpunten:</b> nog niet gekozen.")
        for code, box in self.target_checks.items():
            box.setChecked(code in targets)

    @staticmethod
    def _item(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        return item

    def chosen_targets(self) -> list[str]:
        return [c for c, box in self.target_checks.items() if box.isChecked()]

    def store_targets(self) -> None:
        if not self.request_id:
            return
        user = self.ctx.user.id if self.ctx.user else None
        self.ctx.run(
            set_decision_targets,
            self.ctx.db,
            self.request_id,
            self.chosen_targets(),
            actor_id=user,
            on_done=self._stored,
            on_error=self._failed,
            label="Doelthema's opslaan",
        )

    def _stored(self, codes: tuple[str, ...]) -> None:
        self.banner.ok("Doelthema's opgeslagen: " + (", ".join(codes) if codes else "geen") + ".")

    def _failed(self, exc: BaseException) -> None:
        from desktop.ui.requests.common import show_errors

        show_errors(exc, {}, self.banner, self)

    def _on_changes(self, changes: ChangeSet) -> None:
        if self.provider_id and touches(
            changes, "theme_assessment", "diagnosis_note", "follow_up_action"
        ):
            self.show_provider(self.provider_id, self.request_id)


def _esc(text: str) -> str:
    from html import escape

    return escape(text)


def attach(editor: Any) -> DiagnosisSummaryPanel:
    """Build the panel for the aanvraag editor and follow the request it shows: wraps the
    editor's `show_bundle` (the one place a request is loaded) and `new_request`."""
    panel = DiagnosisSummaryPanel(editor.ctx)
    shown = editor.show_bundle
    fresh = getattr(editor, "new_request", None)

    def show_bundle(bundle: Any) -> None:
        shown(bundle)
        panel.show_provider(bundle.detail.provider_id, bundle.detail.id)

    editor.show_bundle = show_bundle
    if fresh is not None:

        def new_request(*args: Any, **kwargs: Any) -> Any:
            result = fresh(*args, **kwargs)
            panel.show_provider(
                editor.provider.currentData() if hasattr(editor, "provider") else None
            )
            return result

        editor.new_request = new_request
        if hasattr(editor, "provider"):
            editor.provider.currentIndexChanged.connect(
                lambda _i: (
                    panel.show_provider(editor.provider.currentData(), editor.request_id)
                    if editor.request_id is None
                    else None
                )
            )
    return panel
