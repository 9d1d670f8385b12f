"""What the aanvraag editor shows (issue 19): filling the view from a request bundle,
clearing it for a new request, and the live feedback while typing (85/15 split, approved
split, the decision's amounts). Functions of the view, so the controller stays about
behaviour; no database here (the bundle was loaded on the worker)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import cast

from db.errors import ValidationErrors
from db.models.enums import Decision, RequestState
from desktop.services import formatting
from desktop.services import requests as rq
from desktop.services.budget import split
from desktop.ui.qt import QLineEdit, QPlainTextEdit
from desktop.ui.requests.common import DEADLINE_COLOURS, Banner, badge, money_text
from desktop.ui.requests.editor_view import (
    AMOUNT_FIELDS,
    APPROVED_AMOUNTS,
    CriterionRow,
    RequestEditorView,
)
from desktop.ui.style import ACCENT_DARK, ACCENT_LIGHT


def feedback_banners(v: RequestEditorView) -> tuple[Banner, ...]:
    """The banners beside the buttons of the cards and the save bar."""
    return (v.review_feedback, v.clar_feedback, v.state_feedback, v.save_feedback)


def clear(v: RequestEditorView) -> None:
    """A new request: nothing of the previous one may linger (issue 14: stale vier-ogen state)."""
    v.title.setText("Nieuwe aanvraag")
    v.review_label.setText("Nog niet ter beoordeling aangeboden. Sla de aanvraag eerst op.")
    v.rejection.clear()
    v.rejection.hide()
    for b in feedback_banners(v):
        b.clear_message()
    for row in v.criteria_rows:
        row.set_value(None, "")
    set_own_rows(v, ())
    for f in v.dev_fields.values():
        f.set_text("")
        f.error.clear_error()
    v.shares.setChecked(False)
    for box in v.support.values():
        box.setChecked(False)
    v.decision.setCurrentIndex(0)
    for f in v.decision_fields.values():
        if f is not v.decision_fields["decision"] and isinstance(
            f.editor, (QLineEdit, QPlainTextEdit)
        ):
            f.set_text("")
        f.error.clear_error()
    for p in v.points:
        p.set_text("")
    v.acceptance.clear_points()
    v.clar_list.setText("Nog geen toelichting gevraagd.")
    v.answer_pick.clear()
    v.transition_pick.clear()
    v.history.show_history([])
    v.provider.setEnabled(True)
    v.fields["budget_year"].editor.setEnabled(True)
    for name, f in v.fields.items():
        if name != "provider_id":
            f.set_text("")
        f.error.clear_error()
    v.fields["budget_year"].set_text(str(date.today().year + 1))
    v.fields["received_date"].set_text(formatting.short_date(date.today()))
    v.special.setChecked(False)
    v.banner.clear_message()
    for w in (v.review_card, v.criteria_card, v.dev_card):
        w.setEnabled(False)
    v.state_badge.clear()
    v.deadline_badge.clear()
    set_enabled_for_existing(v, False)


def set_enabled_for_existing(v: RequestEditorView, on: bool) -> None:
    for w in (
        v.ask_button,
        v.answer_button,
        v.transition_button,
        v.submit_button,
        v.withdraw_button,
    ):
        w.setEnabled(on)
    v.decision_card.setEnabled(on)


def fill(v: RequestEditorView, bundle: rq.RequestBundle) -> None:
    """Every card from the bundle of one request."""
    d = bundle.detail
    v.documents.set_target(d.id)
    v.title.setText(f"{d.provider_name} – aanvraag {d.budget_year}")
    badge(v.state_badge, d.state_label, (ACCENT_LIGHT, ACCENT_DARK))
    badge(
        v.deadline_badge,
        f"{d.deadline_label} · {formatting.long_date(d.deadline)}",
        DEADLINE_COLOURS[d.deadline_status],
    )
    v.provider.setCurrentIndex(max(0, v.provider.findData(d.provider_id)))
    if v.provider.currentData() != d.provider_id:
        v.provider.addItem(d.provider_name, d.provider_id)
        v.provider.setCurrentIndex(v.provider.count() - 1)
    v.provider.setEnabled(False)
    v.fields["budget_year"].editor.setEnabled(False)
    values = {
        "budget_year": str(d.budget_year),
        "received_date": formatting.short_date(d.received_date),
        "letter_date": formatting.short_date(d.letter_date),
        "external_reference": d.external_reference,
        "initial_reserved_amount": money_text(d.initial_reserved_amount),
        "requested_total": money_text(d.requested_total),
        "requested_staff_amount": money_text(d.requested_staff_amount),
        "requested_other_amount": money_text(d.requested_other_amount),
        "justification": d.justification,
    }
    for name, value in values.items():
        v.fields[name].set_text(value)
        v.fields[name].error.clear_error()
    v.special.setChecked(d.has_special_circumstances)
    set_own_rows(v, d.criteria[len(v.criteria_rows) :])
    for row, c in zip(v.criteria_rows + v.own_rows, d.criteria, strict=True):
        row.set_value(c.judgement, c.reasoning)
    v.criteria_error.error.clear_error()
    dev = d.deviation
    for name, f in v.dev_fields.items():
        f.set_text(str(dev.get(name) or ""))
        f.error.clear_error()
    v.shares.setChecked(bool(dev.get("shares_learning_in_region")))
    for key, box in v.support.items():
        box.setChecked(bool((dev.get("support_evidence") or {}).get(key)))
    v.decision.setCurrentIndex(max(0, v.decision.findData(d.decision or "")))
    v.decision_fields["approved_total"].set_text(money_text(d.approved_total))
    v.decision_fields["approved_staff_amount"].set_text(money_text(d.approved_staff_amount))
    v.decision_fields["approved_other_amount"].set_text(money_text(d.approved_other_amount))
    v.decision_fields["decision_rationale"].set_text(d.decision_rationale)
    v.decision_fields["custom_agreements"].set_text(d.custom_agreements)
    for i, p in enumerate(v.points):
        p.set_text(d.improvement_points[i] if i < len(d.improvement_points) else "")
    v.acceptance.show_points(d)
    for f in v.decision_fields.values():
        f.error.clear_error()
    show_clarifications(v, d)
    v.ceiling.show_summary(bundle.ceiling, bundle.region_ceiling)
    v.history.show_history(bundle.history)
    v.transition_pick.clear()
    for target in rq.allowed_transitions(d.state):
        v.transition_pick.addItem(RequestState(target).label, target)
    v.transition_date.set_text(formatting.short_date(date.today()))
    for w in (v.review_card, v.criteria_card, v.dev_card):
        w.setEnabled(True)
    set_enabled_for_existing(v, True)
    v.transition_button.setEnabled(v.transition_pick.count() > 0)
    show_review(v, bundle)


def show_review(v: RequestEditorView, bundle: rq.RequestBundle) -> None:
    st = bundle.review
    text = st.label
    if st.approval is not None:
        text = (
            f"Goedgekeurd door {st.approval.approver_name} op "
            f"{formatting.timestamp(st.approval.approved_at)}."
        )
    elif st.state == "SUBMITTED" and st.last_step is not None:
        text = (
            f"Ter vier-ogen aangeboden door {st.last_step.actor_name} op "
            f"{formatting.timestamp(st.last_step.at)}; wacht op een teamleider."
        )
    elif st.state == "VOID":
        text = "De goedkeuring is vervallen omdat de aanvraag daarna is gewijzigd. Bied haar opnieuw aan."
    v.review_label.setText(text)
    last_reject = next((s for s in reversed(st.steps) if s.kind == "REJECTED"), None)
    if st.rejection_comment and last_reject is not None:
        v.rejection.setText(
            f"Afgekeurd door {last_reject.actor_name} "
            f"({formatting.timestamp(last_reject.at)}): {st.rejection_comment}"
        )
        v.rejection.show()
    else:
        v.rejection.hide()
    v.submit_button.setEnabled(
        bool(bundle.detail.decision)
        and (st.state in ("NONE", "WITHDRAWN", "VOID") or (st.state == "REJECTED" and st.stale))
    )
    if not bundle.detail.decision and st.state == "NONE":
        v.review_label.setText("Nog niet ter beoordeling aangeboden. Leg eerst een besluit vast.")
    v.withdraw_button.setEnabled(st.state == "SUBMITTED")


def show_clarifications(v: RequestEditorView, d: rq.RequestDetail) -> None:
    if not d.clarifications:
        v.clar_list.setText("Nog geen toelichting gevraagd. Een vraag zet de termijn niet stil.")
    else:
        parts = []
        for c in d.clarifications:
            ans = (
                f"<br>&nbsp;&nbsp;Antwoord ({formatting.long_date(c.answered_on)}): {c.answer}"
                if c.answered_on
                else "<br>&nbsp;&nbsp;<i>Nog geen antwoord</i>"
            )
            parts.append(f"<b>{formatting.long_date(c.asked_on)}</b>: {c.question}{ans}")
        v.clar_list.setText("<br>".join(parts))
    v.answer_pick.clear()
    for c in d.clarifications:
        if c.answered_on is None:
            v.answer_pick.addItem(f"{formatting.short_date(c.asked_on)}: {c.question[:60]}", c.id)
    for f in (*v.clar_fields.values(), *v.answer_fields.values()):
        f.set_text("")
        f.error.clear_error()


def live_amounts(v: RequestEditorView) -> None:
    values = {n: v.fields[n].text() for n in AMOUNT_FIELDS}
    for n in AMOUNT_FIELDS:
        v.fields[n].error.clear_error()
    if not any(text.strip() for text in values.values()):
        v.split_label.setText("–")
        v.split_hint.setText("Vul de bedragen in; personeel + overig moet het totaal zijn.")
        return
    try:
        parsed = rq.validate_amounts(values)
    except ValidationErrors as exc:
        for e in exc.errors:
            if e.field in v.fields and values.get(e.field, "").strip():
                v.fields[e.field].error.show_error(e.message)
        v.split_label.setText("–")
        return
    sp = split(parsed["requested_staff_amount"], parsed["requested_other_amount"])
    v.split_label.setText(sp.label)
    if sp.is_deviation:
        v.split_hint.setText(
            "Afwijkingsverzoek: meer dan 15% overige investeringen. Alle tien "
            "criteria hieronder hebben een oordeel met onderbouwing nodig."
        )
        v.criteria_hint.setText("Verplicht: dit is een afwijkingsverzoek.")
    elif sp.kind == "MORE_STAFF":
        v.split_hint.setText("Minder dan 15% overige investeringen: leg de onderbouwing vast.")
        v.criteria_hint.setText("Niet verplicht (minder dan 15% overige investeringen).")
    else:
        v.split_hint.setText("Volgens de richtlijn 85/15.")
        v.criteria_hint.setText("Niet verplicht (richtlijn 85/15).")


def live_approved(v: RequestEditorView) -> None:
    try:
        staff = rq.parse_amount(v.decision_fields["approved_staff_amount"].text(), "s")
        other = rq.parse_amount(v.decision_fields["approved_other_amount"].text(), "o")
        v.approved_split.setText(split(staff, other).label)
    except Exception:  # noqa: BLE001 - partial input while typing; the save shows the message
        v.approved_split.setText("–")


def set_own_rows(v: RequestEditorView, own: Iterable[rq.CriterionInfo]) -> None:
    """Rows for the own toetspunten of this request (numbers 11, ...)."""
    for r in v.own_rows:
        r.deleteLater()
    v.own_rows = [CriterionRow(rq.Criterion(c.code, c.number, c.short_nl, c.text_nl)) for c in own]
    for r in v.own_rows:
        v.own_rows_box.addWidget(r)


def decision_changed(v: RequestEditorView, bundle: rq.RequestBundle | None) -> None:
    if v.decision.currentData() == Decision.REJECTED:
        for n in APPROVED_AMOUNTS:
            v.decision_fields[n].set_text("")  # a rejection carries no amounts
    adjusted = v.decision.currentData() in (
        Decision.APPROVED_ADJUSTED,
        Decision.APPROVED_UP_TO_RESERVED,
    )
    if v.decision.currentData() == Decision.APPROVED and bundle is not None:
        d = bundle.detail
        v.decision_fields["approved_total"].set_text(money_text(d.requested_total))
        v.decision_fields["approved_staff_amount"].set_text(money_text(d.requested_staff_amount))
        v.decision_fields["approved_other_amount"].set_text(money_text(d.requested_other_amount))
    for n in APPROVED_AMOUNTS:
        cast(QLineEdit, v.decision_fields[n].editor).setReadOnly(not adjusted)
