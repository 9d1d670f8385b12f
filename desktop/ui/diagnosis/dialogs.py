"""Dialogs of the kwaliteitsdiagnose: add/edit a note, choose the top three verbeterpunten;
the theme assessment (`assessment_dialog`) and the shared plumbing (`form_dialog`) are
importable from here as before. The services validate; FormDialog shows each refusal at
its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models.enums import NoteKind
from desktop.services import diagnosis as diag_service
from desktop.services.reference import themes
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.assessment_dialog import AssessmentDialog
from desktop.ui.diagnosis.form_dialog import MAX_HEIGHT, FormDialog, SaveCall, pydate, qdate
from desktop.ui.qt import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

_FormDialog = FormDialog  # the name the steering dialogs import

__all__ = ["MAX_HEIGHT", "AssessmentDialog", "FormDialog", "NoteDialog", "TopThreeDialog"]


class NoteDialog(FormDialog):
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
        self.noted_on = QDateEdit(qdate(date.today()))
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
            self.noted_on.setDate(qdate(note.noted_on))
        elif theme_code in self.theme_boxes:
            self.theme_boxes[theme_code].setChecked(True)
        self.finish_layout()

    def _save_call(self) -> SaveCall:
        common = dict(
            kind=self.kind.currentData(),
            text=self.text.toPlainText(),
            theme_codes=[c for c, cb in self.theme_boxes.items() if cb.isChecked()],
            source=self.source.text(),
            noted_on=pydate(self.noted_on.date()),
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


class TopThreeDialog(FormDialog):
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

    def _save_call(self) -> SaveCall:
        ids = [c.currentData() for c in self.combos if c.currentData()]
        return _set_top, dict(note_ids=ids, location_id=self.location_id, actor_id=self.ctx.user.id)


def _set_top(db: Any, *, note_ids: list[str], **kw: Any) -> list:
    return diag_service.set_top_priorities(db, note_ids, **kw)
