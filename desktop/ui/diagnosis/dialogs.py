"""Dialogs: add a theme assessment, add/edit a note, choose the top three verbeterpunten.

Validation happens in the services; their ValidationError(field, message) is shown next to
the field it belongs to (FieldError)."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models.enums import NoteKind
from desktop.services import diagnosis as diag_service
from desktop.services import themes as theme_service
from desktop.services.reference import themes
from desktop.ui.context import AppContext
from desktop.ui.qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from desktop.ui.style import rating_style
from desktop.ui.widgets import FieldError

# 600 pixels of screen minus a task bar and the title bar (issue 14: the Oordeel dialog was 642).
MAX_HEIGHT = 560


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class _FormDialog(QDialog):
    """Shared plumbing: field errors, a general error line, OK runs `_save` on the worker."""

    def __init__(
        self, ctx: AppContext, title: str, parent: QWidget | None = None, *, scroll: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setModal(True)
        self.errors: dict[str, FieldError] = {}
        self.result_value: Any = None
        self.frame = QVBoxLayout(self)
        self.scroll: QScrollArea | None = None
        if scroll:  # a tall form: the fields scroll, the error line and the buttons stay put
            body = QWidget()
            self.outer = QVBoxLayout(body)
            self.outer.setContentsMargins(0, 0, 6, 0)
            self.scroll = QScrollArea()
            self.scroll.setWidgetResizable(True)
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.scroll.setWidget(body)
            self.frame.addWidget(self.scroll, 1)
        else:
            self.outer = self.frame
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.outer.addLayout(self.form)
        self.general_error = FieldError()
        if not scroll:  # a scrolling form keeps it beside the buttons (finish_layout)
            self.outer.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Opslaan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def add_row(
        self, label: str, field: str, widget: QWidget, focus: QWidget | None = None
    ) -> None:
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        err = FieldError(focus or widget)
        lay.addWidget(err)
        self.errors[field] = err
        lbl = QLabel(label)
        lbl.setBuddy(focus or widget)
        self.form.addRow(lbl, box)

    def finish_layout(self) -> None:
        if self.scroll is not None:
            self.outer.addStretch(1)
            self.frame.addWidget(self.general_error)
        self.frame.addWidget(self.buttons)
        if self.scroll is not None:
            self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the form wants, but at most MAX_HEIGHT and never taller than the free
        screen: on 1024×600 with a task bar the dialog fits and the form scrolls inside."""
        body = self.scroll.widget()  # type: ignore[union-attr]
        body.adjustSize()
        chrome = self.sizeHint().height() - self.scroll.sizeHint().height()  # type: ignore[union-attr]
        want = body.sizeHint().height() + chrome + 4
        screen = self.screen()
        limit = (
            MAX_HEIGHT
            if screen is None
            else min(MAX_HEIGHT, screen.availableGeometry().height() - 40)
        )
        self.scroll.setMinimumHeight(min(body.sizeHint().height(), 200))  # type: ignore[union-attr]
        width = max(self.minimumWidth(), body.sizeHint().width() + 40)
        self.resize(width, max(min(want, limit), self.minimumSizeHint().height()))

    def sizeHint(self):  # type: ignore[no-untyped-def]  # noqa: N802
        hint = super().sizeHint()
        if self.scroll is not None:
            hint.setHeight(min(hint.height(), MAX_HEIGHT))
        return hint

    def clear_errors(self) -> None:
        for e in self.errors.values():
            e.clear_error()
        self.general_error.clear_error()

    def show_errors(self, exc: BaseException) -> None:
        from desktop.ui.errors import route_error

        self.buttons.setEnabled(True)
        route_error(exc, self.errors, self.general_error.show_error, self)

    def submit(self) -> None:
        self.clear_errors()
        if self.ctx.user is None:
            self.general_error.show_error("Kies eerst wie u bent (menu Extra, Mijn profiel).")
            return
        self.buttons.setEnabled(False)
        fn, kwargs = self._save_call()
        self.ctx.run(
            fn,
            self.ctx.db,
            on_done=self._saved,
            on_error=self.show_errors,
            label="Opslaan",
            **kwargs,
        )

    def _saved(self, value: Any) -> None:
        self.buttons.setEnabled(True)
        self.result_value = value
        self.accept()

    def _save_call(self) -> tuple[Any, dict]:  # pragma: no cover - abstract
        raise NotImplementedError


class AssessmentDialog(_FormDialog):
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
        self.definition = QLabel("Kies een oordeel; de betekenis verschijnt hier.")
        self.definition.setObjectName("muted")
        self.definition.setWordWrap(True)
        grid.addWidget(self.definition, 1, 0, 1, 4)
        self.rating_group.idToggled.connect(self._show_definition)
        self.add_row("&Oordeel", "rating", box, self.rating_buttons["GOOD"])

        when = QWidget()
        wl = QHBoxLayout(when)
        wl.setContentsMargins(0, 0, 0, 0)
        self.year = QSpinBox()
        self.year.setRange(2015, date.today().year + 1)
        self.year.setValue(date.today().year)
        self.assessed_on = QDateEdit(_qdate(date.today()))
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

    def _save_call(self) -> tuple[Any, dict]:
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
            assessed_on=_pydate(self.assessed_on.date()),
            linked_visit_id=self.visit.currentData(),
            subtheme_ratings=subs,
        )


class NoteDialog(_FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        *,
        provider_id: str,
        location_id: str | None,
        note: diag_service.NoteInfo | None = None,
        theme_code: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Notitie bewerken" if note else "Notitie toevoegen", parent)
        self.note = note
        self.provider_id = provider_id
        self.location_id = location_id
        self.setMinimumWidth(560)
        self.kind = QComboBox()
        self.kind.addItem("Kies…", "")
        for code, label in NoteKind.choices():
            self.kind.addItem(label, code)
        self.add_row("&Soort", "kind", self.kind)
        tw = QWidget()
        tg = QGridLayout(tw)
        tg.setContentsMargins(0, 0, 0, 0)
        self.theme_boxes: dict[str, QCheckBox] = {}
        for i, t in enumerate(themes()):
            cb = QCheckBox(f"{t.code} {t.name_nl}")
            self.theme_boxes[t.code] = cb
            tg.addWidget(cb, i // 2, i % 2)
        self.add_row("&Thema's", "theme_codes", tw, self.theme_boxes["T1"])
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(
            "Wat is er gezien, gehoord of besproken? Noteer geen namen van bewoners."
        )
        self.text.setMinimumHeight(100)
        self.add_row("Te&kst", "text", self.text)
        self.source = QLineEdit()
        self.source.setPlaceholderText("bijvoorbeeld: kwaliteitsverslag 2025, gesprek cliëntenraad")
        self.add_row("&Bron", "source", self.source)
        self.noted_on = QDateEdit(_qdate(date.today()))
        self.noted_on.setCalendarPopup(True)
        self.noted_on.setDisplayFormat("dd-MM-yyyy")
        self.add_row("&Datum", "noted_on", self.noted_on)
        self.provider_wide = QCheckBox(
            "Geldt voor de hele zorgaanbieder, niet alleen voor deze locatie"
        )
        self.provider_wide.setVisible(note is None and location_id is not None)
        self.outer.addWidget(self.provider_wide)
        if note:
            self.kind.setCurrentIndex(self.kind.findData(note.kind))
            for c in note.theme_codes:
                self.theme_boxes[c].setChecked(True)
            self.text.setPlainText(note.text)
            self.source.setText(note.source)
            self.noted_on.setDate(_qdate(note.noted_on))
        elif theme_code in self.theme_boxes:
            self.theme_boxes[theme_code].setChecked(True)
        self.finish_layout()

    def _save_call(self) -> tuple[Any, dict]:
        common = dict(
            kind=self.kind.currentData(),
            text=self.text.toPlainText(),
            theme_codes=[c for c, cb in self.theme_boxes.items() if cb.isChecked()],
            source=self.source.text(),
            noted_on=_pydate(self.noted_on.date()),
            actor_id=self.ctx.user.id,
        )
        if self.note:
            return _edit_note, dict(note_id=self.note.id, **common)
        location_id = None if self.provider_wide.isChecked() else self.location_id
        return diag_service.add_note, dict(
            provider_id=self.provider_id, location_id=location_id, **common
        )


def _edit_note(db: Any, *, note_id: str, **kw: Any) -> diag_service.NoteInfo:
    return diag_service.edit_note(db, note_id, **kw)


class TopThreeDialog(_FormDialog):
    """Three ranked choices among the location's verbeterpunten (CZ's practice, seed 004)."""

    def __init__(
        self,
        ctx: AppContext,
        location_id: str,
        candidates: list[diag_service.NoteInfo],
        current: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Top drie verbeterpunten kiezen", parent)
        self.location_id = location_id
        self.setMinimumWidth(640)
        intro = QLabel(
            "Kies de drie verbeterpunten die u met de zorgaanbieder afspreekt, in "
            "volgorde van belang. Alleen notities van de soort verbeterpunt komen in aanmerking."
        )
        intro.setWordWrap(True)
        self.outer.insertWidget(0, intro)
        self.combos: list[QComboBox] = []
        for i in range(3):
            combo = QComboBox()
            combo.addItem("— geen —", None)
            for n in candidates:
                short = n.text if len(n.text) <= 90 else n.text[:89] + "…"
                themes_txt = f" ({', '.join(n.theme_codes)})" if n.theme_codes else ""
                combo.addItem(short + themes_txt, n.id)
            if i < len(current):
                combo.setCurrentIndex(max(0, combo.findData(current[i])))
            combo.setAccessibleName(f"Verbeterpunt {i + 1}")
            self.combos.append(combo)
            self.add_row(f"&{i + 1}.", f"top{i + 1}", combo)
        self.errors["top_priority"] = self.general_error
        self.finish_layout()

    def submit(self) -> None:
        self.clear_errors()
        seen: set[str] = set()
        for i, combo in enumerate(self.combos, start=1):
            nid = combo.currentData()
            if nid and nid in seen:
                self.errors[f"top{i}"].show_error("Dit verbeterpunt staat al hoger in de lijst.")
                return
            if nid:
                seen.add(nid)
        super().submit()

    def _save_call(self) -> tuple[Any, dict]:
        ids = [c.currentData() for c in self.combos if c.currentData()]
        return _set_top, dict(note_ids=ids, location_id=self.location_id, actor_id=self.ctx.user.id)


def _set_top(db: Any, *, note_ids: list[str], **kw: Any) -> list:
    return diag_service.set_top_priorities(db, note_ids, **kw)
