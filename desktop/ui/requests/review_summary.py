"""What a teamleider signs, in words (the "Te beoordelen" queue): the summary of a request
beside the approve/reject buttons, and the one-paragraph description the confirmation names
(provider, request, amount)."""

from __future__ import annotations

from html import escape

from desktop.services import formatting
from desktop.services import requests as rq
from desktop.ui.style import MUTED


def summary_html(d: rq.RequestDetail) -> str:
    rows = [
        ("Zorgaanbieder", d.provider_name),
        ("Budgetjaar", str(d.budget_year)),
        ("Ontvangen", formatting.long_date(d.received_date)),
        ("Termijn", f"{formatting.long_date(d.deadline)} ({d.deadline_label})"),
        ("Aangevraagd", f"{formatting.money(d.requested_total)} ({d.requested_split})"),
        ("Besluit", d.decision_label or "–"),
        (
            "Toegekend",
            (
                f"{formatting.money(d.approved_total)} ({d.approved_split})"
                if d.approved_total is not None
                else "–"
            ),
        ),
        ("Motivering", d.decision_rationale or "–"),
        ("Opsteller", d.author_name),
    ]
    html = "<table cellspacing='4'>" + "".join(
        f"<tr><td style='color:{MUTED}'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
        for k, v in rows
    )
    html += "</table>"
    if d.check is not None and d.check.accepted:
        # Issue 15: what the approval accepts although it does "Voldoet niet", and why.
        html += (
            "<p><b>Voldoet niet, toch geaccepteerd</b><br>"
            + "<br>".join(
                f"• {escape(p.label)} – {escape(a.basis_label)}: {escape(a.text)}"
                for p, a in d.check.accepted
            )
            + "</p>"
        )
    if d.is_deviation or any(c.judgement for c in d.criteria):
        html += "<p><b>Criteria (afwijkingsverzoek)</b></p><table cellspacing='3'>"
        for c in d.criteria:
            html += (
                f"<tr><td>{'C' if c.number <= 10 else ''}{c.number}</td><td>{escape(c.short_nl)}</td>"
                f"<td><b>{escape(c.judgement_label or 'niet beoordeeld')}</b></td>"
                f"<td style='color:{MUTED}'>{escape(c.reasoning)}</td></tr>"
            )
        html += "</table>"
    if d.improvement_points:
        html += (
            "<p><b>Verbeterpunten</b><br>"
            + "<br>".join(f"• {escape(p)}" for p in d.improvement_points)
            + "</p>"
        )
    return html


def what_is_signed(d: rq.RequestDetail) -> str:
    """Provider, request, amount and decision, for the confirmation question."""
    amount = (
        f"toegekend {formatting.money(d.approved_total)} ({d.approved_split})"
        if d.approved_total is not None
        else "geen bedrag toegekend"
    )
    return (
        f"{d.provider_name} – aanvraag {d.budget_year}\n"
        f"Aangevraagd {formatting.money(d.requested_total)}; besluit: "
        f"{d.decision_label or 'geen'}, {amount}."
    )
