"""Dialogs for steering: a maatwerkafspraak, checking it (from a visit or by hand), starting or
escalating an intervention, closing one. The services validate; messages show at the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop.services.formatting import short_date
from desktop.services.reference import themes
from desktop.services.steering import agreements as ag
from desktop.services.steering import interventions as iv
from desktop.services.themes import ratings
from desktop.ui.context import AppContext
from desktop.ui.diagnosis.dialogs import _FormDialog
from desktop.ui.qt import QCheckBox, QComboBox, QGridLayout, QLineEdit, QPlainTextEdit, QWidget


def _checks(
    items: list[tuple[str, str]], columns: int = 4, prefix: str = ""
) -> tuple[QWidget, dict[str, QCheckBox]]:
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    out = {}
    for i, (key, label) in enumerate(items):
        cb = QCheckBox(label)
        cb.setAccessibleName(f"{prefix}{label}")
        grid.addWidget(cb, i // columns, i % columns)
        out[key] = cb
    return box, out


def _text(height: int = 70, name: str = "") -> QPlainTextEdit:
    e = QPlainTextEdit()
    e.setFixedHeight(height)
    e.setTabChangesFocus(True)
    e.setAccessibleName(name)
    return e


def _date_line(value: date | None, name: str) -> QLineEdit:
    e = QLineEdit(short_date(value) if value else "")
    e.setPlaceholderText("dd-mm-jjjj")
    e.setAccessibleName(name)
    return e


def _theme_checks() -> tuple[QWidget, dict[str, QCheckBox]]:
    box, checks = _checks([(t.code, t.code) for t in themes()], columns=8, prefix="Thema ")
    names = {t.code: t.name_nl for t in themes()}
    for code, cb in checks.items():
        cb.setToolTip(names[code])
    return box, checks


def _chosen(checks: dict[str, QCheckBox]) -> list[str]:
    return [k for k, cb in checks.items() if cb.isChecked()]


class AgreementDialog(_FormDialog):
    def __init__(
        self,
        ctx: AppContext,
        provider_id: str,
        locations: list[tuple[str, str]],
        requests: list[tuple[str, str]],
        *,
        themes_preset: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Maatwerkafspraak vastleggen", parent)
        self.provider_id = provider_id
        self.setMinimumWidth(640)
        box, self.themes = _theme_checks()
        for code in themes_preset:
            if code in self.themes:
                self.themes[code].setChecked(True)
        self.add_row("Thema's", "theme_codes", box, next(iter(self.themes.values())))
        lbox, self.locations = _checks(locations, columns=2)
        self.add_row(
            "Locaties (leeg: alle)", "location_ids", lbox, next(iter(self.locations.values()), None)
        )
        self.target = QComboBox()
        self.target.addItem("Geen beoogd oordeel", None)
        for r in ratings():
            self.target.addItem(f"Minimaal {r.label.lower()}", r.code)
        self.target.setAccessibleName("Beoogd oordeel")
        self.add_row("Beoogd oordeel", "target_rating", self.target)
        self.change = _text(name="Concrete, zichtbare verandering")
        self.add_row("Concrete verandering", "target_change", self.change)
        self.due = _date_line(None, "Termijn")
        self.add_row("Termijn", "due_date", self.due)
        self.method = QComboBox()
        for code, label in ag.CHECK_METHODS.items():
            self.method.addItem(label, code)
        self.method.setAccessibleName("Hoe getoetst")
        self.add_row("Hoe getoetst", "check_method", self.method)
        self.request = QComboBox()
        self.request.addItem("Niet aan een aanvraag gekoppeld", None)
        for rid, label in requests:
            self.request.addItem(label, rid)
        self.request.setAccessibleName("Aanvraag kwaliteitsbudget")
        self.add_row("Bij aanvraag", "budget_request_id", self.request)
        self.finish_layout()

    def _save_call(self) -> tuple[Any, dict]:
        return ag.create_agreement, dict(
            provider_id=self.provider_id,
            actor_id=self.ctx.user.id if self.ctx.user else None,
            theme_codes=_chosen(self.themes),
            location_ids=_chosen(self.locations),
            target_rating=self.target.currentData(),
            target_change=self.change.toPlainText(),
            due_date=self.due.text(),
            check_method=self.method.currentData(),
            budget_request_id=self.request.currentData(),
        )


class CheckDialog(_FormDialog):
    """Mark an agreement met / partly / missed, from a visit (its date is used) or by hand."""

    def __init__(
        self,
        ctx: AppContext,
        agreement: ag.AgreementInfo,
        visits: list[Any],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, "Afspraak toetsen", parent)
        self.agreement = agreement
        self.setMinimumWidth(560)
        self.outcome = QComboBox()
        for code in ("MET", "PARTLY", "MISSED", "OPEN", "WITHDRAWN"):
            self.outcome.addItem(ag.STATUS_LABELS[code], code)
        self.outcome.setAccessibleName("Uitkomst")
        self.add_row("Uitkomst", "outcome", self.outcome)
        self.visit = QComboBox()
        self.visit.addItem("Handmatig (geen bezoek)", None)
        for v in visits:
            self.visit.addItem(v.label, v.id)
        self.visit.setAccessibleName("Getoetst bij bezoek")
        self.add_row("Getoetst bij", "visit_id", self.visit)
        self.on = _date_line(date.today(), "Datum van de toets")
        self.add_row("Datum (zonder bezoek)", "checked_on", self.on)
        self.note = _text(name="Toelichting")
        self.add_row("Toelichting", "note", self.note)
        self.finish_layout()

    def _save_call(self) -> tuple[Any, dict]:
        def call(db: Any, **kw: Any) -> ag.AgreementInfo:
            return ag.check_agreement(db, self.agreement.id, **kw)

        return call, dict(
            outcome=self.outcome.currentData(),
            actor_id=self.ctx.user.id if self.ctx.user else None,
            checked_on=self.on.text(),
            visit_id=self.visit.currentData(),
            note=self.note.toPlainText(),
        )


class InterventionDialog(_FormDialog):
    """Start a step on the ladder, or escalate (`previous` given: the next step, carried over
    themes and agreements)."""

    def __init__(
        self,
        ctx: AppContext,
        provider_id: str,
        users: list[tuple[str, str]],
        *,
        previous: iv.InterventionInfo | None = None,
        themes_preset: tuple[str, ...] = (),
        agreement_ids: tuple[str, ...] = (),
        step: str = "GESPREK",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx, "Interventie opschalen" if previous else "Interventie starten", parent
        )
        self.provider_id, self.previous = provider_id, previous
        self.agreement_ids = agreement_ids
        self.setMinimumWidth(640)
        self.step = QComboBox()
        low = iv.STEPS.index(previous.step) + 1 if previous else 0
        for code in iv.STEPS[low:]:
            self.step.addItem(f"{iv.STEPS.index(code) + 1}. {iv.STEP_LABELS[code]}", code)
        self.step.setCurrentIndex(max(0, self.step.findData(step)))
        self.step.setAccessibleName("Stap op de ladder")
        self.add_row("Stap", "step", self.step)
        self.owner = QComboBox()
        for uid, name in users:
            self.owner.addItem(name, uid)
        if ctx.user is not None:
            self.owner.setCurrentIndex(max(0, self.owner.findData(ctx.user.id)))
        self.owner.setAccessibleName("Eigenaar")
        self.add_row("Eigenaar", "owner_id", self.owner)
        self.description = _text(name="Wat is afgesproken of besloten")
        self.add_row("Wat", "description", self.description)
        box, self.themes = _theme_checks()
        for code in previous.theme_codes if previous else themes_preset:
            self.themes[code].setChecked(True)
        self.add_row("Thema's", "theme_codes", box, next(iter(self.themes.values())))
        self.started = _date_line(date.today(), "Startdatum")
        self.add_row("Startdatum", "started_on", self.started)
        self.deadline = _date_line(None, "Termijn")
        self.add_row("Termijn (verbeterplan)", "deadline", self.deadline)
        self.follow = _date_line(None, "Vervolgdatum")
        self.add_row("Vervolg op (Mijn acties)", "follow_up_on", self.follow)
        self.igj = _date_line(None, "Datum melding IGJ")
        self.add_row("Melding IGJ op", "igj_reported_on", self.igj)
        self.igj_note = QLineEdit()
        self.igj_note.setAccessibleName("Toelichting melding IGJ")
        self.add_row("Toelichting IGJ", "igj_note", self.igj_note)
        self.finish_layout()

    def _save_call(self) -> tuple[Any, dict]:
        kw = dict(
            actor_id=self.ctx.user.id if self.ctx.user else None,
            owner_id=self.owner.currentData(),
            description=self.description.toPlainText(),
            started_on=self.started.text(),
            deadline=self.deadline.text(),
            follow_up_on=self.follow.text(),
            theme_codes_=_chosen(self.themes),
            igj_reported_on=self.igj.text(),
            igj_note=self.igj_note.text(),
        )
        if self.previous is not None:
            prev = self.previous.id

            def call(db: Any, **k: Any) -> iv.InterventionInfo:
                return iv.escalate(db, prev, step=self.step.currentData(), **k)

            return call, kw
        return iv.start_intervention, dict(
            kw,
            provider_id=self.provider_id,
            step=self.step.currentData(),
            agreement_ids=list(self.agreement_ids),
        )


class CloseDialog(_FormDialog):
    def __init__(
        self, ctx: AppContext, intervention: iv.InterventionInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "Interventie afsluiten", parent)
        self.intervention = intervention
        self.setMinimumWidth(520)
        self.outcome = _text(name="Uitkomst")
        self.add_row("Uitkomst", "outcome", self.outcome)
        self.on = _date_line(date.today(), "Datum")
        self.add_row("Datum", "closed_on", self.on)
        self.finish_layout()

    def _save_call(self) -> tuple[Any, dict]:
        def call(db: Any, **kw: Any) -> iv.InterventionInfo:
            return iv.close_intervention(db, self.intervention.id, **kw)

        return call, dict(
            actor_id=self.ctx.user.id if self.ctx.user else None,
            outcome=self.outcome.toPlainText(),
            closed_on=self.on.text(),
        )
