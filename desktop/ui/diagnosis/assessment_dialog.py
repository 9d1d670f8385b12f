"""Oordeel vastleggen: one theme assessment (rating with its definition, period and date,
rationale, sources, the visit it rests on, optional subtheme ratings). Scrolls inside a
1024×600 screen."""

from __future__ import annotations

from datetime import date

from desktop.services import diagnosis as diag_service
from desktop.services import themes as theme_service
from desktop.services.reference import themes
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.form_dialog import FormDialog, SaveCall, pydate, qdate
from desktop.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)
from desktop.ui.style import rating_style
from desktop.ui.widgets import FieldError, muted_label


class AssessmentDialog(FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        location_id: str,
        theme_code: str,
        *,
        visits: list[diag_service.VisitChoice] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Oordeel vastleggen", parent, scroll=True)
        self.location_id = location_id
        self.setMinimumWidth(620)
        self.theme = QComboBox()
        for t in themes():
            self.theme.addItem(f"{t.code} {t.name_nl}", t.code)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme_code)))
        self.add_row("&Thema", "theme_code", self.theme)

        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rating_group = QButtonGroup(self)
        self.rating_buttons: dict[str, QRadioButton] = {}
        for i, r in enumerate(theme_service.ratings()):
            st = rating_style(r.code)
            b = QRadioButton(f"{st.symbol} {r.label}")
            b.setToolTip(r.definition)
            b.setStyleSheet(
                f"QRadioButton {{ padding: 3px 6px; border-left: 6px solid {st.background}; }}"
            )
            self.rating_group.addButton(b, i)
            self.rating_buttons[r.code] = b
            grid.addWidget(b, 0, i)
        self.definition = muted_label("Kies een oordeel; de betekenis verschijnt hier.")
        grid.addWidget(self.definition, 1, 0, 1, 4)
        self.rating_group.idToggled.connect(self._show_definition)
        self.add_row("&Oordeel", "rating", box, self.rating_buttons["GOOD"])

        when = QWidget()
        wl = QHBoxLayout(when)
        wl.setContentsMargins(0, 0, 0, 0)
        self.year = QSpinBox()
        self.year.setRange(2015, date.today().year + 1)
        self.year.setValue(date.today().year)
        self.assessed_on = QDateEdit(qdate(date.today()))
        self.assessed_on.setCalendarPopup(True)
        self.assessed_on.setDisplayFormat("dd-MM-yyyy")
        year_label, date_label = QLabel("Periode (jaar)"), QLabel("&Datum oordeel")
        year_label.setBuddy(self.year)
        date_label.setBuddy(self.assessed_on)
        self.year.setAccessibleName("Periode (jaar)")
        wl.addWidget(year_label)
        wl.addWidget(self.year)
        wl.addSpacing(16)
        wl.addWidget(date_label)
        wl.addWidget(self.assessed_on)
        wl.addStretch(1)
        self.add_row("&Periode", "period_year", when, self.year)
        self.errors["assessed_on"] = self.errors["period_year"]

        self.rationale = QPlainTextEdit()
        self.rationale.setPlaceholderText(
            "Waarop rust dit oordeel? Wat ziet u, wat horen bewoners en medewerkers?"
        )
        self.rationale.setMinimumHeight(110)
        self.add_row("O&nderbouwing", "rationale", self.rationale)

        src = QWidget()
        sg = QGridLayout(src)
        sg.setContentsMargins(0, 0, 0, 0)
        self.source_boxes: dict[str, QCheckBox] = {}
        for i, (code, label) in enumerate(theme_service.sources()):
            cb = QCheckBox(label)
            self.source_boxes[code] = cb
            sg.addWidget(cb, i // 3, i % 3)
        self.add_row("&Bronnen", "sources", src, next(iter(self.source_boxes.values())))

        self.visit = QComboBox()
        self.visit.addItem("Geen", None)
        for v in visits or []:
            self.visit.addItem(v.label, v.id)
        self.add_row("&Locatiebezoek", "linked_visit_id", self.visit)

        self.sub_group = QGroupBox("Subthema's (optioneel)")
        self.sub_group.setCheckable(True)
        self.sub_group.setChecked(False)
        self.sub_layout = QFormLayout(self.sub_group)
        self.sub_combos: dict[str, QComboBox] = {}
        self.outer.addWidget(self.sub_group)
        sub_err = FieldError(self.sub_group)
        self.outer.addWidget(sub_err)
        self.errors["subtheme_ratings"] = sub_err
        self.theme.currentIndexChanged.connect(self._fill_subthemes)
        self._fill_subthemes()
        self.finish_layout()

    def _show_definition(self, button_id: int, checked: bool) -> None:
        if checked:
            self.definition.setText(theme_service.ratings()[button_id].definition)

    def _fill_subthemes(self) -> None:
        while self.sub_layout.rowCount():
            self.sub_layout.removeRow(0)
        self.sub_combos.clear()
        code = self.theme.currentData()
        for t in themes():
            if t.code != code:
                continue
            for sc, name in t.subthemes:
                combo = QComboBox()
                combo.addItem("—", "")
                for r in theme_service.ratings():
                    combo.addItem(f"{rating_style(r.code).symbol} {r.label}", r.code)
                self.sub_combos[sc] = combo
                self.sub_layout.addRow(f"{sc} {name}", combo)

    def selected_rating(self) -> str:
        for code, b in self.rating_buttons.items():
            if b.isChecked():
                return code
        return ""

    def _save_call(self) -> SaveCall:
        subs = (
            {c: combo.currentData() for c, combo in self.sub_combos.items() if combo.currentData()}
            if self.sub_group.isChecked()
            else None
        )
        return theme_service.record_assessment, dict(
            location_id=self.location_id,
            theme_code=self.theme.currentData(),
            rating=self.selected_rating(),
            rationale=self.rationale.toPlainText(),
            sources=[c for c, cb in self.source_boxes.items() if cb.isChecked()],
            actor_id=self.ctx.user.id,
            period_year=self.year.value(),
            assessed_on=pydate(self.assessed_on.date()),
            linked_visit_id=self.visit.currentData(),
            subtheme_ratings=subs,
        )
